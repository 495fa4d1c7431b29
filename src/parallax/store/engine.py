"""Open a store's database: resolve the URL, make the engine, upgrade the schema to the package's head.

SQLite (the default, a file in the user's data directory) runs in WAL mode with foreign keys on, so a
reader never blocks the writer and a killed writer loses only its open transaction. A
`postgresql://` URL is served by psycopg 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from parallax.errors import StoreError

__all__ = ["database_reason", "default_url", "make_engine", "migration_config", "resolve_url", "upgrade"]

_MIGRATIONS = Path(__file__).with_name("migrations")


def database_reason(exc: SQLAlchemyError) -> str:
    """The driver's own words for a database error, on one line (SQLAlchemy wraps them in its own)."""
    return " ".join(str(getattr(exc, "orig", None) or exc).split())


def default_url() -> str:
    """`sqlite:///` + parallax.db in the user's data directory (~/.local/share/parallax on Linux)."""
    return f"sqlite:///{Path(platformdirs.user_data_dir('parallax')) / 'parallax.db'}"


def resolve_url(url: str | None) -> URL:
    """The SQLAlchemy URL for what the user gave: a URL, a bare .db path, or nothing (the default)."""
    text = (url or "").strip() or default_url()
    if "://" not in text:  # a plain path names an SQLite file
        text = f"sqlite:///{Path(text).expanduser()}"
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise StoreError(
            f"cannot read the database URL {text!r}",
            hint="give sqlite:///path/to/parallax.db or postgresql://user@host/dbname",
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"parallax stores articles in SQLite or PostgreSQL, not {parsed.get_backend_name()}",
            hint="give sqlite:///path/to/parallax.db or postgresql://user@host/dbname",
        )
    return parsed


def make_engine(url: str | None) -> Engine:
    """An engine for the store at `url`; an SQLite file's directory is created when missing."""
    parsed = resolve_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(
            f"cannot use the database URL {parsed.render_as_string(hide_password=True)}: {exc}",
            hint="check the URL's driver and options",
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers run beside the writer; NORMAL sync is what WAL mode needs to lose no committed
    row when the process is killed (only a power cut can take back the last commits)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")  # wait for another writer rather than fail at once
    cursor.close()


def migration_config(connection: Connection) -> Config:
    """Alembic's configuration for the migrations shipped in this package, bound to `connection`."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the package's newest revision (a new database gets every table)."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.begin() as connection:
            config = migration_config(connection)
            head = ScriptDirectory.from_config(config).get_current_head()
            if MigrationContext.configure(connection).get_current_revision() != head:
                command.upgrade(config, "head")
    except CommandError as exc:
        raise StoreError(
            f"the database at {where} has a schema this parallax does not know ({exc})",
            hint="upgrade parallax to the version that wrote this database, or use another --db",
        ) from exc
    except SQLAlchemyError as exc:
        reason = database_reason(exc)
        raise StoreError(
            f"cannot open the database at {where}: {reason}",
            hint="check the URL, that the server runs and accepts you, and that the file is writable",
        ) from exc
