"""What can be wrong with a diary file, as exceptions whose message is for the user.

Every one of them means: nothing was changed. The CLI prints the message and exits 2; the TUI
shows it. (`tracker.db.repository` re-exports them; this module exists so that the modules
which look at the file before SQLite opens it can raise them too.)
"""

from __future__ import annotations

from pathlib import Path

BUSY_TIMEOUT_S = 10.0
"""How long a command waits for a database held by another program before saying so."""


class StoreError(Exception):
    """A database the app cannot use. The message is for the user; the file is untouched."""


class NotATrackerDatabase(StoreError):
    pass


class CorruptDatabase(StoreError):
    pass


class DamagedDatabase(CorruptDatabase):
    """The file opens, but SQLite's full integrity check fails: it is only read out
    (`tracker export --format json`, `tracker recover`), never written."""

    def __init__(self, message: str, path: Path, problems: tuple[str, ...]) -> None:
        super().__init__(message)
        self.path = path
        self.problems = problems


class NewerDatabase(StoreError):
    pass


class OlderDatabase(StoreError):
    """A server's database at an older schema that this login may not update."""


class DatabaseUnavailable(StoreError):
    pass


class ConnectionLost(DatabaseUnavailable):
    """A server's connection dropped during a write, and again when it was retried."""


class DatabaseBusy(DatabaseUnavailable):
    """Another program holds the database longer than `BUSY_TIMEOUT_S`."""


class UnsupportedTarget(DatabaseUnavailable):
    """`--db`/`TRACKER_DB` names something that cannot hold a diary (a folder, a device, a
    URL scheme the app does not speak)."""


class ForeignSideFile(StoreError):
    """A `-wal` or `-journal` beside the diary that does not belong to it."""


class MigrationFailed(StoreError):
    pass


class BackupFailed(MigrationFailed):
    """The copy made before a schema update could not be written whole: the update is not
    run (the partial copy is removed)."""


class NotFound(StoreError):
    pass


class UnreadableRow(NotFound):
    """A row whose stored values the app does not allow: kept in the file, never shown."""


def busy_message(where: object) -> str:
    """The one sentence every command and the TUI show for a busy database."""
    return (
        f"{where} is busy: another program is holding it (another tracker window, a sync or "
        f"backup tool, an SQLite browser). Waited {BUSY_TIMEOUT_S:g} seconds; nothing was "
        "changed. Close the other program or wait until it is done, then try again."
    )
