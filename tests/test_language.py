"""The twins of the bilingual mode (``tui.language``) and their one layout."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.content import Content, Span

from tui.language import (
    _,
    beside,
    french,
    laid_out,
    plain_lines,
    read_back,
    split_lines,
    translation,
    twin,
    use_language,
)
from tui.terminal import install_bilingual_content


@pytest.fixture(autouse=True)
def french_again() -> Iterator[None]:
    yield
    use_language(None)


class TestTwins:
    def test_french_mode_gives_the_french_as_it_is(self) -> None:
        assert _("Bienvenue") == "Bienvenue"

    def test_placeholders_fill_both_sides_and_nested_twins_keep_their_side(self) -> None:
        use_language("en")
        heading = _("Étape %(number)s sur %(count)d — %(title)s") % {
            "number": "3",
            "count": 7,
            "title": _("Activation du compte"),
        }
        assert french(heading) == "Étape 3 sur 7 — Activation du compte"
        assert translation(heading) == "Step 3 of 7 — Account activation"

    def test_a_value_is_never_translated(self) -> None:
        use_language("en")
        said = _("Bonjour %(prenom)s %(nom)s") % {"prenom": "Oui", "nom": "Bienvenue"}
        assert plain_lines(said) == "Bonjour Oui Bienvenue\nHello Oui Bienvenue"

    def test_a_translation_that_says_the_same_is_not_repeated(self) -> None:
        use_language("en")
        assert _("Guide") == "Guide"
        assert twin("Pronote", "Pronote") == "Pronote"


class TestLayout:
    def test_each_line_then_its_translation_dim(self) -> None:
        text = "Nom : " + twin("Bienvenue", "Welcome") + "\nLéa"
        chars = laid_out(text)
        assert "".join(c.char for c in chars) == "Nom : Bienvenue\nNom : Welcome\nLéa"
        # The whole translation line is the quieter one.
        assert "".join(c.char for c in chars if c.dim) == "Nom : Welcome"

    def test_a_text_of_paragraphs_alternates_them(self) -> None:
        text = twin("Un.\n\nDeux.", "One.\n\nTwo.")
        assert plain_lines(text) == "Un.\nOne.\n\nDeux.\nTwo."

    def test_beside_says_a_shared_start_once(self) -> None:
        text = beside(twin("site.fr — Téléservices", "site.fr — Online services"))
        assert french(text) == "site.fr — Téléservices Online services"

    def test_lines_are_split_on_both_sides(self) -> None:
        parts = split_lines(twin("Titre :\n • un", "Title:\n • one"))
        assert [(french(p), translation(p)) for p in parts] == [
            ("Titre :", "Title:"),
            (" • un", " • one"),
        ]


class TestContent:
    def test_textual_lays_out_a_twin_and_moves_its_spans(self) -> None:
        install_bilingual_content()
        content = Content(twin("Oui", "Yes") + " !", [Span(0, 8, "bold")])
        assert content.plain == "Oui !\nYes !"
        assert Span(0, 3, "bold") in content.spans
        assert Span(6, 9, "bold") in content.spans
        assert Span(6, 11, "dim") in content.spans

    def test_a_text_without_markers_is_untouched(self) -> None:
        install_bilingual_content()
        spans = [Span(0, 3, "bold")]
        content = Content("Léa [b]", spans)
        assert (content.plain, content.spans) == ("Léa [b]", spans)


def test_the_phone_reads_a_french_sms_back_with_its_translation() -> None:
    use_language("en")
    sms = (
        "ÉduConnect : votre code d'activation est ABCDEF. Il est valable 30 minutes. "
        "Ne le communiquez à personne."
    )
    assert translation(read_back(sms)) == (
        "ÉduConnect: your activation code is ABCDEF. It is valid for 30 minutes. "
        "Do not give it to anyone."
    )
    assert french(read_back(sms)) == sms
    assert read_back("Un texte inconnu.") == "Un texte inconnu."
