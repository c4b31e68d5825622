"""A Select that a typist can drive closed: a letter picks the next option starting with it.

Textual's Select searches only while its menu is open, and keys typed before the menu has
appeared fall through to the app. Here a letter on the closed widget chooses the next option
whose label starts with it (press `m` twice for the second "m…" option), as a native select
does. As in every form field, Enter is left to the form (it saves); Space opens the menu.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Select

from tracker.ui.widgets.form_fields import FormSelect


class ChoiceSelect(FormSelect):
    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Letters and digits choose; other keys (?, space, Enter) keep their meaning."""
        return character is not None and character.isalnum()

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if self.expanded or char is None or not char.isalnum():
            return
        event.stop()
        event.prevent_default()
        options: list[tuple[Any, Any]] = [
            (str(label), value) for label, value in self._options if value is not Select.NULL
        ]
        values = [value for _, value in options]
        start = values.index(self.value) + 1 if self.value in values else 0
        order = options[start:] + options[:start]
        for label, value in order:
            if label.lower().startswith(char.lower()):
                self.value = value
                return
        self.app.bell()
