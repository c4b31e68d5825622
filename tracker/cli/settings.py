"""`tracker settings`: show or change the settings."""

from typing import Annotated

import typer

from tracker.cli.app import (
    DbOption,
    app,
    open_diary,
    say,
    say_error,
)

SETTING_FLAGS: dict[str, str] = {
    "unit": "--unit",
    "weekly_goal_sessions": "--weekly-goal",
    "session_goal_minutes": "--session-minutes",
    "patient_name": "--name",
    "patient_id": "--patient-id",
    "paper_size": "--paper",
    "diabetes": "--diabetes",
}


@app.command()
def settings(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option("--unit", help="m, km, yd or mi.")] = None,
    weekly_goal: Annotated[
        int | None, typer.Option("--weekly-goal", help="Walking sessions a week (1-14).")
    ] = None,
    session_minutes: Annotated[
        int | None, typer.Option("--session-minutes", help="Minutes per session (5-240).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name for the doctor report.")] = None,
    patient_id: Annotated[
        str | None, typer.Option("--patient-id", help="Identifier for the doctor report.")
    ] = None,
    paper: Annotated[str | None, typer.Option("--paper", help="A4 or Letter.")] = None,
    diabetes: Annotated[bool | None, typer.Option("--diabetes/--no-diabetes")] = None,
    db: DbOption = None,
) -> None:
    """Show or change settings."""
    from tracker.domain.settings import settings_errors  # start-up: brings the test rules

    given = {
        "unit": unit,
        "weekly_goal_sessions": weekly_goal,
        "session_goal_minutes": session_minutes,
        "patient_name": name,
        "patient_id": patient_id,
        "paper_size": paper,
        "diabetes": diabetes,
    }
    changes, errors = settings_errors({k: v for k, v in given.items() if v is not None})
    if errors:
        for err in errors:
            say_error(f"{SETTING_FLAGS[err.field]}: {err.message}")
        raise typer.Exit(2)
    store = open_diary(ctx, db)
    row = store.update_settings(**changes) if changes else store.settings()
    say(f"unit: {row.unit}")
    say(f"weekly goal: {row.weekly_goal_sessions} sessions of {row.session_goal_minutes} min")
    say(f"name: {row.patient_name or '-'}   id: {row.patient_id or '-'}", one_line=True)
    say(f"paper: {row.paper_size}   diabetes: {'yes' if row.diabetes else 'no'}")
    if store.path is not None:
        say(f"database: {store.path}")
