"""The line mode in bilingual mode (issue 17): each French line, then its translation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services import Services
from tests.lines.script import run
from tui.language import use_language


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    use_language("en")
    yield
    use_language(None)


def test_each_french_line_is_followed_by_its_translation(demo_services: Services) -> None:
    lines = run(demo_services, ["quitter"]).splitlines()
    assert lines[:2] == ["ÉduConnect — mode lignes", "ÉduConnect — line mode"]
    heading = lines.index("Étape 1 sur 7 — Accès au service")
    assert lines[heading + 1] == "Step 1 of 7 — Access to the service"
    assert lines[-2:] == ["Au revoir.", "Goodbye."]


def test_the_keywords_are_explained_once_at_the_start(demo_services: Services) -> None:
    transcript = run(demo_services, ["quitter"])
    assert transcript.count("identifiant = username") == 1


def test_a_choice_is_understood_in_either_language(demo_services: Services) -> None:
    """« Site de départ » lists each site with its translation; the answer may be a number,
    the French or the translation's first letters."""
    transcript = run(demo_services, ["teleservices.education.gouv.fr — Online", "quitter"])
    assert "Réponse non reconnue" not in transcript
    assert "(Starting site) :" in transcript


def test_the_guide_text_has_no_keys_in_either_language(demo_services: Services) -> None:
    transcript = run(demo_services, ["aide", "quitter"])
    assert "the recommended way is" in " ".join(transcript.split())
    assert "keyboard" not in transcript.lower()
    assert "clavier" not in transcript.lower()
