"""Dates of birth are typed with ASCII digits only: other digit systems are refused."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import ManualClock, Services
from services.errors import InvalidInput
from services.forms import parse_birth_date
from services.importer import EXPECTED_HEADER, ImportIssue, SchoolImporter

ARABIC_INDIC_ROW = (
    "0341234A;CLG Frédéric Bazille;E001;Martin;Lucas;١٤/٠٣/٢٠١٢;4B;R001;Martin;Sophie;"
    "06 12 34 56 78;"
)
FORMAT_MESSAGE = "Format de date attendu : JJ/MM/AAAA (par exemple 22/01/2005)."
NON_ASCII_DIGITS = st.characters(categories=["Nd"]).filter(lambda char: not char.isascii())


def as_date(digits: str, separator: str) -> str:
    """``DDMMYYYY`` typed as ``DD/MM/YYYY`` (or packed with an empty separator)."""
    return separator.join((digits[:2], digits[2:4], digits[4:]))


class TestAsciiDigitsOnly:
    @pytest.mark.parametrize(
        "typed",
        [
            "١٤/٠٣/٢٠١٢",
            "۱۴/۰۳/۲۰۱۲",
            "１４/０３/２０１２",
            "１４０３２０１２",
            "१४-०३-२०१२",
            "14/03/２０12",
        ],
        ids=["arabic-indic", "persian", "full-width", "full-width-packed", "devanagari", "mixed"],
    )
    def test_other_digit_systems_are_refused(self, typed: str) -> None:
        """Digits of another script, or full-width ones, get the usual format message."""
        with pytest.raises(InvalidInput) as refused:
            parse_birth_date(typed)
        assert refused.value.message == FORMAT_MESSAGE

    @given(
        born=st.dates(min_value=date(1000, 1, 1)),
        packed=st.booleans(),
        position=st.integers(min_value=0, max_value=7),
        digit=NON_ASCII_DIGITS,
    )
    def test_one_foreign_digit_is_enough_to_refuse(
        self, born: date, packed: bool, position: int, digit: str
    ) -> None:
        """Any real date, typed with one of its eight digits from another digit system (same
        value), is refused; typed in ASCII it is accepted."""
        ascii_digits = f"{born:%d%m}{born.year:04d}"
        value = int(ascii_digits[position])
        foreign = chr(ord(digit) - unicodedata.digit(digit) + value)
        digits = ascii_digits[:position] + foreign + ascii_digits[position + 1 :]
        separator = "" if packed else "/"

        assert parse_birth_date(as_date(ascii_digits, separator)) == born
        with pytest.raises(InvalidInput) as refused:
            parse_birth_date(as_date(digits, separator))
        assert refused.value.message == FORMAT_MESSAGE

    def test_import_refuses_an_arabic_indic_date(
        self, services: Services, clock: ManualClock
    ) -> None:
        """In a school export, such a date is a row error on eleve_naissance: nothing written."""
        result = SchoolImporter(services.store, clock).import_text(
            f"{EXPECTED_HEADER}\n{ARABIC_INDIC_ROW}\n"
        )

        assert result.errors == (ImportIssue(2, FORMAT_MESSAGE, "eleve_naissance"),)
