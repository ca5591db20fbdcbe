"""`educonnect guide`: every step of the printed guide has the app's own screen and the guide's
own text, the HTML page loads nothing from anywhere, the PDF has a page per step, and the
command never writes over someone's files."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from tui.cli import main
from tui.guide import guide_paragraphs
from tui.illustrated.picture import read

REGISTRATION = ["1", "1.1", "1.2", "2", "3", "4", "5", "6", "7", "8"]
EXISTING_ACCOUNT = ["1", "1.1", "1.2", "2", "3", "4", "5", "compte-existant"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["guide", *(str(arg) for arg in args)])


class Page(HTMLParser):
    """The page's steps (label, whether it holds a picture, its text), and every attribute
    or style text that could make a browser load something."""

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[dict[str, str]] = []
        self.references: list[str] = []
        self.styles: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        if tag == "section":
            self.steps.append({"label": "", "text": "", "svg": ""})
        if tag == "p" and self.steps:
            self.steps[-1]["text"] += " "
        if tag == "svg" and self.steps:
            self.steps[-1]["svg"] = "yes"
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "srcset", "action", "data"):
                self.references.append(f"{name}={value}")
            if value and "url(" in value and not value.startswith("url(#"):
                self.references.append(f"{name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "p", "style"):
            self._tag = ""

    def handle_data(self, data: str) -> None:
        if self._tag == "style":
            self.styles.append(data)
        elif self.steps and self._tag == "h2":
            self.steps[-1]["label"] += data
        elif self.steps and self._tag in ("p", "br"):
            self.steps[-1]["text"] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def screen_rows(svg: str) -> list[str]:
    """The picture's text, row by row, each run at its own column."""
    picture = read(svg, 80, 24)
    rows = [[" "] * 80 for _row in range(24)]
    for text_run in picture.runs:
        for offset, character in enumerate(text_run.text):
            if text_run.column + offset < 80:
                rows[text_run.row][text_run.column + offset] = character
    return ["".join(row) for row in rows]


def step_text(key: str) -> str:
    return guide_paragraphs(key)


@pytest.fixture(scope="module")
def martin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("guide") / "martin"
    return out, run("--out", out)


class TestSophieMartin:
    def test_every_step_has_its_picture_and_its_text(self, martin: tuple[Path, Result]) -> None:
        out, result = martin
        assert result.exit_code == 0, result.output
        page = parse((out / "guide.html").read_text(encoding="utf-8"))
        assert len(page.steps) == len(REGISTRATION)
        for number, (step, key) in enumerate(zip(page.steps, REGISTRATION, strict=True), 1):
            assert step["svg"], step["label"]
            expected = " ".join(step_text(key).split())
            assert " ".join(step["text"].split()) == expected, key
            svg = (out / "images" / f"etape-{number:02d}.svg").read_text(encoding="utf-8")
            assert svg in (out / "guide.html").read_text(encoding="utf-8")
            # The picture is the screen of that step: its header names it as the label does.
            header = screen_rows(svg)[0]
            assert header.rstrip().endswith(step["label"]), (step["label"], header)

    def test_the_code_step_shows_the_phone_with_the_code_typed(
        self, martin: tuple[Path, Result]
    ) -> None:
        out, _result = martin
        rows = screen_rows((out / "images" / "etape-07.svg").read_text(encoding="utf-8"))
        assert "Étape 5 / 7" in rows[0]
        assert "Téléphone (démo)" in "\n".join(rows)
        # The code typed at the left is the one the SMS on the phone, at the right, gives.
        typed = next(
            row[:40].strip() for row in rows if re.fullmatch(r"[A-Z]{6}", row[:40].strip())
        )
        phone = " ".join(row[50:].strip() for row in rows[1:])
        assert f"est {typed}." in " ".join(phone.split()), (typed, phone)

    def test_the_page_loads_nothing_from_anywhere(self, martin: tuple[Path, Result]) -> None:
        out, _result = martin
        html = (out / "guide.html").read_text(encoding="utf-8")
        page = parse(html)
        assert page.references == []
        styles = " ".join(page.styles)
        assert "@font-face" not in styles
        assert "@import" not in styles
        assert "url(" not in styles.replace("url(#", "")
        assert "<script" not in html.lower()
        assert "<link" not in html.lower()

    def test_the_pdf_has_a_page_per_step_with_its_text(self, martin: tuple[Path, Result]) -> None:
        out, _result = martin
        reader = PdfReader(out / "guide.pdf")
        page = parse((out / "guide.html").read_text(encoding="utf-8"))
        labels = [step["label"] for step in page.steps]
        assert [item.title for item in reader.outline] == labels  # type: ignore[union-attr]
        assert len(reader.pages) == 1 + len(REGISTRATION)
        for pdf_page, label, key in zip(reader.pages[1:], labels, REGISTRATION, strict=True):
            text = " ".join(pdf_page.extract_text().split())
            assert text.startswith(label)
            first_sentence = " ".join(step_text(key).split("\n")[0].split())
            assert first_sentence[:60] in text, key

    def test_the_output_names_what_was_written(self, martin: tuple[Path, Result]) -> None:
        out, result = martin
        assert "10 étapes" in result.output
        assert str(out / "guide.pdf") in result.output
        pngs = sorted((out / "images").glob("*.png"))
        if pngs:
            assert len(pngs) == len(REGISTRATION)
        else:
            assert "PNG : non produites" in result.output

    def test_a_second_guide_replaces_the_first(self, martin: tuple[Path, Result]) -> None:
        out, _result = martin
        result = run("--out", out, "--famille", "Claire Moreau")
        assert result.exit_code == 0, result.output
        page = parse((out / "guide.html").read_text(encoding="utf-8"))
        assert len(page.steps) == len(EXISTING_ACCOUNT)
        # The first guide had more steps: none of its pictures is left behind.
        assert len(list((out / "images").glob("*.svg"))) == len(EXISTING_ACCOUNT)
        assert " ".join(page.steps[-1]["text"].split()) == " ".join(
            step_text("compte-existant").split()
        )


def test_pictures_in_png_where_a_converter_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``rsvg-convert`` on the PATH (here a stand-in that copies its input), every step's
    picture is converted too; Thomas Bernard has one child, so step 6 has one date."""
    tools = tmp_path / "outils"
    tools.mkdir()
    converter = tools / "rsvg-convert"
    converter.write_text('#!/bin/sh\ncp "$3" "$2"\n', encoding="utf-8")
    converter.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    result = run("--out", tmp_path / "bernard", "--famille", "bernard thomas")
    assert result.exit_code == 0, result.output
    images = tmp_path / "bernard" / "images"
    svgs = sorted(path.stem for path in images.glob("*.svg"))
    assert svgs == sorted(path.stem for path in images.glob("*.png"))
    assert len(svgs) == len(REGISTRATION)
    assert "Guide de Thomas Bernard" in result.output
    assert f"PNG : {images}" in result.output


class TestRefusals:
    def test_a_family_without_a_mobile_is_refused_in_french(self, tmp_path: Path) -> None:
        result = run("--out", tmp_path / "garcia", "--famille", "Pedro Garcia")
        assert result.exit_code == 2
        assert "Pedro Garcia n'a pas de portable" in result.output
        assert not (tmp_path / "garcia").exists()

    def test_two_families_with_the_name_ask_for_the_mobile(self, tmp_path: Path) -> None:
        result = run("--out", tmp_path / "dupont", "--famille", "jean dupont")
        assert result.exit_code == 2
        assert "donnez le portable" in result.output

    def test_an_unknown_family_lists_the_families(self, tmp_path: Path) -> None:
        result = run("--out", tmp_path / "x", "--famille", "Personne")
        assert result.exit_code == 2
        assert "Sophie Martin" in result.output

    def test_the_folder_is_asked_for_in_french(self) -> None:
        result = run()
        assert result.exit_code == 2
        assert "Erreur : Indiquez avec --out DOSSIER où écrire le guide." in result.output

    def test_a_folder_with_other_files_is_left_alone(self, tmp_path: Path) -> None:
        (tmp_path / "notes.txt").write_text("à garder", encoding="utf-8")
        result = run("--out", tmp_path)
        assert result.exit_code == 2
        assert "notes.txt" in result.output
        assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
