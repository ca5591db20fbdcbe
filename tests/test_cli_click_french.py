"""Click's own sentences in French (``tui.cli.click_french``): whoever mistypes a command reads
« Erreur : option inconnue », never Click's English, whatever the machine's locale."""

from __future__ import annotations

import inspect
import re

import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.cli.click_french import CLICK_MODULES, CLICK_PLURALS, CLICK_SENTENCES

ENGLISH = re.compile(
    r"\b(Error|Usage|Missing|No such|Got unexpected|requires|is not one of|Did you mean|Try)\b"
)

CLICK_SOURCE = "\n".join(inspect.getsource(module) for module in CLICK_MODULES)


def said(*arguments: str) -> str:
    """What ``educonnect ARGUMENTS`` writes, under an English locale."""
    result = CliRunner().invoke(main, list(arguments), env={"LANGUAGE": "en", "LANG": "C"})
    assert result.exit_code == 2, result.output
    return result.output


class TestClickSpeaksFrench:
    @pytest.mark.parametrize(
        ("arguments", "sentence"),
        [
            (["--bogus"], "Erreur : Option inconnue : --bogus."),
            (["--hlp"], "Vouliez-vous dire '--help' ?"),
            (["bogus"], "Erreur : Commande inconnue : bogus."),
            (["import"], "Erreur : Argument manquant 'FICHIER_CSV'."),
            (["demo", "extra"], "Erreur : Argument en trop : extra"),
            (["serve", "ssh", "--port"], "Erreur : L'option --port attend 1 valeur."),
            (
                ["--langue", "xx"],
                "Erreur : Valeur refusée pour '--langue' : « xx » n'est pas parmi 'fr'",
            ),
        ],
        ids=["option", "near option", "command", "argument", "extra", "no value", "choice"],
    )
    def test_a_mistyped_command_is_refused_in_french(
        self, arguments: list[str], sentence: str
    ) -> None:
        """The refusal in French (after the usage line, in French too) and no English word."""
        output = said(*arguments)
        assert sentence in output
        assert ENGLISH.search(output) is None, output

    def test_the_help_headings_are_french(self) -> None:
        result = CliRunner().invoke(main, ["--help"], env={"LANGUAGE": "en"})
        assert "Options :" in result.output
        assert "Commandes :" in result.output
        assert ENGLISH.search(result.output) is None, result.output


class TestTheSentencesAreClicks:
    def test_each_english_sentence_is_one_click_writes(self) -> None:
        """A newer Click that rewords a sentence fails here, not silently in English."""
        english = [*CLICK_SENTENCES, *(form for pair in CLICK_PLURALS for form in pair)]
        missing = [sentence for sentence in english if f'"{sentence}"' not in CLICK_SOURCE]
        assert missing == []

    def test_each_french_sentence_keeps_the_values_click_gives(self) -> None:
        """The French sentence names only values its English one names."""
        field = re.compile(r"\{(\w+)")
        for english, french in CLICK_SENTENCES.items():
            assert set(field.findall(french)) <= set(field.findall(english)), french
        for pair, french_pair in CLICK_PLURALS.items():
            names = {name for form in pair for name in field.findall(form)}
            for form in french_pair:
                assert set(field.findall(form)) <= names, form
