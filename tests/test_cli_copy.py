"""`educonnect admin copier`: everything from a data file into an empty PostgreSQL database and
back, codes in progress still valid; all or nothing, and never over existing data."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from services import ManualClock, Services, Settings, build_services
from store import Records
from store.copying import COLLECTIONS
from store.postgres.store import PostgresStore
from tests._postgres import PostgresServer, blank_database
from tests.services._registration import MARTIN, sms_code
from tui.cli import main

REFUSED = 2


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture
def url(postgres_server: PostgresServer) -> str:
    return blank_database(postgres_server, "copie")


def everything(services: Services) -> tuple[object, ...]:
    records = Records(services.store.snapshot())
    return (
        *(getattr(records, name).all() for name in COLLECTIONS),
        services.store.audit_log.read(),
        services.store.outbox.read(),
    )


class TestCopy:
    def test_file_to_database_keeps_codes_in_progress(
        self, demo_services: Services, url: str, clock: ManualClock
    ) -> None:
        """After the copy, the code a parent received before it still activates: the records
        and the secret key came along. The command says what it copied."""
        started = demo_services.registration.start(*MARTIN)
        demo_services.registration.send_code(started.token)
        pupils = Records(demo_services.store.snapshot()).pupils.count()

        result = run("admin", "copier", "--de", demo_services.settings.db_path, "--vers", url)

        assert result.exit_code == 0, result.output
        assert "vers la base de données « copie » (hôte " in result.stdout
        assert f"  Élèves : {pupils}\n" in result.stdout
        assert "  Messages (SMS, courriels) : 1\n" in result.stdout
        settings = demo_services.settings.model_copy(update={"db_url": url})
        copied = build_services(settings, clock=clock, rng=random.Random(1))
        try:
            assert everything(copied) == everything(demo_services)
            copied.registration.verify_code(started.token, sms_code(demo_services, started.phone))
        finally:
            assert isinstance(copied.store, PostgresStore)
            copied.store.close()

    def test_database_back_to_a_new_file(
        self, demo_services: Services, url: str, tmp_path: Path
    ) -> None:
        run("admin", "copier", "--de", demo_services.settings.db_path, "--vers", url)
        back = tmp_path / "retour" / "educonnect.json"

        result = run("admin", "copier", "--de", url, "--vers", back)

        assert result.exit_code == 0, result.output
        assert f"vers {back} :" in result.stdout
        returned = build_services(Settings(db_path=back))
        assert everything(returned) == everything(demo_services)
        assert returned.store.secret_key() == demo_services.store.secret_key()

    def test_never_over_existing_data(self, demo_services: Services, url: str) -> None:
        """A second copy into the same database is refused: nothing is merged or replaced."""
        run("admin", "copier", "--de", demo_services.settings.db_path, "--vers", url)

        result = run("admin", "copier", "--de", demo_services.settings.db_path, "--vers", url)

        assert result.exit_code == REFUSED
        assert "contient déjà des données : rien n'a été copié" in result.stderr

    def test_missing_source_creates_nothing(self, tmp_path: Path) -> None:
        destination = tmp_path / "copie.json"

        result = run("admin", "copier", "--de", tmp_path / "absent.json", "--vers", destination)

        assert result.exit_code == REFUSED
        assert "n'existe pas : rien n'a été copié" in result.stderr
        assert not destination.exists()
