from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.smoking import StatusSpan, pack_years, quit_date, status_on

TODAY = date(2026, 11, 24)


def test_pack_years_from_typical_amount() -> None:
    spans = [StatusSpan("current", date(2000, 1, 1), 20), StatusSpan("former", date(2010, 1, 1))]
    result = pack_years(spans, {}, TODAY)
    assert result.value == pytest.approx((date(2010, 1, 1) - date(2000, 1, 1)).days / 365.25)
    assert result.complete


def test_daily_counts_replace_the_typical_amount_on_their_days() -> None:
    spans = [StatusSpan("current", date(2026, 11, 15), 20)]
    counts = {date(2026, 11, 20): 0, date(2026, 11, 21): 40}
    result = pack_years(spans, counts, TODAY)
    expected_packs = 8 * 1.0 + 0 + 2.0  # 10 days: 8 at 20/day, one at 0, one at 40
    assert result.value == pytest.approx(expected_packs / 365.25)


def test_smoking_without_an_amount_is_incomplete() -> None:
    result = pack_years([StatusSpan("current", date(2026, 1, 1))], {}, TODAY)
    assert not result.complete and result.value == 0


def test_relapse_and_quit_again_gives_the_last_quit_date() -> None:
    spans = [
        StatusSpan("current", date(1990, 1, 1), 10),
        StatusSpan("former", date(2015, 3, 1)),
        StatusSpan("current", date(2018, 1, 1), 5),
        StatusSpan("former", date(2020, 6, 1)),
    ]
    assert quit_date(spans, TODAY) == date(2020, 6, 1)
    assert status_on(spans, date(2019, 1, 1)) == spans[2]
    assert quit_date(spans, date(2019, 1, 1)) is None
    assert quit_date([StatusSpan("never", date(2000, 1, 1))], TODAY) is None
