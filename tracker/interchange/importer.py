"""`tracker import FILE`: the CSV or the JSON backup (detected), all rows or none.

Every row is checked with the same rules as `tracker log` before anything is written; the
errors list every bad row with its line (CSV) or position (JSON). Walks the database already
has are skipped, so importing a file twice adds nothing.

What cannot be read unambiguously is refused, naming the line and column: in a CSV, a quote
that is never closed or is followed by more text, a quote inside a cell that does not start
with one, a cell over `MAX_CELL_CHARS`, a line break in a cell other than notes or one whose
lines look like rows of their own (an unbalanced quote swallowing the rows after it), and a
column name that appears twice. A JSON file may nest at most `MAX_JSON_DEPTH` levels, and no
number longer than `MAX_NUMBER_DIGITS` is read as a number (its field reports it). Either
file: at most `MAX_FILE_BYTES`.
"""

from __future__ import annotations

import csv
import json
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.db.models import DeviceDraft, PromptAnswer, SymptomReport, TreatmentEvent
from tracker.db.repository import Store, WalkMeta, event_columns
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
from tracker.interchange.devices.drafts import drafts_from_backup

MAX_FILE_BYTES = 200 * 1024 * 1024
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
    """What an import will write, validated in full beforehand."""

    walks: list[tuple[WalkInput, WalkMeta]] = field(default_factory=list)
    cigarettes: dict[date, int] = field(default_factory=dict)
    statuses: list[StatusSpan] = field(default_factory=list)
    symptoms: list[SymptomReport] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    prompt_answers: list[PromptAnswer] = field(default_factory=list)
    events: list[TreatmentEvent] = field(default_factory=list)
    events_skipped: int = 0
    calf_checks: list[CheckInput] = field(default_factory=list)
    walks_skipped: int = 0
    """Walks left out because the database (or the file itself) already has them."""
    drafts: list[DeviceDraft] = field(default_factory=list)
    """Device imports (pending, completed or discarded) from a JSON backup."""


class ImportFailed(Exception):
    """Nothing was imported; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"Nothing was imported: {len(errors)} problem(s) found.")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    kind: str
    walks_added: int
    walks_skipped: int
    other_rows: int
    events_added: int = 0
    events_skipped: int = 0


def _read_text(path: Path) -> str:
    try:
        info = path.stat()
    except (OSError, ValueError) as exc:
        raise ImportFailed([f"{path}: {getattr(exc, 'strerror', None) or exc}"]) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise ImportFailed([f"{path}: {kind}; give a CSV or JSON file"])
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise ImportFailed([f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB"])
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8"]
        ) from None
    except OSError as exc:
        raise ImportFailed([f"{path}: {exc.strerror or exc}"]) from None


def import_file(store: Store, path: Path, now: datetime) -> ImportResult:
    text = _read_text(Path(path))
    if text.lstrip().startswith("{"):
        plan, kind = _plan_json(store, text, now), "json"
    elif _is_events_csv(text):
        plan, kind = _plan_events_csv(store, text, now), "events csv"
    else:
        plan, kind = _plan_csv(store, text, now), "csv"
    store.import_all(
        walks=plan.walks,
        cigarettes=plan.cigarettes,
        statuses=plan.statuses,
        symptoms=plan.symptoms,
        settings=plan.settings,
        prompt_answers=plan.prompt_answers,
        events=plan.events,
        calf_checks=plan.calf_checks,
        drafts=plan.drafts,
    )
    return ImportResult(
        kind=kind,
        walks_added=len(plan.walks),
        walks_skipped=plan.walks_skipped,
        other_rows=len(plan.cigarettes)
        + len(plan.statuses)
        + len(plan.symptoms)
        + len(plan.calf_checks),
        events_added=len(plan.events),
        events_skipped=plan.events_skipped,
    )


class _Walks:
    """Collects valid, new walks; remembers duplicates and errors."""

    def __init__(self, store: Store, now: datetime) -> None:
        self.store = store
        self.now = now
        self.valid: list[tuple[WalkInput, WalkMeta]] = []
        self.seen: set[tuple[Any, ...]] = set()
        self.skipped = 0
        self.errors: list[str] = []

    def add(self, where: str, record: dict[str, Any], meta: WalkMeta) -> None:
        draft = record_to_draft(record)
        draft["source"] = record.get("source") or "import"
        walk, errors = walk_errors(draft, unit="m", now=self.now)
        for e in errors:
            column = _COLUMN_OF.get(e.field, e.field)
            self.errors.append(f"{where}: {column}: {e.message}")
        if walk is None:
            return
        key = (
            walk.walked_at,
            walk.method,
            walk.no_pain,
            round(walk.pain_free_m, 2),
            None if walk.max_m is None else round(walk.max_m, 2),
        )
        if key in self.seen or self.store.walk_exists(walk):
            self.skipped += 1
            return
        self.seen.add(key)
        self.valid.append((walk, meta))


_COLUMN_OF = {
    "pain_free": "pain_free_m",
    "max": "max_m",
    "total": "total_m",
    "rest": "rest_min",
    "minutes": "duration_min",
}


class _Lines:
    """The text's lines for the csv reader, remembering where each starts (to name columns)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.starts: list[int] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.text):
            raise StopIteration
        end = _LINE_END.search(self.text, self.pos)
        stop = len(self.text) if end is None else end.end()
        self.starts.append(self.pos)
        line, self.pos = self.text[self.pos : stop], stop
        return line


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


def _csv_rows(text: str, kind: _CsvKind, errors: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a tracker CSV as (line, record), cells restored, blanks None; what cannot be
    read unambiguously goes to `errors` with its line and column (a bad header raises)."""
    lines = _Lines(text)
    reader = csv.reader(lines, strict=True)
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
        raise ImportFailed([where(1, _cell_problem(text, 0), str(exc))]) from None
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
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            problem = _cell_problem(text, lines.starts[line - 1])
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
            _cell_problem(text, lines.starts[line - 1])
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


def _plan_csv(store: Store, text: str, now: datetime) -> ImportPlan:
    walks = _Walks(store, now)
    for line, record in _csv_rows(text, _WALKS_CSV, walks.errors):
        record["no_pain"] = record.get("no_pain") or False
        record["notes"] = record.get("notes") or ""
        walks.add(f"line {line}", record, {})
    if walks.errors:
        raise ImportFailed(walks.errors)
    return ImportPlan(walks=walks.valid, walks_skipped=walks.skipped)


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


def _plan_json(store: Store, text: str, now: datetime) -> ImportPlan:
    try:
        doc = json.loads(text, parse_int=_json_number, parse_float=_json_number)
    except json.JSONDecodeError as exc:
        raise ImportFailed([f"line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
    except RecursionError:
        raise ImportFailed([f"nested far deeper than {MAX_JSON_DEPTH} levels"]) from None
    try:
        too_deep = _depth(doc) > MAX_JSON_DEPTH
    except RecursionError:
        too_deep = True
    if too_deep:
        raise ImportFailed([f"nested deeper than {MAX_JSON_DEPTH} levels"])
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportFailed([f'not a tracker backup (expected "format": "{FORMAT}")'])
    if doc.get("schema_version") != 1:
        raise ImportFailed(
            [f"schema_version {doc.get('schema_version')!r} is not supported (expected 1)"]
        )
    today = now.date()
    walks = _Walks(store, now)
    errors = walks.errors
    for i, rec in enumerate(_list(doc, "walks", errors)):
        where = f"walks[{i}]"
        if not isinstance(rec, dict):
            errors.append(f"{where}: expected an object")
            continue
        meta = {
            k: _utc(rec.get(k), f"{where}: {k}", errors)
            for k in ("created_at", "updated_at", "deleted_at")
        }
        walks.add(where, rec, meta)

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
    plan.walks = walks.valid
    plan.walks_skipped = walks.skipped
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


def _plan_events_csv(store: Store, text: str, now: datetime) -> ImportPlan:
    errors: list[str] = []
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
