"""Arabic as the browser's terminal must be given it (issue 17): each line in the order it is
seen, its letters joined, since that terminal draws each cell apart, left to right.

The expected lines are written out in the presentation forms a reader sees (« ﻚﺑ ﺎﺒﺣﺮﻣ » is
« مرحبا بك » joined and laid out right to left)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.content import Content

from services import Services
from services.i18n import translations
from tests.tui.monochrome import cells
from tests.tui.pilot import SIZE
from tests.tui.walks import to_ent_profile
from tui.app import make_app
from tui.language import use_language
from tui.right_to_left import reads_right_to_left, visual
from tui.sentences import GLOSSARY
from tui.terminal.right_to_left import show_right_to_left_in_visual_order


def seen(line: str) -> str:
    """``line`` as it is seen in an Arabic paragraph."""
    return visual(line, right_to_left=True)[0]


class TestVisualOrder:
    def test_an_arabic_sentence_is_laid_out_right_to_left_and_joined(self) -> None:
        """The first word on the right, each letter in its joined form."""
        assert seen("مرحبا بك") == "ﻚﺑ ﺎﺒﺣﺮﻣ"

    def test_numbers_and_latin_words_keep_their_own_order(self) -> None:
        """« 6 », « 30 » and a French term inside an Arabic sentence read left to right."""
        assert seen("رمز من 6 أرقام") == "ﻡﺎﻗﺭﺃ 6 ﻦﻣ ﺰﻣﺭ"
        assert seen("اضغط على « Se connecter »") == "« Se connecter » ﻰﻠﻋ ﻂﻐﺿﺍ"

    def test_brackets_and_key_signs_stay_with_their_word(self) -> None:
        """« (SMS) » keeps its brackets around it, and the footer's « ^q » stays « ^q »."""
        assert seen("رسالة (SMS) هنا") == "ﺎﻨﻫ (SMS) ﺔﻟﺎﺳﺭ"
        assert seen("^q خروج") == "ﺝﻭﺮﺧ ^q"
        assert seen("إظهار (F3)") == "(F3) ﺭﺎﻬﻇﺇ"

    def test_brackets_around_arabic_words_and_numbers_are_mirrored(self) -> None:
        """Drawn right to left, « (6 أرقام) » opens on the right: each bracket is drawn as
        its mirror image."""
        assert seen("رمز (6 أرقام)") == "(ﻡﺎﻗﺭﺃ 6) ﺰﻣﺭ"

    def test_the_punctuation_that_ends_a_clause_follows_the_sentence(self) -> None:
        """The colon after a quoted French label comes after it in reading order: on its
        left."""
        assert seen("« Se connecter » (تسجيل الدخول):") == ":(ﻝﻮﺧﺪﻟﺍ ﻞﻴﺠﺴﺗ) « Se connecter »"
        assert seen("استعمله لـ ÉduConnect!") == "!ÉduConnect ـﻟ ﻪﻠﻤﻌﺘﺳﺍ"

    def test_a_vowel_mark_stays_on_its_letter(self) -> None:
        """The tanwin of « مرحبًا » is drawn in its letter's cell: it comes right after it."""
        text, order = visual("مرحبًا", right_to_left=True)
        assert text == "ﺎﺒًﺣﺮﻣ"
        assert order == [5, 3, 4, 2, 1, 0]

    def test_a_lam_alef_is_one_sign_for_two_letters(self) -> None:
        """Each character shown says which one it shows: the ligature shows the lam."""
        assert visual("لا", right_to_left=True) == ("ﻻ", [0])

    def test_the_spaces_around_a_line_stay_where_they_are(self) -> None:
        """They place the line on the screen (a footer key's margin)."""
        text, order = visual("  مرحبا ", right_to_left=True)
        assert text == "  ﺎﺒﺣﺮﻣ "
        assert order == [0, 1, 6, 5, 4, 3, 2, 7]

    def test_a_french_line_is_left_as_it_is(self) -> None:
        line = "Étape 1 / 7 — Accès au service"
        assert visual(line, right_to_left=False) == (line, list(range(len(line))))

    def test_a_french_line_with_its_translation_beside_stays_french_first(self) -> None:
        """A line that opens on French is French, whatever follows it."""
        assert not reads_right_to_left("Aide المساعدة", translation=False)
        assert visual("Aide المساعدة", right_to_left=False)[0] == "Aide ﺓﺪﻋﺎﺴﻤﻟﺍ"

    def test_a_translation_that_opens_on_a_french_name_is_still_arabic(self) -> None:
        assert reads_right_to_left("ÉduConnect: اسم المستخدم الخاص بك", translation=True)
        assert reads_right_to_left("ولي الأمر (Représentant légal)", translation=True)
        assert not reads_right_to_left("ÉduConnect: اسم المستخدم الخاص بك", translation=False)


@pytest.fixture
def in_visual_order(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process draws as a browser tab does; the next test draws as a terminal again."""
    monkeypatch.setattr(Content, "_wrap_and_format", Content._wrap_and_format)
    show_right_to_left_in_visual_order()
    yield
    use_language(None)


def rows(screen: list[list[tuple[str, bool, bool]]]) -> list[str]:
    return ["".join(cell[0] for cell in row).rstrip() for row in screen]


ARABIC_WELCOME = translations("ar").gettext("Bienvenue")


class TestInTheBrowser:
    async def test_each_translation_line_is_drawn_as_it_is_read(
        self, demo_services: Services, in_visual_order: None
    ) -> None:
        """Under « Bienvenue », its Arabic translation in visual order; the French untouched."""
        app = make_app(demo_services, "ar")
        async with app.run_test(size=SIZE) as pilot:
            shown = rows(cells(pilot))
        welcome = shown.index("  Bienvenue")
        assert shown[welcome + 1] == "  " + seen(ARABIC_WELCOME)
        assert "ﻚﺑ ﺎﺒًﺣﺮﻣ" in shown[welcome + 1]

    async def test_a_wrapped_paragraph_begins_on_its_first_line(
        self, demo_services: Services, in_visual_order: None
    ) -> None:
        """The glossary's translation takes several lines: its first words are on the first
        one, at its right end, where a reader starts."""
        first_word = translations("ar").gettext(GLOSSARY).split()[0]
        app = make_app(demo_services, "ar")
        async with app.run_test(size=SIZE) as pilot:
            shown = rows(cells(pilot))
        glossary = next(i for i, row in enumerate(shown) if row.startswith("  Les mots"))
        translation = next(i for i in range(glossary, len(shown)) if "ﺕﺎﻤﻠﻛ" in shown[i])
        assert shown[translation].endswith(seen(first_word))

    async def test_a_translation_beside_the_french_is_read_from_its_own_start(
        self, demo_services: Services, in_visual_order: None
    ) -> None:
        """Step 1.1's choices: the French, then beside it its Arabic translation laid out as a
        paragraph of its own. Its last word, « EduConnect », ends it on its left, not at the
        far right of the line."""
        label = "Élève ou parent de l'académie de Toulouse avec EduConnect"
        arabic = translations("ar").gettext(label)
        assert arabic.endswith("EduConnect")
        app = make_app(demo_services, "ar")
        # Wide enough for the whole line (at 80 columns it ends in « … », on its left).
        async with app.run_test(size=(140, 30)) as pilot:
            await to_ent_profile(pilot)
            shown = rows(cells(pilot))
        choice = next(row for row in shown if label in row)
        assert choice.endswith(label + " " + seen(arabic))
        assert seen(arabic).startswith("EduConnect ")

    async def test_the_styles_follow_their_characters(
        self, demo_services: Services, in_visual_order: None
    ) -> None:
        """The language link is underlined on both its lines, the Arabic one included."""
        app = make_app(demo_services, "ar")
        async with app.run_test(size=SIZE) as pilot:
            link = app.screen.query_one("#language")
            screen = cells(pilot)
            label = [
                cell
                for row in screen[link.region.y : link.region.bottom]
                for cell in row[link.region.x : link.region.right]
                if cell[0].strip()
            ]
        arabic = [cell for cell in label if "\ufe70" <= cell[0] <= "\ufefc"]
        assert arabic
        assert all(underline for _char, _reverse, underline in arabic)

    async def test_a_terminal_gets_the_letters_in_the_order_they_are_written(
        self, demo_services: Services
    ) -> None:
        """Outside the browser the app leaves the ordering to the terminal (some do it)."""
        app = make_app(demo_services, "ar")
        async with app.run_test(size=SIZE) as pilot:
            shown = rows(cells(pilot))
        use_language(None)
        welcome = shown.index("  Bienvenue")
        assert shown[welcome + 1] == "  " + ARABIC_WELCOME
