"""The tables of the data file, and the check every record passes when the file is read.

Each table is one record model and the fields that identify a record (its key). The data file
holds these tables and ``_meta``, nothing else; ``validate_tables`` refuses a file with any
other table, a record its model refuses, a record number TinyDB cannot use, or two records with
the same key, naming the first such table and record.

Several processes share the file, and each reads every version another one writes: a record
already checked in the previous version and unchanged since (compared as parsed JSON, which
costs far less than the model) is not checked again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from store.errors import CorruptStoreError, DamagedRecordError, shown
from store.records import (
    Account,
    Establishment,
    Guardian,
    Link,
    LoginThrottle,
    Pupil,
    Registration,
    SendThrottle,
    StartThrottle,
)

__all__ = [
    "ACCOUNTS",
    "ESTABLISHMENTS",
    "GUARDIANS",
    "LINKS",
    "LOGIN_THROTTLES",
    "META_TABLE",
    "PENDING_TABLE",
    "PUPILS",
    "REGISTRATIONS",
    "START_THROTTLES",
    "TABLES",
    "THROTTLES",
    "TableSpec",
    "validate_tables",
]

M = TypeVar("M", bound=BaseModel)

META_TABLE = "_meta"
# The last transaction's audit batch, until the journal holds it (``store.database``).
PENDING_TABLE = "_pending"
_COMMIT_ID = re.compile(r"[0-9a-f]{16}")
# TinyDB turns record numbers into ints (and counts from the largest): "abc", "007" or a number
# of 5 000 digits (over Python's int/str limit) would break it in the middle of a transaction.
_RECORD_NUMBER = re.compile(r"[1-9][0-9]{0,17}")
_UNKNOWN_VALUE = frozenset({"enum", "literal_error"})


@dataclass(frozen=True)
class TableSpec(Generic[M]):
    name: str
    model: type[M]
    key: tuple[str, ...]


ESTABLISHMENTS = TableSpec("establishments", Establishment, ("uai",))
PUPILS = TableSpec("pupils", Pupil, ("id",))
GUARDIANS = TableSpec("guardians", Guardian, ("id",))
LINKS = TableSpec("links", Link, ("guardian_id", "pupil_id"))
ACCOUNTS = TableSpec("accounts", Account, ("identifiant",))
REGISTRATIONS = TableSpec("registrations", Registration, ("token_hash",))
THROTTLES = TableSpec("throttles", SendThrottle, ("guardian_id",))
LOGIN_THROTTLES = TableSpec("login_throttles", LoginThrottle, ("key",))
START_THROTTLES = TableSpec("start_throttles", StartThrottle, ("key",))

TABLES: dict[str, TableSpec[Any]] = {
    spec.name: spec
    for spec in (
        ESTABLISHMENTS,
        PUPILS,
        GUARDIANS,
        LINKS,
        ACCOUNTS,
        REGISTRATIONS,
        THROTTLES,
        LOGIN_THROTTLES,
        START_THROTTLES,
    )
}


def validate_tables(
    path: Path, tables: dict[str, Any], checked: dict[str, Any] | None = None
) -> None:
    """Raise ``CorruptStoreError`` (``DamagedRecordError`` for a record) at the first damage.

    ``tables`` is the parsed file, ``_meta`` already checked and every table a dict;
    ``checked`` an earlier version that passed, whose unchanged records are not checked again.
    """
    for name, table in tables.items():
        if name == META_TABLE:
            continue
        if name == PENDING_TABLE:
            _validate_pending(path, table)
            continue
        spec = TABLES.get(name)
        if spec is None:
            raise CorruptStoreError(path, f"table inconnue « {shown(name)} »")
        before = (checked or {}).get(name) or {}
        # Most writes change one or two tables: the others are equal as a whole.
        if before != table:
            _validate_table(path, spec, table, before)


def _validate_pending(path: Path, table: dict[str, Any]) -> None:
    """One batch: its commit id, and the records (JSON objects) that each carry it."""
    batch = table.get("1") if table.keys() == {"1"} else None
    if (
        not isinstance(batch, dict)
        or batch.keys() != {"commit", "records"}
        or not isinstance(batch["commit"], str)
        or not _COMMIT_ID.fullmatch(batch["commit"])
        or not isinstance(batch["records"], list)
    ):
        raise CorruptStoreError(path, f"table « {PENDING_TABLE} » inattendue")
    for record in batch["records"]:
        # Not checked further: the journal takes whatever a transaction audits, as it is.
        if not isinstance(record, dict) or record.get("commit") != batch["commit"]:
            raise CorruptStoreError(path, f"table « {PENDING_TABLE} » inattendue")


def _validate_table(
    path: Path, spec: TableSpec[Any], table: dict[str, Any], checked: dict[str, Any]
) -> None:
    seen: dict[tuple[Any, ...], str] = {}
    for number, document in table.items():
        if checked.get(number) != document:
            _validate_record(path, spec, number, document)
        # The stored values, as TinyDB compares them when it looks a record up or replaces it.
        key = tuple(document[field] for field in spec.key)
        if key in seen:
            fields = ", ".join(f"« {field} »" for field in spec.key)
            raise DamagedRecordError(
                path, spec.name, number, f"même clé ({fields}) que l'enregistrement {seen[key]}"
            )
        seen[key] = number


def _validate_record(path: Path, spec: TableSpec[Any], number: str, document: object) -> None:
    if not _RECORD_NUMBER.fullmatch(number):
        raise DamagedRecordError(path, spec.name, number, "son numéro n'est pas valide")
    if not isinstance(document, dict):
        raise DamagedRecordError(path, spec.name, number, "ce n'est pas un objet")
    try:
        spec.model.model_validate(document)
    except ValidationError as error:
        raise DamagedRecordError(path, spec.name, number, _problem(error.errors()[0])) from None


def _problem(error: ErrorDetails) -> str:
    """The first thing the model refused, said without the value (it may be a secret)."""
    if not error["loc"]:
        return "il n'est pas valide"
    field = f"le champ « {shown(error['loc'][0])} »"
    if error["type"] == "missing":
        return f"{field} manque"
    if error["type"] == "extra_forbidden":
        return f"{field} n'est pas prévu"
    if error["type"] in _UNKNOWN_VALUE:
        return f"{field} a une valeur inconnue"
    return f"{field} n'est pas valide"
