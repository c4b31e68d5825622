"""Questions the app asks once per episode, and what the user answered (kept in the database).

After a sudden fall in the pain-free distance the app asks about the emergency signs of
docs/clinical.md §5 before anything else. The answer is stored with what triggered the question, so
the same episode is not asked again after a restart, while a new episode asks again.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Protocol

from tracker.domain.trend import Status, TrendResult

SUDDEN_DROP_QUESTION = "sudden_drop_emergency_signs"
"""Stable key of the question "Is any of these true right now?" after a sudden fall."""


class Answer(StrEnum):
    YES = "yes"
    NO = "no"


class PromptAnswers(Protocol):
    """Where the answers are kept (the repository fulfils it)."""

    def prompt_answer(self, question: str, trigger: str) -> object | None: ...

    def add_prompt_answer(
        self, question: str, trigger: str, answer: str, asked_on: date
    ) -> object: ...


def sudden_drop_episode(trend: TrendResult) -> str:
    """Which sudden fall this is. Keyed on the method and the week the detector evaluated,
    because that is what the detector reports today; when it names the episode itself (e.g.
    the day the fall began), this one function changes and nothing else does."""
    return f"sudden-drop:{trend.method}:{trend.week_end.isoformat()}"


def sudden_drop_question_due(store: PromptAnswers, trend: TrendResult | None) -> bool:
    """A sudden fall that has not been asked about yet."""
    if trend is None or trend.status is not Status.SUDDEN_DROP:
        return False
    return store.prompt_answer(SUDDEN_DROP_QUESTION, sudden_drop_episode(trend)) is None


def record_sudden_drop_answer(
    store: PromptAnswers, trend: TrendResult, yes: bool, today: date
) -> None:
    store.add_prompt_answer(
        SUDDEN_DROP_QUESTION,
        sudden_drop_episode(trend),
        Answer.YES if yes else Answer.NO,
        today,
    )
