"""The audit and outbox journals: whole JSON lines appended, read incrementally."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from store import DamagedFileError, Journal, Store


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "educonnect.json.outbox.jsonl"


class TestJournal:
    def test_appended_records_are_read_back_in_order(self, journal_path: Path) -> None:
        """Records come back oldest first, across several appends and from another reader."""
        writer = Journal(journal_path)
        writer.append([{"n": 1}, {"n": 2}])
        writer.append([{"n": 3, "texte": "Élève « Zoé »"}])
        assert Journal(journal_path).read() == [
            {"n": 1},
            {"n": 2},
            {"n": 3, "texte": "Élève « Zoé »"},
        ]

    def test_reads_only_what_was_appended_since(
        self, journal_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A reader that polls parses only the new lines, and an unchanged file not at all."""
        writer, reader = Journal(journal_path), Journal(journal_path)
        writer.append([{"n": n} for n in range(50)])
        reader.read()
        parsed: list[bytes | str] = []
        real_loads = json.loads

        def counting_loads(text: bytes | str) -> object:
            parsed.append(text)
            return real_loads(text)

        monkeypatch.setattr(json, "loads", counting_loads)
        assert len(reader.read()) == 50
        assert parsed == []
        writer.append([{"n": 50}, {"n": 51}])
        assert [r["n"] for r in reader.read()][-3:] == [49, 50, 51]
        assert len(parsed) == 2

    def test_torn_last_line_is_ignored_until_completed(self, journal_path: Path) -> None:
        """A line still being written (no newline yet) is not returned, and is returned whole
        once its writer finishes it."""
        writer, reader = Journal(journal_path), Journal(journal_path)
        writer.append([{"n": 1}])
        line = json.dumps({"n": 2, "texte": "code ABCDEF"}).encode()
        with journal_path.open("ab") as handle:
            handle.write(line[:7])
        assert reader.read() == [{"n": 1}]
        with journal_path.open("ab") as handle:
            handle.write(line[7:] + b"\n")
        assert reader.read() == [{"n": 1}, {"n": 2, "texte": "code ABCDEF"}]

    def test_torn_last_line_is_cut_before_the_next_append(self, journal_path: Path) -> None:
        """A writer killed mid-line leaves a fragment: the next append removes it, so the new
        record is not glued to it (and lost with it, or refused as a damaged line)."""
        writer = Journal(journal_path)
        writer.append([{"n": 1}])
        with journal_path.open("ab") as handle:
            handle.write(b'{"n": 2, "tex')
        writer.append([{"n": 3}])
        assert Journal(journal_path).read() == [{"n": 1}, {"n": 3}]
        assert journal_path.read_bytes().endswith(b'{"n":1}\n{"n":3}\n')

    def test_a_journal_that_is_only_a_fragment_is_emptied(self, journal_path: Path) -> None:
        journal_path.write_bytes(b'{"n": 1')
        Journal(journal_path).append([{"n": 2}])
        assert Journal(journal_path).read() == [{"n": 2}]

    @pytest.mark.parametrize(
        ("damage", "line"),
        [(b"\x00\x00garbage\n", 2), (b"[1, 2]\n", 2), (b"\n", 2), (b'{"n": 2}\n\xff{}\n', 3)],
        ids=["binary", "not-an-object", "empty-line", "not-utf8"],
    )
    def test_damaged_line_is_refused_by_number(
        self, journal_path: Path, damage: bytes, line: int
    ) -> None:
        """A complete line that is not a JSON object: `read`, and `check` (what the store runs
        when it opens), raise `DamagedFileError` naming the journal and the line, every time,
        and the file keeps its bytes."""
        Journal(journal_path).append([{"n": 1}])
        with journal_path.open("ab") as handle:
            handle.write(damage)
        Journal(journal_path).append([{"n": 9}])
        before = journal_path.read_bytes()
        reader = Journal(journal_path)
        for method in (reader.read, reader.check, reader.read, reader.check):
            with pytest.raises(DamagedFileError) as refused:
                method()
            assert f"{journal_path} est endommagé (la ligne {line} n'est pas" in (
                refused.value.message
            )
        assert journal_path.read_bytes() == before

    def test_check_keeps_no_record(self, journal_path: Path) -> None:
        """`check` passes a sound journal without keeping what it parsed (the audit journal
        grows for ever, and most sessions never read it); `read` still returns every record."""
        Journal(journal_path).append([{"n": n} for n in range(3)])
        with journal_path.open("ab") as handle:
            handle.write(b'{"n": 3')
        reader = Journal(journal_path)

        reader.check()

        assert reader._records == []
        assert reader.read() == [{"n": 0}, {"n": 1}, {"n": 2}]

    def test_damage_appended_later_is_numbered_from_the_start(self, journal_path: Path) -> None:
        """A reader that had read the good lines counts the damaged one from the first line."""
        reader = Journal(journal_path)
        Journal(journal_path).append([{"n": 1}, {"n": 2}])
        assert len(reader.read()) == 2
        with journal_path.open("ab") as handle:
            handle.write(b"garbage\n")
        with pytest.raises(DamagedFileError, match="la ligne 3 n'est pas"):
            reader.read()

    def test_cleared_journal_is_read_from_the_start(self, journal_path: Path) -> None:
        """After another session clears the journal (demo reset) and new records arrive, a
        reader returns exactly the new records, whether the new file is shorter or longer than
        what it had read."""
        writer, reader = Journal(journal_path), Journal(journal_path)
        writer.append([{"n": 1}])
        assert reader.read() == [{"n": 1}]
        writer.clear()
        assert reader.read() == []
        writer.append([{"n": 2}])
        assert reader.read() == [{"n": 2}]
        writer.clear()
        newer = [{"n": n, "texte": "un message plus long que le précédent"} for n in range(3)]
        writer.append(newer)
        assert reader.read() == newer

    def test_store_reset_clears_the_journals(self, tmp_path: Path) -> None:
        """`Store.reset()` empties the audit and outbox journals, for every reader."""
        store = Store(tmp_path / "educonnect.json").open()
        reader = Journal(store.outbox.path)
        store.outbox.append([{"sms": "ancien message, assez long pour dépasser le suivant"}])
        with store.transaction() as tx:
            tx.audit({"event": "old"})
        assert reader.read()
        store.reset()
        store.outbox.append([{"sms": "nouveau"}, {"sms": "et un autre, plus long encore !"}])
        assert reader.read() == [{"sms": "nouveau"}, {"sms": "et un autre, plus long encore !"}]
        assert Journal(store.audit_log.path).read() == []

    def test_missing_journal_reads_as_empty(self, journal_path: Path) -> None:
        """No file yet means no records, not an error."""
        assert Journal(journal_path).read() == []

    def test_journal_file_is_private(self, journal_path: Path) -> None:
        """Journals hold names and phone numbers: mode 0600."""
        Journal(journal_path).append([{"n": 1}])
        assert stat.S_IMODE(os.stat(journal_path).st_mode) == 0o600


class TestCreatedMeanwhile:
    """Another process creates a journal or the data file between this process's failed
    open and its look for a dangling link: a race of concurrent writers (6 × 40 transactions
    failed 1 run in 6 on it), which is no damage."""

    def test_a_journal_created_after_the_failed_open_reads_as_none_yet(
        self, journal_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The read comes before the other process's first line: it finds nothing, and the
        next read finds that line."""
        real_open = os.open

        def open_then_created(path: str, flags: int, *args: Any, **kwargs: Any) -> int:
            if Path(path) == journal_path and flags & os.O_NONBLOCK and not created:
                created.append(journal_path)
                monkeypatch.undo()
                Journal(journal_path).append([{"n": 1}])
                raise FileNotFoundError(path)
            return real_open(path, flags, *args, **kwargs)

        created: list[Path] = []
        reader = Journal(journal_path)
        monkeypatch.setattr(os, "open", open_then_created)
        reader.check()
        assert created == [journal_path]
        assert reader.read() == [{"n": 1}]

    def test_a_data_file_created_after_the_failed_stat_is_opened(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The store opens the file another process has just made instead of calling it a
        link to nothing."""
        db = tmp_path / "educonnect.json"
        Store(db).open()
        real_stat = os.stat
        missed: list[Path] = []

        def stat_before_creation(path: str, *args: Any, **kwargs: Any) -> os.stat_result:
            if Path(path) == db and not missed:
                missed.append(db)
                raise FileNotFoundError(path)
            return real_stat(path, *args, **kwargs)

        monkeypatch.setattr(os, "stat", stat_before_creation)
        Store(db).open()
        assert missed == [db]

    def test_a_link_to_nothing_is_still_refused(self, journal_path: Path) -> None:
        """What the check is for: a share not mounted is refused, never replaced."""
        journal_path.symlink_to(journal_path.with_name("absent.jsonl"))
        with pytest.raises(DamagedFileError, match="lien symbolique vers un fichier absent"):
            Journal(journal_path).check()
