"""Names compare the way a school secretary reads them: accents, case, ligatures and
punctuation do not count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.names import ascii_letters, normalize_name

# Each base letter with spellings a register or a keyboard may give it.
_SPELLINGS = {
    "a": "aAàâäáãÀÂÄÁ",
    "c": "cCçÇ",
    "e": "eEéèêëÉÈÊË",
    "i": "iIîïíÎÏÍ",
    "n": "nNñÑ",
    "o": "oOôöóõÔÖÓ",
    "u": "uUùûüúÙÛÜÚ",
    "y": "yYÿýŸÝ",
    "b": "bB",
    "d": "dD",
    "l": "lL",
    "m": "mM",
    "r": "rR",
    "s": "sS",
    "t": "tT",
}
_SEPARATORS = [" ", "-", "'", "’", "ʼ", "‑", "–"]


@st.composite
def _spelled_names(draw: st.DrawFn) -> tuple[str, str]:
    """A plain lower-case name and the same name with random case, accents and separators."""
    letters = draw(st.lists(st.sampled_from(sorted(_SPELLINGS)), min_size=1, max_size=20))
    plain = "".join(letters)
    decorated = ""
    for index, letter in enumerate(letters):
        if index and draw(st.booleans()):
            decorated += draw(st.sampled_from(_SEPARATORS))
        decorated += draw(st.sampled_from(_SPELLINGS[letter]))
    return plain, decorated


class TestNormalizeName:
    @pytest.mark.parametrize(
        ("school", "typed"),
        [
            ("Lefèvre", "lefevre"),
            ("Jean-Édouard", "JEAN EDOUARD"),
            ("Jean-Édouard", "jean’édouard"),
            ("N'Diaye", "n’diaye"),
            ("N'Diaye", "N ʼDIAYE"),
            ("N'Diaye", "NDIAYE"),
            ("Le Gall", "LEGALL"),
            ("Œuvray", "oeuvray"),
            ("Lætitia", "LAETITIA"),
            ("Strauß", "STRAUSS"),
            ("Marie-Claude", "  marie  claude "),
        ],
    )
    def test_spellings_of_one_name_agree(self, school: str, typed: str) -> None:
        """What the school recorded and what a parent types agree despite accents, case,
        ligatures, apostrophes (straight or typographic), hyphens and spaces."""
        assert normalize_name(school) == normalize_name(typed)

    @pytest.mark.parametrize(
        ("one", "other"),
        [("Martin", "Martine"), ("Dupont", "Dupond"), ("Léa", "Léo"), ("Anne", "Annie")],
    )
    def test_different_names_stay_different(self, one: str, other: str) -> None:
        """Folding never merges names that differ by a real letter."""
        assert normalize_name(one) != normalize_name(other)

    @given(st.text())
    def test_idempotent(self, value: str) -> None:
        """Normalising a normalised name changes nothing, for any text at all."""
        once = normalize_name(value)
        assert normalize_name(once) == once

    @given(_spelled_names())
    def test_insensitive_to_case_accents_and_separators(self, names: tuple[str, str]) -> None:
        """Any mix of case, French accents and separators gives the plain name's key."""
        plain, decorated = names
        assert normalize_name(decorated) == normalize_name(plain) == plain


class TestAsciiLetters:
    @pytest.mark.parametrize(
        ("name", "letters"),
        [
            ("N'Diaye-Lefèvre", "ndiayelefevre"),
            ("Œuvray", "oeuvray"),
            ("Łukasz", "lukasz"),
            ("Søren", "soren"),
            ("Đorđević", "dordevic"),
            ("Yıldız", "yildiz"),
            ("Ngọc", "ngoc"),
        ],
    )
    def test_latin_names_fold_to_their_letters(self, name: str, letters: str) -> None:
        """Identifiants are built from these letters: every Latin letter keeps its base
        letter, including those whose mark is part of the letter (ø, ł, đ, ı)."""
        assert ascii_letters(name) == letters

    @given(st.text())
    def test_only_lowercase_ascii_letters(self, value: str) -> None:
        """Whatever the input, only a–z come out (safe for an identifiant)."""
        assert all("a" <= c <= "z" for c in ascii_letters(value))
