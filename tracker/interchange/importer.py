"""`tracker import FILE`: the CSV or the JSON backup (detected), all rows or none.

The file is read twice, a piece at a time, so memory stays flat whatever its size: the first
pass checks every row with the same rules as `tracker log` and writes nothing (the errors list
the bad rows with their line (CSV) or position (JSON), the first `MAX_ERRORS_LISTED`, and count
the rest); only a file without errors is read again and written, in one transaction, in batches.
Walks the database (or the file, further up) already has are skipped, so importing a file
twice adds nothing.

What cannot be read unambiguously is refused, naming the line and column: in a CSV, a quote
that is never closed or is followed by more text, a quote inside a cell that does not start
with one, a cell over `MAX_CELL_CHARS`, a line break in a cell other than notes or one whose
lines look like rows of their own (an unbalanced quote swallowing the rows after it), and a
column name that appears twice. A JSON file may nest at most `MAX_JSON_DEPTH` levels, and no
number longer than `MAX_NUMBER_DIGITS` is read as a number (its field reports it), and no
single value (a walk, the settings) may exceed `MAX_VALUE_CHARS`.
"""

from __future__ import annotations

import codecs
import csv
import json
import pickle
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from tracker.db.models import DeviceDraft, PromptAnswer, SymptomReport, TreatmentEvent
from tracker.db.repository import Store, WalkMeta, WalkRow, event_columns, walk_row
from tracker.domain.audit_time import parse_utc_text
from tracker.domain.calf_check import CheckInput
from tracker.domain.calf_checks import row_from_record
from tracker.domain.clinical import SmokingFrequency, SmokingStatus, symptom_kind
from tracker.domain.events import (
    EVENT_COLUMNS,
    event_errors,
    event_key,
    order_errors,
    record_to_event_draft,
)
from tracker.domain.settings import settings_errors
from tracker.domain.smoking import StatusSpan
from tracker.domain.validation import (
    ValidationError,
    ValidationErrors,
    parse_count,
    parse_date,
    parse_notes,
    walk_errors,
)
from tracker.domain.walks import WALK_COLUMNS, WalkInput, record_to_draft
from tracker.interchange.backup import FORMAT
from tracker.interchange.csv_io import restore
from tracker.interchange.devices.activity import Progress
from tracker.interchange.devices.drafts import drafts_from_backup

MAX_ERRORS_LISTED = 200
"""Problems listed by name; the ones after are counted."""
MAX_VALUE_CHARS = 16 * 1024 * 1024
"""Largest single value of a JSON backup (a walk is well under a kilobyte)."""
READ_CHARS = 1 << 20
"""Text read at a time."""
SPOOL_BATCH = 2000
MAX_CELL_CHARS = 10_000
"""Longest CSV cell read (notes hold at most 2,000 characters)."""
MAX_JSON_DEPTH = 20
"""Deepest nesting of a JSON file (the backup format needs 3 levels)."""
MAX_NUMBER_DIGITS = 100
"""Longest number in a JSON file."""
REQUIRED_CSV_COLUMNS = ("date", "time", "pain_free_m")
_LINE_END = re.compile("\r\n|\r|\n")
_CELL_END = re.compile("[,\r\n]")


@dataclass
class ImportPlan:
    """What an import will write besides the walks (those stream), validated beforehand."""

    cigarettes: dict[date, int] = field(default_factory=dict)
    statuses: list[StatusSpan] = field(default_factory=list)
    symptoms: list[SymptomReport] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    prompt_answers: list[PromptAnswer] = field(default_factory=list)
    events: list[TreatmentEvent] = field(default_factory=list)
    events_skipped: int = 0
    calf_checks: list[CheckInput] = field(default_factory=list)
    drafts: list[DeviceDraft] = field(default_factory=list)
    """Device imports (pending, completed or discarded) from a JSON backup."""


class Problems(list[str]):
    """The problems found: the first `MAX_ERRORS_LISTED` kept, the rest only counted."""

    more: int = 0

    def append(self, problem: str) -> None:
        if len(self) < MAX_ERRORS_LISTED:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[str]) -> None:
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[str]) -> Problems:  # type: ignore[override,misc]
        self.extend(problems)
        return self

    def __bool__(self) -> bool:
        return len(self) > 0 or self.more > 0


class ImportFailed(Exception):
    """Nothing was imported; `errors` lists the problems found (up to `MAX_ERRORS_LISTED`),
    `more` counts those not listed."""

    def __init__(self, errors: list[str]) -> None:
        self.more = getattr(errors, "more", 0)
        self.errors = list(errors)
        super().__init__(f"Nothing was imported: {len(self.errors) + self.more} problem(s) found.")


@dataclass(frozen=True)
class ImportResult:
    kind: str
    walks_added: int
    walks_skipped: int
    other_rows: int
    events_added: int = 0
    events_skipped: int = 0


class _Spool:
    """The walks the first pass found valid, as rows ready to store, pickled a batch at a
    time into an anonymous temporary file (gone when closed, or when the process dies); the
    second pass reads them back instead of parsing and checking the file again."""

    def __init__(self) -> None:
        # closed by __exit__: the spool lives for the two passes of one import
        self.file: IO[bytes] = tempfile.TemporaryFile(prefix="tracker-import-")  # noqa: SIM115
        self.batch: list[WalkRow] = []
        self.count = 0

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self.file.close()

    def add(self, walk: WalkInput, meta: WalkMeta) -> None:
        self.batch.append(walk_row(walk, meta))
        self.count += 1
        if len(self.batch) >= SPOOL_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.batch:
            pickle.dump(self.batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def rows(self, read: Callable[[int], None]) -> Iterator[WalkRow]:
        self._flush()
        self.file.seek(0)
        done = 0
        while True:
            try:
                batch: list[WalkRow] = pickle.load(self.file)  # our own file, just written
            except EOFError:
                return
            yield from batch
            done += len(batch)
            read(done)


def _check_file(path: Path) -> int:
    """The file's size; refuses what is not a regular file before anything reads it."""
    try:
        info = path.stat()
    except (OSError, ValueError) as exc:
        raise ImportFailed([f"{path}: {getattr(exc, 'strerror', None) or exc}"]) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise ImportFailed([f"{path}: {kind}; give a CSV or JSON file"])
    return info.st_size


class _Text:
    """The file's text, decoded as it is read (UTF-8, a BOM dropped), a block or a line at a
    time; `read` hears the bytes read so far (for the progress bar)."""

    def __init__(self, path: Path, read: Callable[[int], None] | None = None) -> None:
        self.path = path
        self.read = read

    def blocks(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        offset = 0
        try:
            with self.path.open("rb") as fh:
                while True:
                    data = fh.read(READ_CHARS)
                    try:
                        text = decoder.decode(data, final=not data)
                    except UnicodeDecodeError as exc:
                        byte = offset + exc.start
                        raise ImportFailed(
                            [f"{self.path}: not UTF-8 text (byte {byte}); save it as UTF-8"]
                        ) from None
                    offset += len(data)
                    if self.read is not None:
                        self.read(offset)
                    if text:
                        yield text
                    if not data:
                        return
        except OSError as exc:
            raise ImportFailed([f"{self.path}: {exc.strerror or exc}"]) from None

    def lines(self) -> Iterator[str]:
        """Lines with their endings (\\r\\n, \\r or \\n), as the csv reader wants them."""
        rest = ""
        for block in self.blocks():
            text = rest + block
            start = 0
            for end in _LINE_END.finditer(text):
                if end.group() == "\r" and end.end() == len(text):
                    break  # a \r\n may be split between two blocks
                yield text[start : end.end()]
                start = end.end()
            rest = text[start:]
        if rest:
            yield rest

    def head(self, chars: int = 4096) -> str:
        for block in self.blocks():
            return block[:chars]
        return ""


def import_file(
    store: Store, path: Path, now: datetime, progress: Progress | None = None
) -> ImportResult:
    """Check the whole file, then write it all in one transaction (or nothing). `progress`
    hears (bytes done, bytes in all) over both passes."""
    path = Path(path)
    size = _check_file(path)
    report = progress or (lambda done, total: None)
    head = _Text(path).head()
    if head.lstrip().startswith("{"):
        kind = "json"
    elif _is_events_csv(head):
        kind = "events csv"
    else:
        kind = "csv"

    # The bar's first half is the checking pass over the file, the second the writing.
    text = _Text(path, lambda done: report(done, 2 * size))
    with _Spool() as spool:
        if kind == "events csv":
            plan = _plan_events_csv(store, text, now)
        elif kind == "json":
            plan = _plan_json(store, text, now, spool)
        else:
            plan = _plan_csv(text, now, spool)
        report(size, 2 * size)
        added = store.import_all(
            walks=spool.rows(
                lambda done: report(size + done * size // max(spool.count, 1), 2 * size)
            ),
            cigarettes=plan.cigarettes,
            statuses=plan.statuses,
            symptoms=plan.symptoms,
            settings=plan.settings,
            prompt_answers=plan.prompt_answers,
            events=plan.events,
            calf_checks=plan.calf_checks,
            drafts=plan.drafts,
        )
    report(2 * size, 2 * size)
    return ImportResult(
        kind=kind,
        walks_added=added,
        walks_skipped=spool.count - added,
        other_rows=len(plan.cigarettes)
        + len(plan.statuses)
        + len(plan.symptoms)
        + len(plan.calf_checks),
        events_added=len(plan.events),
        events_skipped=plan.events_skipped,
    )


def _valid_walk(
    where: str, record: dict[str, Any], now: datetime, errors: list[str]
) -> WalkInput | None:
    draft = record_to_draft(record)
    draft["source"] = record.get("source") or "import"
    walk, problems = walk_errors(draft, unit="m", now=now)
    for e in problems:
        column = _COLUMN_OF.get(e.field, e.field)
        errors.append(f"{where}: {column}: {e.message}")
    return walk


_COLUMN_OF = {
    "pain_free": "pain_free_m",
    "max": "max_m",
    "total": "total_m",
    "rest": "rest_min",
    "minutes": "duration_min",
}


class _Record:
    """The lines of the CSV record being read (to name the column a problem is in)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.source = lines
        self.parts: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.source)
        self.parts.append(line)
        return line

    def start(self) -> None:
        self.parts.clear()

    def text(self) -> str:
        return "".join(self.parts)


def _cell_problem(text: str, start: int) -> tuple[int, str] | None:
    """Where the CSV record beginning at `start` cannot be read unambiguously: the index of
    the cell and why (the csv module only says that something is wrong)."""
    i, column, n = start, 0, len(text)
    while i < n:
        if text[i] == '"':
            j = i + 1
            while True:
                k = text.find('"', j)
                if k == -1:
                    return column, "a quote opens this cell and is never closed"
                if not text.startswith('"', k + 1):
                    break
                j = k + 2
            if k - i - 1 > MAX_CELL_CHARS:
                return column, f"a cell over {MAX_CELL_CHARS:,} characters"
            after = text[k + 1 : k + 2]
            if after != ",":
                if after in ("\r", "\n", ""):
                    return None
                spans = "\n" in text[i:k] or "\r" in text[i:k]
                hint = " (a quote left open swallowed the lines after it?)" if spans else ""
                return column, f"text follows the closing quote of this cell{hint}"
            i = k + 2
        else:
            end = _CELL_END.search(text, i)
            stop = n if end is None else end.start()
            if '"' in text[i:stop]:
                return column, (
                    'a quote inside a cell that does not start with one (write the cell as "…""…")'
                )
            if stop - i > MAX_CELL_CHARS:
                return column, f"a cell over {MAX_CELL_CHARS:,} characters"
            if end is None or text[stop] != ",":
                return None
            i = stop + 1
        column += 1
    return None


@dataclass(frozen=True)
class _CsvKind:
    what: str
    columns: tuple[str, ...]
    required: tuple[str, ...]


_WALKS_CSV = _CsvKind("walk", WALK_COLUMNS, REQUIRED_CSV_COLUMNS)


def _csv_rows(
    text: _Text, kind: _CsvKind, errors: list[str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a tracker CSV as (line, record), cells restored, blanks None; what cannot be
    read unambiguously goes to `errors` with its line and column (a bad header raises)."""
    record = _Record(text.lines())
    reader = csv.reader(record, strict=True)
    header: list[str] = []

    def where(line: int, problem: tuple[int, str] | None, fallback: str) -> str:
        if problem is None:
            return f"line {line}: {fallback}"
        column, why = problem
        name = header[column] if column < len(header) else f"{column + 1}"
        return f"line {line}, column {name}: {why}"

    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise ImportFailed([where(1, _cell_problem(record.text(), 0), str(exc))]) from None
    missing = [c for c in kind.required if c not in header]
    if missing:
        raise ImportFailed(
            [
                f"line 1: not a tracker {kind.what} CSV (missing column(s) "
                f"{', '.join(missing)}; expected {', '.join(kind.columns)})"
            ]
        )
    problems = []
    for name in dict.fromkeys(c for c in header if header.count(c) > 1):
        places = ", ".join(str(i + 1) for i, c in enumerate(header) if c == name)
        problems.append(f"line 1: column {name!r} appears more than once (columns {places})")
    unknown = [c for c in header if c not in kind.columns]
    if unknown:
        problems.append(
            f"line 1: not a tracker {kind.what} CSV (unknown column(s) {', '.join(unknown)}; "
            f"expected {', '.join(kind.columns)})"
        )
    if problems:
        raise ImportFailed(problems)
    row_like = max(len(header) // 2, 2)
    while True:
        line = reader.line_num + 1
        record.start()
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            problem = _cell_problem(record.text(), 0)
            errors.append(where(line, problem, f"cannot be read ({exc})"))
            return  # after a quoting error the following lines cannot be trusted
        if cells is None:
            return
        if not cells:
            continue  # a blank line
        if len(cells) > len(header):
            errors.append(f"line {line}: more cells than columns")
            continue
        problem = (
            _cell_problem(record.text(), 0)
            if any('"' in c or len(c) > MAX_CELL_CHARS for c in cells)
            else None
        )
        if problem is None:
            spread = next((i for i, c in enumerate(cells) if "\n" in c or "\r" in c), None)
            if spread is not None and header[spread] != "notes":
                problem = (spread, "a line break inside this cell (only notes may span lines)")
            elif spread is not None and any(
                part.count(",") >= row_like for part in _LINE_END.split(cells[spread])[1:]
            ):
                problem = (
                    spread,
                    "this cell runs over lines that look like rows of their own "
                    "(an unbalanced quote?)",
                )
        if problem is not None:
            errors.append(where(line, problem, ""))
            continue
        raw = dict(zip(header, cells, strict=False))
        yield line, {k: (restore(v) or None) for k, v in raw.items()}


def _csv_walks(
    text: _Text, now: datetime, errors: list[str]
) -> Iterator[tuple[WalkInput, WalkMeta]]:
    for line, record in _csv_rows(text, _WALKS_CSV, errors):
        record["no_pain"] = record.get("no_pain") or False
        record["notes"] = record.get("notes") or ""
        walk = _valid_walk(f"line {line}", record, now, errors)
        if walk is not None:
            yield walk, _NO_META


_NO_META: WalkMeta = {}


def _plan_csv(text: _Text, now: datetime, spool: _Spool) -> ImportPlan:
    """The first pass: every row checked, the valid ones spooled."""
    errors = Problems()
    for walk, meta in _csv_walks(text, now, errors):
        if not errors:
            spool.add(walk, meta)
    if errors:
        raise ImportFailed(errors)
    return ImportPlan()


def _utc(value: Any, where: str, errors: list[str]) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return parse_utc_text(value)
    except ValueError:
        errors.append(f"{where}: {value!r} is not an ISO date-time")
        return None


def _json_number(text: str) -> float | int | str:
    """A number as JSON wrote it; one of absurd length stays text, so the field it is in gets
    the field's own error (converting it would overflow, or cost Python an error of its own)."""
    if len(text) > MAX_NUMBER_DIGITS:
        return text
    return float(text) if any(c in text for c in ".eE") else int(text)


def _depth(value: Any, level: int = 1) -> int:
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level - 1


class _JsonReader:
    """A JSON document read a value at a time: the top-level object's keys, and the items of
    its lists one by one, each decoded by the `json` module itself (`raw_decode`), so the
    rules are exactly those of `json.loads`. Only the value being decoded is in memory."""

    _decoder = json.JSONDecoder(parse_int=_json_number, parse_float=_json_number)
    _space = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: _Text) -> None:
        self.blocks = text.blocks()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0
        """Newlines in the text already dropped from `buf`."""

    def _more(self) -> bool:
        if self.eof:
            return False
        dropped = self.buf[: self.pos]
        self.lines_before += dropped.count("\n")
        self.buf = self.buf[self.pos :]
        self.pos = 0
        block = next(self.blocks, None)
        if block is None:
            self.eof = True
            return False
        self.buf += block
        return True

    def _line(self, pos: int) -> int:
        return self.lines_before + self.buf.count("\n", 0, pos) + 1

    def fail(self, why: str, pos: int | None = None) -> ImportFailed:
        return ImportFailed([f"line {self._line(self.pos if pos is None else pos)}: {why}"])

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.pos = self._space.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def take(self, char: str, why: str) -> None:
        if self.peek() != char:
            raise self.fail(f"not valid JSON ({why})")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos > MAX_VALUE_CHARS:
                    raise self.fail(f"a value over {MAX_VALUE_CHARS // 2**20} MB") from None
                if self._more():
                    continue
                raise self.fail(f"not valid JSON ({exc.msg})", exc.pos) from None
            except RecursionError:
                raise ImportFailed([f"nested far deeper than {MAX_JSON_DEPTH} levels"]) from None
            if end == len(self.buf) and self._more():
                continue  # a number may go on in the next block
            self.pos = end
            return value

    def document(self) -> Iterator[tuple[str, int | None, Any]]:
        """(key, None, value) for each top-level value, (key, i, item) for the items of a
        list (then (key, None, LIST) once the list is done)."""
        self.take("{", "expected an object")
        if self.peek() == "}":
            self.pos += 1
        else:
            while True:
                if self.peek() != '"':
                    raise self.fail("not valid JSON (expected a key in double quotes)")
                key = self.value()
                self.take(":", "expected ':'")
                if self.peek() == "[":
                    self.pos += 1
                    i = 0
                    if self.peek() == "]":
                        self.pos += 1
                    else:
                        while True:
                            yield key, i, self.value()
                            i += 1
                            if self.peek() == ",":
                                self.pos += 1
                                continue
                            self.take("]", "expected ',' or ']'")
                            break
                    yield key, None, LIST
                else:
                    yield key, None, self.value()
                if self.peek() == ",":
                    self.pos += 1
                    continue
                self.take("}", "expected ',' or '}'")
                break
        if self.peek() != "":
            raise self.fail("not valid JSON (Extra data)")


LIST = object()
"""Stands for a top-level list in `_JsonReader.document`: its items came one by one."""


def _json_parts(text: _Text, errors: list[str], walk: Callable[[int, Any], None]) -> dict[str, Any]:
    """Read the backup once: each walk goes to `walk` as it is read; everything else is
    collected (lists whole: they are short) and returned."""
    doc: dict[str, Any] = {}
    for key, i, value in _JsonReader(text).document():
        if i is not None and _depth(value) + 2 > MAX_JSON_DEPTH:
            raise ImportFailed([f"nested deeper than {MAX_JSON_DEPTH} levels"])
        if i is None and value is not LIST and _depth(value) + 1 > MAX_JSON_DEPTH:
            raise ImportFailed([f"nested deeper than {MAX_JSON_DEPTH} levels"])
        if key == "walks":
            if i is not None:
                walk(i, value)
            elif value is not LIST:
                errors.append("walks: expected a list")
            continue
        if i is not None:
            doc.setdefault(key, []).append(value)
        elif value is LIST:
            doc.setdefault(key, [])
        else:
            doc[key] = value
    return doc


def _json_walk(
    i: int, rec: Any, now: datetime, errors: list[str]
) -> tuple[WalkInput, WalkMeta] | None:
    where = f"walks[{i}]"
    if not isinstance(rec, dict):
        errors.append(f"{where}: expected an object")
        return None
    meta = {
        k: _utc(rec.get(k), f"{where}: {k}", errors)
        for k in ("created_at", "updated_at", "deleted_at")
    }
    walk = _valid_walk(where, rec, now, errors)
    return None if walk is None else (walk, meta)


def _plan_json(store: Store, text: _Text, now: datetime, spool: _Spool) -> ImportPlan:
    """The first pass: the walks checked (and spooled) as they are read, the rest collected
    and checked."""
    errors = Problems()

    def walk(i: int, rec: Any) -> None:
        found = _json_walk(i, rec, now, errors)
        if found is not None and not errors:
            spool.add(*found)

    doc = _json_parts(text, errors, walk)
    if doc.get("format") != FORMAT:
        raise ImportFailed([f'not a tracker backup (expected "format": "{FORMAT}")'])
    if doc.get("schema_version") != 1:
        raise ImportFailed(
            [f"schema_version {doc.get('schema_version')!r} is not supported (expected 1)"]
        )
    today = now.date()
    plan = ImportPlan()
    for i, rec in enumerate(_list(doc, "cigarettes", errors)):
        where = f"cigarettes[{i}]"
        try:
            plan.cigarettes[parse_date(_get(rec, "date"), today=today)] = parse_count(
                _get(rec, "count")
            )
        except ValidationError as exc:
            errors.append(f"{where}: {exc}")
    for i, rec in enumerate(_list(doc, "smoking_status", errors)):
        where = f"smoking_status[{i}]"
        try:
            status = str(_get(rec, "status"))
            if status not in [s.value for s in SmokingStatus]:
                raise ValidationError("status", f"{status!r} is not never, former or current")
            freq = rec.get("frequency")
            if freq is not None and freq not in [f.value for f in SmokingFrequency]:
                raise ValidationError("frequency", f"{freq!r} is not every_day or some_days")
            cpd = rec.get("cigarettes_per_day")
            plan.statuses.append(
                StatusSpan(
                    status,
                    parse_date(_get(rec, "since"), today=today, field="since"),
                    None if cpd is None else float(parse_count(cpd)),
                    freq,
                )
            )
        except ValidationError as exc:
            errors.append(f"{where}: {exc}")
    for i, rec in enumerate(_list(doc, "symptoms", errors)):
        where = f"symptoms[{i}]"
        try:
            kind = symptom_kind(str(_get(rec, "key")))
            day = parse_date(_get(rec, "date"), today=today)
        except KeyError as exc:
            errors.append(f"{where}: key: {exc.args[0]}")
            continue
        except ValidationError as exc:
            errors.append(f"{where}: {exc}")
            continue
        try:
            notes = parse_notes(rec.get("notes") or "")
        except ValidationError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if store.symptom_exists(kind.key, day, notes):
            continue
        report = SymptomReport(key=kind.key, reported_on=day, notes=notes)
        report.acknowledged_at = _utc(
            rec.get("acknowledged_at"), f"{where}: acknowledged_at", errors
        )
        created = _utc(rec.get("created_at"), f"{where}: created_at", errors)
        if created is not None:
            report.created_at = created
        plan.symptoms.append(report)
    plan.prompt_answers = _prompt_answers(store, _list(doc, "prompt_answers", errors), now, errors)
    checks_seen: set[tuple[datetime, str]] = set()
    for i, rec in enumerate(_list(doc, "calf_checks", errors)):
        try:
            row = row_from_record(rec, today)
        except (ValidationError, ValidationErrors) as exc:
            errors.append(f"calf_checks[{i}]: {exc}")
            continue
        key = (row.checked_at, row.answers)
        if key not in checks_seen and not store.calf_check_exists(*key):
            checks_seen.add(key)
            plan.calf_checks.append(row)
    plan.settings = _settings(doc.get("settings"), errors)
    items = [(f"events[{i}]", rec) for i, rec in enumerate(_list(doc, "events", errors))]
    plan.events, plan.events_skipped = _events(store, items, now, errors, with_times=True)
    # Device-import drafts: pending, completed and discarded, for the duplicate rule.
    plan.drafts = drafts_from_backup(store, _list(doc, "drafts", errors), today, errors)
    if errors:
        raise ImportFailed(errors)
    return plan


def _prompt_answers(
    store: Store, records: list[Any], now: datetime, errors: list[str]
) -> list[PromptAnswer]:
    """Answers to the app's questions; one already in the database is not added again."""
    out: list[PromptAnswer] = []
    for i, rec in enumerate(records):
        where = f"prompt_answers[{i}]"
        try:
            day = parse_date(_get(rec, "date"), today=now.date())
            question, answer, trigger = (
                str(_get(rec, key))[:limit]
                for key, limit in (("question", 60), ("answer", 40), ("trigger", 200))
            )
        except ValidationError as exc:
            errors.append(f"{where}: {exc}")
            continue
        known = store.prompt_answer(question, trigger)
        if known is not None and (known.answer, known.asked_on) == (answer, day):
            continue
        row = PromptAnswer(asked_on=day, question=question, answer=answer, trigger=trigger)
        created = _utc(rec.get("created_at"), f"{where}: created_at", errors)
        if created is not None:
            row.created_at = created
        out.append(row)
    return out


def _get(rec: Any, key: str) -> Any:
    if not isinstance(rec, dict):
        raise ValidationError(key, "expected an object")
    if rec.get(key) is None:
        raise ValidationError(key, "is missing")
    return rec[key]


def _list(doc: dict[str, Any], key: str, errors: list[str]) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        errors.append(f"{key}: expected a list")
        return []
    return value


def _settings(raw: Any, errors: list[str]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append("settings: expected an object")
        return {}
    values, problems = settings_errors(raw)
    errors += [f"settings: {e.field}: {e.message}" for e in problems]
    return values


# --- treatment events: in the JSON backup and in their own CSV ------------------------------
def _is_events_csv(text: str) -> bool:
    try:
        first_line = text[: text.find("\n") + 1] if "\n" in text else text
        header = next(csv.reader([first_line]), [])
    except csv.Error:
        return False  # the walk CSV's reader names the problem
    return "kind" in header and "pain_free_m" not in header


_EVENTS_CSV = _CsvKind("events", EVENT_COLUMNS, ("date", "kind"))


def _plan_events_csv(store: Store, text: _Text, now: datetime) -> ImportPlan:
    """Events are few: checked and kept in one pass, written with the rest."""
    errors = Problems()
    items = [(f"line {line}", record) for line, record in _csv_rows(text, _EVENTS_CSV, errors)]
    events, skipped = _events(store, items, now, errors, with_times=False)
    if errors:
        raise ImportFailed(errors)
    return ImportPlan(events=events, events_skipped=skipped)


def _events(
    store: Store,
    items: list[tuple[str, Any]],
    now: datetime,
    errors: list[str],
    *,
    with_times: bool,
) -> tuple[list[TreatmentEvent], int]:
    """Valid events the database does not have yet, with the rules of `tracker event add`
    (a new stop is checked against the starts of the database and of the file)."""
    existing = store.events(include_deleted=True)
    known = {event_key(e) for e in existing}
    new: list[tuple[str, TreatmentEvent]] = []
    skipped = 0
    for where, rec in items:
        if not isinstance(rec, dict):
            errors.append(f"{where}: expected an object")
            continue
        event, problems = event_errors(record_to_event_draft(rec), today=now.date())
        errors += [f"{where}: {e.field}: {e.message}" for e in problems]
        if event is None:
            continue
        if event_key(event) in known:
            skipped += 1
            continue
        row = TreatmentEvent(**event_columns(event))
        if with_times:
            for key in ("created_at", "updated_at", "deleted_at"):
                moment = _utc(rec.get(key), f"{where}: {key}", errors)
                if moment is not None or key == "deleted_at":
                    setattr(row, key, moment)
        new.append((where, row))
    live = [e for e in existing if e.deleted_at is None] + [r for _, r in new if not r.deleted_at]
    for where, row in new:
        if row.deleted_at is None:
            errors += [f"{where}: {e.field}: {e.message}" for e in order_errors(row, live)]
    return [row for _, row in new], skipped
