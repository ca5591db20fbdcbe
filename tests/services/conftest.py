"""The services run on both stores: every test that uses ``services`` (or ``demo_services``)
runs once on the TinyDB file and once on PostgreSQL, except those marked ``file_store`` (they
are about the file itself: its mode, its bytes)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from services import ManualClock, Services, Settings, build_services
from store.postgres.store import PostgresStore
from tests._postgres import PostgresServer, empty_database

BACKENDS = ("fichier", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        file_only = metafunc.definition.get_closest_marker("file_store") is not None
        metafunc.parametrize("backend", BACKENDS[:1] if file_only else BACKENDS)


@pytest.fixture
def services(
    settings: Settings, clock: ManualClock, backend: str, request: pytest.FixtureRequest
) -> Iterator[Services]:
    """Services on an empty store of the backend under test."""
    if backend == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        settings = settings.model_copy(update={"db_url": empty_database(server, "services")})
    built = build_services(settings, clock=clock, rng=random.Random(20260907))
    yield built
    if isinstance(built.store, PostgresStore):
        built.store.close()
