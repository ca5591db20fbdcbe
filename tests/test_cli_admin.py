"""`educonnect admin`: the school's account administration from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from services import Services, Settings, build_services
from services.demo import DEMO_ACTIVE_IDENTIFIANT
from services.school import SchoolDetails
from store import Records
from store.records import AccountStatus
from tui.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "educonnect.json"
    assert run("demo", "--no-app", "--db", path).exit_code == 0
    return path


SCHOOL_FILE = """
nom = "Collège Frédéric Bazille"
contact = "Secrétariat : 04 67 00 00 00 — secretariat@clg-bazille.fr"
academie = "Montpellier"
"""


@pytest.fixture
def school_file(tmp_path: Path) -> Path:
    path = tmp_path / "etablissement.toml"
    path.write_text(SCHOOL_FILE, "utf-8")
    return path


def _records(db: Path) -> Records:
    return Records(build_services(Settings(db_path=db)).store.snapshot())


class TestAdminGroup:
    def test_help_lists_the_commands(self, db: Path) -> None:
        """`educonnect admin --help` lists the commands scripts can use."""
        result = run("admin", "--help")
        assert result.exit_code == 0
        for command in ("accounts", "issue", "stats", "disputes", "audit", "unlock", "reset"):
            assert command in result.stdout

    def test_without_subcommand_opens_the_admin_app(
        self, db: Path, school_file: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`educonnect admin --db FILE` alone runs the administration app on that file, with
        the school's file for its notices when one is given."""
        opened: list[tuple[Path, SchoolDetails | None]] = []

        class FakeApp:
            def __init__(self, services: Services, school: SchoolDetails | None) -> None:
                self.opened = (services.settings.db_path, school)

            def run(self) -> None:
                opened.append(self.opened)

        def fake_factory(services: Services, *, school: SchoolDetails | None) -> FakeApp:
            return FakeApp(services, school)

        monkeypatch.setattr("tui.admin.make_admin_app", fake_factory)
        result = run("admin", "--db", db)
        assert result.exit_code == 0, result.output
        with_school = run("admin", "--etablissement", school_file, "--db", db)
        assert with_school.exit_code == 0, with_school.output
        assert opened[0] == (db, None)
        assert opened[1][0] == db and opened[1][1] is not None
        assert opened[1][1].contact.startswith("Secrétariat : 04 67 00 00 00")


class TestIssueCommand:
    def test_class_notices_written_and_listed(self, db: Path, tmp_path: Path) -> None:
        """Issuing for a class prints the files it wrote; the PDF holds each identifiant and
        the accounts are now listed as provisional."""
        out = tmp_path / "avis"
        result = run("admin", "issue", "--classe", "4A", "--out", out, "--db", db)

        assert result.exit_code == 0, result.output
        assert "2 élèves : identifiants provisoires émis" in result.stdout
        pdfs = sorted(out.glob("*.pdf"))
        assert len(pdfs) == 1 and str(pdfs[0]) in result.stdout
        text = "".join(page.extract_text() for page in PdfReader(pdfs[0]).pages)
        assert "p.garcia1" in text and "a.ndiaye1" in text

        listed = run("admin", "accounts", "--classe", "4A", "--etat", "provisoire", "--db", db)
        assert listed.exit_code == 0
        assert "p.garcia1" in listed.stdout and "a.ndiaye1" in listed.stdout
        assert "identifiants provisoires remis (jusqu'au" in listed.stdout

    def test_notices_carry_the_school_file(
        self, db: Path, tmp_path: Path, school_file: Path
    ) -> None:
        """With `--etablissement`, both notices of the class share one page and carry the
        school's name, its contact line, the date of issue and the ENT's profile."""
        out = tmp_path / "avis"
        result = run(
            "admin", "issue", "--classe", "4A", "--etablissement", school_file,
            "--out", out, "--db", db,
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        pages = PdfReader(next(out.glob("*.pdf"))).pages
        assert len(pages) == 1
        text = " ".join(pages[0].extract_text().split())
        assert text.count("Collège Frédéric Bazille — classe 4A") == 2
        assert text.count("Une question ? Secrétariat : 04 67 00 00 00") == 2
        assert text.count("Délivré le ") == 2
        assert "« Élève ou parent de l'académie de Montpellier »" in text

    def test_the_group_option_reaches_a_reset(
        self, db: Path, tmp_path: Path, school_file: Path
    ) -> None:
        """`educonnect admin --etablissement F reset …` prints the file's contact too."""
        run("admin", "issue", "--eleve", "E001", "--out", tmp_path / "premier", "--db", db)
        result = run(
            "admin", "--etablissement", school_file, "reset", "l.martin1",
            "--out", tmp_path / "second", "--db", db,
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        notice = next((tmp_path / "second").glob("*.txt")).read_text("utf-8")
        assert "Une question ? Secrétariat : 04 67 00 00 00" in notice

    @pytest.mark.parametrize(
        ("content", "reason"),
        [
            ('nom = "Collège"\n', 'il manque la ligne « contact = "…" ».'),
            ('contact = "04"\ntelephone = "04"\n', "« telephone » n'est pas une clé connue"),
            ('contact = "04\n', "n'est pas écrit comme attendu (ligne 1)"),
            ("contact = 4\n", "« contact » doit être un texte entre guillemets."),
        ],
    )
    def test_a_damaged_school_file_issues_nothing(
        self, db: Path, tmp_path: Path, content: str, reason: str
    ) -> None:
        """A school file that cannot be used: one French sentence naming the problem, exit
        code 2, and no credential issued (their passwords would print with no contact)."""
        bad = tmp_path / "etablissement.toml"
        bad.write_text(content, "utf-8")
        out = tmp_path / "avis"

        result = run(
            "admin", "issue", "--classe", "4A", "--etablissement", bad, "--out", out, "--db", db
        )

        assert result.exit_code == 2
        assert reason in result.stderr
        assert "Traceback" not in result.output
        assert not out.exists()
        assert _records(db).accounts.get(identifiant="p.garcia1") is None

    def test_exactly_one_selection(self, db: Path, tmp_path: Path) -> None:
        """No selection, or two, is a usage error and issues nothing."""
        for args in ((), ("--tous", "--classe", "4A")):
            result = run("admin", "issue", *args, "--out", tmp_path, "--db", db)
            assert result.exit_code == 2
            assert "exactement une option" in result.output
        assert not list(tmp_path.glob("*.pdf"))

    def test_unknown_pupil_exit_2(self, db: Path, tmp_path: Path) -> None:
        """A refusal is one French sentence on stderr, exit code 2, no traceback."""
        result = run("admin", "issue", "--eleve", "E999", "--out", tmp_path, "--db", db)
        assert result.exit_code == 2
        assert "Aucun élève n'a l'identifiant E999." in result.stderr


class TestFollowUpCommands:
    def test_stats_disputes_and_audit(self, db: Path, tmp_path: Path) -> None:
        """Rates per establishment and class, no dispute yet, the issue in the journal with the
        operator."""
        run("admin", "issue", "--eleve", "E011", "--out", tmp_path, "--db", db)

        stats = run("admin", "stats", "--db", db)
        assert "CLG Frédéric Bazille (0341234A)" in stats.stdout
        assert "Classe 3B : élèves 0/1 (0 %), représentants légaux 1/1 (100 %)" in stats.stdout
        assert run("admin", "disputes", "--db", db).stdout.strip() == "Aucun lien contesté."
        audit = run("admin", "audit", "--limit", "1", "--db", db)
        assert audit.exit_code == 0
        assert "admin_issue  i.moreau1" in audit.stdout
        assert "opérateur " in audit.stdout

    def test_audit_limit_refused_in_french(self, db: Path) -> None:
        """`--limit 0`: the usage line, then the reason in French, exit 2."""
        result = run("admin", "audit", "--limit", "0", "--db", db)

        assert result.exit_code == 2
        assert "Erreur : --limit attend un nombre entier d'au moins 1 (reçu : « 0 »)." in (
            result.stderr
        )

    @pytest.mark.parametrize("command", [["issue", "--tous"], ["reset", DEMO_ACTIVE_IDENTIFIANT]])
    def test_out_that_is_a_file_refused_in_french(
        self, db: Path, tmp_path: Path, command: list[str]
    ) -> None:
        """`--out` naming a file: the reason in French, exit 2, nothing issued or reset."""
        notice = tmp_path / "avis.txt"
        notice.write_text("déjà là", encoding="utf-8")

        result = run("admin", *command, "--out", notice, "--db", db)

        assert result.exit_code == 2
        assert f"Erreur : --out attend un dossier ; « {notice} » n'en est pas un." in (
            result.stderr
        )
        assert "Error" not in result.output
        accounts = _records(db).accounts
        assert accounts.get(identifiant="l.martin1") is None
        assert accounts.get(identifiant=DEMO_ACTIVE_IDENTIFIANT) is not None


class TestAccountActions:
    def test_unlock(self, db: Path) -> None:
        """`unlock` says what it did to the account."""
        result = run("admin", "unlock", DEMO_ACTIVE_IDENTIFIANT, "--db", db)
        assert result.exit_code == 0
        assert "n'était pas verrouillé" in result.stdout

    def test_reset_guardian_gives_no_password(self, db: Path, tmp_path: Path) -> None:
        """Resetting a guardian removes the account, tells to register again by SMS, and
        writes no notice."""
        result = run("admin", "reset", DEMO_ACTIVE_IDENTIFIANT, "--out", tmp_path, "--db", db)

        assert result.exit_code == 0
        assert "auto-inscription par SMS" in result.stdout
        assert list(tmp_path.glob("notices-*")) == []
        assert _records(db).accounts.get(identifiant=DEMO_ACTIVE_IDENTIFIANT) is None

    def test_reset_pupil_writes_a_new_notice(self, db: Path, tmp_path: Path) -> None:
        """Resetting a pupil writes a fresh notice and the account is provisional again."""
        run("admin", "issue", "--eleve", "E001", "--out", tmp_path / "premier", "--db", db)

        result = run("admin", "reset", "l.martin1", "--out", tmp_path / "second", "--db", db)

        assert result.exit_code == 0, result.output
        assert "l'ancien mot de passe ne fonctionne plus" in result.stdout
        notice = next((tmp_path / "second").glob("*.txt")).read_text("utf-8")
        assert "l.martin1" in notice
        account = _records(db).accounts.get(identifiant="l.martin1")
        assert account is not None and account.status is AccountStatus.PROVISIONAL
