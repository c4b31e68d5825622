"""Custom messages; widgets and screens talk through these, not by reaching into each other."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message):
    """Something in the database changed (or it finished opening): screens reload."""
