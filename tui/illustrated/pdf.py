"""The guide as a PDF (fpdf2): a title page, then one page per step with its label, the
screen drawn cell by cell (``tui.illustrated.picture``) and the guide's text.

The PDF embeds DejaVu Sans, shipped with the package for the pupils' notices (fpdf2's core
fonts are Latin-1 only). It is not a monospace font: each character is placed at its own
cell and narrowed when it is wider than one, and the frame characters are stretched to fill
their cell, so lines and boxes join as on the terminal. A character the font lacks prints as
« ? » in the PDF only.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fpdf import FPDF
from fpdf.fonts import TTFFont

from tui.illustrated.picture import CELL_HEIGHT, CELL_WIDTH, ScreenPicture

if TYPE_CHECKING:
    from tui.illustrated.document import Document

__all__ = ["write_pdf"]

_FONT = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_MARGIN = 15.0
_TEXT_SIZE = 10.5
_LINE = 5.0
# Frame and block characters fill their whole cell on a terminal.
_FRAMES = range(0x2500, 0x25A0)


def write_pdf(document: Document, path: Path) -> None:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=_MARGIN)
    pdf.set_title(document.title)
    pdf.set_creator("educonnect")
    for style, file_name in _FONT_FILES.items():
        pdf.add_font(_FONT, style, str(_font_path(file_name)))
    covered = _covered(pdf)
    pdf.add_page()
    pdf.set_font(_FONT, "B", 16)
    pdf.multi_cell(0, 8, _printable(document.title, covered))
    pdf.ln(2)
    pdf.set_font(_FONT, "", _TEXT_SIZE)
    for paragraph in document.opening:
        pdf.multi_cell(0, _LINE, _printable(paragraph, covered), align="L")
        pdf.ln(2)
    for step in document.steps:
        pdf.add_page()
        pdf.start_section(step.label)
        pdf.set_font(_FONT, "B", 13)
        pdf.multi_cell(0, 7, _printable(step.label, covered))
        pdf.ln(1)
        _draw(pdf, step.picture, covered)
        pdf.ln(3)
        pdf.set_font(_FONT, "", _TEXT_SIZE)
        for paragraph in step.paragraphs:
            pdf.multi_cell(0, _LINE, _printable(paragraph, covered), align="L")
            pdf.ln(1.5)
    pdf.output(str(path))


def _draw(pdf: FPDF, picture: ScreenPicture, covered: frozenset[int]) -> None:
    """The screen, as wide as the text, below the current line."""
    left, top = pdf.l_margin, pdf.get_y()
    cell_w = pdf.epw / picture.columns
    cell_h = cell_w * CELL_HEIGHT / CELL_WIDTH
    _fill(pdf, picture.backdrop)
    pdf.rect(left, top, cell_w * picture.columns, cell_h * picture.rows, style="F")
    for background in picture.backgrounds:
        if background.row >= picture.rows:
            continue
        _fill(pdf, background.colour)
        x = left + background.column * cell_w
        pdf.rect(x, top + background.row * cell_h, background.width * cell_w, cell_h, style="F")
    size = cell_h / 0.3528 * 0.72
    for run in picture.runs:
        pdf.set_font(_FONT, "B" if run.bold else "", size)
        red, green, blue = _rgb(run.colour)
        pdf.set_text_color(red, green, blue)
        baseline = top + (run.row + 0.75) * cell_h
        for offset, character in enumerate(run.text):
            column = run.column + offset
            if character == " " or column >= picture.columns:
                continue
            shown = character if ord(character) in covered else "?"
            width = pdf.get_string_width(shown)
            fits = 100.0 if width <= cell_w else 100.0 * cell_w / width
            stretch = 100.0 * cell_w / width if ord(shown) in _FRAMES and width else fits
            pdf.set_stretching(stretch)
            # Centred in its cell, as a terminal's monospace font draws it.
            room = cell_w - width * stretch / 100.0
            pdf.text(left + column * cell_w + room / 2, baseline, shown)
        pdf.set_stretching(100)
        if run.underline:
            pdf.set_draw_color(red, green, blue)
            x = left + run.column * cell_w
            y = top + (run.row + 0.9) * cell_h
            pdf.line(x, y, x + len(run.text) * cell_w, y)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(top + cell_h * picture.rows)


def _fill(pdf: FPDF, colour: str) -> None:
    red, green, blue = _rgb(colour)
    pdf.set_fill_color(red, green, blue)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")[:6].ljust(6, "0")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _font_path(file_name: str) -> Path:
    return Path(str(resources.files("services").joinpath("data/fonts", file_name)))


def _covered(pdf: FPDF) -> frozenset[int]:
    """Code points every embedded font can draw."""
    maps = [set(font.cmap) for font in pdf.fonts.values() if isinstance(font, TTFFont)]
    return frozenset(set.intersection(*maps)) if maps else frozenset()


def _printable(text: str, covered: frozenset[int]) -> str:
    return "".join(c if ord(c) in covered or c == "\n" else "?" for c in text)
