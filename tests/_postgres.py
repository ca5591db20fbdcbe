"""A throwaway PostgreSQL server for the test run: started once, in a temporary folder, reachable
only through a Unix socket in that folder, and stopped at the end of the session.

``initdb`` and ``postgres`` refuse to run as root (sessions and CI run as root here): then the
folder belongs to the ``postgres`` system user and the binaries run through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

from store.postgres.schema import JOURNALS, TABLES
from store.postgres.store import PostgresStore

__all__ = ["PostgresServer", "blank_database", "empty_database", "execute", "find_binary"]

INSTALL_HINT = (
    "Les programmes du serveur PostgreSQL (initdb, pg_ctl) sont introuvables : installez-les avec "
    "`apt-get install -y postgresql` (ils sont cherchés dans le PATH et dans "
    "/usr/lib/postgresql/*/bin)."
)
PORT = 5432
CONNECTIONS = "-c max_connections=200"
# Tests need no durability: a crash loses only the throwaway folder.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class PostgresServer:
    def __init__(self, *, durable: bool = False) -> None:
        """``durable``: each commit waits for the disk, as in service (a benchmark's choice;
        the tests need no durability)."""
        self._options = CONNECTIONS if durable else f"{CONNECTIONS} {FAST}"
        initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise RuntimeError(INSTALL_HINT)
        self._initdb, self._pg_ctl = initdb, pg_ctl
        self.folder = Path(tempfile.mkdtemp(prefix="educonnect-pg-"))
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    INSTALL_HINT + " (utilisateur système postgres absent)"
                ) from None
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._data = self.folder / "data"
        # Made by ``empty_database`` during this run.
        self.databases: set[str] = set()

    def start(self) -> None:
        self._run(
            self._initdb, "-D", str(self._data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = f"-k {self.folder} -p {PORT} -c listen_addresses='' {self._options}"
        log = str(self.folder / "server.log")
        try:
            self._run(self._pg_ctl, "-D", str(self._data), "-o", options, "-l", log, "-w", "start")
        except RuntimeError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def stop(self) -> None:
        try:
            self._run(self._pg_ctl, "-D", str(self._data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.folder}&port={PORT}"

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self._as, *command], capture_output=True, text=True, check=False, cwd=self.folder
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} a échoué :\n{done.stdout}{done.stderr}")


def empty_database(server: PostgresServer, name: str) -> str:
    """The URL of database ``name``, emptied of our records (created at first use): what one
    test leaves behind never reaches the next. The schema and the secret key stay. DELETE on
    these few rows costs a fraction of TRUNCATE's new files, on one connection."""
    url = server.url(name)
    if name not in server.databases:
        with psycopg.connect(server.url(), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        PostgresStore(url).open().close()
        server.databases.add(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("; ".join(f"DELETE FROM {table}" for table in (*TABLES, *JOURNALS)).encode())
    return url


def blank_database(server: PostgresServer, name: str) -> str:
    """The URL of a new, empty database ``name`` (dropped first if a test left one)."""
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.url(name)


def execute(url: str, statement: str) -> None:
    """One statement on its own connection (a test setting the scene)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement.encode())
