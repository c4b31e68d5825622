"""Symptoms: `tracker symptom` and `tracker symptoms`."""

from typing import Annotated

import typer

from tracker import clock
from tracker.cli.app import (
    DateOpt,
    DbOption,
    JsonOption,
    NotesOpt,
    app,
    date_option,
    fail,
    open_diary,
    say,
    say_json,
)
from tracker.domain.clinical import (
    SYMPTOMS,
    TIER_LABELS,
    symptom_kind,
)
from tracker.domain.red_flags import recent_context_keys
from tracker.domain.validation import (
    parse_notes,
)
from tracker.domain.wording import symptom_advice


@app.command()
def symptom(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(metavar="KIND", help="One of: " + ", ".join(SYMPTOMS), show_default=False),
    ],
    date_: DateOpt = None,
    notes: NotesOpt = None,
    db: DbOption = None,
) -> None:
    """Record a symptom you noticed and show what to do about it."""
    try:
        sk = symptom_kind(kind)
    except KeyError as exc:
        fail(f"KIND: {exc.args[0]}")
    day = date_option(date_) or clock.today()
    text = parse_notes(notes)
    store = open_diary(ctx, db)
    row = store.add_symptom(sk.key, day, text)
    context = recent_context_keys(store.symptoms(since=None), clock.today())
    say(f"Recorded #{row.id}: {sk.description} ({day}).")
    say(symptom_advice(sk, context))


@app.command()
def symptoms(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List recorded symptoms, newest first."""

    store = open_diary(ctx, db)
    rows = store.symptoms(date_option(since, "since"))
    if as_json:
        out = [
            {
                "id": r.id,
                "key": r.key,
                "date": r.reported_on.isoformat(),
                "tier": SYMPTOMS[r.key].tier.value if r.key in SYMPTOMS else None,
                "notes": r.notes,
            }
            for r in rows
        ]
        say_json(out)
        return
    if not rows:
        say("No symptoms recorded.")
    for r in rows:
        sk = SYMPTOMS.get(r.key)
        tier = TIER_LABELS[sk.tier] if sk else "?"
        what = sk.description if sk else r.key
        say(f"#{r.id:<4} {r.reported_on}  {tier}: {what}  {r.notes}".rstrip(), one_line=True)
