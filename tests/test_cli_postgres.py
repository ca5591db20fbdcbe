"""`--db postgresql://…` and `EDUCONNECT_DB`: the commands work on a PostgreSQL database, and a
database that must be refused (or cannot be reached) gets a French sentence, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from services import Settings, build_services
from store import Records
from tests._postgres import PostgresServer, blank_database, execute
from tui.cli import main

SAMPLE = Path(__file__).parent / "data" / "export-etablissement.csv"
REFUSED = 2


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture
def url(postgres_server: PostgresServer) -> str:
    return blank_database(postgres_server, "cli")


def pupils_in(url: str, tmp_path: Path) -> int:
    services = build_services(Settings(db_path=tmp_path / "inutilise.json", db_url=url))
    return Records(services.store.snapshot()).pupils.count()


class TestDatabase:
    def test_import_into_a_database(self, url: str, tmp_path: Path) -> None:
        """The import says which database it wrote to (no file is created for it)."""
        result = run("import", SAMPLE, "--db", url)

        assert result.exit_code == 0, result.output
        assert "dans la base de données « cli » (hôte " in result.stdout
        assert "Élèves : 7 ajoutés, 0 modifié, 0 inchangé" in result.stdout
        assert pupils_in(url, tmp_path) == 7

    def test_database_from_the_environment(
        self, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without --db, EDUCONNECT_DB may name a database too."""
        monkeypatch.setenv("EDUCONNECT_DB", url)

        result = run("import", SAMPLE)

        assert result.exit_code == 0, result.output
        assert pupils_in(url, tmp_path) == 7
        assert run("sms").stdout == "Aucun SMS envoyé.\n"

    def test_foreign_database_is_refused(self, url: str) -> None:
        execute(url, "CREATE TABLE commandes (id integer)")

        result = run("import", SAMPLE, "--db", url)

        assert result.exit_code == REFUSED
        assert "contient déjà d'autres tables que celles d'ÉduConnect" in result.stderr
        assert "Traceback" not in result.output

    def test_unreachable_server(self, tmp_path: Path) -> None:
        result = run("sms", "--db", f"postgresql://postgres@/educonnect?host={tmp_path}")

        assert result.exit_code == REFUSED
        assert "La base de données « educonnect »" in result.stderr
        assert "ne répond pas" in result.stderr
        assert "Traceback" not in result.output

    @pytest.mark.parametrize("server", ["ssh", "web"])
    def test_servers_check_the_database_before_they_listen(
        self, server: str, tmp_path: Path
    ) -> None:
        """A server on a database that does not answer says so at start, rather than listening
        and failing in every session."""
        url = f"postgresql://postgres@/educonnect?host={tmp_path}"

        result = run("serve", server, "--db", url, "--port", "1")

        assert result.exit_code == REFUSED
        assert "ne répond pas" in result.stderr
        assert "Traceback" not in result.output
