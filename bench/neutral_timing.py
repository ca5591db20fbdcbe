"""Do neutral answers cost the same for a real person and an unknown one (issue 13, item 7)?

Each answer is asked for a real person and an unknown one, in 200 interleaved pairs (the order
inside a pair alternates), on services built as the app builds them (messages sent by the
delivery thread) over the demo data. The clock moves on between pairs, past every sending and
start limit, so each real request takes its full path (a code or reminder really queued).
The purge of what expired, which the services run at most once per ``purge_every`` in whichever
request comes first (``services.throttle.PurgeSchedule``), is run by the bench between pairs:
with the clock moving two hours a pair, the first call of every pair would pay it otherwise.
Printed per answer: the median of each, their ratio (real / unknown), the median of the
pairs' own ratios, and how often the real one was the slower of its pair.

The answers are padded to ``Settings.neutral_answer_floor`` (50 ms, ``services.floor``) as in
service; ``--floor-ms 0`` measures the same I/O alone, without that complement.

Run alone: ``python bench/neutral_timing.py [--pairs 200] [--db postgresql://…] [--floor-ms N]``;
also part of ``bench/fault_bench.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services import ManualClock, PasswordHashing, Services, Settings, build_services
from services.demo import load_demo
from services.errors import ServiceError
from services.passwords import PasswordHasher
from services.recovery import ResetChannel
from services.throttle import purge_expired
from store import Records

__all__ = ["Timing", "measure_neutral_answers"]

NOW = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)
# Demo people: Claire Moreau has an active account (c.moreau1); Sophie Martin has none.
REAL_ACTIVE = ("Moreau", "Claire", "06 45 12 34 56")
REAL_NEW = ("Martin", "Sophie", "06 12 34 56 78")
WRONG_NAME = ("Martine", "Sophie", "06 12 34 56 78")
UNKNOWN = ("Inconnu", "Personne", "06 98 76 54 32")


@dataclass(frozen=True)
class Timing:
    answer: str
    real_ms: float
    unknown_ms: float
    real_slower: float
    # Inside each pair the two calls run a moment apart: the median of the pairs' ratios is
    # steadier than the ratio of the medians on a machine whose load moves.
    pair_ratio: float

    @property
    def ratio(self) -> float:
        return self.real_ms / self.unknown_ms


def _quietly(call: Callable[[], object]) -> Callable[[], None]:
    """The call, its refusal included: a neutral refusal is an answer like any other."""

    def run() -> None:
        with contextlib.suppress(ServiceError):
            call()

    return run


def _pairs(
    name: str,
    real: Callable[[], object],
    unknown: Callable[[], object],
    clock: ManualClock,
    pairs: int,
    services: Services,
) -> Timing:
    times: dict[str, list[float]] = {"real": [], "unknown": []}
    slower = 0
    ratios = []
    for index in range(pairs):
        clock.advance(timedelta(hours=2))
        with services.store.transaction() as tx:
            purge_expired(Records(tx), clock.now(), services.settings)
        order: list[tuple[str, Callable[[], object]]] = [("real", real), ("unknown", unknown)]
        if index % 2:
            order.reverse()
        took = {}
        for label, call in order:
            start = time.perf_counter()
            call()
            took[label] = time.perf_counter() - start
            times[label].append(took[label])
        slower += took["real"] > took["unknown"]
        ratios.append(took["real"] / took["unknown"])
        if services.delivery is not None:
            # Between pairs, not inside one: the sending itself is not the answer's time.
            services.delivery.drain()
    return Timing(
        name,
        statistics.median(times["real"]) * 1000,
        statistics.median(times["unknown"]) * 1000,
        slower / pairs,
        statistics.median(ratios),
    )


def measure_neutral_answers(
    folder: Path, pairs: int, db_url: str | None = None, floor: timedelta | None = None
) -> list[Timing]:
    """``floor``: ``neutral_answer_floor`` (``None``: the setting's default)."""
    clock = ManualClock(NOW)
    floors = {} if floor is None else {"neutral_answer_floor": floor}
    settings = Settings(
        **floors,
        db_path=folder / "neutre.json",
        db_url=db_url,
        # Never due inside a pair: ``_pairs`` purges between pairs.
        purge_every=timedelta(days=365_000),
        hashing=PasswordHashing(memory_cost_kib=1024, rounds=1, parallelism=1),
    )
    services = build_services(
        settings, clock=clock, rng=random.Random(13), deliver_in_background=True
    )
    load_demo(services.store, PasswordHasher(settings.hashing), clock)
    recovery, registration = services.recovery, services.registration
    cases = [
        (
            "« Identifiant oublié »",
            lambda: recovery.remind_identifiant(*REAL_ACTIVE),
            lambda: recovery.remind_identifiant(*UNKNOWN),
        ),
        (
            "« Identifiant oublié » par e-mail",
            lambda: recovery.remind_identifiant(*REAL_ACTIVE, channel=ResetChannel.EMAIL),
            lambda: recovery.remind_identifiant(*UNKNOWN, channel=ResetChannel.EMAIL),
        ),
        (
            "demande de nouveau mot de passe",
            lambda: recovery.request_password_reset("c.moreau1"),
            lambda: recovery.request_password_reset("x.inconnu1"),
        ),
        (
            "activation refusée (numéro connu / inconnu)",
            _quietly(lambda: registration.start(*WRONG_NAME)),
            _quietly(lambda: registration.start(*UNKNOWN)),
        ),
        (
            "activation acceptée / refusée",
            lambda: registration.start(*REAL_NEW),
            _quietly(lambda: registration.start(*UNKNOWN)),
        ),
    ]
    return [_pairs(name, real, unknown, clock, pairs, services) for name, real, unknown in cases]


def table(timings: list[Timing]) -> str:
    lines = [
        "| réponse neutre | réel (ms) | inconnu (ms) | réel / inconnu | par paire "
        "| réel plus lent |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for timing in timings:
        lines.append(
            f"| {timing.answer} | {timing.real_ms:.2f} | {timing.unknown_ms:.2f} "
            f"| {timing.ratio:.3f} | {timing.pair_ratio:.3f} | {timing.real_slower:.0%} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--db", default=None, help="postgresql://… (default: a data file)")
    parser.add_argument(
        "--floor-ms", type=float, default=None, help="neutral_answer_floor (default: 50)"
    )
    arguments = parser.parse_args()
    floor = None if arguments.floor_ms is None else timedelta(milliseconds=arguments.floor_ms)
    with tempfile.TemporaryDirectory() as folder:
        timings = measure_neutral_answers(Path(folder), arguments.pairs, arguments.db, floor)
        print(table(timings))


if __name__ == "__main__":
    main()
