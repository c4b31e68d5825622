"""The schema revisions this app knows. Imports nothing: `opening` and the fast path of
`tracker log` (`plain_log`) both read them, and the latter must stay light."""

from __future__ import annotations

SCHEMA_REVISION = "0010"
"""The newest migration; a test checks it equals Alembic's head."""
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
)
"""Every revision this app can migrate from, oldest first; anything else is from a newer app."""
