"""`tracker check`: the calf-pain check, asked on the terminal or given as answers."""

from typing import Annotated, Any

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
from tracker.domain import wording
from tracker.domain.validation import (
    ValidationError,
)
from tracker.domain.wording import check_lines, check_row_summary


def _ask_on_terminal(question: Any) -> Any:
    """One question at a time: its options numbered; a number or the value answers."""
    from tracker.domain.calf_check import parse_answer  # start-up: only `check` loads it

    say("")
    say(f"{question.section}: {question.text}")
    for i, option in enumerate(question.options, 1):
        label = "" if option.label.lower() == option.value else f" – {option.label}"
        say(f"  {i}) {option.value}{label}")

    def convert(text: str) -> Any:
        values = [
            question.options[int(p) - 1].value
            if p.isascii() and p.isdigit() and 0 < int(p) <= len(question.options)
            else p
            for p in text.replace(",", " ").split()
        ]
        try:
            return parse_answer(question.key, values)
        except ValidationError as exc:
            raise typer.BadParameter(exc.message.removeprefix(f"{question.text} – ")) from None

    names = "/".join(question.values) if len(question.values) <= 3 else "its name"
    several = "; several separated by commas" if question.multiple else ""
    return typer.prompt(f"Answer (number or {names}{several})", value_proc=convert)


@app.command()
def check(
    ctx: typer.Context,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            metavar="QUESTION=ANSWER",
            help="An answer for scripts, e.g. ecq1=yes; repeat for each question (and for "
            "each site: ecq6=calf --answer ecq6=thigh). Without any, the questions are asked "
            "one by one.",
            show_default=False,
        ),
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="List earlier checks, newest first.")
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Calf-pain check: which kind of leg pain it fits, and how soon to see a doctor."""
    # start-up: only `tracker check` loads the questionnaire
    from tracker.domain.calf_check import evaluate, parse_pairs, run_interview

    # start-up: the check's rules load only for `tracker check`
    from tracker.domain.calf_checks import check_context, check_record, check_row

    if history:
        if answer:
            fail("--history lists earlier checks; give it without --answer")
        rows = open_diary(ctx, db).calf_checks()
        if as_json:
            out = [check_record(r, with_id=True) for r in rows]
            say_json(out)
        elif not rows:
            say(wording.NO_CHECKS_YET)
        for r in [] if as_json else rows:
            say(f"#{r.id:<4} {check_row_summary(r)}", one_line=True)
        return
    answers = parse_pairs(answer) if answer else None
    store = open_diary(ctx, db)
    now = clock.now()
    context = check_context(store, now.date())
    if answers is not None:
        result = evaluate(answers, context)
    else:
        try:
            result = run_interview(_ask_on_terminal, context)
        except typer.Abort:
            say("\n" + wording.CHECK_CANCELLED, err=True)
            raise typer.Exit(2) from None  # like every other way a command stops unfinished
    row = store.add_calf_check(check_row(result, now))
    if as_json:
        payload = {"schema": 1, **check_record(row, with_id=True), "harmless": result.harmless}
        say_json(payload)
        return
    say(wording.check_saved(row.id, now))
    for line in check_lines(result):
        say(line)
