"""Tables of the PostgreSQL store, and the versioned migrations that create and upgrade them.

One table per collection: its key as real columns (the primary key), every field a service looks
a document up by as an indexed column, and the whole record as ``doc`` (JSON, validated on the
way out like the file's). ``seq`` keeps insertion order, which the file store gives too. The
guardian match (« activation », « identifiant oublié ») looks guardians up by mobile: the
``guardians_portable`` index; names are then compared after normalisation by the service.

``educonnect_meta`` says the database is ours and holds the secret key of the keyed hashes
(the file store keeps it in a ``.key`` side file; here every front machine must share it, so it
lives in the database, readable by whoever may read the accounts). ``educonnect_migrations``
lists the schema versions applied, like the file's schema number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import psycopg
from psycopg import sql

from store.errors import ForeignDatabaseError, NewerDatabaseError

__all__ = ["SCHEMA_VERSION", "TABLES", "TableSpec", "prepare"]

FORMAT_NAME = "educonnect-tui"
META = "educonnect_meta"
MIGRATIONS_TABLE = "educonnect_migrations"
# Any fixed number: every process opening the database takes this lock, so two of them never
# create or upgrade the schema at the same time.
_SCHEMA_LOCK = 0x45445543


@dataclass(frozen=True)
class TableSpec:
    key: tuple[str, ...]
    # Key first, then the indexed lookup fields; each is a text field of the record.
    columns: tuple[str, ...]


TABLES: dict[str, TableSpec] = {
    "establishments": TableSpec(("uai",), ("uai",)),
    "pupils": TableSpec(("id",), ("id", "uai")),
    "guardians": TableSpec(("id",), ("id", "portable")),
    "links": TableSpec(("guardian_id", "pupil_id"), ("guardian_id", "pupil_id", "state")),
    "accounts": TableSpec(
        ("identifiant",),
        (
            "identifiant",
            "kind",
            "owner_id",
            "reset_token_hash",
            "first_login_token_hash",
            "franceconnect_sub",
        ),
    ),
    "registrations": TableSpec(("token_hash",), ("token_hash", "guardian_id")),
    "throttles": TableSpec(("guardian_id",), ("guardian_id",)),
    "login_throttles": TableSpec(("key",), ("key",)),
    "start_throttles": TableSpec(("key",), ("key",)),
}
# The tables each schema version added: a version's statements never change once released.
_ADDED_IN_2 = ("login_throttles", "start_throttles")
JOURNALS = ("audit_log", "outbox")


def _collection_table(name: str, spec: TableSpec) -> str:
    columns = "".join(
        f"    {column} text{' NOT NULL' * (column in spec.key)},\n" for column in spec.columns
    )
    return (
        f"CREATE TABLE {name} (\n    seq bigint GENERATED ALWAYS AS IDENTITY,\n{columns}"
        f"    doc jsonb NOT NULL,\n    PRIMARY KEY ({', '.join(spec.key)})\n)"
    )


_VERSION_1 = (
    f"CREATE TABLE {META} (name text PRIMARY KEY, value text NOT NULL)",
    f"CREATE TABLE {MIGRATIONS_TABLE} ("
    "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    *(_collection_table(name, spec) for name, spec in TABLES.items() if name not in _ADDED_IN_2),
    *(
        f"CREATE TABLE {name} (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "doc jsonb NOT NULL)"
        for name in JOURNALS
    ),
    "CREATE INDEX pupils_uai ON pupils (uai)",
    "CREATE INDEX guardians_portable ON guardians (portable)",
    "CREATE INDEX links_pupil ON links (pupil_id)",
    "CREATE INDEX links_state ON links (state)",
    "CREATE INDEX accounts_owner ON accounts (owner_id, kind)",
    "CREATE INDEX accounts_kind ON accounts (kind)",
    "CREATE INDEX accounts_reset_token ON accounts (reset_token_hash)",
    "CREATE INDEX accounts_first_login_token ON accounts (first_login_token_hash)",
    "CREATE INDEX accounts_franceconnect ON accounts (franceconnect_sub)",
    "CREATE INDEX registrations_guardian ON registrations (guardian_id)",
)

# The login and registration-start limits of unknown identifiants and mobiles (issue 13).
_VERSION_2 = tuple(_collection_table(name, TABLES[name]) for name in _ADDED_IN_2)

# MIGRATIONS[n] brings the schema from version n to n + 1, in the transaction of ``prepare``.
MIGRATIONS: tuple[tuple[str, ...], ...] = (_VERSION_1, _VERSION_2)
SCHEMA_VERSION = len(MIGRATIONS)


def prepare(conn: psycopg.Connection[tuple[object, ...]], location: str) -> bytes:
    """Create the schema in an empty database, upgrade an older one, refuse anything else
    (without changing it); return the secret key. One transaction, one process at a time.

    Read committed, not serialisable: each statement after the lock must see what the process
    that held it before committed (the schema it created), not a snapshot from before."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        version = _version(cur, location)
        if version > SCHEMA_VERSION:
            raise NewerDatabaseError(location, version, SCHEMA_VERSION)
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                cur.execute(sql.SQL(statement))
            cur.execute(f"INSERT INTO {MIGRATIONS_TABLE} (version) VALUES (%s)", (step + 1,))
        if version == 0:
            cur.execute(
                f"INSERT INTO {META} (name, value) VALUES ('format', %s), ('secret', %s)",
                (FORMAT_NAME, os.urandom(32).hex()),
            )
        cur.execute(f"SELECT value FROM {META} WHERE name = 'secret'")
        row = cur.fetchone()
        if row is None or not isinstance(row[0], str):
            raise ForeignDatabaseError(location)
        return bytes.fromhex(row[0])


def _version(cur: psycopg.Cursor[tuple[object, ...]], location: str) -> int:
    """0 for an empty database; the schema version of ours; refuse any other."""
    cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )
    tables = {str(row[0]) for row in cur.fetchall()}
    if not tables:
        return 0
    if not {META, MIGRATIONS_TABLE} <= tables:
        raise ForeignDatabaseError(location)
    try:
        cur.execute(f"SELECT value FROM {META} WHERE name = 'format'")
        found = cur.fetchone()
        cur.execute(f"SELECT max(version) FROM {MIGRATIONS_TABLE}")
        latest = cur.fetchone()
    except psycopg.errors.UndefinedColumn as error:
        raise ForeignDatabaseError(location) from error
    if found is None or found[0] != FORMAT_NAME or latest is None:
        raise ForeignDatabaseError(location)
    version = latest[0]
    if type(version) is not int or version < 1:
        raise ForeignDatabaseError(location)
    return version
