"""One row of a form: a label, the field (or a few controls), and the field's error beside it.

Every form of the app (the log form, settings, smoking, symptoms, export, the event form, the
guided tests) builds its rows with it, so a row reads and shows focus the same everywhere: a
bar beside the focused row and its label reversed, visible in both themes and with NO_COLOR.
A wide row (notes, a file name) gives its field the whole width; its error goes on the line
below (`FormRow.wide_error`), where a long message fits.
"""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Static


class FormRow(Horizontal):
    SCOPED_CSS = False  # `.wide-error` styles the line below the row, outside it
    DEFAULT_CSS = """
    FormRow {
        height: auto;
        margin-bottom: 0;
        border-left: blank;
        /* Focus shows as a bar beside the row and a reversed label: visible in the dark and
           the light theme and with NO_COLOR, where a background tint alone disappears. */
        &:focus-within {
            border-left: thick $accent;
        }
        &:focus-within > Label {
            text-style: bold reverse;
        }
        & Label {
            width: 18;
            content-align: left middle;
        }
        & Input {
            width: 16;
        }
        & Select {
            width: 18;
        }
        & Checkbox {
            width: 18;
        }
        & .error {
            width: 1fr;
            height: auto;
            color: $error;
            padding: 0 0 0 1;
        }
        &.wide Input {
            width: 1fr;
        }
    }
    .wide-error {
        color: $error;
        height: auto;
        padding: 0 1 0 20;
    }
    """

    def __init__(
        self,
        label: str,
        *fields: Widget,
        error: str | None = None,
        label_id: str | None = None,
        wide: bool = False,
        id: str | None = None,
    ) -> None:
        """`error` names the field whose message shows beside it (`#err-<error>`)."""
        children: list[Widget] = [Label(label, id=label_id), *fields]
        if error is not None:
            children.append(Static("", classes="error", id=f"err-{error}"))
        super().__init__(*children, id=id, classes="form-row wide" if wide else "form-row")

    @staticmethod
    def wide_error(field: str) -> Static:
        """The error line below a wide row."""
        return Static("", classes="error wide-error", id=f"err-{field}")
