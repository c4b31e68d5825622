"""`tracker review`: the weekly review."""

from typing import Annotated

import typer

from tracker import clock
from tracker.cli.app import (
    DbOption,
    JsonOption,
    app,
    fail,
    open_diary,
    say,
    say_json,
)
from tracker.domain.validation import (
    EARLIEST_DATE,
)
from tracker.domain.wording import review_lines


@app.command()
def review(
    ctx: typer.Context,
    week: Annotated[
        str | None,
        typer.Option("--week", help="ISO week YYYY-Www (default: the last complete week)."),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The weekly review: walks against the goal, this week against last, trend, smoking."""
    # start-up: only `review` and `trend` load the detector
    from tracker.domain.review import WeekError, build_review, last_complete_week, parse_week

    today = clock.today()
    try:
        monday = parse_week(week) if week else last_complete_week(today)
    except WeekError as exc:
        fail(f"--week: {exc}")
    if monday > today:
        fail(f"--week: {week} has not started yet")
    if monday < EARLIEST_DATE:
        fail(f"--week: {week} is before {EARLIEST_DATE.year}; the diary starts there")
    store = open_diary(ctx, db)
    result = build_review(store, monday, today)
    if as_json:
        say_json({"schema": 1, **result.to_dict(), "unit": store.settings().unit})
        return
    for line in review_lines(result, store.settings().unit):
        say(line)
