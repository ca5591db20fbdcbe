"""A file the store cannot use is refused with a French sentence and never modified."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store import (
    SCHEMA_VERSION,
    CorruptStoreError,
    ForeignStoreError,
    NewerStoreError,
    Store,
    StoreError,
)

OLD_MTIME_NS = 1_600_000_000_000_000_000

REFUSED_FILES = [
    pytest.param(b"{not json", CorruptStoreError, "illisible (JSON invalide)", id="not-json"),
    pytest.param(b"", CorruptStoreError, "illisible (fichier vide)", id="empty"),
    pytest.param(b"  \n\t", CorruptStoreError, "illisible (fichier vide)", id="blank"),
    pytest.param(b"\xff\xfe{}", CorruptStoreError, "illisible (JSON invalide)", id="not-utf8"),
    pytest.param(b"[" * 100_000, CorruptStoreError, "illisible (JSON invalide)", id="too-deep"),
    pytest.param(b'{"_meta": {"1": {', CorruptStoreError, "illisible", id="truncated"),
    pytest.param(b'{"foo": 1}', ForeignStoreError, "n'est pas un fichier", id="other-json"),
    pytest.param(b'{"_default": {}}', ForeignStoreError, "n'est pas un fichier", id="tinydb"),
    pytest.param(b"[1, 2]", ForeignStoreError, "n'est pas un fichier", id="json-list"),
    pytest.param(b'{"_meta": [1]}', ForeignStoreError, "n'est pas un fichier", id="meta-list"),
    pytest.param(b'{"_meta": "x"}', ForeignStoreError, "n'est pas un fichier", id="meta-text"),
    pytest.param(
        b'{"_meta": {"1": {"format": "autre", "schema": 1}}}',
        ForeignStoreError,
        "n'est pas un fichier",
        id="other-format",
    ),
    pytest.param(
        b'{"_meta": {"1": {"format": "educonnect-tui", "schema": "1"}}}',
        ForeignStoreError,
        "n'est pas un fichier",
        id="schema-text",
    ),
    pytest.param(
        b'{"_meta": {"1": {"format": "educonnect-tui", "schema": true}}}',
        ForeignStoreError,
        "n'est pas un fichier",
        id="schema-bool",
    ),
    pytest.param(
        b'{"_meta": {"1": {"format": "educonnect-tui", "schema": 0}}}',
        ForeignStoreError,
        "n'est pas un fichier",
        id="schema-zero",
    ),
    pytest.param(
        b'{"_meta": {"1": {"format": "educonnect-tui", "schema": 1}}, "guardians": [1]}',
        CorruptStoreError,
        "illisible",
        id="table-not-object",
    ),
    pytest.param(
        b'{"_meta": {"1": {"format": "educonnect-tui", "schema": %d}}}' % (SCHEMA_VERSION + 1),
        NewerStoreError,
        f"format {SCHEMA_VERSION + 1}, cette version lit jusqu'au format {SCHEMA_VERSION}",
        id="newer",
    ),
]


@pytest.fixture
def refused(db_path: Path, request: pytest.FixtureRequest) -> bytes:
    content: bytes = request.param
    db_path.write_bytes(content)
    os.utime(db_path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return content


def assert_untouched(db_path: Path, content: bytes) -> None:
    assert db_path.read_bytes() == content
    assert db_path.stat().st_mtime_ns == OLD_MTIME_NS
    assert not list(db_path.parent.glob(f".{db_path.name}*"))


class TestRefusedFiles:
    @pytest.mark.parametrize(("refused", "error", "reason"), REFUSED_FILES, indirect=["refused"])
    def test_open_refuses_and_leaves_the_file(
        self, db_path: Path, refused: bytes, error: type[StoreError], reason: str
    ) -> None:
        """`Store.open()` raises the matching `StoreError` whose French message names the file,
        says why and says it was not modified; the bytes and mtime are untouched."""
        with pytest.raises(error) as raised:
            Store(db_path).open()
        assert type(raised.value) is error
        assert reason in raised.value.message
        assert str(db_path) in raised.value.message
        assert "Il n'a pas été modifié" in raised.value.message
        assert_untouched(db_path, refused)

    @pytest.mark.parametrize(("refused", "error", "reason"), REFUSED_FILES, indirect=["refused"])
    def test_transaction_refuses_and_leaves_the_file(
        self, db_path: Path, refused: bytes, error: type[StoreError], reason: str
    ) -> None:
        """A transaction on a refused file raises before its body runs and writes nothing, not
        even the audit records it would have queued."""
        entered = False
        with pytest.raises(error), Store(db_path).transaction() as tx:
            entered = True
            tx.audit({"event": "never"})
        assert not entered
        assert_untouched(db_path, refused)
        assert not (db_path.parent / f"{db_path.name}.audit.jsonl").exists()

    @pytest.mark.parametrize(("refused", "error", "reason"), REFUSED_FILES, indirect=["refused"])
    def test_snapshot_refuses_and_leaves_the_file(
        self, db_path: Path, refused: bytes, error: type[StoreError], reason: str
    ) -> None:
        """Reading a refused file raises the same error and does not replace the file."""
        with pytest.raises(error):
            Store(db_path).snapshot()
        assert_untouched(db_path, refused)

    def test_file_that_becomes_unreadable_is_refused_later(self, db_path: Path) -> None:
        """A good file later replaced by a bad one (a botched restore) is refused by the store
        that had opened it, and not overwritten by its next transaction."""
        store = Store(db_path).open()
        db_path.write_bytes(b'{"_default": {}}')
        with pytest.raises(ForeignStoreError), store.transaction():
            pass
        with pytest.raises(ForeignStoreError):
            store.snapshot()
        assert db_path.read_bytes() == b'{"_default": {}}'
