"""Alembic environment. The app passes its open connection in `config.attributes`; without one
(running `alembic` by hand to write a migration, see README.md) the URL of alembic.ini is
opened the way the app opens a diary."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import tracker.db.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config


def migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        migrate(connection)
        return
    from tracker.db.opening import make_engine
    from tracker.db.target import resolve_target

    engine = make_engine(resolve_target(config.get_main_option("sqlalchemy.url")).url)
    with engine.connect() as conn:
        migrate(conn)


run()
