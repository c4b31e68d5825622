"""Smoking: `tracker smoke` and `tracker smoking-status`."""

from typing import Annotated

import typer

from tracker import clock
from tracker.cli.app import (
    DateOpt,
    DbOption,
    app,
    date_option,
    fail,
    open_diary,
    say,
)
from tracker.domain.clinical import (
    SmokingFrequency,
    SmokingStatus,
)
from tracker.domain.plausibility import cigarette_doubt
from tracker.domain.smoking import pack_years
from tracker.domain.validation import (
    parse_choice,
    parse_count,
)
from tracker.domain.wording import SMOKE_FREE_BENEFIT, cigarette_doubt_sentence, smoking_summary


@app.command()
def smoke(
    ctx: typer.Context,
    count: Annotated[str, typer.Argument(metavar="COUNT", help="Cigarettes smoked that day.")],
    date_: DateOpt = None,
    db: DbOption = None,
) -> None:
    """Record how many cigarettes you smoked on a day (replaces that day's count)."""
    n = parse_count(count)
    day = date_option(date_) or clock.today()
    store = open_diary(ctx, db)
    counts = store.cigarettes()
    before = counts.get(day)
    store.set_cigarettes(day, n)
    was = f" (was {before})" if before is not None and before != n else ""
    say(f"Cigarettes on {day}: {n}{was}.")
    doubt = cigarette_doubt(n, counts, day)
    if doubt is not None:
        say(
            f"Warning: {cigarette_doubt_sentence(doubt)} Saved as typed; if it was a slip, "
            f"run: tracker smoke CORRECT-COUNT --date {day}",
            err=True,
        )


@app.command("smoking-status")
def smoking_status(
    ctx: typer.Context,
    status: Annotated[str, typer.Argument(metavar="never|former|current")],
    since: Annotated[
        str | None, typer.Option("--since", help="From when (YYYY-MM-DD, default today).")
    ] = None,
    per_day: Annotated[
        str | None,
        typer.Option("--per-day", help="Typical cigarettes a day then, for pack-years."),
    ] = None,
    frequency: Annotated[
        str | None, typer.Option("--frequency", help="For current smokers: every_day or some_days.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Record your smoking status from a date on (people quit and start again; all is kept)."""
    value = parse_choice("status", status, [s.value for s in SmokingStatus])
    day = date_option(since, "since") or clock.today()
    cpd = float(parse_count(per_day)) if per_day is not None else None
    freq = (
        parse_choice("frequency", frequency, [f.value for f in SmokingFrequency])
        if frequency
        else None
    )
    if value != SmokingStatus.CURRENT and freq is not None:
        fail("--frequency: only for current smokers")
    store = open_diary(ctx, db)
    store.add_smoking_status(value, day, frequency=freq, cigarettes_per_day=cpd)
    py = pack_years(store.smoking_history(), store.cigarettes(), clock.today())
    say(smoking_summary(value, day, py.value))
    if value != SmokingStatus.NEVER:
        say(SMOKE_FREE_BENEFIT)
