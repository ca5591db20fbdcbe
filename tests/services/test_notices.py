"""The printable notices: one page per pupil, PDF and plain text, one file per class."""

from __future__ import annotations

import io
import stat
from datetime import UTC, date, datetime
from pathlib import Path

from pypdf import PdfReader

from services import Services
from services.notices import TITLE, notice_page, render_pdf, render_text, write_notices
from services.pupils import IssuedCredentials

ISSUED_AT = datetime(2026, 9, 7, 8, 30, tzinfo=UTC)


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


class TestPdf:
    def test_one_page_per_pupil_with_their_credentials(self, demo_services: Services) -> None:
        """The PDF of a class issued for real opens, has one page per pupil, and each page
        carries that pupil's identifiant, temporary password and the validity date."""
        result = demo_services.admin.issue_for_class("4A")
        files = write_notices(
            result.issued, demo_services.settings.db_path.parent / "avis", password_min_length=8
        )
        pdf = next(path for path in files if path.suffix == ".pdf")

        pages = _pdf_pages(pdf.read_bytes())

        assert len(pages) == len(result.issued) == 2
        for page, issued in zip(pages, result.issued, strict=True):
            assert TITLE in page
            assert issued.identifiant in page
            assert issued.password in page
            assert issued.valid_until.strftime("%d/%m/%Y") in page
            assert f"{issued.prenom} {issued.nom}" in page

    def test_never_crashes_on_a_name(self) -> None:
        """Ligatures, typographic apostrophes and accents print as they are; a script the
        shipped font lacks becomes « ? » in the PDF, and the identifiant still prints."""
        credentials = [
            _credentials("E1", "Œuvray", "Gaëlle"),
            _credentials("E2", "O’Brien", "Ça"),
            _credentials("E3", "李", "小龙", identifiant="x.li1"),
            _credentials("E4", "Wolfeschlegelsteinhausenbergerdorff" * 2, "Ἀλέξανδρος"),
        ]
        pages = _pdf_pages(render_pdf([notice_page(c, password_min_length=8) for c in credentials]))

        assert "Gaëlle Œuvray" in pages[0]
        assert "Ça O’Brien" in pages[1]
        assert "x.li1" in pages[2] and "?? ?" in pages[2]
        assert "Ἀλέξανδρος" in pages[3]
        assert len(pages) == 4


class TestText:
    def test_pages_separated_by_form_feeds(self) -> None:
        """The plain-text version has the same content, one page per pupil, lines that fit a
        printed page, and keeps every name exactly (no font to lack a glyph)."""
        credentials = [_credentials("E1", "Garcia", "Pablo"), _credentials("E3", "李", "小龙")]

        text = render_text([notice_page(c, password_min_length=8) for c in credentials])

        pages = text.split("\f")
        assert len(pages) == 2
        assert "p.e11" in pages[0] and "K7PQ-M3XR-9ZTW" in pages[0]
        assert "Valable jusqu'au 07/12/2026 inclus" in pages[0]
        assert "小龙 李" in pages[1]
        longest = max(len(line) for line in text.splitlines() if "https://" not in line)
        assert longest <= 78


class TestFiles:
    def test_one_pdf_and_one_text_per_class_private(self, tmp_path: Path) -> None:
        """Two classes give four files, readable by their owner only (they hold passwords)."""
        credentials = [
            _credentials("E1", "Garcia", "Pablo", "4A"),
            _credentials("E2", "N'Diaye", "Awa", "4A"),
            _credentials("E3", "Payet", "Hugo", "3A"),
        ]

        files = write_notices(credentials, tmp_path, password_min_length=8)

        assert sorted(path.name for path in files) == [
            "notices-0341234A-3A-20260907-083000.pdf",
            "notices-0341234A-3A-20260907-083000.txt",
            "notices-0341234A-4A-20260907-083000.pdf",
            "notices-0341234A-4A-20260907-083000.txt",
        ]
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        four_a = tmp_path / "notices-0341234A-4A-20260907-083000.pdf"
        assert len(_pdf_pages(four_a.read_bytes())) == 2

    def test_never_overwrites_an_earlier_notice(self, tmp_path: Path) -> None:
        """A second run in the same second gets new names: the first notices stay intact."""
        first = write_notices(
            [_credentials("E1", "Garcia", "Pablo")], tmp_path, password_min_length=8
        )
        second = write_notices(
            [_credentials("E2", "N'Diaye", "Awa")], tmp_path, password_min_length=8
        )

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
            password_min_length=8,
        )
        assert {p.parent for p in files} == {tmp_path}
        assert sorted(p.stem for p in files)[0].startswith("notices-0341234A-2nde-4-")
        assert any("sans-classe" in p.name for p in files)
