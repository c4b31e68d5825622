"""Form controls that keep Enter for the form (it saves) and read the same without colour.

Textual's Checkbox toggles on Enter and its Select opens on Enter, so Enter on them never
reached the form; here Space ticks a box or opens a list, and Enter goes on to the screen's
save. A ticked box reads `[x]`, an unticked one `[ ]`, in any theme and with NO_COLOR.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, Select, SelectionList

TICKED = "[x]"
UNTICKED = "[ ]"


def tick_mark(ticked: bool) -> str:
    return TICKED if ticked else UNTICKED


class FormCheckbox(Checkbox, inherit_bindings=False):
    """Space ticks and unticks; Enter is left to the form."""

    BINDINGS = [Binding("space", "toggle_button", "Tick or untick", show=False)]
    DEFAULT_CSS = """
    FormCheckbox {
        & > .toggle--button {
            color: $foreground;
            background: $surface 0%;
        }
        &.-on > .toggle--button {
            color: $text-success;
            background: $surface 0%;
            text-style: bold;
        }
        &:ansi > .toggle--button {
            color: ansi_default;
            background: ansi_default;
            text-style: not dim;
        }
    }
    """

    @property
    def _button(self) -> Content:
        return Content.assemble((tick_mark(self.value), self.get_visual_style("toggle--button")))


class FormSelect(Select[str], inherit_bindings=False):
    """Space, ↓ or ↑ opens the list (Enter there picks); Enter on the closed field is left to
    the form."""

    BINDINGS = [Binding("space,down,up", "show_overlay", "Open the list", show=False)]


class TickList(SelectionList[str], inherit_bindings=False):
    """A SelectionList whose boxes read [x] / [ ], drawn once per option even when its text
    wraps onto a second line (the stock one draws a box on every line). Space ticks; Enter is
    left to the form."""

    BINDINGS = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("space", "select", "Tick or untick", show=False),
    ]

    DEFAULT_CSS = """
    TickList {
        text-wrap: wrap;
        & > .selection-list--button, & > .selection-list--button-highlighted {
            color: $foreground;
            background: $surface 0%;
        }
        & > .selection-list--button-selected,
        & > .selection-list--button-selected-highlighted {
            color: $text-success;
            background: $surface 0%;
            text-style: bold;
        }
    }
    """

    def render_line(self, y: int) -> Strip:
        from rich.segment import Segment

        line = OptionList.render_line(self, y)
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
            selection = self.get_option_at_index(index)
        except IndexError:
            return line
        ticked = selection.value in self._selected
        component = "selection-list--button" + ("-selected" if ticked else "")
        if self.highlighted == index:
            component += "-highlighted"
        underlying = next(iter(line)).style if line.cell_length else self.rich_style
        style = self.get_component_rich_style(component)
        mark = tick_mark(ticked) if offset == 0 else "   "
        return Strip([Segment(mark, style), Segment(" ", underlying), *line])
