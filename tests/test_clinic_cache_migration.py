"""Migration 0010 (the therapists' kept cohort lines) with data, on SQLite and PostgreSQL: a
diary keeps every row and gains an empty table it never uses; a clinic's server upgraded
from 0009 gets the same policies and grants on it as a clinic created at 0010."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import inspect, text

from tests.conftest import FIXED_NOW, plain_walk
from tests.test_clinic import Clinic, cli, raw
from tests.test_clinic import clinic as clinic
from tests.test_patients_migration import _engine, _migrate
from tracker.db.clinic import cohort, open_therapist_view
from tracker.db.opening import SCHEMA_REVISION, open_store


def _revision(url: str) -> str:
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())
    finally:
        engine.dispose()


def test_a_diary_at_0009_with_walks_upgrades_and_downgrades(backend_url: str) -> None:
    store = open_store(backend_url)
    store.add_walks(
        [plain_walk(datetime(2026, 10, 1, 9) + timedelta(days=d), 100.0 + d) for d in range(30)]
    )
    store.add_symptom("leg_swelling_one_side", FIXED_NOW.date())
    before = [(w.id, w.walked_at, w.pain_free_m) for w in store.walks()]
    store.close()
    engine = _engine(backend_url)
    try:
        _migrate(engine, "0009", down=True)
        assert "cohort_line" not in inspect(engine).get_table_names()
        assert _revision(backend_url) == "0009"
        _migrate(engine, "0010")
        assert "cohort_line" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cohort_line")).scalar() == 0
    finally:
        engine.dispose()
    assert SCHEMA_REVISION == "0010" == _revision(backend_url)
    store = open_store(backend_url)
    try:
        assert [(w.id, w.walked_at, w.pain_free_m) for w in store.walks()] == before
        assert len(store.symptoms()) == 1
    finally:
        store.close()


CACHE_SECURITY = """
SELECT 'table', relrowsecurity::text, relforcerowsecurity::text, '' FROM pg_class
  WHERE relname = 'cohort_line'
UNION ALL
SELECT 'policy ' || polname, polcmd::text, pg_get_expr(polqual, polrelid),
       pg_get_expr(polwithcheck, polrelid) FROM pg_policy
  WHERE polrelid = 'cohort_line'::regclass
UNION ALL
SELECT 'grant', grantee, privilege_type, '' FROM information_schema.role_table_grants
  WHERE table_name = 'cohort_line' AND grantee <> (SELECT tableowner FROM pg_tables
    WHERE tablename = 'cohort_line')
ORDER BY 1, 2, 3
"""


def test_a_clinic_at_0009_upgrades_to_the_policies_a_new_clinic_has(clinic: Clinic) -> None:
    c = clinic
    fresh = c.db.admin(CACHE_SECURITY)
    assert ("grant", c.thea, "INSERT", "") in fresh and ("table", "true", "true", "") in fresh
    assert not [row for row in fresh if row[0] == "grant" and row[1] in (c.anna, c.ben)]
    walks = c.db.admin("SELECT id, owner_id, pain_free_m FROM walk ORDER BY id")
    engine = _engine(c.db.url)  # the administrator, as `tracker clinic upgrade` connects
    try:
        _migrate(engine, "0009", down=True)
    finally:
        engine.dispose()
    assert c.db.admin("SELECT to_regclass('cohort_line') IS NULL") == [(True,)]
    code, out = cli("clinic", "upgrade", "--db", c.db.url)
    assert code == 0 and "0010" in out, out
    assert c.db.admin(CACHE_SECURITY) == fresh
    assert c.db.admin("SELECT id, owner_id, pain_free_m FROM walk ORDER BY id") == walks
    view = open_therapist_view(c.url(c.thea))
    try:
        kept = cohort(view, FIXED_NOW)
        assert cohort(view, FIXED_NOW) == kept == cohort(view, FIXED_NOW, cached=False)
    finally:
        view.close()
    assert [r[0] for r in c.db.admin("SELECT count(*) FROM cohort_line")] == [2]  # Anna, Ben
    with raw(c.url(c.anna)) as anna, pytest.raises(psycopg.errors.InsufficientPrivilege):
        anna.execute("SELECT * FROM cohort_line")


def test_a_single_user_server_diary_gets_the_table_without_policies(
    postgres_db: Any,
) -> None:
    store = open_store(postgres_db.url)
    store.add_walk(plain_walk(FIXED_NOW - timedelta(days=1), 150))
    store.close()
    rows = postgres_db.admin(CACHE_SECURITY)
    assert rows == [("table", "false", "false", "")]
