from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.walks import WalkInput

FIXED_NOW = datetime(2026, 11, 24, 18, 30)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every test runs at the same "now", and never touches the user's real database."""
    monkeypatch.setenv("TRACKER_NOW", FIXED_NOW.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)
    return FIXED_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    """The file's store, where a module's `store` runs on both backends (tests of the file)."""
    s = open_store(db_path)
    yield s
    s.close()


def plain_walk(at: datetime, pain_free_m: float, notes: str = "") -> WalkInput:
    """An everyday walk with pain, maximum 500 m, nothing else filled in."""
    return WalkInput(
        walked_at=at,
        pain_free_m=pain_free_m,
        max_m=500.0,
        total_m=None,
        no_pain=False,
        location=None,
        side=None,
        pain=None,
        rest_min=None,
        method="walk",
        notes=notes,
        source="typed",
    )


# --- PostgreSQL ----------------------------------------------------------------------------
# `.ci/run` starts a throwaway cluster and exports TRACKER_TEST_POSTGRES_URL (its superuser);
# each test gets a fresh database owned by a fresh role that is neither a superuser nor may
# bypass row-level security, as a clinic's administrator would be.
POSTGRES_URL_VAR = "TRACKER_TEST_POSTGRES_URL"
NO_POSTGRES = (
    f"PostgreSQL tests need a throwaway server: set {POSTGRES_URL_VAR} to a superuser URL "
    "(`bash .ci/run` starts one; `.ci/postgres start DIR` prints one)"
)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The superuser URL of the test cluster; skipped without one, a failure in CI."""
    url = os.environ.get(POSTGRES_URL_VAR, "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {POSTGRES_URL_VAR} is not set")
        pytest.skip(NO_POSTGRES)
    return url


@dataclass
class PostgresDb:
    """A fresh database: `url` is its owner's (no superuser, no BYPASSRLS, may create roles)."""

    url: str
    admin_url: str
    name: str
    owner: str
    password: str
    tag: str

    def role(self, base: str) -> str:
        """A role name this test owns (dropped with the database)."""
        return f"{base}_{self.tag}"

    def role_url(self, role: str, password: str) -> str:
        return str(make_url(self.url).set(username=role, password=password).render_as_string(False))

    def admin(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Run SQL as the cluster's superuser in this database (test set-up only)."""
        import psycopg

        conninfo = make_url(self.admin_url).set(drivername="postgresql", database=self.name)
        with psycopg.connect(conninfo.render_as_string(False), autocommit=True) as conn:
            cur = conn.execute(sql, params or None)
            return list(cur.fetchall()) if cur.description else []


@pytest.fixture
def postgres_db(postgres_server: str) -> Iterator[PostgresDb]:
    import psycopg

    tag = uuid.uuid4().hex[:10]
    name, owner, password = f"t_{tag}", f"owner_{tag}", secrets.token_hex(8)
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(
            f"CREATE ROLE {owner} LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS PASSWORD '{password}'"
        )
        conn.execute(f"CREATE DATABASE {name} OWNER {owner}")
    base = make_url(postgres_server).set(drivername="postgresql", database=name)
    db = PostgresDb(
        url=base.set(username=owner, password=password).render_as_string(False),
        admin_url=postgres_server,
        name=name,
        owner=owner,
        password=password,
        tag=tag,
    )
    try:
        yield db
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            made = conn.execute(
                "SELECT rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid "
                "WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = %s) "
                "UNION SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                (owner, f"%{tag}%"),
            ).fetchall()
            for (role,) in made:
                if role != owner:
                    conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            conn.execute(f"DROP ROLE IF EXISTS {owner}")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new empty database on each backend: an SQLite file's path, or a server URL."""
    if request.param == "sqlite":
        return str(tmp_path / "tracker.db")
    db: PostgresDb = request.getfixturevalue("postgres_db")
    return db.url


@pytest.fixture
def any_store(backend_url: str) -> Iterator[Store]:
    """The store on SQLite and on PostgreSQL (storage tests that must hold on both)."""
    s = open_store(backend_url)
    yield s
    s.close()
