"""Copy everything from one store to another (a file to PostgreSQL, or back): the records, the
audit trail, the outbox and the secret key, so codes in progress and FranceConnect links stay
valid. Only into an empty store, all in one transaction of the destination: an error leaves it
empty. The source is read as it is; stop the sessions using it first (a database's reads are
not one snapshot)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.backend import StoreBackend
from store.collections import Records
from store.errors import StoreError
from store.paths import URL_SCHEMES, describe_database

__all__ = ["COLLECTIONS", "Copied", "copy_store", "describe_location", "open_location"]

COLLECTIONS = (
    "establishments",
    "pupils",
    "guardians",
    "links",
    "accounts",
    "registrations",
    "throttles",
    "login_throttles",
    "start_throttles",
)


@dataclass(frozen=True)
class Copied:
    records: dict[str, int]
    audit_events: int
    messages: int


class SourceMissingError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(path, f"Le fichier {path} n'existe pas : rien n'a été copié.")


class DestinationNotEmptyError(StoreError):
    def __init__(self, location: str) -> None:
        super().__init__(
            location,
            f"La destination {location} contient déjà des données : rien n'a été copié. "
            "Indiquez un fichier qui n'existe pas encore ou une base vide.",
        )


def describe_location(value: str) -> str:
    return f"la base de données {describe_database(value)}" if _is_url(value) else value


def open_location(value: str, *, must_exist: bool) -> StoreBackend:
    """The store at ``value``, a file path or a PostgreSQL URL, opened (created if allowed)."""
    if _is_url(value):
        # Imported here: psycopg is loaded only by those who use a database.
        from store.postgres.store import PostgresStore

        return PostgresStore(value).open()
    from store.database import Store

    path = Path(value).expanduser()
    # A symbolic link to nothing (a share not mounted) is the store's to refuse, by its name.
    if must_exist and not (path.exists() or path.is_symlink()):
        raise SourceMissingError(path)
    return Store(path).open()


def copy_store(source: StoreBackend, target: StoreBackend, target_name: str) -> Copied:
    """Every record of ``source`` into the empty ``target``; each record is validated on the
    way (a damaged source is refused by name before anything is written)."""
    read = Records(source.snapshot())
    records = {name: getattr(read, name).all() for name in COLLECTIONS}
    audit, messages = source.audit_log.read(), source.outbox.read()
    present = Records(target.snapshot())
    if any(getattr(present, name).count() for name in COLLECTIONS) or (
        target.audit_log.read() or target.outbox.read()
    ):
        raise DestinationNotEmptyError(target_name)
    # Before the records: should their transaction fail, the destination stays empty, and an
    # empty store's key protects nothing yet.
    target.adopt_secret_key(source.secret_key())
    with target.transaction() as tx:
        written = Records(tx)
        for name, found in records.items():
            getattr(written, name).put_many(found)
        for event in audit:
            tx.audit(event)
        # Last: in a database, in this same transaction; beside a file, appended just before
        # the file is written.
        target.outbox.append(messages)
    return Copied(
        records={name: len(found) for name, found in records.items()},
        audit_events=len(audit),
        messages=len(messages),
    )


def _is_url(value: str) -> bool:
    return value.startswith(URL_SCHEMES)
