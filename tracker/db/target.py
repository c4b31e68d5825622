"""What `--db` or `TRACKER_DB` names, decided once: the file SQLite will open, or a server URL.

A URL is parsed by SQLAlchemy's own parser (so percent-encoding is decoded exactly as the engine
would decode it), the file is made absolute and its symlinks resolved (SQLite puts `-wal` and
`-shm` beside the real file), and the engine is then built from that one path. So the app
inspects, backs up and protects exactly the file SQLite opens. Anything that cannot hold a
diary, a URL scheme the app does not speak or a server without its driver, is refused here
with a message that says what to give instead.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from tracker import locations
from tracker.db.errors import UnsupportedTarget

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")
_URL_SCHEMES = ("sqlite", "file", "postgresql", "postgres", "mysql", "mariadb", "oracle", "mssql")
"""Prefixes read as a URL even without `//` (`sqlite:`): they are never meant as file names."""

PATH_HINT = "Give a file path (e.g. ~/tracker.db) or sqlite:////absolute/path/tracker.db."


@dataclass(frozen=True)
class DbTarget:
    url: URL
    """What the engine is created from (never re-parsed from a string)."""
    path: Path | None
    """The file SQLite opens, absolute with symlinks resolved; None for a server database."""
    explicit: bool
    """Named by `--db` or `TRACKER_DB`, not the default location."""

    @property
    def shown(self) -> str:
        """How messages name the database (a server URL without its password)."""
        return str(self.path) if self.path is not None else self.url.render_as_string()


def resolve_target(target: str | os.PathLike[str] | None) -> DbTarget:
    """Turn `--db`/`TRACKER_DB`/the default into a `DbTarget`, or refuse with a clear message."""
    explicit = True
    if target is None or str(target) == "":
        target = os.environ.get("TRACKER_DB") or None
    if target is None:
        explicit = False
        target = locations.default_database()
    raw = os.fspath(target)
    if "\x00" in raw:
        raise UnsupportedTarget("The database name contains a NUL character. " + PATH_HINT)
    scheme = _SCHEME.match(raw)
    if scheme and ("://" in raw or scheme[1].split("+")[0].lower() in _URL_SCHEMES):
        return _from_url(raw, explicit)
    return _sqlite_target(raw, explicit)


def _from_url(raw: str, explicit: bool) -> DbTarget:
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise UnsupportedTarget(f"{raw!r} is not a database URL. {PATH_HINT}") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        driver = url.drivername.partition("+")[2]
        if driver not in ("", "pysqlite"):
            raise UnsupportedTarget(f"The SQLite driver {driver!r} is not supported. {PATH_HINT}")
        if url.query:
            raise UnsupportedTarget(
                f"Options after '?' in a database URL are not supported ({raw!r}). {PATH_HINT}"
            )
        if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
            raise UnsupportedTarget(
                f"{raw!r} names no file (an in-memory database forgets everything when the "
                f"command ends). {PATH_HINT}"
            )
        return _sqlite_target(url.database, explicit)
    if backend in ("postgresql", "postgres"):
        if backend == "postgres":
            raise UnsupportedTarget("Write postgresql://… (postgres:// is not understood).")
        try:
            url.get_dialect().import_dbapi()
        except Exception:  # ImportError, or a driver name SQLAlchemy does not know
            raise UnsupportedTarget(
                "A PostgreSQL database needs its driver, which is not installed: install "
                "psycopg (pip install 'psycopg[binary]') and use postgresql+psycopg://user@host/db."
            ) from None
        return DbTarget(url=url, path=None, explicit=explicit)
    raise UnsupportedTarget(
        f"tracker keeps its diary in an SQLite file or a PostgreSQL database; "
        f"{url.drivername}:// is not supported. {PATH_HINT}"
    )


def _sqlite_target(raw: str, explicit: bool) -> DbTarget:
    try:
        path = Path(os.path.realpath(Path(raw).expanduser()))
        str(path).encode("utf-8")  # SQLite takes UTF-8 names (undecodable bytes are not)
    except (OSError, ValueError, RuntimeError) as exc:
        raise UnsupportedTarget(
            f"{raw!r} cannot be used as a file name ({exc}). {PATH_HINT}"
        ) from None
    return DbTarget(url=URL.create("sqlite", database=str(path)), path=path, explicit=explicit)
