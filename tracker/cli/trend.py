"""`tracker trend`: how the pain-free walking distance is developing."""

from typing import Annotated

import typer

from tracker import clock
from tracker.cli.app import (
    DbOption,
    JsonOption,
    MethodOpt,
    app,
    date_option,
    open_diary,
    say,
    say_json,
)
from tracker.domain.clinical import (
    METHOD_LABELS,
)
from tracker.domain.validation import (
    parse_method,
)
from tracker.domain.wording import count, trend_lines, trend_status_label


@app.command()
def trend(
    ctx: typer.Context,
    method: MethodOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluate as of YYYY-MM-DD (default today).")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """How your pain-free walking distance is developing (it informs, it never diagnoses)."""
    # start-up: only `review` and `trend` load the detector
    from tracker.domain.current_trend import current_trend, methods_in_use

    day = date_option(as_of, "as_of") or clock.today()
    chosen = parse_method(method) if method else None
    store = open_diary(ctx, db)
    result = current_trend(store, day, chosen)
    unit = store.settings().unit
    lines = trend_lines(result, unit)
    if as_json:
        say_json({"schema": 1, **result.to_dict(), "unit": unit, "sentences": lines})
        return
    say(
        f"Trend for {METHOD_LABELS.get(result.method, result.method)}s: "
        f"{trend_status_label(result.status)}"
    )
    for line in lines:
        say("  " + line)
    if result.slope_pct_month is not None and result.mk_p is not None:
        say(
            f"  Figures: slope {result.slope_pct_month:+.1f} % a month (95 % interval "
            f"{result.slope_pct_month_low:+.1f} to {result.slope_pct_month_high:+.1f}), "
            f"Mann-Kendall p = {result.mk_p:.3g}, {result.n_exact} walks with pain, "
            f"{result.n_censored} without, {result.window_start} to {result.week_end}."
        )
    others = {m: n for m, n in methods_in_use(store, day).items() if m != result.method}
    for other, n in others.items():
        say(
            f"  Also logged: {METHOD_LABELS.get(other, other)}, {count(n, 'walk')}; see "
            f"tracker trend --method {other}"
        )
