"""The printable notices: two per A4 page in the PDF, one per page in the text, one file of each
per class; the school's details, the date of issue and both ways in on every notice."""

from __future__ import annotations

import io
import math
import stat
from datetime import UTC, date, datetime
from pathlib import Path

from pypdf import PdfReader

from services import Services
from services.notices import (
    TITLE,
    NoticePage,
    notice_page,
    password_rules,
    render_pdf,
    render_text,
    write_notices,
)
from services.passwords import check_password
from services.pupils import IssuedCredentials
from services.school import SchoolDetails
from services.settings import Settings

ISSUED_AT = datetime(2026, 9, 7, 8, 30, tzinfo=UTC)
SCHOOL = SchoolDetails(
    nom="Collège Frédéric Bazille",
    contact="Secrétariat : 04 67 00 00 00 — secretariat@clg-bazille.fr",
    ent="https://frederic-bazille.mon-ent-occitanie.fr",
    academie="Montpellier",
)
RULES = ("Au moins 8 caractères (128 au plus)", "Chiffre (au moins un)")


def _credentials(
    pupil_id: str, nom: str, prenom: str, classe: str = "4A", identifiant: str = ""
) -> IssuedCredentials:
    return IssuedCredentials(
        pupil_id=pupil_id,
        nom=nom,
        prenom=prenom,
        classe=classe,
        uai="0341234A",
        etablissement="CLG Frédéric Bazille",
        identifiant=identifiant or f"{prenom[0].lower()}.{pupil_id.lower()}1",
        password="K7PQ-M3XR-9ZTW",
        valid_until=date(2026, 12, 7),
        issued_at=ISSUED_AT,
    )


def _pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _pages(count: int, school: SchoolDetails | None = SCHOOL) -> list[NoticePage]:
    return [
        notice_page(_credentials(f"E{n}", f"Nom{n}", f"Prénom{n}"), rules=RULES, school=school)
        for n in range(count)
    ]


class TestPdf:
    def test_two_notices_per_page_with_their_credentials(self, demo_services: Services) -> None:
        """The PDF of a class issued for real opens: its two pupils share one page, each
        notice with that pupil's identifiant, temporary password, the validity date, the date
        of issue (the service's clock) and the school's details."""
        result = demo_services.admin.issue_for_class("4A")
        files = write_notices(
            result.issued,
            demo_services.settings.db_path.parent / "avis",
            rules=password_rules(demo_services.settings),
            school=SCHOOL,
        )
        pdf = next(path for path in files if path.suffix == ".pdf")

        pages = _pdf_pages(pdf.read_bytes())

        assert len(result.issued) == 2
        assert len(pages) == 1
        notices = pages[0].split(TITLE)[1:]
        assert len(notices) == 2
        for notice, issued in zip(notices, result.issued, strict=True):
            assert issued.identifiant in notice
            assert issued.password in notice
            assert issued.valid_until.strftime("%d/%m/%Y") in notice
            assert f"Délivré le {issued.issued_at.astimezone():%d/%m/%Y}" in notice
            assert f"{issued.prenom} {issued.nom}" in notice
            assert "Collège Frédéric Bazille — classe 4A" in notice
            assert "Une question ? Secrétariat : 04 67 00 00 00" in notice

    def test_pages_hold_two_notices_each(self) -> None:
        """N pupils print on ceil(N/2) sheets, two notices on each but maybe the last."""
        for count in (1, 2, 3, 5):
            pages = _pdf_pages(render_pdf(_pages(count)))

            assert len(pages) == math.ceil(count / 2)
            assert [page.count(TITLE) for page in pages] == [
                min(2, count - 2 * n) for n in range(len(pages))
            ]

    def test_both_ways_in_and_the_rules(self) -> None:
        """The instructions name the téléservices and the ENT (its address and its profile
        « Élève ou parent de l'académie de … », a step the téléservices do not have), the
        ÉduConnect profile « Élève », and every password rule as the checklist names it."""
        text = " ".join(_pdf_pages(render_pdf(_pages(1)))[0].split())

        assert "https://teleservices.education.gouv.fr" in text
        assert "https://frederic-bazille.mon-ent-occitanie.fr" in text
        assert "« Élève ou parent de l'académie de Montpellier », puis « Valider »" in text
        assert "Sur les téléservices, passez à l'étape 3." in text
        assert "choisissez « Élève »" in text
        assert "au moins 8 caractères (128 au plus) ; chiffre (au moins un)." in text

    def test_a_long_school_line_shrinks_the_type_and_stays_in_its_half(self) -> None:
        """The longest contact and name the file accepts, and a long pupil name, still give
        two whole notices per page: nothing spills onto the other half or a new page."""
        wordy = SchoolDetails(
            nom="Collège " + "Frédéric-Bazille " * 9,
            contact="Secrétariat " + "04 67 00 00 00 " * 9,
            ent="https://" + "frederic-bazille." * 8 + "fr",
            academie="Montpellier",
        )
        credentials = [
            _credentials("E1", "Wolfeschlegelsteinhausenbergerdorff " * 3, "Anne-Marie-Gaëlle"),
            _credentials("E2", "Payet", "Hugo"),
        ]
        rules = password_rules(Settings(db_path=Path("unused.json")))
        pages = _pdf_pages(
            render_pdf([notice_page(c, rules=rules, school=wordy) for c in credentials])
        )

        assert len(pages) == 1
        first, second = pages[0].split(TITLE)[1:]
        assert "Une question ? Secrétariat" in first and "Hugo" not in first
        assert "Une question ? Secrétariat" in second

    def test_never_crashes_on_a_name(self) -> None:
        """Ligatures, typographic apostrophes and accents print as they are; a script the
        shipped font lacks becomes « ? » in the PDF, and the identifiant still prints."""
        credentials = [
            _credentials("E1", "Œuvray", "Gaëlle"),
            _credentials("E2", "O’Brien", "Ça"),
            _credentials("E3", "李", "小龙", identifiant="x.li1"),
            _credentials("E4", "Wolfeschlegelsteinhausenbergerdorff" * 2, "Ἀλέξανδρος"),
        ]
        pages = _pdf_pages(render_pdf([notice_page(c, rules=RULES) for c in credentials]))

        assert len(pages) == 2
        assert "Gaëlle Œuvray" in pages[0]
        assert "Ça O’Brien" in pages[0]
        assert "x.li1" in pages[1] and "?? ?" in pages[1]
        assert "Ἀλέξανδρος" in pages[1]


class TestText:
    def test_pages_separated_by_form_feeds(self) -> None:
        """The plain-text version has the same content, one page per pupil, lines that fit a
        printed page, and keeps every name exactly (no font to lack a glyph)."""
        credentials = [_credentials("E1", "Garcia", "Pablo"), _credentials("E3", "李", "小龙")]

        text = render_text([notice_page(c, rules=RULES, school=SCHOOL) for c in credentials])

        pages = text.split("\f")
        assert len(pages) == 2
        assert "p.e11" in pages[0] and "K7PQ-M3XR-9ZTW" in pages[0]
        assert "Valable jusqu'au 07/12/2026 inclus" in pages[0]
        assert "Délivré le 07/09/2026" in pages[0]
        assert "Collège Frédéric Bazille — classe 4A" in pages[0]
        assert "Une question ? Secrétariat : 04 67 00 00 00" in pages[0]
        flat = " ".join(pages[0].split())
        assert "« Élève ou parent de l'académie de Montpellier », puis « Valider »" in flat
        assert "au moins 8 caractères (128 au plus) ; chiffre (au moins un)." in flat
        assert "小龙 李" in pages[1]
        longest = max(len(line) for line in text.splitlines() if "https://" not in line)
        assert longest <= 78

    def test_without_a_school_file(self) -> None:
        """No file given: the export's name, and the pupil is sent to the secretariat; the
        ENT step still says it is for the ENT only."""
        text = render_text(_pages(1, school=None))
        flat = " ".join(text.split())

        assert "CLG Frédéric Bazille — classe 4A" in flat
        assert "Une question ? Adressez-vous au secrétariat de votre établissement." in flat
        assert "Sur l'ENT seulement : choisissez « Élève ou parent » de votre académie" in flat


class TestRules:
    def test_the_notice_lists_the_rules_the_checklist_enforces(
        self, demo_services: Services
    ) -> None:
        """Every rule of the app's checklist, in its words, and no other."""
        settings = demo_services.settings

        assert password_rules(settings) == tuple(r.label for r in check_password("", settings))
        assert "Chiffre (au moins un)" in password_rules(settings)


class TestFiles:
    def test_one_pdf_and_one_text_per_class_private(self, tmp_path: Path) -> None:
        """Two classes give four files, readable by their owner only (they hold passwords)."""
        credentials = [
            _credentials("E1", "Garcia", "Pablo", "4A"),
            _credentials("E2", "N'Diaye", "Awa", "4A"),
            _credentials("E3", "Payet", "Hugo", "3A"),
        ]

        files = write_notices(credentials, tmp_path, rules=RULES)

        assert sorted(path.name for path in files) == [
            "notices-0341234A-3A-20260907-083000.pdf",
            "notices-0341234A-3A-20260907-083000.txt",
            "notices-0341234A-4A-20260907-083000.pdf",
            "notices-0341234A-4A-20260907-083000.txt",
        ]
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        four_a = tmp_path / "notices-0341234A-4A-20260907-083000.pdf"
        assert _pdf_pages(four_a.read_bytes())[0].count(TITLE) == 2

    def test_never_overwrites_an_earlier_notice(self, tmp_path: Path) -> None:
        """A second run in the same second gets new names: the first notices stay intact."""
        first = write_notices([_credentials("E1", "Garcia", "Pablo")], tmp_path, rules=RULES)
        second = write_notices([_credentials("E2", "N'Diaye", "Awa")], tmp_path, rules=RULES)

        assert [p.name for p in second] == [
            "notices-0341234A-4A-20260907-083000-2.pdf",
            "notices-0341234A-4A-20260907-083000-2.txt",
        ]
        assert "Pablo" in first[1].read_text("utf-8")

    def test_class_names_make_safe_file_names(self, tmp_path: Path) -> None:
        """A class written « 2nde/4 » or left empty never escapes the folder."""
        files = write_notices(
            [
                _credentials("E1", "Garcia", "Pablo", "../2nde/4"),
                _credentials("E2", "Payet", "Hugo", ""),
            ],
            tmp_path,
            rules=RULES,
        )
        assert {p.parent for p in files} == {tmp_path}
        assert sorted(p.stem for p in files)[0].startswith("notices-0341234A-2nde-4-")
        assert any("sans-classe" in p.name for p in files)
