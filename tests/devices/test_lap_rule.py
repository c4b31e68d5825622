"""The lap rule against a plain recomputation, on generated lap lists (TCX and FIT)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.interchange.devices.fit import read_fit
from tracker.interchange.devices.mapping import Outcome, map_activity
from tracker.interchange.devices.tcx import read_tcx

from ..conftest import FIXED_NOW
from .builders import Lap, Walk, fit_bytes, tcx_text

laps = st.lists(
    st.tuples(st.integers(5, 900), st.sampled_from(["manual", "distance"])), min_size=1, max_size=6
)


def expected(lap_list: list[tuple[int, str]]) -> tuple[float, float, float] | None:
    """Presses: laps ended by hand, except the last (the stop)."""
    walked, presses = 0.0, []
    for metres, trigger in lap_list[:-1]:
        walked += metres
        if trigger == "manual":
            presses.append(walked)
    total = float(sum(m for m, _ in lap_list))
    if not presses:
        return None
    return presses[0], presses[1] if len(presses) > 1 else total, total


def check(activity_reader: object, lap_list: list[tuple[int, str]], path: Path) -> None:
    (activity,) = activity_reader(path)  # type: ignore[operator]
    mapped = map_activity(activity, file_name=path.name, now=FIXED_NOW)
    want = expected(lap_list)
    if want is None:
        assert mapped.outcome is Outcome.DRAFT and mapped.walk is None
        assert mapped.ledger is not None
        assert mapped.ledger.distance_m == sum(m for m, _ in lap_list)
    else:
        assert mapped.walk is not None
        got = (mapped.walk.pain_free_m, mapped.walk.max_m, mapped.walk.total_m)
        assert got == want


def walk_of(lap_list: list[tuple[int, str]]) -> Walk:
    body = [Lap(float(m), 60.0, t) for m, t in lap_list[:-1]]
    return Walk([*body, Lap(float(lap_list[-1][0]), 60.0, "session_end")])


@settings(max_examples=40, deadline=None)
@given(lap_list=laps)
def test_tcx_laps_follow_the_rule(
    tmp_path_factory: object, lap_list: list[tuple[int, str]]
) -> None:
    path = tmp_path_factory.mktemp("tcx") / "w.tcx"  # type: ignore[attr-defined]
    path.write_text(tcx_text(walk_of(lap_list)))
    check(read_tcx, lap_list, path)


@settings(max_examples=40, deadline=None)
@given(lap_list=laps)
def test_fit_laps_follow_the_rule(
    tmp_path_factory: object, lap_list: list[tuple[int, str]]
) -> None:
    path = tmp_path_factory.mktemp("fit") / "w.fit"  # type: ignore[attr-defined]
    path.write_bytes(fit_bytes(walk_of(lap_list)))
    check(read_fit, lap_list, path)
