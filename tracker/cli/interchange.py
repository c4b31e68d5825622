"""Files in and out: `tracker export`, `recover` and `import` (with the drafts a device
import leaves)."""

from pathlib import Path
from typing import Annotated, Any

import typer

from tracker import clock
from tracker.cli.app import (
    DbOption,
    JsonOption,
    PainFree,
    app,
    chosen_db,
    date_option,
    fail,
    open_diary,
    say,
    say_error,
    say_json,
    warn,
)
from tracker.db.errors import DamagedDatabase
from tracker.domain import wording
from tracker.domain.wording import count, describe_walk
from tracker.terminal_text import printable


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help="pdf (doctor report), csv, json (backup) or fhir.")
    ],
    out: Annotated[str, typer.Option("--out", help="File to write; - for standard output.")],
    since: Annotated[
        str | None,
        typer.Option("--since", help="YYYY-MM-DD (pdf default: 6 months ago, or the first walk)."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="YYYY-MM-DD (default today).")
    ] = None,
    what: Annotated[
        str, typer.Option("--what", help="For csv: walks, smoking, symptoms or events.")
    ] = "walks",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    db: DbOption = None,
) -> None:
    """Write a report for the doctor or a data file. Files are written whole or not at all.

    A damaged diary is read out first: every row that can still be read is exported, and what
    could not be read is listed."""

    # start-up: the writers (and their libraries) load only for the command that uses them
    from tracker.interchange.export import ExportRequest, run_export
    from tracker.interchange.export_file import STANDARD_OUTPUT, ExportError

    day = clock.today()
    start = date_option(since, "since")
    end = date_option(until, "until") or day
    if start and start > end:
        fail(f"--since ({start}) is after --until ({end})")
    request = ExportRequest(fmt=fmt.lower(), what=what.lower(), since=start, until=end)
    stdout = typer.get_binary_stream("stdout")
    try:
        problem = request.problem()
        if problem:
            fail(problem)
        warnings: list[str] = []
        try:
            store = open_diary(ctx, db)
        except DamagedDatabase as exc:
            from tracker.db.salvage import salvaged  # start-up: only for a damaged diary

            warn(f"{exc.path} is damaged; exporting every row that can still be read.")
            with salvaged(exc.path) as (copy, report):
                path = run_export(
                    copy,
                    request,
                    Path(out),
                    now=clock.now(),
                    force=force,
                    stdout=stdout,
                    warnings=warnings,
                )
            warnings += report.lines()
        else:
            path = run_export(
                store,
                request,
                Path(out),
                now=clock.now(),
                force=force,
                stdout=stdout,
                warnings=warnings,
            )
    except ExportError as exc:
        fail(str(exc))
    if out not in STANDARD_OUTPUT:
        say(f"Wrote {path}")
    for warning in warnings:
        warn(warning)


@app.command()
def recover(
    ctx: typer.Context,
    out: Annotated[
        str, typer.Option("--out", help="The new diary file to write (it must not exist).")
    ],
    db: DbOption = None,
) -> None:
    """Copy every row that can still be read from the diary into a new diary (for a damaged
    file: the new one is sound; the old one is only read)."""

    # start-up: only `recover` reads a file out row by row
    from tracker.db.salvage import salvage
    from tracker.db.target import resolve_target

    source = resolve_target(chosen_db(ctx, db))
    if source.path is None:
        fail("recover reads an SQLite diary file; give one with --db")
    report = salvage(source.path, Path(out))
    for line in report.lines():
        say(line)
    say(wording.new_diary_written(Path(out).expanduser(), source.path))


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE...",
            help="Tracker CSV or JSON backup, or a watch's or phone's recording: FIT, TCX, GPX, "
            "Apple Health export.zip/export.xml, Health Connect export zip.",
            show_default=False,
        ),
    ] = None,
    pending: Annotated[
        bool,
        typer.Option("--pending", help="List imported walks waiting for a pain-free distance."),
    ] = False,
    complete: Annotated[
        int | None,
        typer.Option(
            "--complete", metavar="ID", help="Complete a draft: with --pain-free (and --max)."
        ),
    ] = None,
    discard: Annotated[
        int | None,
        typer.Option(
            "--discard", metavar="ID", help="Discard a draft (importing the file again skips it)."
        ),
    ] = None,
    pain_free: PainFree = None,
    max_: Annotated[
        str | None,
        typer.Option("--max", help="With --complete: maximum distance (default: the whole walk)."),
    ] = None,
    no_pain: Annotated[
        bool, typer.Option("--no-pain", help="With --complete: the walk ended without pain.")
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import files, each checked in full and imported all or nothing; list, complete or
    discard the drafts a device import left (walks without a lap press)."""
    modes = [bool(files), pending, complete is not None, discard is not None]
    if sum(modes) != 1:
        fail("give FILE... to import, or one of --pending, --complete ID, --discard ID")
    if complete is None and (pain_free is not None or max_ is not None or no_pain):
        fail("--pain-free, --max and --no-pain go with --complete ID")
    store = open_diary(ctx, db)
    if pending:
        _list_drafts(store, as_json)
    elif complete is not None:
        _complete_draft(store, complete, pain_free, max_, no_pain)
    elif discard is not None:
        from tracker.interchange.devices.mapping import describe_draft  # start-up, as below

        row = store.discard_draft(discard)
        say(wording.draft_discarded(discard, printable(describe_draft(row, store.settings().unit))))
    else:
        assert files is not None
        before = len(store.drafts())
        several = len(files) > 1 or any(_is_folder(f) for f in files)
        ok = [
            _import_one(store, str(path), several=several)
            for f in files
            for path in (_folder_files(f) if _is_folder(f) else [Path(f)])
        ]
        pending_now = len(store.drafts())
        if pending_now > before:
            waits = "waits" if pending_now == 1 else "wait"
            say(
                f"{count(pending_now, 'imported walk')} {waits} for the pain-free distance "
                f"({pending_now - before} from this import): tracker import --pending (or "
                "press p in the app)."
            )
        if not all(ok):
            raise typer.Exit(2)


def _is_folder(name: str) -> bool:
    """A name the system cannot even look up is no folder: the import of it says why."""
    try:
        return Path(name).is_dir()
    except (OSError, ValueError):
        return False


FOLDER_TEXT_SUFFIXES = (".csv", ".json")
"""In a folder, only these plain-text files are taken as tracker CSV or JSON (a note or a
README beside the recordings is not a diary file)."""


def _folder_files(folder: str) -> list[Path]:
    """The importable files of a folder and its subfolders, in name order (so a second run
    meets them in the same order and adds nothing); hidden files are passed over, and every
    other file that is not a diary or device file is skipped and counted."""
    # start-up: device reading only for tracker import
    from tracker.interchange.devices.activity import DeviceFileError
    from tracker.interchange.devices.detect import Kind, detect

    root = Path(folder)
    found: list[Path] = []
    skipped = 0
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if not path.is_file():
            continue
        try:
            kind = detect(path)
        except DeviceFileError:
            skipped += 1
            continue
        if kind is Kind.TEXT and path.suffix.lower() not in FOLDER_TEXT_SUFFIXES:
            skipped += 1
            continue
        found.append(path)
    name = printable(folder, one_line=True)
    others = count(skipped, "other file")
    if not found:
        say(f"{name}: no file tracker can import (skipped {others}).")
    elif skipped:
        say(f"{name}: importing {count(len(found), 'file')}; skipped {others}.")
    return found


def _import_one(store: Any, file: str, *, several: bool) -> bool:
    """One file, all or nothing; problems are printed with the file's name. True when done."""

    # start-up: the device readers load only for `import` (their parsers are optional extras)
    from tracker.interchange.devices.activity import DeviceFileError
    from tracker.interchange.devices.detect import KIND_LABELS, Kind, detect

    path = Path(file)
    name = printable(file, one_line=True)
    try:
        kind = detect(path)
    except DeviceFileError as exc:
        say_error(f"{name}: {printable(str(exc))}; nothing was imported from it")
        return False
    if kind is Kind.TEXT:
        return import_diary_file(store, path, f"{name}: " if several else "")
    # start-up: the device importer loads only for device files
    from tracker.interchange.devices.importer import (
        DeviceImportFailed,
        import_device_file,
        summary_line,
    )
    from tracker.interchange.devices.progress import terminal_progress

    try:
        with terminal_progress(f"Reading {name}") as progress:
            result = import_device_file(store, path, kind, now=clock.now(), progress=progress)
    except DeviceImportFailed as exc:
        for line in exc.errors:
            say_error(f"{name}: {printable(line)}")
        say_error(f"{name}: nothing was imported from it")
        return False
    say(f"{name} ({KIND_LABELS[kind]}): {summary_line(result)}.")
    return True


def import_diary_file(store: Any, path: Any, prefix: str) -> bool:
    # start-up: the importer and its progress bar only for tracker import
    from tracker.interchange.devices.progress import terminal_progress
    from tracker.interchange.importer import ImportFailed, import_file

    file = str(path)
    try:
        with terminal_progress(f"Importing {printable(file, one_line=True)}") as progress:
            result = import_file(store, path, clock.now(), progress=progress)
    except ImportFailed as exc:
        for line in exc.errors:
            say_error(prefix + line)
        if exc.more:
            say_error(f"{prefix}… and {exc.more} more")
        say_error(prefix + str(exc))
        return False
    if result.kind == "events csv":
        again = f", {result.events_skipped} already there" if result.events_skipped else ""
        say(wording.events_imported(count(result.events_added, "treatment event"), again, file))
        return True
    skipped = f", {result.walks_skipped} already there" if result.walks_skipped else ""
    other = (
        f", {count(result.other_rows, 'smoking, symptom or check row')}"
        if result.other_rows
        else ""
    )
    other += f", {count(result.events_added, 'treatment event')}" if result.events_added else ""
    say(
        wording.walks_imported(count(result.walks_added, "walk"), skipped, other, file, result.kind)
    )
    return True


def _list_drafts(store: Any, as_json: bool) -> None:
    # start-up: the drafts load only for `import --pending` and `--complete`
    from tracker.interchange.devices.drafts import draft_record
    from tracker.interchange.devices.mapping import describe_draft

    rows = store.drafts()
    if as_json:
        out = [{"id": d.id, **draft_record(d)} for d in rows]
        say_json(out)
        return
    if not rows:
        say(wording.NO_DRAFTS_WAITING)
        return
    unit = store.settings().unit
    say(f"Imported walks waiting for the pain-free distance ({len(rows)}):")
    for d in rows:
        source = f"  ({d.file_name})" if d.file_name else ""
        say(f"#{d.id:<5} {describe_draft(d, unit)}{source}", one_line=True)
    first = rows[0].id
    say(wording.drafts_hint(first))


def _complete_draft(
    store: Any, draft_id: int, pain_free: str | None, max_: str | None, no_pain: bool
) -> None:
    from tracker.interchange.devices.drafts import completion  # start-up, as above

    unit = store.settings().unit
    walk = completion(
        store.get_draft(draft_id),
        pain_free=pain_free,
        max_=max_,
        no_pain=no_pain,
        unit=unit,
        now=clock.now(),
    )
    row = store.complete_draft(draft_id, walk)
    say(wording.walk_saved(row.id, printable(describe_walk(row, unit))))
