"""Printable notices « Mise à disposition de votre compte ÉduConnect », one page per pupil.

Each class gets a PDF and a plain-text file with the same pages (the text one separates pages
with a form feed, which printers honour). The PDF embeds DejaVu Sans, shipped with the package:
fpdf2's core fonts are Latin-1 only and would fail on « Œuvray » or a typographic apostrophe.
A character the font lacks (some scripts are not in DejaVu) prints as « ? » in the PDF only;
the identifiant, all ASCII, always prints. Files hold temporary passwords: they are created
readable by their owner only, and never overwrite an earlier file.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import count, groupby
from pathlib import Path
from typing import TYPE_CHECKING

from services.formatting import day
from services.i18n import N_, _
from services.pupils import IssuedCredentials

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["NoticePage", "notice_page", "render_pdf", "render_text", "write_notices"]

# A msgid: translated where the page is drawn.
TITLE = N_("Mise à disposition de votre compte ÉduConnect")
_FONT_FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_MISSING = "?"
_TEXT_WIDTH = 78


@dataclass(frozen=True)
class NoticePage:
    """The text of one notice, shared by the PDF and the plain-text renderings."""

    school: str
    pupil: str
    identifiant: str
    password: str
    validity: str
    steps: tuple[str, ...]
    closing: tuple[str, ...]


def notice_page(credentials: IssuedCredentials, *, password_min_length: int) -> NoticePage:
    until = day(credentials.valid_until)
    school = credentials.etablissement
    if credentials.classe:
        school = _("%(school)s — classe %(classe)s") % {
            "school": school,
            "classe": credentials.classe,
        }
    return NoticePage(
        school=school,
        pupil=f"{credentials.prenom} {credentials.nom}",
        identifiant=credentials.identifiant,
        password=credentials.password,
        validity=_("Valable jusqu'au %(day)s inclus, pour votre première connexion seulement.")
        % {"day": until},
        steps=(
            _(
                "Allez sur https://teleservices.education.gouv.fr ou sur l'ENT de votre "
                "établissement, puis cliquez sur « Se connecter »."
            ),
            _("Choisissez « Élève ou parent », puis le profil « Élève »."),
            _(
                "Saisissez votre identifiant et votre mot de passe provisoire (les tirets sont "
                "facultatifs), puis « Se connecter »."
            ),
            _("« Confirmation de l'identité » : indiquez votre date de naissance (JJ/MM/AAAA)."),
            _(
                "Choisissez votre nouveau mot de passe et saisissez-le deux fois : au moins "
                "%(length)d caractères, dont une majuscule, une minuscule, un chiffre et un "
                "caractère spécial."
            )
            % {"length": password_min_length},
            _(
                "Si vous le souhaitez, indiquez une adresse e-mail : elle vous permettra de "
                "choisir un nouveau mot de passe en cas d'oubli."
            ),
        ),
        closing=(
            _(
                "Ce document est personnel : ne le montrez à personne et gardez votre "
                "identifiant, il vous servira pendant toute votre scolarité."
            ),
            _(
                "Après le %(day)s, ou en cas de perte de ce document, demandez de nouveaux "
                "identifiants provisoires à votre établissement."
            )
            % {"day": until},
            _(
                "Vos représentants légaux ont leur propre compte : ils l'activent eux-mêmes par "
                "SMS (« Je n'ai pas de compte »). L'établissement ne leur envoie jamais "
                "d'identifiants."
            ),
        ),
    )


def render_text(pages: Sequence[NoticePage]) -> str:
    """All pages, separated by a form feed."""
    return "\f".join(_text_page(page) for page in pages)


def _text_page(page: NoticePage) -> str:
    title = _(TITLE)
    labels = (_("Identifiant :"), _("Mot de passe provisoire :"))
    # The two values start in one column, whatever the labels' length in this language.
    width = max(len(label) for label in labels) + 2
    lines = [
        title,
        "=" * len(title),
        "",
        page.school,
        _("Élève : %(pupil)s") % {"pupil": page.pupil},
        "",
        *(
            f"  {label:<{width}}{value}"
            for label, value in zip(labels, (page.identifiant, page.password), strict=True)
        ),
        "",
        _wrap(page.validity),
        "",
        _("Votre première connexion :"),
        *(
            _wrap(step, first=f"  {number}. ", rest="     ")
            for number, step in enumerate(page.steps, start=1)
        ),
        "",
        *(_wrap(sentence) for sentence in page.closing),
    ]
    return "\n".join(lines) + "\n"


def _wrap(text: str, *, first: str = "", rest: str = "") -> str:
    # Long words (a URL) are kept whole: a broken URL cannot be typed back.
    return textwrap.fill(
        text,
        _TEXT_WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def render_pdf(pages: Sequence[NoticePage]) -> bytes:
    """One A4 page per notice."""
    # fpdf2 takes about a second to import: every SSH session would pay it at start-up for a
    # feature only the school's staff uses.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(TITLE)
    pdf.set_creator("educonnect-tui")
    for style, file_name in _FONT_FILES.items():
        pdf.add_font(_FONT_FAMILY, style, str(_font_path(file_name)))
    covered = _covered(pdf)
    for page in pages:
        _pdf_page(pdf, page, covered)
    return bytes(pdf.output())


def _pdf_page(pdf: FPDF, page: NoticePage, covered: frozenset[int]) -> None:
    def printable(text: str) -> str:
        return "".join(c if ord(c) in covered or c in "\n " else _MISSING for c in text)

    def paragraph(text: str, size: float, *, bold: bool = False, height: float = 6) -> None:
        pdf.set_font(_FONT_FAMILY, "B" if bold else "", size)
        pdf.multi_cell(0, height, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    paragraph(_(TITLE), 17, bold=True, height=9)
    pdf.ln(4)
    paragraph(page.school, 12)
    paragraph(_("Élève : %(pupil)s") % {"pupil": page.pupil}, 12, bold=True)
    pdf.ln(6)
    for label, value in (
        (_("Identifiant"), page.identifiant),
        (_("Mot de passe provisoire"), page.password),
    ):
        pdf.set_font(_FONT_FAMILY, "", 12)
        pdf.cell(62, 11, label, border=1)
        pdf.set_font(_FONT_FAMILY, "B", 16)
        pdf.cell(0, 11, printable(value), border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    paragraph(page.validity, 11)
    pdf.ln(5)
    paragraph(_("Votre première connexion :"), 12, bold=True)
    for number, step in enumerate(page.steps, start=1):
        paragraph(f"{number}. {step}", 11)
        pdf.ln(1)
    pdf.ln(5)
    for sentence in page.closing:
        paragraph(sentence, 9.5, height=5)
        pdf.ln(1)


def write_notices(
    credentials: Sequence[IssuedCredentials], out_dir: Path, *, password_min_length: int
) -> tuple[Path, ...]:
    """One PDF and one text file per class (and establishment), in ``out_dir``, named after
    the establishment, the class and the moment of issue. Returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    ordered = sorted(credentials, key=lambda c: (c.uai, c.classe, c.nom, c.prenom, c.pupil_id))
    for (uai, classe), group in groupby(ordered, key=lambda c: (c.uai, c.classe)):
        members = list(group)
        pages = [notice_page(c, password_min_length=password_min_length) for c in members]
        moment = f"{members[0].issued_at:%Y%m%d-%H%M%S}"
        stem = f"notices-{_slug(uai)}-{_slug(classe) or 'sans-classe'}-{moment}"
        written.extend(
            _write_new(
                out_dir,
                stem,
                {".pdf": render_pdf(pages), ".txt": render_text(pages).encode("utf-8")},
            )
        )
    return tuple(written)


def _write_new(out_dir: Path, stem: str, contents: dict[str, bytes]) -> list[Path]:
    """New files readable by their owner only, one per suffix, with the same name: ``-2``,
    ``-3``… is added rather than overwrite an earlier notice."""
    for number in count(1):
        name = stem if number == 1 else f"{stem}-{number}"
        paths = [out_dir / f"{name}{suffix}" for suffix in contents]
        if any(path.exists() for path in paths):
            continue
        for path, content in zip(paths, contents.values(), strict=True):
            # O_EXCL: another run that picked the same name in between fails loudly here.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
        return paths
    raise AssertionError("count() never ends")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def _font_path(file_name: str) -> Path:
    return Path(str(resources.files("services").joinpath("data/fonts", file_name)))


def _covered(pdf: FPDF) -> frozenset[int]:
    """Code points every shipped font can draw."""
    from fpdf.fonts import TTFFont

    maps = [set(font.cmap) for font in pdf.fonts.values() if isinstance(font, TTFFont)]
    return frozenset(set.intersection(*maps)) if maps else frozenset()
