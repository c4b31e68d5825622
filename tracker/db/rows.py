"""Which stored values the app can read: rows outside that are reported by id and left out.

SQLite keeps whatever a hand edit, another program or damage put into a column: text in a
number column, a date that is not a date, a unit the app does not know. Read as they are, such
values crash listings, the trend and exports far from where they came from. So on opening, one
query per table (its conditions derived from the models, plus the allowed choices) finds the
rows that might be bad; Python then checks those few exactly as the readers would read them.
Bad rows stay in the file unchanged (`tracker recover` copies them too); every read leaves
them out, and the user is told which ones, by id.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Table
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import tracker.db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from tracker.domain.clinical import (
    SYMPTOMS,
    EventKind,
    Location,
    MedicationCategory,
    Method,
    ProcedureType,
    Side,
    SmokingFrequency,
    SmokingStatus,
)
from tracker.domain.clinical import Source as WalkSource
from tracker.domain.units import Unit

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("walk", "method"): tuple(m.value for m in Method),
    ("walk", "location"): tuple(x.value for x in Location),
    ("walk", "side"): tuple(x.value for x in Side),
    ("walk", "source"): tuple(x.value for x in WalkSource),
    ("smoking_status", "status"): tuple(x.value for x in SmokingStatus),
    ("smoking_status", "frequency"): tuple(x.value for x in SmokingFrequency),
    ("symptom", "key"): tuple(SYMPTOMS),
    ("settings", "unit"): tuple(u.value for u in Unit),
    ("settings", "paper_size"): ("A4", "Letter"),
    ("treatment_event", "kind"): tuple(x.value for x in EventKind),
    ("treatment_event", "procedure_type"): tuple(x.value for x in ProcedureType),
    ("treatment_event", "category"): tuple(x.value for x in MedicationCategory),
    ("treatment_event", "side"): tuple(x.value for x in Side),
}
"""Text columns that hold one of a fixed set of values."""
POSITIVE: frozenset[tuple[str, str]] = frozenset(
    {("walk", "pain_free_m"), ("walk", "max_m"), ("walk", "total_m")}
)
"""Number columns that must be above 0 (the trend takes their logarithm)."""
SHOWN_PER_WARNING = 8

_DAY = "[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]"
_CLOCK = "[0-2][0-9]:[0-5][0-9]:[0-5][0-9]"


@dataclass(frozen=True)
class BadRow:
    table: str
    key: object
    """The row's id (its date for a cigarette day): how the user finds it."""
    rowid: int
    problems: tuple[str, ...]
    columns: tuple[str, ...]

    def describe(self) -> str:
        name = (
            f"{self.table} #{self.key}" if isinstance(self.key, int) else f"{self.table} {self.key}"
        )
        return f"{name}: {'; '.join(self.problems)}"


@dataclass(frozen=True)
class _Rule:
    fast_ok: str
    """SQL true only for values certainly fine (the others are checked in Python)."""
    ok: Callable[[Any], bool]
    says: str
    cheap_ok: str = ""
    """For dates: a cheaper test that lets through only well-shaped text; a malformed date
    it misses fails loudly when read, and the store then runs the exact scan."""


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _is_date(v: Any) -> bool:
    try:
        return isinstance(v, str) and date.fromisoformat(v) is not None
    except ValueError:
        return False


def _is_datetime(v: Any) -> bool:
    try:
        return isinstance(v, str) and datetime.fromisoformat(v).tzinfo is None
    except ValueError:
        return False


_NUMBER = "(typeof({c}) = 'real' OR typeof({c}) = 'integer')"


def _any_of(c: str, quoted: list[str]) -> str:
    """`c IN (…)` written out: SQLite builds a lookup table for each IN list, which made the
    check on opening three times slower."""
    return "(" + " OR ".join(f"{c} = {q}" for q in quoted) + ")"


def _ranges(c: str, *, clock: bool) -> str:
    hour = f" AND substr({c}, 12, 2) < '24'" if clock else ""
    return (
        f"substr({c}, 6, 2) BETWEEN '01' AND '12' AND substr({c}, 9, 2) BETWEEN '01' AND '28'"
        + hour
    )


def _rule(table: str, column: Any) -> _Rule | None:
    c = f'"{column.name}"'
    choices = CHOICES.get((table, column.name))
    kind = column.type
    if isinstance(kind, TypeDecorator):  # SQLModel's AutoString
        kind = kind.impl_instance
    if choices is not None:
        listed = ["'" + v.replace("'", "''") + "'" for v in choices]
        return _Rule(
            _any_of(c, listed), lambda v: v in choices, f"is not one of {', '.join(choices)}"
        )
    if isinstance(kind, DateTime):
        shape = f"({c} GLOB '{_DAY} {_CLOCK}' OR {c} GLOB '{_DAY} {_CLOCK}.{'[0-9]' * 6}')"
        return _Rule(
            f"{shape} AND {_ranges(c, clock=True)}",
            _is_datetime,
            "is not a date and time",
            f"typeof({c}) = 'text' AND {c} BETWEEN '1900-01-01 00:00:00' AND '9999-12-31 24'",
        )
    if isinstance(kind, Date):
        return _Rule(
            f"{c} GLOB '{_DAY}' AND {_ranges(c, clock=False)}",
            _is_date,
            "is not a date",
            f"typeof({c}) = 'text' AND length({c}) = 10 AND {c} BETWEEN '1900-01-01' AND '9999-13'",
        )
    if isinstance(kind, Boolean):
        return _Rule(
            f"typeof({c}) = 'integer' AND ({c} = 0 OR {c} = 1)",
            lambda v: v in (0, 1) and type(v) is int,
            "is not true or false",
        )
    if isinstance(kind, Float):
        if (table, column.name) in POSITIVE:
            return _Rule(
                f"{_NUMBER.format(c=c)} AND {c} > 0",
                lambda v: _is_number(v) and v > 0,
                "is not a number above 0",
            )
        return _Rule(_NUMBER.format(c=c), _is_number, "is not a number")
    if isinstance(kind, Integer):
        if column.primary_key:
            return None  # the rowid itself
        return _Rule(f"typeof({c}) = 'integer'", lambda v: type(v) is int, "is not a whole number")
    if isinstance(kind, String):
        return _Rule(f"typeof({c}) = 'text'", lambda v: isinstance(v, str), "is not text")
    return None


def _rules(table: Table, present: Iterable[str]) -> dict[str, _Rule]:
    rules: dict[str, _Rule] = {}
    names = set(present)
    for column in table.columns:
        rule = _rule(table.name, column)
        if rule is not None and column.name in names:
            if column.nullable:
                null = f'"{column.name}" IS NULL OR '
                rule = _Rule(
                    f"{null}({rule.fast_ok})",
                    _nullable(rule.ok),
                    rule.says,
                    rule.cheap_ok and f"{null}({rule.cheap_ok})",
                )
            rules[column.name] = rule
    return rules


def _nullable(ok: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: v is None or ok(v)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def find_bad_rows(
    conn: sqlite3.Connection,
    *,
    exact: bool = True,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    after_rowid: int = 0,
) -> list[BadRow]:
    """Every row whose values the app would not read correctly, in every model table (or in
    the tables named in `only`, and not in those named in `skip`), among the rows whose rowid
    is above `after_rowid` (those below were checked before, see `diary_file.check_record`).

    Not `exact`: dates and times are only checked to be text in the right range, which is
    cheaper (a date that is still malformed raises when read, and the store then asks again,
    exactly)."""
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    found: list[BadRow] = []
    wanted = present - set(skip) if only is None else present & set(only) - set(skip)
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in wanted:
            continue
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table.name}")')]
        rules = _rules(table, columns)
        if not rules:
            continue
        key = "id" if "id" in columns else next(iter(c.name for c in table.primary_key))
        names = list(rules)
        fast = " AND ".join(
            f"({rules[n].fast_ok if exact or not rules[n].cheap_ok else rules[n].cheap_ok})"
            for n in names
        )
        select = ", ".join(f'"{n}"' for n in names)
        sql = (
            f'SELECT rowid, "{key}", {select} FROM "{table.name}" NOT INDEXED '
            f"WHERE rowid > {int(after_rowid)} AND NOT coalesce({fast}, 0)"
        )
        for rowid, key_value, *values in conn.execute(sql):
            bad = [
                (n, f"{n} {_shown(v)} {rules[n].says}")
                for n, v in zip(names, values, strict=True)
                if not rules[n].ok(v)
            ]
            if bad:
                found.append(
                    BadRow(
                        table.name,
                        key_value,
                        rowid,
                        tuple(p for _, p in bad),
                        tuple(n for n, _ in bad),
                    )
                )
    return found


def warning(bad: list[BadRow]) -> str:
    """One message for the user naming the rows left out (the first few in full)."""
    rows = "1 row in the diary holds" if len(bad) == 1 else f"{len(bad)} rows in the diary hold"
    shown = "; ".join(b.describe() for b in bad[:SHOWN_PER_WARNING])
    more = f"; and {len(bad) - SHOWN_PER_WARNING} more" if len(bad) > SHOWN_PER_WARNING else ""
    settings = any(b.table == "settings" for b in bad)
    left = (
        "Settings values that cannot be read are replaced by their defaults until you set "
        "them again; other such rows are left out"
        if settings
        else "They are left out"
    )
    return (
        f"{rows} values tracker cannot read ({shown}{more}). {left} of "
        "listings, the trend and exports, and kept unchanged in the file; "
        "`tracker recover --out FILE` copies them too."
    )
