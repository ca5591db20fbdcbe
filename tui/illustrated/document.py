"""The guide's content: its title, its opening, and for each step the label the screen shows,
the guide's paragraphs for it (F1's text, ``tui.guide``) and the screen's picture."""

from __future__ import annotations

from dataclasses import dataclass

from services.demo import DemoGuardian
from services.i18n import _
from tui.guide import INTRO, guide_paragraphs
from tui.illustrated.picture import ScreenPicture, offline, read
from tui.illustrated.walk import SIZE, Shot

__all__ = ["Document", "GuideStep", "document"]


@dataclass(frozen=True)
class GuideStep:
    stem: str
    """The pictures' file name without its extension: ``etape-01``…"""
    label: str
    paragraphs: tuple[str, ...]
    svg: str
    picture: ScreenPicture


@dataclass(frozen=True)
class Document:
    title: str
    opening: tuple[str, ...]
    steps: tuple[GuideStep, ...]


def document(guardian: DemoGuardian, shots: list[Shot]) -> Document:
    steps = []
    for number, shot in enumerate(shots, 1):
        svg = offline(shot.svg)
        steps.append(
            GuideStep(
                stem=f"etape-{number:02d}",
                label=shot.label,
                paragraphs=tuple(guide_paragraphs(shot.guide).split("\n\n")),
                svg=svg,
                picture=read(svg, *SIZE),
            )
        )
    example = _(
        "Exemple suivi : %(prenom)s %(nom)s, portable %(phone)s, une famille de "
        "démonstration. Les images sont celles de l'application educonnect, prises à chaque "
        "étape ; ses touches sont rappelées entre parenthèses (« clavier : … »)."
    ) % {"prenom": guardian.prenom, "nom": guardian.nom, "phone": guardian.portable}
    return Document(
        title=_("Créer son compte ÉduConnect par SMS — guide illustré"),
        opening=(_(INTRO), example),
        steps=tuple(steps),
    )
