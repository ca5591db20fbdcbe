"""Damaged records and side files are refused by name, before anything is written."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import store.database
import store.schema
from store import DamagedRecordError, Records, Store, StoreError
from store.records import FORBIDDEN_CATEGORIES
from tests._damage import CASES, Case, complete_store, folder_state


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_open_refuses_every_damage_and_changes_nothing(tmp_path: Path, case: Case) -> None:
    """Each case of the corpus: `Store.open()` raises a `StoreError` whose French message
    names the damaged file, and no file of the folder changes or appears."""
    db = complete_store(tmp_path)
    damaged = case.damage(db)
    before = folder_state(tmp_path)

    with pytest.raises(StoreError) as refused:
        Store(db).open()

    assert str(damaged) in refused.value.message, case.what
    assert folder_state(tmp_path) == before


def _damage_record(db: Path, table: str, number: str, **fields: object) -> None:
    document = json.loads(db.read_bytes())
    document[table][number].update(fields)
    db.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "number", "fields", "problem"),
    [
        ("accounts", "1", {"status": "supprimé"}, "le champ « status » a une valeur inconnue"),
        ("accounts", "1", {"failed_logins": -1}, "le champ « failed_logins » n'est pas valide"),
        ("pupils", "1", {"nom": None}, "le champ « nom » n'est pas valide"),
        ("guardians", "2", {"id": "R001"}, "même clé (« id ») que l'enregistrement 1"),
        ("guardians", "2", {"\x1b[2J": 1}, "le champ « \\u001b[2J » n'est pas prévu"),
    ],
    ids=["enum", "negative", "null", "duplicate", "escaped-field"],
)
def test_the_message_names_table_record_and_field(
    tmp_path: Path, table: str, number: str, fields: dict[str, object], problem: str
) -> None:
    """The refusal says which table, which record and what is wrong with it, never the value
    (it may be a secret), and no raw control character reaches the terminal."""
    db = complete_store(tmp_path)
    _damage_record(db, table, number, **fields)

    with pytest.raises(DamagedRecordError) as refused:
        Store(db).open()

    assert refused.value.message == (
        f"Le fichier de données {db} est endommagé : table « {table} », enregistrement "
        f"{number}, {problem}. Il n'a pas été modifié ; restaurez une sauvegarde ou indiquez "
        "un autre fichier."
    )


def test_missing_field_is_named(tmp_path: Path) -> None:
    """A record without a required field says which one is missing."""
    db = complete_store(tmp_path)
    document = json.loads(db.read_bytes())
    del document["accounts"]["1"]["kind"]
    db.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(DamagedRecordError, match="enregistrement 1, le champ « kind » manque"):
        Store(db).open()


def test_damage_written_by_another_process_is_refused_on_the_next_read(tmp_path: Path) -> None:
    """A store already open sees a damaged file written since (a botched restore) on its next
    snapshot and transaction, and writes nothing."""
    db = complete_store(tmp_path)
    opened = Store(db).open()
    _damage_record(db, "accounts", "1", status="supprimé")
    before = db.read_bytes()

    with pytest.raises(DamagedRecordError):
        opened.snapshot()
    with pytest.raises(DamagedRecordError), opened.transaction():
        pass
    assert db.read_bytes() == before


def test_records_are_checked_once_per_version_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads and transactions on an unchanged file, or on the file this store just wrote, do
    not check the records again; a version written by another store is checked once, and only
    its records that changed go through their model."""
    db = complete_store(tmp_path)
    files: list[bool] = []
    records: list[str] = []
    check_file, check_record = store.schema.validate_tables, store.schema._validate_record

    def counting_file(path: Path, tables: dict[str, Any], checked: Any = None) -> None:
        files.append(checked is None)
        check_file(path, tables, checked)

    def counting_record(path: Path, spec: Any, number: str, document: object) -> None:
        records.append(f"{spec.name}/{number}")
        check_record(path, spec, number, document)

    monkeypatch.setattr(store.database, "validate_tables", counting_file)
    monkeypatch.setattr(store.schema, "_validate_record", counting_record)
    opened = Store(db).open()
    for _ in range(3):
        Records(opened.snapshot()).guardians.all()
        with opened.transaction() as tx:
            Records(tx).guardians.delete(id="R002")
    assert files == [True]
    assert len(records) == 6

    with Store(db).transaction() as tx:
        guardians = Records(tx).guardians
        sophie = guardians.get(id="R001")
        assert sophie is not None
        guardians.put(sophie.model_copy(update={"prenom": "Sophia"}))
    records.clear()
    Records(opened.snapshot()).guardians.all()
    Records(opened.snapshot()).guardians.all()
    assert files == [True, True, False]
    assert records == ["guardians/1"]


def test_secret_key_read_later_is_checked_too(tmp_path: Path) -> None:
    """A key damaged after opening is refused when a code is hashed, not used as it is."""
    db = complete_store(tmp_path)
    opened = Store(db).open()
    opened.key_path.write_bytes(b"court")

    with pytest.raises(StoreError, match="la clé secrète fait 5 octets au lieu de 32"):
        opened.secret_key()


def test_printable_text_never_holds_a_forbidden_character() -> None:
    """`check_plain_text` accepts `str.isprintable()` text without looking at each character:
    that is only right if no printable character is in a forbidden category."""
    printable_forbidden = [
        code
        for code in range(sys.maxunicode + 1)
        if chr(code).isprintable() and unicodedata.category(chr(code)) in FORBIDDEN_CATEGORIES
    ]
    assert printable_forbidden == []
