"""The guide as one HTML page that needs nothing else: its styles and pictures are inside it,
and it names no address a browser would load (no font, script or image from elsewhere), so
opening or printing it contacts no one. One step per printed page.

The markup is in ``page.html`` and ``step.html`` beside this module (``string.Template``);
every text put into it is escaped, the pictures are the SVGs made offline by
``tui.illustrated.picture``."""

from __future__ import annotations

from html import escape
from importlib import resources
from string import Template

from tui.illustrated.document import Document

__all__ = ["html_page"]


def html_page(document: Document) -> str:
    step = _template("step.html")
    steps = [
        step.substitute(
            stem=escape(guide_step.stem),
            label=escape(guide_step.label),
            svg=guide_step.svg,
            text="\n".join(_paragraph(text) for text in guide_step.paragraphs),
        )
        for guide_step in document.steps
    ]
    return _template("page.html").substitute(
        title=escape(document.title),
        opening="\n".join(_paragraph(text) for text in document.opening),
        steps="".join(steps),
    )


def _template(name: str) -> Template:
    return Template(resources.files("tui.illustrated").joinpath(name).read_text(encoding="utf-8"))


def _paragraph(text: str) -> str:
    return "<p>" + "<br>\n".join(escape(line) for line in text.split("\n")) + "</p>"
