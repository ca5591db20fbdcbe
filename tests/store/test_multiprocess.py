"""Several processes on one file: killed writers and concurrent writers lose nothing."""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable
from multiprocessing.context import ForkServerContext
from pathlib import Path

import pytest

from store import Journal, Records, Store
from store.records import AccountStatus, LinkState, RegistrationStage
from tests.store import _workers

pytestmark = pytest.mark.slow

KILLS = 30
WRITERS = 6


def forkserver() -> ForkServerContext:
    """Children forked from a clean server that has already imported the store and services:
    each start costs milliseconds instead of a fresh interpreter (30 kills fit in a few
    seconds), and, as with `spawn`, children never inherit the test process's state."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.store._workers"])
    return context


def run_all(jobs: list[tuple[object, ...]], target: Callable[..., None]) -> None:
    """One process per job, all at once; each must exit cleanly."""
    processes = [forkserver().Process(target=target, args=args) for args in jobs]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * len(processes)


def family_keys(records: Records) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    return (
        sorted(g.id for g in records.guardians.all()),
        sorted(p.id for p in records.pupils.all()),
        sorted((link.guardian_id, link.pupil_id) for link in records.links.all()),
    )


class TestKilledWriter:
    def test_sigkill_at_random_moments_never_loses_or_tears_a_transaction(
        self, db_path: Path
    ) -> None:
        """A writer is SIGKILLed 30 times at random points of its transaction loop (as a dropped
        SSH session would be). After each kill the file opens and reads; every transaction the
        writer reported as committed is there, the one in flight is there entirely or not at
        all (guardian, pupil and link together), the audit journal holds each committed one's
        line exactly once, and no temp file survives the next opening."""
        context = forkserver()
        chooser = random.Random(20260907)
        committed = 0
        for _ in range(KILLS):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_workers.write_loop, args=(str(db_path), writer))
            process.start()
            writer.close()
            # Kill after 0 to 4 commits (sometimes while it is still opening the store), then
            # at a random point of the next transaction. The pause only spreads the kill
            # points (about a quarter land between temp file and rename here); no assertion
            # depends on where the kill lands.
            for _ in range(chooser.randint(0, 4)):
                committed = reader.recv()
            time.sleep(chooser.uniform(0, 0.02))
            process.kill()
            process.join()
            while reader.poll():
                try:
                    committed = reader.recv()
                except EOFError:
                    break
            reader.close()
            assert process.exitcode == -9

            store = Store(db_path).open()
            found = Records(store.snapshot()).guardians.count()
            assert committed <= found <= committed + 1
            keys = [f"{number:06d}" for number in range(found)]
            assert family_keys(Records(store.snapshot())) == (
                [f"R{key}" for key in keys],
                [f"E{key}" for key in keys],
                [(f"R{key}", f"E{key}") for key in keys],
            )
            assert not list(db_path.parent.glob(f".{db_path.name}.*"))
            committed = found
        # Every committed transaction's audit line, once: one killed between the commit and
        # the append was appended by the next opening.
        audited = [r["guardian_id"] for r in Journal(store.audit_log.path).read()]
        assert audited == [f"R{number:06d}" for number in range(committed)]


class TestConcurrentWriters:
    def test_six_writers_lose_no_transaction(self, db_path: Path) -> None:
        """Six processes each commit 40 transactions at the same time: all 240 guardians are
        there exactly once, and the audit journal holds 240 whole lines."""
        Store(db_path).open()
        per_writer = 40
        run_all(
            [(str(db_path), worker, per_writer) for worker in range(WRITERS)],
            _workers.insert_distinct,
        )
        store = Store(db_path).open()
        expected = {
            f"R{worker:02d}-{index:04d}" for worker in range(WRITERS) for index in range(per_writer)
        }
        ids = [g.id for g in Records(store.snapshot()).guardians.all()]
        assert len(ids) == len(expected) and set(ids) == expected
        audited = [r["guardian_id"] for r in Journal(store.audit_log.path).read()]
        assert sorted(audited) == sorted(expected)

    def test_six_sessions_registering_homonyms_get_distinct_identifiants(
        self, db_path: Path
    ) -> None:
        """Six processes run the whole registration (steps 3 to 7, real services) for 48
        guardians all named Jean Dupont-Lefèvre: every account is activated, every link is
        confirmed, and the 48 identifiants are distinct (j.dupontlefevre1 … 48) although
        each was chosen while other sessions were choosing theirs."""
        per_session = 8
        numbers = list(range(WRITERS * per_session))
        store = Store(db_path).open()
        with store.transaction() as tx:
            records = Records(tx)
            records.establishments.put(_workers.SCHOOL)
            for number in numbers:
                key = f"{number:04d}"
                records.guardians.put(_workers.guardian(key, number))
                records.pupils.put(_workers.pupil(key))
                records.links.put(_workers.link(key))
        run_all(
            [(str(db_path), numbers[session::WRITERS], session) for session in range(WRITERS)],
            _workers.register_guardians,
        )
        records = Records(store.snapshot())
        accounts = records.accounts.all()
        assert sorted(a.owner_id for a in accounts) == [f"R{n:04d}" for n in numbers]
        assert all(a.status is AccountStatus.ACTIVE and a.password_hash for a in accounts)
        assert sorted(a.identifiant for a in accounts) == sorted(
            f"j.dupontlefevre{rank}" for rank in range(1, len(numbers) + 1)
        )
        assert {link.state for link in records.links.all()} == {LinkState.CONFIRMED}
        assert {r.stage for r in records.registrations.all()} == {RegistrationStage.DONE}
        events = [r["event"] for r in Journal(store.audit_log.path).read()]
        assert events.count("account_activated") == len(numbers)
