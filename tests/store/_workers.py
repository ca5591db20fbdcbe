"""Code run in child processes by the multi-process store tests.

It lives in an importable module (not in the test file) because ``spawn`` and ``forkserver``
children import their target by name.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime
from multiprocessing.connection import Connection
from pathlib import Path

from services import ManualClock, PasswordHashing, Settings, build_services
from services.registration import ChildAnswer
from store import Records, Store
from store.records import Establishment, Guardian, Link, Pupil

__all__ = [
    "SCHOOL",
    "CapturingSms",
    "guardian",
    "insert_distinct",
    "link",
    "pupil",
    "register_guardians",
    "write_loop",
]

START = datetime(2026, 9, 7, 8, 30, tzinfo=UTC)
CHEAP_HASHING = PasswordHashing(memory_cost_kib=1024, rounds=1, parallelism=1)
SCHOOL = Establishment(uai="0341234A", nom="CLG Frédéric Bazille")
PASSWORD = "Tournesol-42!"
BIRTH_DATE = date(2012, 3, 14)


def guardian(
    key: str, number: int, *, nom: str = "Dupont-Lefèvre", prenom: str = "Jean"
) -> Guardian:
    return Guardian(
        id=f"R{key}",
        nom=nom,
        prenom=prenom,
        portable=f"+3361{number:07d}",
        courriel=f"parent{number}@example.fr",
    )


def pupil(key: str) -> Pupil:
    return Pupil(
        id=f"E{key}",
        nom="Dupont-Lefèvre",
        prenom="Zoé",
        naissance=BIRTH_DATE,
        classe="5A",
        uai=SCHOOL.uai,
    )


def link(key: str) -> Link:
    return Link(guardian_id=f"R{key}", pupil_id=f"E{key}")


def write_loop(db_path: str, report: Connection) -> None:
    """Insert family after family, each in one transaction, until killed.

    A family is three records in three tables, so a torn transaction would show as a guardian
    without its pupil or link. ``report`` gets the number of families after each commit.
    """
    store = Store(Path(db_path)).open()
    while True:
        with store.transaction() as tx:
            records = Records(tx)
            number = records.guardians.count()
            key = f"{number:06d}"
            records.guardians.put(guardian(key, number))
            records.pupils.put(pupil(key))
            records.links.put(link(key))
            tx.audit({"event": "family_inserted", "guardian_id": f"R{key}"})
        report.send(number + 1)


def insert_distinct(db_path: str, worker: int, count: int) -> None:
    """``count`` transactions, each inserting one guardian nobody else inserts."""
    store = Store(Path(db_path)).open()
    for index in range(count):
        key = f"{worker:02d}-{index:04d}"
        with store.transaction() as tx:
            Records(tx).guardians.put(guardian(key, worker * 10_000 + index))
            tx.audit({"event": "guardian_inserted", "guardian_id": f"R{key}"})


class CapturingSms:
    """Keeps the last SMS per number, as the person's phone would show it."""

    def __init__(self) -> None:
        self.last: dict[str, str] = {}

    def send(self, to: str, text: str) -> None:
        self.last[to] = text


def register_guardians(db_path: str, numbers: list[int], seed: int) -> None:
    """Walk the whole guide (steps 3 to 7) for each guardian, through the real services."""
    sms = CapturingSms()
    services = build_services(
        Settings(db_path=Path(db_path), hashing=CHEAP_HASHING),
        clock=ManualClock(START),
        rng=random.Random(seed),
        sms=sms,
    )
    registration = services.registration
    for number in numbers:
        started = registration.start("Dupont-Lefèvre", "Jean", f"061{number:07d}")
        registration.send_code(started.token)
        found = re.search(r"code d'activation est ([A-Z]{6})", sms.last[started.phone])
        if found is None:
            raise AssertionError(f"pas de code dans le SMS : {sms.last[started.phone]!r}")
        registration.verify_code(started.token, found.group(1).lower())
        children = registration.children(started.token).children
        registration.confirm_children(
            started.token,
            [
                ChildAnswer(pupil_id=child.pupil_id, is_guardian=True, birth_date="14/03/2012")
                for child in children
            ],
        )
        registration.set_password(started.token, PASSWORD, PASSWORD)
