"""Alembic environment: migrations run on the connection parallax hands over (`parallax.store.engine`).

A new revision, after changing `parallax.store.models`, on a database at head:
`alembic.command.revision(migration_config(connection), "what changed", autogenerate=True)`.
No logging is configured here: the library leaves that to its caller.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from parallax.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("parallax runs its migrations through parallax.store.open_store, on a connection")
_run(connection)
