"""``educonnect guide``: walk the registration for a demo family on a fresh copy of the demo
data, then write the guide into its folder.

The folder (``--out``) is written only when it is new, empty, or holds nothing but what a
previous guide wrote there (``guide.html``, ``guide.pdf``, ``images/etape-NN.svg`` and
``.png``): those files are replaced. Anything else in it and the guide is refused before
anything is written, so no one's files are overwritten by a slip of ``--out``.
"""

from __future__ import annotations

import asyncio
import importlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.demo import DemoGuardian, load_demo
from services.i18n import _
from services.passwords import PasswordHasher
from tui.illustrated.document import Document, document
from tui.illustrated.page import html_page
from tui.illustrated.pdf import write_pdf
from tui.illustrated.walk import walk
from tui.loading import open_services

__all__ = ["HTML_NAME", "IMAGES", "PDF_NAME", "Built", "FolderRefused", "build_guide"]

HTML_NAME = "guide.html"
PDF_NAME = "guide.pdf"
IMAGES = "images"
_IMAGE = re.compile(r"etape-\d{2}\.(svg|png)")

PngConverter = Callable[[Path, Path], None]


class FolderRefused(Exception):
    """``--out`` holds files that are not a guide's; ``message`` is French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Built:
    document: Document
    html: Path
    pdf: Path
    svgs: tuple[Path, ...]
    pngs: tuple[Path, ...]
    png_skipped: bool


def build_guide(out: Path, guardian: DemoGuardian) -> Built:
    check_folder(out)
    with tempfile.TemporaryDirectory(prefix="educonnect-guide-") as sandbox:
        services = open_services(Path(sandbox) / "demo.json")
        load_demo(services.store, PasswordHasher(services.settings.hashing), services.clock)
        shots = asyncio.run(walk(services, guardian))
    guide = document(guardian, shots)
    _clear_previous(out)
    images = out / IMAGES
    images.mkdir(parents=True, exist_ok=True)
    svgs = []
    for step in guide.steps:
        path = images / f"{step.stem}.svg"
        path.write_text(step.svg, encoding="utf-8")
        svgs.append(path)
    converter = png_converter()
    pngs = []
    if converter is not None:
        for svg in svgs:
            png = svg.with_suffix(".png")
            converter(svg, png)
            pngs.append(png)
    html = out / HTML_NAME
    html.write_text(html_page(guide), encoding="utf-8")
    pdf = out / PDF_NAME
    write_pdf(guide, pdf)
    return Built(guide, html, pdf, tuple(svgs), tuple(pngs), converter is None)


def check_folder(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise FolderRefused(_("%(path)s n'est pas un dossier.") % {"path": out})
    foreign = [path for path in sorted(out.rglob("*")) if not _is_guide_file(out, path)]
    if foreign:
        raise FolderRefused(
            _(
                "Le dossier %(path)s contient d'autres fichiers qu'un guide (%(file)s, par "
                "exemple) : choisissez un dossier vide ou nouveau."
            )
            % {"path": out, "file": foreign[0].relative_to(out)}
        )


def _is_guide_file(out: Path, path: Path) -> bool:
    relative = path.relative_to(out).parts
    if path.is_symlink():
        return False
    if relative in ((HTML_NAME,), (PDF_NAME,)):
        return path.is_file()
    if relative == (IMAGES,):
        return path.is_dir()
    return (
        len(relative) == 2
        and relative[0] == IMAGES
        and bool(_IMAGE.fullmatch(relative[1]))
        and path.is_file()
    )


def _clear_previous(out: Path) -> None:
    """A previous guide's files (a guide with more steps would leave pictures behind)."""
    for name in (HTML_NAME, PDF_NAME):
        (out / name).unlink(missing_ok=True)
    images = out / IMAGES
    if images.is_dir():
        for image in images.iterdir():
            if _IMAGE.fullmatch(image.name):
                image.unlink()


def png_converter() -> PngConverter | None:
    """``rsvg-convert`` if it is installed, else the ``cairosvg`` module if importable."""
    rsvg = shutil.which("rsvg-convert")
    if rsvg is not None:

        def with_rsvg(svg: Path, png: Path) -> None:
            subprocess.run([rsvg, "-o", str(png), str(svg)], check=True, capture_output=True)

        return with_rsvg
    try:
        cairosvg = importlib.import_module("cairosvg")
    except ImportError:
        return None

    def with_cairosvg(svg: Path, png: Path) -> None:
        cairosvg.svg2png(url=str(svg), write_to=str(png))

    return with_cairosvg
