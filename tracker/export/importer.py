"""`tracker import FILE`: the CSV or the JSON backup (detected), all rows or none.

Every row is checked with the same rules as `tracker log` before anything is written; the
errors list every bad row with its line (CSV) or position (JSON). Walks the database already
has are skipped, so importing a file twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.calf_check_records import row_from_record
from tracker.clinical import SmokingFrequency, SmokingStatus, symptom_kind
from tracker.events import (
    EVENT_COLUMNS,
    event_errors,
    event_key,
    order_errors,
    record_to_event_draft,
)
from tracker.export.backup import FORMAT, SETTINGS_FIELDS
from tracker.export.csv_io import restore
from tracker.models import PromptAnswer, SymptomReport, TreatmentEvent
from tracker.records import WALK_COLUMNS, record_to_draft
from tracker.smoking import StatusSpan
from tracker.store import ImportPlan, Store
from tracker.units import DistanceError, parse_unit
from tracker.validation import (
    ValidationError,
    ValidationErrors,
    parse_count,
    parse_date,
    walk_errors,
)
from tracker.walk_test import TEST_SETTINGS, parse_test_setting

MAX_FILE_BYTES = 200 * 1024 * 1024
REQUIRED_CSV_COLUMNS = ("date", "time", "pain_free_m")


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
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailed([f"{path}: {exc.strerror or exc}"]) from None
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
    store.import_all(plan)
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
        self.valid: list[tuple[Any, dict[str, Any]]] = []
        self.seen: set[tuple[Any, ...]] = set()
        self.skipped = 0
        self.errors: list[str] = []

    def add(self, where: str, record: dict[str, Any], meta: dict[str, Any]) -> None:
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


def _plan_csv(store: Store, text: str, now: datetime) -> ImportPlan:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in header]
    if missing:
        raise ImportFailed(
            [
                "line 1: not a tracker walk CSV (missing column(s) "
                f"{', '.join(missing)}; expected {', '.join(WALK_COLUMNS)})"
            ]
        )
    unknown = [c for c in header if c not in WALK_COLUMNS]
    walks = _Walks(store, now)
    if unknown:
        walks.errors.append(f"line 1: unknown column(s) {', '.join(unknown)}")
    for row in reader:
        line = reader.line_num
        if None in row:
            walks.errors.append(f"line {line}: more cells than columns")
            continue
        record = {k: restore(v) if isinstance(v, str) else v for k, v in row.items()}
        record = {k: (None if v in ("", None) else v) for k, v in record.items()}
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
        return datetime.fromisoformat(str(value).rstrip("Z")).replace(tzinfo=None)
    except ValueError:
        errors.append(f"{where}: {value!r} is not an ISO date-time")
        return None


def _plan_json(store: Store, text: str, now: datetime) -> ImportPlan:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed([f"line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
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
        notes = str(rec.get("notes") or "")
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
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in SETTINGS_FIELDS:
            errors.append(f"settings: unknown setting {key!r}")
            continue
        if key == "unit":
            try:
                out[key] = parse_unit(str(value)).value
            except DistanceError as exc:
                errors.append(f"settings: unit: {exc}")
        elif key in ("weekly_goal_sessions", "session_goal_minutes"):
            low, high = (1, 14) if key == "weekly_goal_sessions" else (5, 240)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                errors.append(f"settings: {key}: a whole number from {low} to {high}")
            else:
                out[key] = value
        elif key in ("diabetes", "hormonal_contraception", "pregnancy", "obesity"):
            if not isinstance(value, bool):
                errors.append(f"settings: {key}: true or false")
            else:
                out[key] = value
        elif key in TEST_SETTINGS:
            try:
                out[key] = parse_test_setting(key, value)
            except ValidationError as exc:
                errors.append(f"settings: {key}: {exc.message}")
        elif key == "paper_size":
            if value not in ("A4", "Letter"):
                errors.append("settings: paper_size: A4 or Letter")
            else:
                out[key] = value
        else:
            if not isinstance(value, str) or len(value) > 200:
                errors.append(f"settings: {key}: text of at most 200 characters")
            else:
                out[key] = value
    return out


# --- treatment events: in the JSON backup and in their own CSV ------------------------------
def _is_events_csv(text: str) -> bool:
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    return "kind" in header and "pain_free_m" not in header


def _plan_events_csv(store: Store, text: str, now: datetime) -> ImportPlan:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    errors: list[str] = []
    missing = [c for c in ("date", "kind") if c not in header]
    unknown = [c for c in header if c not in EVENT_COLUMNS]
    if missing or unknown:
        problem = f"missing column(s) {', '.join(missing)}" if missing else ""
        problem += "; " if missing and unknown else ""
        problem += f"unknown column(s) {', '.join(unknown)}" if unknown else ""
        raise ImportFailed(
            [f"line 1: not a tracker events CSV ({problem}; expected {', '.join(EVENT_COLUMNS)})"]
        )
    items: list[tuple[str, Any]] = []
    for row in reader:
        where = f"line {reader.line_num}"
        if None in row:
            errors.append(f"{where}: more cells than columns")
            continue
        record = {k: restore(v) if isinstance(v, str) else v for k, v in row.items()}
        items.append((where, {k: (None if v in ("", None) else v) for k, v in record.items()}))
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
        row = TreatmentEvent(**event.__dict__)
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
