"""The `educonnect` command line: import, sms, mail, demo, and refused data files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from services import Services, Settings, build_services
from services.demo import DEMO_ACTIVE_PASSWORD, DEMO_GUARDIANS
from services.importer import EXPECTED_HEADER
from store import Records
from store.records import AccountKind
from tui.cli import main

SAMPLE = Path(__file__).parent / "data" / "export-etablissement.csv"
GOOD_ROW = (
    "0341234A;CLG Frédéric Bazille;E001;Martin;Lucas;14/03/2012;4B;R001;Martin;Sophie;"
    "06 12 34 56 78;"
)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def school_records(db: Path) -> Records:
    return Records(build_services(Settings(db_path=db)).store.snapshot())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "educonnect.json"


class TestImport:
    def test_prints_counts_and_warnings(self, db: Path) -> None:
        """A good export: counts per kind, then the guardians who cannot self-register."""
        result = run("import", SAMPLE, "--db", db)

        assert result.exit_code == 0, result.output
        assert "Élèves : 7 ajoutés, 0 modifié, 0 inchangé" in result.stdout
        assert "Liens élève–responsable : 8 ajoutés" in result.stdout
        assert "3 avertissements :" in result.stdout
        assert "Ligne 7, colonne responsable_portable : Le responsable R105" in result.stdout
        assert school_records(db).pupils.count() == 7

    def test_second_import_reports_unchanged(self, db: Path) -> None:
        """Running the same import again says that nothing changed."""
        run("import", SAMPLE, "--db", db)

        result = run("--db", db, "import", SAMPLE)

        assert result.exit_code == 0, result.output
        assert "Élèves : 0 ajouté, 0 modifié, 7 inchangés" in result.stdout

    def test_errors_exit_1_and_write_nothing(self, db: Path, tmp_path: Path) -> None:
        """A bad export: every error with its line on stderr, exit code 1, no record written."""
        bad = tmp_path / "export.csv"
        bad.write_text(
            "\n".join(
                [
                    EXPECTED_HEADER,
                    GOOD_ROW,
                    GOOD_ROW.replace("E001;Martin;Lucas;14/03/2012", "E002;Martin;Léo;31/02/2012"),
                    GOOD_ROW.replace("E001;Martin", "E003;"),
                ]
            ),
            encoding="utf-8",
        )

        result = run("import", bad, "--db", db)

        assert result.exit_code == 1
        assert "Import refusé : 2 erreurs" in result.stderr
        assert "Ligne 3, colonne eleve_naissance : La date 31/02/2012 n'existe pas." in (
            result.stderr
        )
        assert "Ligne 4, colonne eleve_nom : Il manque le nom de l'élève." in result.stderr
        assert school_records(db).pupils.count() == 0

    def test_oversized_header_cell(self, db: Path, tmp_path: Path) -> None:
        """A header cell over the csv module's limit: French message, exit 2, no traceback, the
        data file untouched."""
        run("import", SAMPLE, "--db", db)
        before = db.read_bytes()
        export = tmp_path / "export.csv"
        export.write_text(f"{EXPECTED_HEADER};{'x' * 131_073}\n{GOOD_ROW}\n", encoding="utf-8")

        result = run("import", export, "--db", db)

        assert result.exit_code == 2
        assert "Ligne 1 : la ligne d'en-tête est illisible" in result.stderr
        assert "Traceback" not in result.output
        assert db.read_bytes() == before

    def test_missing_file(self, db: Path, tmp_path: Path) -> None:
        """A wrong file name: French message, exit 2, no data file created."""
        result = run("import", tmp_path / "absent.csv", "--db", db)

        assert result.exit_code == 2
        assert "n'existe pas" in result.stderr
        assert "Traceback" not in result.output
        assert not db.exists()


class TestRefusedImportCreatesNothing:
    @pytest.mark.parametrize(
        ("export", "exit_code", "reason"),
        [
            (f"{EXPECTED_HEADER}\n{GOOD_ROW.replace('E001;Martin', 'E001;')}\n", 1, "Ligne 2"),
            ("nom;prenom\nMartin;Lucas\n", 1, "ne correspond pas au format d'import"),
            ("", 1, "Le fichier est vide"),
            (f"{EXPECTED_HEADER};{'x' * 131_073}\n{GOOD_ROW}\n", 2, "en-tête est illisible"),
        ],
        ids=["bad-row", "bad-header", "empty", "unreadable-header"],
    )
    def test_nothing_in_a_new_folder(
        self, tmp_path: Path, export: str, exit_code: int, reason: str
    ) -> None:
        """A refused export into a data file that does not exist yet: the same refusal and
        exit code as before, and no folder, data file, key, lock or journal appears. (A file
        that cannot be read at all is `TestImport.test_missing_file`.)"""
        csv = tmp_path / "export.csv"
        csv.write_text(export, encoding="utf-8")
        folder = tmp_path / "nouveau"

        result = run("import", csv, "--db", folder / "educonnect.json")

        assert result.exit_code == exit_code
        assert reason in result.stderr
        assert not folder.exists()

    def test_nothing_in_an_empty_folder(self, tmp_path: Path) -> None:
        """The data file's folder exists and is empty: after a refused export, it still is."""
        csv = tmp_path / "export.csv"
        csv.write_text("nom;prenom\nMartin;Lucas\n", encoding="utf-8")
        folder = tmp_path / "donnees"
        folder.mkdir()

        result = run("import", csv, "--db", folder / "educonnect.json")

        assert result.exit_code == 1
        assert list(folder.iterdir()) == []


class TestSms:
    def test_lists_messages_sent_by_registration(self, demo_services: Services) -> None:
        """The code sent at step 4 shows up: local time, E.164 number, text."""
        registration = demo_services.registration
        token = registration.start("Martin", "Sophie", "06 12 34 56 78").token
        registration.send_code(token)
        sent = demo_services.outbox.messages()[0]

        result = run("sms", "--db", demo_services.settings.db_path)

        assert result.exit_code == 0, result.output
        when = sent.at.astimezone().strftime("%d/%m/%Y %H:%M")
        assert result.stdout == f"{when}  +33612345678  {sent.text}\n"

    def test_to_filters_by_number_as_typed(self, demo_services: Services) -> None:
        """`--to` takes the number the way a person types it and keeps only its messages."""
        registration = demo_services.registration
        registration.send_code(registration.start("Martin", "Sophie", "06 12 34 56 78").token)
        registration.send_code(registration.start("Bernard", "Thomas", "06 23 45 67 89").token)

        result = run("sms", "--db", demo_services.settings.db_path, "--to", "06 23 45 67 89")

        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert len(lines) == 1
        assert "  +33623456789  ÉduConnect : votre code d'activation est " in lines[0]

    def test_empty_outbox(self, db: Path) -> None:
        """No SMS yet: said so, not an empty screen."""
        result = run("sms", "--db", db)

        assert result.exit_code == 0
        assert result.stdout == "Aucun SMS envoyé.\n"

    def test_unreadable_number(self, db: Path) -> None:
        """A `--to` that is not a French mobile is refused in French, exit 2."""
        result = run("sms", "--db", db, "--to", "06 12")

        assert result.exit_code == 2
        assert "n'est pas valide" in result.stderr


class TestMail:
    def test_lists_mail_with_subject_and_indented_text(self, demo_services: Services) -> None:
        """A confirmation code sent to a new address shows: time, address, subject, then the
        text indented under it."""
        session = demo_services.login.login(
            "c.moreau1", DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        )
        demo_services.account.set_email(session, "claire.moreau@exemple.fr")
        sent = demo_services.outbox.messages(channel="email")[0]

        result = run("mail", "--db", demo_services.settings.db_path)

        assert result.exit_code == 0, result.output
        when = sent.at.astimezone().strftime("%d/%m/%Y %H:%M")
        lines = result.stdout.splitlines()
        assert lines[0] == f"{when}  claire.moreau@exemple.fr  {sent.subject}"
        assert lines[1:] == [f"    {line}" for line in sent.text.splitlines()]

    def test_to_filters_by_address_whatever_the_case(self, demo_services: Services) -> None:
        """`--to` keeps only one address's mail; an address with no mail says so."""
        session = demo_services.login.login(
            "c.moreau1", DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        )
        demo_services.account.set_email(session, "claire.moreau@exemple.fr")
        db = demo_services.settings.db_path

        kept = run("mail", "--db", db, "--to", "Claire.Moreau@exemple.fr")
        other = run("mail", "--db", db, "--to", "autre@exemple.fr")

        assert "claire.moreau@exemple.fr" in kept.stdout.splitlines()[0]
        assert other.stdout == "Aucun courriel envoyé à autre@exemple.fr.\n"

    def test_no_sms_in_the_mail_list(self, demo_services: Services) -> None:
        """SMS stay in `educonnect sms`: an outbox holding only SMS has no mail."""
        registration = demo_services.registration
        registration.send_code(registration.start("Martin", "Sophie", "06 12 34 56 78").token)

        result = run("mail", "--db", demo_services.settings.db_path)

        assert result.stdout == "Aucun courriel envoyé.\n"


class TestDemo:
    def test_creates_the_families(self, db: Path) -> None:
        """`demo --no-app` fills the store and lists each family with its children."""
        result = run("demo", "--db", db, "--no-app")

        assert result.exit_code == 0, result.output
        assert str(db) in result.stdout
        assert "Sophie Martin — 06 12 34 56 78" in result.stdout
        assert "Lucas Martin, né(e) le 14/03/2012, CLG Frédéric Bazille (4B)" in result.stdout
        assert "Pedro Garcia — aucun portable" in result.stdout
        assert "c.moreau1" in result.stdout
        assert school_records(db).guardians.count() == len(DEMO_GUARDIANS)

    def test_resets_a_used_demo(self, db: Path) -> None:
        """Running it again on a demo store starts the demo afresh."""
        run("demo", "--db", db, "--no-app")

        result = run("demo", "--db", db, "--no-app")

        assert result.exit_code == 0, result.output

    def test_refuses_to_erase_a_school(self, db: Path) -> None:
        """A store holding a real school's data is not erased without `--force`."""
        run("import", SAMPLE, "--db", db)

        refused = run("demo", "--db", db, "--no-app")
        forced = run("demo", "--db", db, "--no-app", "--force")

        assert refused.exit_code == 2
        assert "contient d'autres données que la démo" in refused.stderr
        assert forced.exit_code == 0, forced.output
        assert school_records(db).pupils.get(id="E101") is None


class TestRefusedDataFile:
    @pytest.mark.parametrize(
        "command",
        [["import", str(SAMPLE)], ["sms"], ["demo", "--no-app"], []],
        ids=["import", "sms", "demo", "app"],
    )
    def test_corrupt_file(self, db: Path, command: list[str]) -> None:
        """A damaged data file: its French message on stderr, exit 2, the file untouched."""
        db.write_bytes(b'{"_meta": {"1": {"format": "educonnect-tui", "sch')

        result = run("--db", db, *command)

        assert result.exit_code == 2
        assert "est illisible (JSON invalide)" in result.stderr
        assert "Traceback" not in result.output
        assert db.read_bytes() == b'{"_meta": {"1": {"format": "educonnect-tui", "sch'

    def test_foreign_file(self, db: Path) -> None:
        """Some other program's JSON is refused, not overwritten."""
        db.write_text('{"users": []}', encoding="utf-8")

        result = run("import", SAMPLE, "--db", db)

        assert result.exit_code == 2
        assert "n'est pas un fichier de données ÉduConnect" in result.stderr
        assert db.read_text(encoding="utf-8") == '{"users": []}'

    def test_read_only_file(self, db: Path) -> None:
        """Re-importing into a 0444 data file: French refusal, exit 2, same bytes, same mode."""
        run("import", SAMPLE, "--db", db)
        db.chmod(0o444)
        before = db.read_bytes()

        result = run("import", SAMPLE, "--db", db)

        assert result.exit_code == 2
        assert "est en lecture seule pour ce compte" in result.stderr
        assert "Traceback" not in result.output
        assert db.read_bytes() == before
        assert stat.S_IMODE(db.stat().st_mode) == 0o444

    def test_db_from_environment(self, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without --db, EDUCONNECT_DB names the data file."""
        monkeypatch.setenv("EDUCONNECT_DB", str(db))

        result = run("import", SAMPLE)

        assert result.exit_code == 0, result.output
        assert school_records(db).pupils.count() == 7


class TestServeOptions:
    @pytest.mark.parametrize(
        ("args", "reason"),
        [
            (["ssh", "--port", "70000"], "--port attend un nombre entier de 0 à 65535"),
            (["ssh", "--port", "-1"], "--port attend un nombre entier de 0 à 65535"),
            (["ssh", "--port", "deux"], "--port attend un nombre entier de 0 à 65535"),
            (["ssh", "--idle-timeout", "0"], "--idle-timeout attend un nombre entier de minutes"),
            (["ssh", "--max-sessions", "0"], "--max-sessions attend un nombre entier d'au moins 1"),
            (["ssh", "--rate-limit", "0"], "--rate-limit attend un nombre entier d'au moins 1"),
            (["web", "--port", "0"], "--port attend un nombre entier de 1 à 65535"),
            (["web", "--port", "65536"], "--port attend un nombre entier de 1 à 65535"),
        ],
        ids=[
            "ssh-port-high",
            "ssh-port-negative",
            "ssh-port-word",
            "idle",
            "sessions",
            "rate",
            "web-port-zero",
            "web-port-high",
        ],
    )
    def test_out_of_range_values_are_refused_in_french(
        self, db: Path, args: list[str], reason: str
    ) -> None:
        """A value the server cannot use: the usage line, the reason in French with the value
        typed, exit 2, no traceback, and no data file opened (the check comes first)."""
        # On a public address without --open, a server that took the value would refuse to start
        # with another message: without the check, the test fails instead of serving for ever.
        result = run("serve", *args, "--host", "0.0.0.0", "--db", db)

        assert result.exit_code == 2
        usage = result.stderr.splitlines()[0]
        assert usage.startswith("Utilisation : ")
        assert usage.endswith(f" serve {args[0]} [OPTIONS]")
        assert f"Erreur : {reason}" in result.stderr
        assert f"(reçu : « {args[-1]} »)." in result.stderr
        assert "Error" not in result.output
        assert "Traceback" not in result.output
        assert not db.exists()

    def test_the_lowest_values_are_accepted(self, db: Path) -> None:
        """Port 1, one minute, one session, one connection a minute pass the checks: the
        refusal that follows is the server's own (public address without --open)."""
        result = run(
            "serve",
            "ssh",
            "--port",
            "1",
            "--idle-timeout",
            "1",
            "--max-sessions",
            "1",
            "--rate-limit",
            "1",
            "--host",
            "0.0.0.0",
            "--db",
            db,
        )

        assert result.exit_code == 2
        assert "n'importe qui pourrait se connecter sans mot de passe" in result.stderr
