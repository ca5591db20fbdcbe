"""Two front machines (or two SSH sessions) working at once on the same store: each operation
is whole, none is lost, whichever the backend."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

from services import ManualClock, Services, build_services
from store.postgres.store import PostgresStore
from tests.services._registration import BERNARD, LEFEVRE, MARTIN, MOREAU, NDIAYE, events

FAMILIES = (MARTIN, BERNARD, LEFEVRE, NDIAYE, MOREAU)


def in_threads(*work: Callable[[], None]) -> None:
    threads = [threading.Thread(target=job) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class TestTwoMachines:
    def test_registrations_at_the_same_time_all_get_their_code(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Five parents start registering at once on two machines: five codes sent, five
        registrations recorded, five audit lines."""
        other = build_services(demo_services.settings, clock=clock, rng=random.Random(2))
        machines = (demo_services, other)

        def register(services: Services, identity: tuple[str, str, str]) -> Callable[[], None]:
            def run() -> None:
                started = services.registration.start(*identity)
                services.registration.send_code(started.token)

            return run

        in_threads(*(register(machines[i % 2], family) for i, family in enumerate(FAMILIES)))
        if isinstance(other.store, PostgresStore):
            other.store.close()

        phones = {message.to for message in demo_services.outbox.messages(channel="sms")}
        assert len(phones) == len(FAMILIES)
        assert len(events(demo_services, "code_sent")) == len(FAMILIES)
