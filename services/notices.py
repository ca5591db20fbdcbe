"""Printable notices « Mise à disposition de votre compte ÉduConnect », one per pupil.

Each class gets a PDF and a plain-text file with the same notices: two per A4 page in the PDF,
with a dashed cut line between them; one per page in the text file (pages separated by a form
feed, which printers honour). A notice carries its date of issue, the school's name and a
contact line (``services.school``), and instructions that hold for both ways in, the
téléservices and the school's ENT. The PDF embeds DejaVu Sans, shipped with the package:
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
from typing import TYPE_CHECKING, cast

from services.formatting import day
from services.i18n import N_, _
from services.passwords import check_password
from services.pupils import IssuedCredentials
from services.school import SchoolDetails
from services.settings import Settings

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = [
    "NoticePage",
    "notice_page",
    "password_rules",
    "render_pdf",
    "render_text",
    "write_notices",
]

# A msgid: translated where the page is drawn.
TITLE = N_("Mise à disposition de votre compte ÉduConnect")
_FONT_FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_MISSING = "?"
_TEXT_WIDTH = 78
_MARGIN = 12.0
# Type sizes tried, largest first, until a notice fits in its half page.
_SCALES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7)


@dataclass(frozen=True)
class NoticePage:
    """The text of one notice, shared by the PDF and the plain-text renderings."""

    school: str
    issued: str
    pupil: str
    identifiant: str
    password: str
    validity: str
    steps: tuple[str, ...]
    closing: tuple[str, ...]
    contact: str


def password_rules(settings: Settings) -> tuple[str, ...]:
    """The rules a new password must meet, named as the app's checklist names them (the same
    objects check it: the notice cannot promise fewer rules than the screen enforces)."""
    return tuple(rule.label for rule in check_password("", settings))


def notice_page(
    credentials: IssuedCredentials, *, rules: Sequence[str], school: SchoolDetails | None = None
) -> NoticePage:
    """``rules`` from ``password_rules``; ``school`` the staff's file, if given: without it the
    import's name is printed and the contact line sends the pupil to the secretariat."""
    until = day(credentials.valid_until)
    name = school.nom if school is not None and school.nom else credentials.etablissement
    if credentials.classe:
        name = _("%(school)s — classe %(classe)s") % {"school": name, "classe": credentials.classe}
    contact = school.contact if school is not None else ""
    return NoticePage(
        school=name,
        issued=_("Délivré le %(day)s") % {"day": day(credentials.issued_at.astimezone().date())},
        pupil=f"{credentials.prenom} {credentials.nom}",
        identifiant=credentials.identifiant,
        password=credentials.password,
        validity=_("Valable jusqu'au %(day)s inclus, pour votre première connexion seulement.")
        % {"day": until},
        steps=_steps(rules, school),
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
        contact=_("Une question ? %(contact)s") % {"contact": contact}
        if contact
        else _("Une question ? Adressez-vous au secrétariat de votre établissement."),
    )


def _steps(rules: Sequence[str], school: SchoolDetails | None) -> tuple[str, ...]:
    """The guide's way in, from the téléservices or from the ENT: only the ENT asks for its
    own profile first (the guide's step 1.1), so that step says which site it is for."""
    ent = school.ent if school is not None else None
    academie = school.academie if school is not None else None
    if ent:
        first = _(
            "Rendez-vous sur les téléservices (https://teleservices.education.gouv.fr) ou sur "
            "l'ENT de votre établissement (%(ent)s), puis cliquez sur « Se connecter »."
        ) % {"ent": ent}
    else:
        first = _(
            "Rendez-vous sur les téléservices (https://teleservices.education.gouv.fr) ou sur "
            "l'ENT de votre établissement, puis cliquez sur « Se connecter »."
        )
    if academie:
        ent_profile = _(
            "Sur l'ENT seulement : choisissez « Élève ou parent de l'académie de "
            "%(academie)s », puis « Valider ». Sur les téléservices, passez à l'étape 3."
        ) % {"academie": academie}
    else:
        ent_profile = _(
            "Sur l'ENT seulement : choisissez « Élève ou parent » de votre académie, puis "
            "« Valider ». Sur les téléservices, passez à l'étape 3."
        )
    listed = " ; ".join(rule[:1].lower() + rule[1:] for rule in rules)
    return (
        first,
        ent_profile,
        _("Sous « Je sélectionne mon profil », choisissez « Élève »."),
        _(
            "Saisissez votre identifiant et votre mot de passe provisoire (les tirets sont "
            "facultatifs), puis « Se connecter »."
        ),
        _(
            "« Confirmation de l'identité » : indiquez votre date de naissance (JJ/MM/AAAA), "
            "puis « Continuer »."
        ),
        _(
            "« Je choisis mon mot de passe » : saisissez deux fois votre nouveau mot de passe, "
            "puis « Valider ». Il doit respecter ces règles : %(rules)s."
        )
        % {"rules": listed},
        _(
            "« Votre compte est activé » : si vous le souhaitez, indiquez une adresse e-mail ; "
            "elle vous permettra de choisir un nouveau mot de passe en cas d'oubli. Sinon, "
            "« Passer cette étape »."
        ),
    )


def render_text(pages: Sequence[NoticePage]) -> str:
    """All notices, one per page, separated by a form feed."""
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
        _wrap(page.school),
        page.issued,
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
        "",
        _wrap(page.contact),
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
    """Two notices per A4 page, one above the other, a dashed cut line between them."""
    # fpdf2 takes about a second to import: every SSH session would pay it at start-up for a
    # feature only the school's staff uses.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    # Each notice is fitted inside its half below; a page break in the middle of one would
    # print half a notice on each sheet.
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(_(TITLE))
    pdf.set_creator("educonnect-tui")
    for style, file_name in _FONT_FILES.items():
        pdf.add_font(_FONT_FAMILY, style, str(_font_path(file_name)))
    covered = _covered(pdf)
    half = pdf.eph / 2 + _MARGIN
    for index, page in enumerate(pages):
        if index % 2 == 0:
            pdf.add_page()
            top = _MARGIN
        else:
            _cut_line(pdf, half)
            top = half + _MARGIN
        bottom = top + half - 2 * _MARGIN
        _pdf_notice(
            pdf, page, covered, top=top, scale=_fitting_scale(pdf, page, covered, top, bottom)
        )
    return bytes(pdf.output())


def _fitting_scale(
    pdf: FPDF, page: NoticePage, covered: frozenset[int], top: float, bottom: float
) -> float:
    """The largest type that keeps the notice inside its half: long names, a long contact
    line or a wordier language shrink the type rather than spill onto the other notice."""
    for scale in _SCALES:
        with pdf.offset_rendering() as trial:
            # The recorder passes every call on to a copy of ``pdf``, which it stands for.
            _pdf_notice(cast("FPDF", trial), page, covered, top=top, scale=scale)
            if trial.get_y() <= bottom:
                return scale
    return _SCALES[-1]


def _cut_line(pdf: FPDF, y: float) -> None:
    pdf.set_draw_color(120)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.line(_MARGIN + 6, y, pdf.w - _MARGIN, y)
    pdf.set_dash_pattern()
    pdf.set_font(_FONT_FAMILY, "", 11)
    pdf.set_xy(_MARGIN, y - 2.5)
    pdf.cell(6, 5, "✂")


def _pdf_notice(
    pdf: FPDF, page: NoticePage, covered: frozenset[int], *, top: float, scale: float
) -> None:
    def printable(text: str) -> str:
        return "".join(c if ord(c) in covered or c in "\n " else _MISSING for c in text)

    def paragraph(text: str, size: float, *, bold: bool = False, align: str = "L") -> None:
        pdf.set_font(_FONT_FAMILY, "B" if bold else "", size * scale)
        pdf.multi_cell(
            0, size * scale * 0.45, printable(text), align=align, new_x="LMARGIN", new_y="NEXT"
        )

    pdf.set_xy(_MARGIN, top)
    paragraph(_(TITLE), 13, bold=True)
    below_title = pdf.get_y()
    # The date of issue sits at the right of the title line, as on a letter.
    pdf.set_xy(_MARGIN, top)
    pdf.set_font(_FONT_FAMILY, "", 9 * scale)
    pdf.cell(0, 13 * scale * 0.45, page.issued, align="R")
    pdf.set_xy(_MARGIN, below_title)
    paragraph(page.school, 10)
    paragraph(_("Élève : %(pupil)s") % {"pupil": page.pupil}, 11, bold=True)
    pdf.ln(1.5 * scale)
    for label, value in (
        (_("Identifiant"), page.identifiant),
        (_("Mot de passe provisoire"), page.password),
    ):
        pdf.set_font(_FONT_FAMILY, "", 10 * scale)
        pdf.cell(55, 8 * scale, label, border=1)
        shown = printable(value)
        pdf.set_font(_FONT_FAMILY, "B", 13 * scale)
        room = pdf.epw - 55 - 2 * pdf.c_margin
        # A very long identifiant gets smaller type rather than run out of its box.
        if pdf.get_string_width(shown) > room:
            pdf.set_font_size(13 * scale * room / pdf.get_string_width(shown))
        pdf.cell(0, 8 * scale, shown, border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1 * scale)
    paragraph(page.validity, 9)
    pdf.ln(1.5 * scale)
    paragraph(_("Votre première connexion :"), 9.5, bold=True)
    for number, step in enumerate(page.steps, start=1):
        paragraph(f"{number}. {step}", 8.5)
        pdf.ln(0.4 * scale)
    pdf.ln(1.2 * scale)
    for sentence in page.closing:
        paragraph(sentence, 7.5)
    pdf.ln(1.2 * scale)
    paragraph(page.contact, 9, bold=True)


def write_notices(
    credentials: Sequence[IssuedCredentials],
    out_dir: Path,
    *,
    rules: Sequence[str],
    school: SchoolDetails | None = None,
) -> tuple[Path, ...]:
    """One PDF and one text file per class (and establishment), in ``out_dir``, named after
    the establishment, the class and the moment of issue. Returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    ordered = sorted(credentials, key=lambda c: (c.uai, c.classe, c.nom, c.prenom, c.pupil_id))
    for (uai, classe), group in groupby(ordered, key=lambda c: (c.uai, c.classe)):
        members = list(group)
        pages = [notice_page(c, rules=rules, school=school) for c in members]
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
