"""Audit times (created, updated, deleted, acknowledged): stored naive in UTC, written in
records and backups as ISO 8601 to the second with a Z."""

from __future__ import annotations

from datetime import datetime


def utc_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"


def parse_utc_text(text: object) -> datetime:
    """The naive UTC time of a record's ISO text (a Z or an offset is accepted); ValueError
    when it is no date-time."""
    return datetime.fromisoformat(str(text).rstrip("Z")).replace(tzinfo=None)
