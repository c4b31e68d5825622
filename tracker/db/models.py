"""SQLModel tables. Distances in metres, walk times local and naive, audit times in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import ConfigDict
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, text
from sqlmodel import Field, SQLModel


class TableModel(SQLModel):
    """Every table's base. Table models are not validated on construction, so pydantic need not
    build their schemas at import time (about 30 ms of every command's start-up)."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]  # SQLModelConfig is not exported


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Walk(TableModel, table=True):
    """One walk. With `no_pain`, `pain_free_m` is only a lower bound and `max_m` is empty."""

    __tablename__ = "walk"

    id: int | None = Field(default=None, primary_key=True)
    walked_at: datetime = Field(index=True, sa_type=DateTime)
    pain_free_m: float
    max_m: float | None = None
    total_m: float | None = None
    no_pain: bool = False
    location: str | None = Field(default=None, max_length=16)
    side: str | None = Field(default=None, max_length=8)
    pain: int | None = None
    rest_min: float | None = None
    duration_min: float | None = None
    """Minutes of the whole walking session, for the weekly goal (optional)."""
    method: str = Field(default="walk", max_length=16, index=True)
    notes: str = Field(default="", max_length=2000)
    source: str = Field(default="typed", max_length=16)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime)


class SmokingPeriod(TableModel, table=True):
    """A dated smoking status; each row holds until the next row's `since`."""

    __tablename__ = "smoking_status"

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(max_length=8)
    since: date = Field(index=True)
    frequency: str | None = Field(default=None, max_length=16)
    cigarettes_per_day: float | None = None
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class CigaretteDay(TableModel, table=True):
    """Cigarettes smoked on one day; one row per day."""

    __tablename__ = "cigarette_day"

    day: date = Field(primary_key=True)
    count: int
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class SymptomReport(TableModel, table=True):
    """A symptom the user reported (never inferred); `acknowledged_at` when its advice was read."""

    __tablename__ = "symptom"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=40, index=True)
    reported_on: date = Field(index=True)
    notes: str = Field(default="", max_length=2000)
    acknowledged_at: datetime | None = Field(default=None, sa_type=DateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime)


class Settings(TableModel, table=True):
    """The single settings row (id 1)."""

    __tablename__ = "settings"

    id: int | None = Field(default=1, primary_key=True)
    unit: str = Field(default="m", max_length=4)
    weekly_goal_sessions: int = 3
    session_goal_minutes: int = 30
    patient_name: str = Field(default="", max_length=200)
    patient_id: str = Field(default="", max_length=100)
    paper_size: str = Field(default="A4", max_length=8)
    theme: str = Field(default="textual-dark", max_length=40)
    diabetes: bool = False
    hormonal_contraception: bool = False
    pregnancy: bool = False
    obesity: bool = False
    # Remembered by the guided walking tests (walk_test.py): asked once, shown next time.
    walk_test_course_m: float = 30.0
    walk_test_round_trip: bool = False
    """Space counts there and back (keyboard at one end) instead of one length."""
    treadmill_speed_kmh: float = 3.2
    treadmill_protocol: str = Field(default="graded", max_length=16)
    treadmill_grade_pct: float = 10.0
    """The grade of the constant-load protocol."""
    stopwatch_mode: str = Field(default="ask", max_length=8)
    stopwatch_route_m: float | None = None
    stopwatch_speed_kmh: float | None = None
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class PromptAnswer(TableModel, table=True):
    """An answer to a question the app asked (the emergency signs after a sudden fall): kept,
    so the same episode is not asked again after a restart, and a doctor can see what was said."""

    __tablename__ = "prompt_answer"

    id: int | None = Field(default=None, primary_key=True)
    asked_on: date = Field(index=True)
    question: str = Field(max_length=60, index=True)
    """A stable key of the question (its wording may change)."""
    answer: str = Field(max_length=40)
    trigger: str = Field(max_length=200, index=True)
    """What made the app ask, e.g. which episode of a sudden fall."""
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class TreatmentEvent(TableModel, table=True):
    """A procedure, a medication start or stop, an exercise programme start or end, or another
    event; the walks are read against them (docs/clinical.md §11). Only the fields of its kind
    are set."""

    __tablename__ = "treatment_event"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24, index=True)
    occurred_on: date = Field(index=True)
    procedure_type: str | None = Field(default=None, max_length=16)
    side: str | None = Field(default=None, max_length=8)
    category: str | None = Field(default=None, max_length=16)
    name: str = Field(default="", max_length=200)
    dose: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime)


class CalfCheck(TableModel, table=True):
    """One calf-pain check: every answer, the questionnaire score and the result as shown then.

    `answers` and `context` are JSON objects; `result` holds the sentences shown, one a line.
    """

    __tablename__ = "calf_check"

    id: int | None = Field(default=None, primary_key=True)
    checked_at: datetime = Field(index=True, sa_type=DateTime)
    answers: str = Field(max_length=4000)
    context: str = Field(default="{}", max_length=2000)
    """Recent immobility and risk factors the result named (JSON)."""
    ecq_positive: bool = False
    ecq_grade: int | None = None
    ecq_kind: str | None = Field(default=None, max_length=16)
    pattern: str = Field(max_length=24)
    tier: str | None = Field(default=None, max_length=24)
    advice: str = Field(default="", max_length=2000)
    result: str = Field(default="", max_length=4000)
    acknowledged_at: datetime | None = Field(default=None, sa_type=DateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class Diary(TableModel, table=True):
    """The single row naming this diary (id 1). A `-wal` found beside the file is replayed only
    when the diary keeps this id afterwards; copies (backups) share it, a new diary gets its
    own."""

    __tablename__ = "diary"

    id: int | None = Field(default=1, primary_key=True)
    diary_id: str = Field(max_length=36)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class DeviceDraft(TableModel, table=True):
    """An activity imported from a watch or phone (tracker/interchange/devices/). Without a lap
    press its pain-free distance is unknown: it waits as `pending` until the user types it (then
    `completed`, with the walk it became) or discards it. Activities imported straight as walks
    get a `completed` row too, so the rows are also the ledger the duplicate rule reads: same
    device, start within a minute."""

    __tablename__ = "walk_draft"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(index=True, sa_type=DateTime)
    """Local wall-clock time of the start, as the walk will be stored."""
    started_utc: datetime = Field(index=True, sa_type=DateTime)
    device: str = Field(max_length=200)
    file_format: str = Field(max_length=16)
    file_name: str = Field(default="", max_length=200)
    distance_m: float | None = None
    duration_min: float | None = None
    notes: str = Field(default="", max_length=2000)
    status: str = Field(default="pending", max_length=12, index=True)
    walk_id: int | None = None
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class Patient(TableModel, table=True):
    """Whose diary a row belongs to. A file holds one patient (id 1, named by the settings'
    name and identifier); a clinic's server holds many, each with a login role of their own
    (`role_name`) whose row-level security policies show them only their own rows
    (tracker/db/clinic.py)."""

    __tablename__ = "patient"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(default="", max_length=200)
    identifier: str = Field(default="", max_length=100)
    role_name: str | None = Field(default=None, max_length=63, unique=True)
    """The PostgreSQL login role of this patient (None in a file)."""
    programme: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class Therapist(TableModel, table=True):
    """A therapist's login role on a clinic's server: reads the patients of its programme."""

    __tablename__ = "therapist"

    id: int | None = Field(default=None, primary_key=True)
    role_name: str = Field(max_length=63, unique=True)
    display_name: str = Field(default="", max_length=200)
    programme: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class CohortLineCache(TableModel, table=True):
    """A therapist's last computed cohort line for one patient (migration 0010): derived from
    the patient's rows, never clinical input, so it belongs to the therapist (`therapist_role`)
    and is kept only while `as_of` is today and `fingerprint` still matches the patient's rows
    (tracker/db/programme.py). Row-level security shows a therapist only its own rows of its
    programme's patients; patients have no access at all (tracker/db/clinic.py)."""

    __tablename__ = "cohort_line"

    therapist_role: str = Field(primary_key=True, max_length=63)
    patient_id: int = Field(primary_key=True, foreign_key="patient.id", ondelete="CASCADE")
    as_of: date
    fingerprint: str = Field(max_length=1000)
    line: str
    """The line's computed fields as JSON (`cohort.line_facts`)."""
    computed_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


PATIENT_TABLES: tuple[str, ...] = (
    "walk",
    "smoking_status",
    "cigarette_day",
    "symptom",
    "settings",
    "treatment_event",
    "calf_check",
    "walk_draft",
    "prompt_answer",
)
"""Every table of a patient's diary: each row carries `owner_id`, the patient whose row it is
(migration 0009; `patient_id` was taken: the settings' identifier for the doctor report). Not
the `diary` row, which names the database (file) itself, and not `alembic_version`."""

OWNER_COLUMN = "owner_id"


def _add_owner_column() -> None:
    """`owner_id` is a column of the tables but no field of the models: the database fills
    it (1 in a file; on a clinic's server the patient whose role is connected, and the
    policies check it), so no query, import or export of the app names it, and a diary's
    files look exactly as before."""
    for table in SQLModel.metadata.sorted_tables:
        if table.name in PATIENT_TABLES and OWNER_COLUMN not in table.c:
            table.append_column(
                Column(
                    OWNER_COLUMN,
                    Integer,
                    ForeignKey("patient.id"),
                    nullable=False,
                    server_default=text("1"),
                    index=True,
                )
            )
            if table.name == "walk":  # one patient's walks in date order
                Index("ix_walk_owner_walked_at", table.c.owner_id, table.c.walked_at)


_add_owner_column()
