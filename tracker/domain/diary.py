"""What the domain reads from the diary: the small interface the repository (`db.repository.
Store`) fulfils, so the dashboard, the review, the report and the trend never import the
storage layer (or know it is SQL). Each method returns domain types; the rows fit them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from tracker.domain.calf_check import StoredCheck
from tracker.domain.events import StoredEvent
from tracker.domain.red_flags import ReportedSymptom
from tracker.domain.settings import DiarySettings
from tracker.domain.smoking import StatusSpan
from tracker.domain.walks import StoredWalkRow, WalkPoint


class FirstLookDiary(Protocol):
    """The reads of the dashboard's first look: the store's, or a plain look at the file before
    the store is open (`db.glance`)."""

    def settings(self) -> DiarySettings: ...

    def last_walk(self) -> StoredWalkRow | None: ...

    def count_walks(self, since: date | None = None, until: date | None = None) -> int: ...

    def walk_points(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        method: str | None = None,
        exercise: bool = False,
    ) -> list[WalkPoint]: ...

    def cigarettes(
        self, since: date | None = None, until: date | None = None
    ) -> dict[date, int]: ...

    def smoking_history(self) -> list[StatusSpan]: ...

    def symptoms(
        self, since: date | None = None, until: date | None = None
    ) -> Sequence[ReportedSymptom]: ...

    def calf_checks(
        self, since: date | None = None, until: date | None = None, *, limit: int | None = None
    ) -> Sequence[StoredCheck]: ...

    def latest_calf_check(self) -> StoredCheck | None: ...


class Diary(FirstLookDiary, Protocol):
    def walks(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        method: str | None = None,
        include_deleted: bool = False,
        newest_first: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> Sequence[StoredWalkRow]: ...

    def walk_source_counts(
        self, since: date | None, until: date | None
    ) -> dict[tuple[str, str], int]: ...

    def pain_free_median(
        self, since: date, until: date, *, method: str | None = None
    ) -> tuple[float | None, int]: ...

    def events(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        include_deleted: bool = False,
    ) -> Sequence[StoredEvent]: ...
