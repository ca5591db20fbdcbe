"""A screen's picture, as Textual exports it (``App.export_screenshot``: rich's terminal SVG),
made fit for a page that loads nothing, and read back as coloured cells for the PDF.

Textual's SVG names a web font host in its ``@font-face`` rules: a browser opening the guide
would contact it. Those rules (and the comment naming rich's site) are removed; the picture
then uses the reader's own monospace font.

fpdf2 cannot place this SVG (it refuses its ``rgba()`` colours and its clip paths, and draws
SVG text with Latin-1 core fonts only, so « — » and the frames fail): the PDF draws the same
picture itself from the SVG's own rectangles and text runs (``cells``), one character per
terminal cell, so the PDF and the HTML show the very same screen.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

__all__ = ["CELL_HEIGHT", "CELL_WIDTH", "Background", "Run", "ScreenPicture", "offline", "read"]

CELL_WIDTH = 12.2
"""Rich draws a terminal cell 0.61 × its 20 px font wide and 24.4 px high."""
CELL_HEIGHT = 24.4
_TEXT_BASELINE = 20.0
_RECT_TOP = 1.5

_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}")
_SVG = "{http://www.w3.org/2000/svg}"


def offline(svg: str) -> str:
    """``svg`` without anything a viewer would fetch (the web font) or a link to follow."""
    return _COMMENT.sub("", _FONT_FACE.sub("", svg))


@dataclass(frozen=True)
class Background:
    row: int
    column: int
    width: int
    colour: str


@dataclass(frozen=True)
class Run:
    """Text starting at a cell, in one colour (``#rrggbb``), bold or not."""

    row: int
    column: int
    text: str
    colour: str
    bold: bool
    underline: bool


@dataclass(frozen=True)
class ScreenPicture:
    columns: int
    rows: int
    backdrop: str
    backgrounds: tuple[Background, ...]
    runs: tuple[Run, ...]


def read(svg: str, columns: int, rows: int) -> ScreenPicture:
    """The cells of a picture exported at ``columns`` × ``rows``."""
    root = ElementTree.fromstring(svg)
    styles = _styles(root)
    terminal = next(
        group
        for group in root.iter(f"{_SVG}g")
        if group.get("transform", "").startswith("translate(9")
    )
    backgrounds = tuple(
        Background(
            row=round((float(rect.get("y", 0)) - _RECT_TOP) / CELL_HEIGHT),
            column=round(float(rect.get("x", 0)) / CELL_WIDTH),
            width=round(float(rect.get("width", 0)) / CELL_WIDTH),
            colour=rect.get("fill", ""),
        )
        for rect in terminal.iter(f"{_SVG}rect")
        if rect.get("fill", "").startswith("#")
    )
    runs = []
    for text in terminal.iter(f"{_SVG}text"):
        style = styles.get(text.get("class", ""), {})
        runs.append(
            Run(
                row=round((float(text.get("y", 0)) - _TEXT_BASELINE) / CELL_HEIGHT),
                column=round(float(text.get("x", 0)) / CELL_WIDTH),
                text=(text.text or "").replace("\xa0", " "),
                colour=style.get("fill", "#c5c8c6"),
                bold=style.get("font-weight") == "bold",
                underline="underline" in style.get("text-decoration", ""),
            )
        )
    frame = next(rect for rect in root.iter(f"{_SVG}rect") if rect.get("rx"))
    return ScreenPicture(
        columns=columns,
        rows=rows,
        backdrop=frame.get("fill", "#000000"),
        backgrounds=backgrounds,
        runs=tuple(run for run in runs if run.row < rows and run.column < columns),
    )


def _styles(root: ElementTree.Element) -> dict[str, dict[str, str]]:
    """The classes of rich's ``<style>``: ``{"terminal-1-r2": {"fill": "#fdfdc5", …}}``."""
    sheet = "".join(style.text or "" for style in root.iter(f"{_SVG}style"))
    return {
        name: {
            key.strip(): value.strip()
            for key, _sep, value in (part.partition(":") for part in body.split(";"))
            if value
        }
        for name, body in _RULE.findall(sheet)
    }
