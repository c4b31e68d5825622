"""Clinic mode: a walking programme's patients in one PostgreSQL database, kept apart by the
server itself.

Every table of a diary carries `owner_id` (models.py). On a clinic's database, row-level
security, forced so that the tables' owner is bound too, lets a patient's login role read and
write only rows whose owner is the patient row naming that role, and a therapist's role read
(never write) the patients of its programme. The app adds no filter of its own: a patient's
`tracker list` is the ordinary query, and the server leaves out everyone else's rows. The
administrator (the database's owner, which must not be a superuser nor have BYPASSRLS, as no
role the app uses may) keeps the register of patients and therapists and reads no clinical row:
it is the patient's own role or a therapist's programme that a policy names, never the owner.

A therapist opens one patient at a time through the setting `tracker.patient`, which the
policies use only to narrow what the therapist may see anyway.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.exc import DBAPIError

from tracker.db.errors import DatabaseUnavailable, NotFound, StoreError
from tracker.db.models import PATIENT_TABLES
from tracker.db.target import DbTarget, resolve_target

if TYPE_CHECKING:
    from tracker.domain.cohort import CohortLine

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
ROLE_RULE = (
    "1 to 63 characters: lower-case letters a-z, digits and _, not starting with a digit "
    "(it is the user name in the patient's --db URL)"
)
MIN_PASSWORD = 8
READ_ONLY_TABLES = ("patient", "therapist", "alembic_version", "diary")
"""Tables every login role may read (the policies still filter `patient`)."""
COHORT_CACHE = "cohort_line"
"""The therapists' cache of cohort lines (migration 0010, programme.py)."""
VIEWING = "tracker.patient"
"""The setting a therapist's connection uses to look at one patient."""


class ClinicError(StoreError):
    """A clinic command that cannot be done; nothing was changed."""


@dataclass(frozen=True)
class Login:
    """Who a connection to a clinic's database is."""

    role: str
    kind: str
    """"patient", "therapist", "administrator" or "" (a database that is not a clinic's)."""
    patient_id: int | None = None


def server_target(target: str | os.PathLike[str] | None) -> DbTarget:
    where = resolve_target(target)
    if where.path is not None:
        raise ClinicError(
            "Clinic mode needs a PostgreSQL database: give --db postgresql://user@host/db "
            "(a diary file holds one person)."
        )
    return where


def check_role_name(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise ClinicError(f"NAME {name!r} cannot be a login role: {ROLE_RULE}.")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ClinicError(f"The password must have at least {MIN_PASSWORD} characters.")
    if any(c in password for c in "\r\n\x00"):
        raise ClinicError("The password must be one line without NUL characters.")
    return password


@contextmanager
def _owner(target: str | os.PathLike[str] | None) -> Iterator[tuple[Engine, DbTarget]]:
    # start-up: opening imports SQLModel's tables; a clinic command needs them anyway
    from tracker.db.opening import make_engine

    where = server_target(target)
    engine = make_engine(where.url)
    try:
        yield engine, where
    except DBAPIError as exc:
        raise DatabaseUnavailable(
            f"The database {where.shown} refused: {server_message(exc)} Nothing was changed."
        ) from None
    finally:
        engine.dispose()


def server_message(exc: DBAPIError) -> str:
    """The server's own sentence, without the driver's SQL echo."""
    text_ = str(exc.orig).strip().splitlines()
    return (text_[0] if text_ else type(exc.orig).__name__).rstrip(".") + "."


def _me(conn: Connection) -> tuple[str, bool, bool, bool]:
    row = conn.execute(
        text(
            "SELECT rolname, rolsuper, rolbypassrls, rolcreaterole FROM pg_roles"
            " WHERE rolname = current_user"
        )
    ).one()
    return str(row[0]), bool(row[1]), bool(row[2]), bool(row[3])


def _refuse_unbound(conn: Connection, where: DbTarget) -> str:
    """Row-level security binds neither a superuser nor a role with BYPASSRLS."""
    role, superuser, bypass, _ = _me(conn)
    if superuser or bypass:
        raise ClinicError(
            f"{role!r} is a {'superuser' if superuser else 'role with BYPASSRLS'}: row-level "
            "security would not bind it. Connect as the database's owner, a role without "
            f"SUPERUSER and BYPASSRLS (it needs CREATEROLE to add patients). {where.shown} "
            "was not changed."
        )
    return role


def is_clinic(conn: Connection) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT coalesce(bool_and(relforcerowsecurity), false) FROM pg_class"
                " WHERE relname = 'walk' AND relnamespace = 'public'::regnamespace"
            )
        ).scalar()
    )


def init_clinic(target: str | os.PathLike[str] | None) -> str:
    """Create the schema and the policies on an empty database, connected as its owner."""
    from tracker.db.opening import run_migrations  # cycle: opening imports this module

    with _owner(target) as (engine, where):
        with engine.connect() as conn:
            owner = _refuse_unbound(conn, where)
            tables = inspect(conn).get_table_names()
            if tables:
                done = "walk" in tables and is_clinic(conn)
                raise ClinicError(
                    f"{where.shown} is already a clinic's database."
                    if done
                    else f"{where.shown} is not empty ({len(tables)} tables); a clinic starts "
                    "on an empty database. It was not changed."
                )
        run_migrations(engine)
        with engine.begin() as conn:
            # the placeholder patient a file's diary gets (migration 0009); a clinic has none yet
            conn.execute(text("DELETE FROM patient"))
            _install_policies(conn, owner)
    return (
        f"{where.shown} is ready for a clinic: row-level security on {len(PATIENT_TABLES)} "
        "tables. Add patients with `tracker clinic add-patient NAME` and therapists with "
        "`tracker clinic add-therapist NAME`."
    )


def _install_policies(conn: Connection, owner: str) -> None:
    q = _quote(conn, owner)
    run = conn.exec_driver_sql
    # Functions are parsed when they run: their tables are named with their schema and their
    # search_path is fixed, so a same-named temporary table cannot stand in for the register.
    run(
        "CREATE FUNCTION tracker_patient() RETURNS integer LANGUAGE sql STABLE "
        "SET search_path = pg_catalog, public AS "
        "$$ SELECT id FROM public.patient WHERE role_name = current_user $$"
    )
    # The patients whose rows the role may read: itself, or a therapist's programme, narrowed
    # by a therapist to one patient with `tracker.patient`. As an array, evaluated once per
    # query, `owner_id = ANY(...)` lets the server use the (owner_id, walked_at) index.
    run(
        "CREATE FUNCTION tracker_visible() RETURNS integer[] LANGUAGE sql STABLE "
        "SET search_path = pg_catalog, public AS $$ SELECT coalesce(array_agg(p.id), '{}') "
        "FROM public.patient p WHERE (p.role_name = current_user OR p.programme IN (SELECT "
        "t.programme FROM public.therapist t WHERE t.role_name = current_user)) AND p.id = "
        f"coalesce(nullif(current_setting('{VIEWING}', true), '')::integer, p.id) $$"
    )
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    run(f"REVOKE TEMPORARY ON DATABASE {_quote(conn, str(database))} FROM PUBLIC")
    for register in ("patient", "therapist"):
        run(f"ALTER TABLE {register} ENABLE ROW LEVEL SECURITY")
        run(f"ALTER TABLE {register} FORCE ROW LEVEL SECURITY")
        run(f"CREATE POLICY register ON {register} TO {q} USING (true) WITH CHECK (true)")
        run(f"CREATE POLICY self ON {register} FOR SELECT USING (role_name = current_user)")
    run(
        "CREATE POLICY programme ON patient FOR SELECT USING (programme IN "
        "(SELECT t.programme FROM therapist t WHERE t.role_name = current_user))"
    )
    own = "owner_id = tracker_patient()"
    for table in PATIENT_TABLES:
        run(f"ALTER TABLE {table} ALTER COLUMN owner_id SET DEFAULT tracker_patient()")
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        run(f"CREATE POLICY reads ON {table} FOR SELECT USING (owner_id = ANY (tracker_visible()))")
        run(f"CREATE POLICY adds ON {table} FOR INSERT WITH CHECK ({own})")
        run(f"CREATE POLICY changes ON {table} FOR UPDATE USING ({own}) WITH CHECK ({own})")
        run(f"CREATE POLICY removes ON {table} FOR DELETE USING ({own})")
        run(f"REVOKE ALL ON {table} FROM PUBLIC")
    # the therapists' cache of cohort lines (derived, never clinical input): each therapist
    # its own rows, of its programme's patients; patients are granted nothing on it
    run(f"ALTER TABLE {COHORT_CACHE} ENABLE ROW LEVEL SECURITY")
    run(f"ALTER TABLE {COHORT_CACHE} FORCE ROW LEVEL SECURITY")
    mine = "therapist_role = current_user AND patient_id = ANY (tracker_visible())"
    run(f"CREATE POLICY therapist ON {COHORT_CACHE} USING ({mine}) WITH CHECK ({mine})")
    run(f"REVOKE ALL ON {COHORT_CACHE} FROM PUBLIC")


def _quote(conn: Connection, name: str) -> str:
    return str(conn.dialect.identifier_preparer.quote(name))


def _create_login(conn: Connection, name: str, password: str) -> None:
    raw: Any = conn.connection.driver_connection
    verifier = raw.pgconn.encrypt_password(
        password.encode(), name.encode(), b"scram-sha-256"
    ).decode()
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    if exists:
        raise ClinicError(f"A login role named {name!r} already exists on this server.")
    # the password travels as its SCRAM verifier, so the server's log never holds it
    conn.exec_driver_sql(
        f"CREATE ROLE {_quote(conn, name)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB "
        f"NOCREATEROLE NOREPLICATION PASSWORD '{verifier}'"
    )


def _ready(conn: Connection, where: DbTarget) -> str:
    owner = _refuse_unbound(conn, where)
    if "walk" not in inspect(conn).get_table_names() or not is_clinic(conn):
        raise ClinicError(
            f"{where.shown} is not a clinic's database yet: run `tracker clinic init` first."
        )
    if not _me(conn)[3]:
        raise ClinicError(
            f"{owner!r} may not create roles: give the database's owner CREATEROLE "
            "(ALTER ROLE … CREATEROLE, as a superuser), then try again. Nothing was changed."
        )
    return owner


@contextmanager
def _new_login(
    target: str | os.PathLike[str] | None, name: str, password: str
) -> Iterator[tuple[Connection, DbTarget, str]]:
    """One transaction as the owner: the login role is created, then granted and registered
    by the caller; anything refused leaves neither role nor row."""
    check_role_name(name)
    check_password(password)
    with _owner(target) as (engine, where), engine.begin() as conn:
        _ready(conn, where)
        _create_login(conn, name, password)
        yield conn, where, _quote(conn, name)


def add_patient(
    target: str | os.PathLike[str] | None,
    name: str,
    password: str,
    *,
    display_name: str = "",
    identifier: str = "",
    programme: str = "",
) -> str:
    with _new_login(target, name, password) as (conn, where, q):
        tables = ", ".join(PATIENT_TABLES)
        conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {q}")
        conn.exec_driver_sql(f"GRANT SELECT ON {', '.join(READ_ONLY_TABLES)} TO {q}")
        conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {q}")
        conn.execute(
            text(
                "INSERT INTO patient (display_name, identifier, role_name, programme, created_at)"
                " VALUES (:d, :i, :r, :p, now() at time zone 'utc')"
            ),
            {"d": display_name or name, "i": identifier, "r": name, "p": programme},
        )
        return (
            f"Added patient {name!r}{_in(programme)}. They use every command with "
            f"--db {_login_url(where, name)}"
        )


def add_therapist(
    target: str | os.PathLike[str] | None,
    name: str,
    password: str,
    *,
    display_name: str = "",
    programme: str = "",
) -> str:
    with _new_login(target, name, password) as (conn, where, q):
        conn.exec_driver_sql(
            f"GRANT SELECT ON {', '.join((*PATIENT_TABLES, *READ_ONLY_TABLES))} TO {q}"
        )
        conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {COHORT_CACHE} TO {q}")
        conn.execute(
            text(
                "INSERT INTO therapist (role_name, display_name, programme, created_at)"
                " VALUES (:r, :d, :p, now() at time zone 'utc')"
            ),
            {"d": display_name or name, "r": name, "p": programme},
        )
        return (
            f"Added therapist {name!r}, reading the patients{_in(programme) or ' of no programme'}"
            f" (read-only). The cohort: tracker clinic --db {_login_url(where, name)}"
        )


def _in(programme: str) -> str:
    return f" in programme {programme!r}" if programme else ""


def _login_url(where: DbTarget, role: str) -> str:
    url = where.url.set(drivername="postgresql", username=role, password="PASSWORD")
    return url.render_as_string(hide_password=False)


def login_of(conn: Connection) -> Login:
    """Who this connection is on a clinic's database (kind "" elsewhere)."""
    role = str(conn.execute(text("SELECT current_user")).scalar())
    if not is_clinic(conn):
        return Login(role, "")
    me = conn.execute(
        text("SELECT id FROM patient WHERE role_name = current_user")
    ).scalar_one_or_none()
    if me is not None:
        return Login(role, "patient", int(me))
    therapist = conn.execute(text("SELECT 1 FROM therapist WHERE role_name = current_user")).first()
    return Login(role, "therapist" if therapist else "administrator")


def viewing_patient(engine: Engine, patient_id: int) -> None:
    """Make every connection of `engine` (a therapist's) see only this patient's rows."""

    @event.listens_for(engine, "connect")
    def _narrow(dbapi_conn: Any, _record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute("SELECT set_config(%s, %s, false)", (VIEWING, str(int(patient_id))))
        dbapi_conn.commit()


def acting_as(engine: Engine, role: str) -> None:
    """Make every connection of `engine` (the administrator's) act as the patient `role`, so
    the policies check what it writes exactly as for the patient (a backup import)."""

    @event.listens_for(engine, "connect")
    def _become(dbapi_conn: Any, _record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute(f'SET ROLE "{check_role_name(role)}"')
        dbapi_conn.commit()


def patient_id_of(conn: Connection, name: str) -> int:
    found = conn.execute(
        text("SELECT id FROM patient WHERE role_name = :n"), {"n": name}
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"No patient with the login {name!r} in this clinic.")
    return int(found)


@dataclass(frozen=True)
class PatientEntry:
    id: int
    name: str
    identifier: str
    programme: str
    role: str


class _Viewing:
    """Which patient a therapist's connections look at. The view only reads, so its
    connections run in autocommit (no BEGIN and ROLLBACK around every read) and the setting
    is sent only when it changes, on the connection's next checkout from the pool."""

    def __init__(self) -> None:
        self.patient_id: int | None = None

    def install(self, engine: Engine) -> None:
        @event.listens_for(engine, "checkout")
        def _narrow(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
            if record.info.get(VIEWING, -1) == self.patient_id:
                return
            shown = "" if self.patient_id is None else str(int(self.patient_id))
            with dbapi_conn.cursor() as cur:
                cur.execute("SELECT set_config(%s, %s, false)", (VIEWING, shown))
            record.info[VIEWING] = self.patient_id


@dataclass
class TherapistView:
    """A therapist's read-only look at its programme: the patients, and each one's diary."""

    store: Any
    """The `Store`; its reads show the patient `look_at` named (all of them before)."""
    login: Login
    patients: list[PatientEntry]
    _viewing: _Viewing

    def look_at(self, patient_id: int | None) -> Any:
        self._viewing.patient_id = patient_id
        return self.store

    def close(self) -> None:
        self.store.close()


def open_therapist_view(target: str | os.PathLike[str] | None) -> TherapistView:
    from tracker.db.opening import open_server_store  # cycle: opening imports this module

    where = server_target(target)
    viewing = _Viewing()
    store = open_server_store(where, viewing.install, isolation_level="AUTOCOMMIT")
    try:
        with store.engine.connect() as conn:
            login = login_of(conn)
            if login.kind != "therapist":
                raise ClinicError(
                    f"{login.role!r} is not a therapist of this clinic: the cohort is the "
                    "therapists' view (patients see their own diary with the ordinary commands)."
                    if login.kind
                    else f"{where.shown} is not a clinic's database (`tracker clinic init`)."
                )
            rows = conn.execute(
                text(
                    "SELECT id, display_name, identifier, programme, role_name FROM patient"
                    " ORDER BY id"
                )
            ).all()
    except BaseException:
        store.close()
        raise
    patients = [PatientEntry(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]
    return TherapistView(store, login, patients, viewing)


def open_as_patient(target: str | os.PathLike[str] | None, name: str) -> Any:
    """The administrator's store acting as the patient `name` (`SET ROLE`, after granting
    itself that role): what it writes is checked by the policies exactly as the patient's own
    writes are. The membership is revoked again by `close_as_patient`."""
    from tracker.db.opening import open_server_store  # cycle: opening imports this module

    check_role_name(name)
    with _owner(target) as (engine, where), engine.begin() as conn:
        _ready(conn, where)
        patient_id_of(conn, name)
        conn.exec_driver_sql(f"GRANT {_quote(conn, name)} TO current_user")
    return open_server_store(where, lambda e: acting_as(e, name))


def close_as_patient(store: Any, target: str | os.PathLike[str] | None, name: str) -> None:
    store.close()
    with _owner(target) as (engine, _where), engine.begin() as conn:
        conn.exec_driver_sql(f"REVOKE {_quote(conn, name)} FROM current_user")


def upgrade_clinic(target: str | os.PathLike[str] | None) -> str:
    """Bring a server's schema to this tracker's, as the database's owner."""
    from tracker.db.opening import (  # cycle: opening imports this module
        SCHEMA_REVISION,
        run_migrations,
    )

    with _owner(target) as (engine, where):
        with engine.connect() as conn:
            _refuse_unbound(conn, where)
        run_migrations(engine)
    return f"{where.shown} is at schema {SCHEMA_REVISION}."


def cohort(
    view: TherapistView, now: datetime, *, at_once: bool = True, cached: bool = True
) -> list[CohortLine]:
    """Every patient of the programme, most urgent first (domain/cohort.py). `at_once` reads
    the programme with one query per table (programme.py); without it each patient's diary
    is asked through the store, which is slower and gives the same lines (a test holds both
    to that). `cached` (with `at_once`) reuses the therapist's kept line of each patient
    whose rows have not changed since it was computed today, and reads and computes only
    the others (programme.LineCache); a test holds kept and computed lines to being equal."""
    # start-up: opening imports this module for every command; the cohort's only here
    from tracker.db.programme import LineCache, ProgrammeReads
    from tracker.domain.cohort import cohort_line, line_facts, line_from_facts, ordered

    today = now.date()
    store = view.look_at(None)
    try:
        if not at_once:
            return ordered(
                [
                    cohort_line(p.id, p.name, p.identifier, p.programme, view.look_at(p.id), now)
                    for p in view.patients
                ]
            )
        cache = (
            LineCache(store.engine, today)
            if cached and store.engine.dialect.name == "postgresql"
            else None
        )
        lines: dict[int, CohortLine] = {}
        for p in view.patients:
            facts = cache.facts(p.id) if cache is not None else None
            line = (
                None
                if facts is None
                else line_from_facts(p.id, p.name, p.identifier, p.programme, facts)
            )
            if line is not None:
                lines[p.id] = line
        stale = [p for p in view.patients if p.id not in lines]
        if stale:
            only = None if cache is None else [p.id for p in stale]
            reads = ProgrammeReads(store, view.look_at, today, only)
            for p in stale:
                lines[p.id] = cohort_line(
                    p.id, p.name, p.identifier, p.programme, reads.diary(p.id), now
                )
            if cache is not None:
                view.look_at(None)  # a fallback read looked at one patient: kept for all
                cache.keep({p.id: line_facts(lines[p.id]) for p in stale})
    finally:
        view.look_at(None)
    return ordered(list(lines.values()))
