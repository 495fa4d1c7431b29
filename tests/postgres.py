"""A throwaway PostgreSQL server for the store tests: Debian's binaries, a temporary directory, a free port.

Skips, saying why, where the server binaries are missing or cannot be run; as root, initdb and
the server run as the `postgres` user (through runuser), since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["PostgresServer", "postgres_server"]

_names = itertools.count(1)


@dataclass(frozen=True)
class PostgresServer:
    """A running server on 127.0.0.1; `new_database()` gives each test an empty database's URL."""

    port: int

    def new_database(self) -> str:
        import psycopg

        name = f"parallax_test_{os.getpid()}_{next(_names)}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"


def _bindir() -> Path | None:
    found = [
        Path(p).parent
        for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
        if (Path(p).parent / "pg_ctl").exists()
    ]
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = _bindir()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
        )
    run_as: list[str] = []
    owner = None
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root, and PostgreSQL will not run as root: there is no 'postgres' user")
        if runuser is None:
            pytest.skip(
                "running as root, and PostgreSQL will not run as root: no runuser to switch to 'postgres'"
            )
        run_as = [runuser, "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="parallax-pg-"))
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, port = base / "data", _free_port()
    start = [
        *run_as,
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(base / "server.log"),
        "-w",
        "-t",
        "60",
        "-o",
        f"-h 127.0.0.1 -p {port} -k {base} -F",  # -F: no fsync, a test server needs no durability
        "start",
    ]
    try:
        for command in (
            [
                *run_as,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "-N",
            ],
            start,
        ):
            done = subprocess.run(command, capture_output=True, text=True, timeout=120)
            if done.returncode != 0:
                log = (base / "server.log").read_text() if (base / "server.log").exists() else ""
                tail = " ".join((done.stderr + log).split()[-40:])
                shutil.rmtree(base, ignore_errors=True)
                pytest.skip(
                    f"could not start a PostgreSQL server ({Path(command[len(run_as)]).name}): {tail}"
                )
        yield PostgresServer(port)
    finally:
        subprocess.run(
            [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


BACKENDS = ["sqlite", "postgresql"]


def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL for a test over BACKENDS: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()
