"""A corpus of damaged data files and side files, for the store and command-line refusals.

``complete_store`` builds a store with every file it keeps beside it (lock, key, audit and
outbox journals), so that "no new file" means something for each of them. Each case of
``CASES`` damages one file of such a store, says in its name and docstring what it did, and
returns the path a refusal must name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from store import Records, Store
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    Establishment,
    Guardian,
    Link,
    Pupil,
)

__all__ = ["CASES", "Case", "complete_store", "folder_state"]

AT = datetime(2026, 9, 7, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    name: str
    damage: Callable[[Path], Path]

    @property
    def what(self) -> str:
        return (self.damage.__doc__ or self.name).strip()


CASES: list[Case] = []


def case(damage: Callable[[Path], Path]) -> Callable[[Path], Path]:
    CASES.append(Case(damage.__name__.replace("_", "-"), damage))
    return damage


def complete_store(folder: Path) -> Path:
    """A small school, an account, an audit record and an SMS: every file exists."""
    db = folder / "educonnect.json"
    store = Store(db).open()
    with store.transaction() as tx:
        records = Records(tx)
        records.establishments.put(Establishment(uai="0341234A", nom="CLG Frédéric Bazille"))
        records.pupils.put(
            Pupil(
                id="E001",
                nom="Martin",
                prenom="Lucas",
                naissance=date(2012, 3, 14),
                classe="4B",
                uai="0341234A",
            )
        )
        for number, prenom in ((1, "Sophie"), (2, "Paul")):
            records.guardians.put(
                Guardian(id=f"R00{number}", nom="Martin", prenom=prenom, portable="+33612345678")
            )
        records.links.put(Link(guardian_id="R001", pupil_id="E001"))
        records.accounts.put(
            Account(
                identifiant="s.martin1",
                kind=AccountKind.GUARDIAN,
                owner_id="R001",
                status=AccountStatus.ACTIVE,
                created_at=AT,
            )
        )
        tx.audit({"at": AT.isoformat(), "event": "account_activated"})
    store.outbox.append(
        [{"at": AT.isoformat(), "channel": "sms", "to": "+33612345678", "text": "Bonjour"}]
    )
    return db


def folder_state(folder: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``folder``: its kind, and for a file its bytes, inode and mtime (a
    rewrite with the same bytes is a change too). Pipes are not opened."""
    state: dict[str, tuple[object, ...]] = {}
    for root, directories, files in os.walk(folder, followlinks=False):
        for name in [*directories, *files]:
            path = Path(root) / name
            info = path.lstat()
            relative = str(path.relative_to(folder))
            if path.is_symlink():
                state[relative] = ("lien", os.readlink(path))
            elif path.is_file():
                state[relative] = ("fichier", path.read_bytes(), info.st_ino, info.st_mtime_ns)
            else:
                state[relative] = ("autre", info.st_mode, info.st_ino, info.st_mtime_ns)
    return state


def _side(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def _edit(db: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    document = json.loads(db.read_bytes())
    change(document)
    db.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return db


def _replace(path: Path, content: bytes) -> Path:
    path.unlink()
    path.write_bytes(content)
    return path


def _directory(path: Path) -> Path:
    path.unlink()
    path.mkdir()
    (path / "dedans").write_bytes(b"x")
    return path


def _fifo(path: Path) -> Path:
    path.unlink()
    os.mkfifo(path)
    return path


def _dangling(path: Path) -> Path:
    path.unlink()
    path.symlink_to(path.with_name("absent-" + path.name))
    return path


def _loop(path: Path) -> Path:
    path.unlink()
    path.symlink_to(path.name)
    return path


# -- the data file itself ------------------------------------------------------------------


@case
def data_not_json(db: Path) -> Path:
    """Data file: not JSON at all."""
    return _replace(db, b"ceci n'est pas du JSON")


@case
def data_empty(db: Path) -> Path:
    """Data file: empty (0 bytes)."""
    return _replace(db, b"")


@case
def data_truncated(db: Path) -> Path:
    """Data file: cut in the middle (half of its bytes)."""
    content = db.read_bytes()
    return _replace(db, content[: len(content) // 2])


@case
def data_binary_garbage(db: Path) -> Path:
    """Data file: random-looking bytes, not UTF-8."""
    return _replace(db, bytes(range(256)) * 4)


@case
def data_foreign_json(db: Path) -> Path:
    """Data file: another program's JSON."""
    return _replace(db, b'{"users": [{"name": "root"}]}')


@case
def data_newer_schema(db: Path) -> Path:
    """Data file: written by a newer version (schema 99)."""
    return _edit(db, lambda d: d["_meta"]["1"].update(schema=99))


@case
def data_meta_extra(db: Path) -> Path:
    """Data file: a second record in the _meta table."""
    return _edit(db, lambda d: d["_meta"].update({"2": {"format": "autre"}}))


@case
def data_table_not_object(db: Path) -> Path:
    """Data file: the guardians table is a list."""
    return _edit(db, lambda d: d.update(guardians=[1, 2]))


@case
def data_unknown_table(db: Path) -> Path:
    """Data file: a table that is not ours, with an escape sequence in its name."""
    return _edit(db, lambda d: d.update({"\x1b[2Jintrus": {"1": {"a": 1}}}))


@case
def record_wrong_type(db: Path) -> Path:
    """Record: an account's failed_logins is text."""
    return _edit(db, lambda d: d["accounts"]["1"].update(failed_logins="trois"))


@case
def record_missing_field(db: Path) -> Path:
    """Record: a pupil without nom."""
    return _edit(db, lambda d: d["pupils"]["1"].pop("nom"))


@case
def record_unknown_enum(db: Path) -> Path:
    """Record: an account's status is not one the application knows."""
    return _edit(db, lambda d: d["accounts"]["1"].update(status="supprimé"))


@case
def record_unknown_field(db: Path) -> Path:
    """Record: a guardian with a field the model does not have."""
    return _edit(db, lambda d: d["guardians"]["2"].update(mot_de_passe="secret"))


@case
def record_not_object(db: Path) -> Path:
    """Record: a guardian that is a number."""
    return _edit(db, lambda d: d["guardians"].update({"2": 42}))


@case
def record_bad_number(db: Path) -> Path:
    """Record: a link stored under a number TinyDB cannot read ("abc")."""
    return _edit(db, lambda d: d.update(links={"abc": d["links"]["1"]}))


@case
def record_duplicate_key(db: Path) -> Path:
    """Record: two guardians with the same id R001."""
    return _edit(db, lambda d: d["guardians"]["2"].update(id="R001"))


@case
def record_control_characters(db: Path) -> Path:
    """Record: a pupil's nom holds a terminal escape sequence."""
    return _edit(db, lambda d: d["pupils"]["1"].update(nom="\x1b[31mMartin"))


@case
def record_impossible_date(db: Path) -> Path:
    """Record: a pupil born on 31 February."""
    return _edit(db, lambda d: d["pupils"]["1"].update(naissance="2012-02-31"))


@case
def record_bad_phone(db: Path) -> Path:
    """Record: a guardian's mobile is not in E.164 form."""
    return _edit(db, lambda d: d["guardians"]["1"].update(portable="06 12 34 56 78"))


@case
def data_is_directory(db: Path) -> Path:
    """Data file: a folder in its place."""
    return _directory(db)


@case
def data_is_fifo(db: Path) -> Path:
    """Data file: a named pipe in its place (a reader would wait for ever)."""
    return _fifo(db)


@case
def data_dangling_symlink(db: Path) -> Path:
    """Data file: a symbolic link to a file that is not there (a share not mounted)."""
    return _dangling(db)


@case
def data_symlink_loop(db: Path) -> Path:
    """Data file: a symbolic link to itself."""
    return _loop(db)


# -- the secret key --------------------------------------------------------------------------


@case
def key_empty(db: Path) -> Path:
    """Key: empty."""
    return _replace(_side(db, ".key"), b"")


@case
def key_too_short(db: Path) -> Path:
    """Key: 16 bytes instead of 32."""
    return _replace(_side(db, ".key"), os.urandom(16))


@case
def key_too_long(db: Path) -> Path:
    """Key: 33 bytes (a newline added by an editor)."""
    key = _side(db, ".key")
    return _replace(key, key.read_bytes() + b"\n")


@case
def key_is_directory(db: Path) -> Path:
    """Key: a folder in its place."""
    return _directory(_side(db, ".key"))


@case
def key_dangling_symlink(db: Path) -> Path:
    """Key: a symbolic link to a file that is not there."""
    return _dangling(_side(db, ".key"))


# -- the lock --------------------------------------------------------------------------------


@case
def lock_is_directory(db: Path) -> Path:
    """Lock: a folder in its place."""
    return _directory(_side(db, ".lock"))


@case
def lock_is_fifo(db: Path) -> Path:
    """Lock: a named pipe in its place."""
    return _fifo(_side(db, ".lock"))


@case
def lock_symlink_loop(db: Path) -> Path:
    """Lock: a symbolic link to itself."""
    return _loop(_side(db, ".lock"))


# -- the journals ----------------------------------------------------------------------------


@case
def audit_binary_garbage(db: Path) -> Path:
    """Audit journal: a line of binary garbage between two good ones."""
    audit = _side(db, ".audit.jsonl")
    with audit.open("ab") as handle:
        handle.write(b"\x00\x9f\xff\x1b[2J\n" + audit.read_bytes())
    return audit


@case
def audit_line_not_object(db: Path) -> Path:
    """Audit journal: a complete line that is JSON but not an object."""
    audit = _side(db, ".audit.jsonl")
    with audit.open("ab") as handle:
        handle.write(b"[1, 2, 3]\n")
    return audit


@case
def audit_is_directory(db: Path) -> Path:
    """Audit journal: a folder in its place."""
    return _directory(_side(db, ".audit.jsonl"))


@case
def outbox_not_utf8(db: Path) -> Path:
    """Outbox journal: a line in Windows-1252 instead of UTF-8."""
    outbox = _side(db, ".outbox.jsonl")
    with outbox.open("ab") as handle:
        handle.write('{"text": "élève"}\n'.encode("cp1252"))
    return outbox


@case
def outbox_empty_line(db: Path) -> Path:
    """Outbox journal: an empty complete line."""
    outbox = _side(db, ".outbox.jsonl")
    with outbox.open("ab") as handle:
        handle.write(b"\n")
    return outbox


@case
def outbox_is_fifo(db: Path) -> Path:
    """Outbox journal: a named pipe in its place."""
    return _fifo(_side(db, ".outbox.jsonl"))


@case
def outbox_dangling_symlink(db: Path) -> Path:
    """Outbox journal: a symbolic link to a file that is not there."""
    return _dangling(_side(db, ".outbox.jsonl"))
