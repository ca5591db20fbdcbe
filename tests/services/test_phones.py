"""Mobile numbers as parents type them: French numbering only, mobiles only, stored as E.164."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from services import Services
from services.errors import InvalidInput
from services.phones import FRENCH_REGIONS, format_for_display, parse_mobile

_FRENCH_E164 = re.compile(r"^\+(33|262|590|594|596|508|687|689|681)[0-9]{6,12}$")
_OVERSEAS_WITH_TRUNK_PREFIX = ("RE", "YT", "GP", "MQ", "GF", "BL", "MF", "PM")


def _example_mobile(region: str) -> phonenumbers.PhoneNumber:
    number = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    assert number is not None
    return number


def _formatted(number: phonenumbers.PhoneNumber, form: int) -> str:
    return str(phonenumbers.format_number(number, form))


class TestFrenchMobilesAccepted:
    @pytest.mark.parametrize(
        "typed",
        ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78", " 06 12 34 56 78 "],
    )
    def test_metropolitan_national_forms(self, typed: str) -> None:
        """A metropolitan mobile typed nationally, with any usual separators, is understood."""
        assert parse_mobile(typed) == "+33612345678"

    @pytest.mark.parametrize(
        "typed", ["+33 6 12 34 56 78", "+33612345678", "0033 6 12 34 56 78", "0033612345678"]
    )
    def test_international_forms(self, typed: str) -> None:
        """The ``+33`` and ``0033`` forms give the same stored number."""
        assert parse_mobile(typed) == "+33612345678"

    @pytest.mark.parametrize("region", ["RE", "YT", "GP", "MQ", "GF"])
    def test_overseas_typed_nationally(self, region: str) -> None:
        """A mobile of La Réunion, Mayotte, Guadeloupe, Martinique or Guyane typed the way
        people there dial it (``0692…``, ``0639…``) gets its own country code, not +33."""
        number = _example_mobile(region)
        typed = _formatted(number, PhoneNumberFormat.NATIONAL)
        assert typed.startswith("0")
        assert parse_mobile(typed) == _formatted(number, PhoneNumberFormat.E164)

    @pytest.mark.parametrize("region", FRENCH_REGIONS)
    def test_every_french_territory_with_its_indicatif(self, region: str) -> None:
        """Every French territory's mobile is accepted in ``+`` and ``00`` form."""
        number = _example_mobile(region)
        e164 = _formatted(number, PhoneNumberFormat.E164)
        assert parse_mobile(_formatted(number, PhoneNumberFormat.INTERNATIONAL)) == e164
        assert parse_mobile("00" + e164[1:]) == e164

    @pytest.mark.parametrize("region", _OVERSEAS_WITH_TRUNK_PREFIX)
    def test_overseas_national_form_is_never_taken_for_metropolitan(self, region: str) -> None:
        """``0692 12 34 56`` is a Réunion mobile (+262), never read as a +33 number."""
        number = _example_mobile(region)
        assert not parse_mobile(_formatted(number, PhoneNumberFormat.NATIONAL)).startswith("+33")

    def test_mayotte_is_262_not_comoros(self) -> None:
        """Mayotte mobiles (0639…) are +262 639…; +269 is the Comoros and is refused."""
        assert parse_mobile("0639 01 23 45") == "+262639012345"
        with pytest.raises(InvalidInput, match="français"):
            parse_mobile("+269 321 23 45")

    def test_new_caledonia_national_form_is_not_saint_pierre(self) -> None:
        """``75 12 34`` is a New Caledonia mobile; it must not be stored as a
        Saint-Pierre-et-Miquelon (+508) number that would receive the code instead."""
        assert parse_mobile("75 12 34") == "+687751234"

    def test_number_valid_in_two_territories_asks_for_indicatif(self) -> None:
        """``82 12 34`` is a mobile in both New Caledonia and Wallis-et-Futuna: rather than
        guess who receives the code, the person is asked to type the indicatif."""
        with pytest.raises(InvalidInput, match="indicatif") as refused:
            parse_mobile("82 12 34")
        assert refused.value.field == "portable"
        assert parse_mobile("+681 82 12 34") == "+681821234"
        assert parse_mobile("+687 82 12 34") == "+687821234"

    def test_display_form(self) -> None:
        """The confirmation step shows the number as understood, grouped for reading."""
        assert format_for_display("+33612345678") == "+33 6 12 34 56 78"
        assert format_for_display("+262692123456") == "+262 692 12 34 56"


class TestNumbersRefused:
    @pytest.mark.parametrize(
        "typed", ["01 23 45 67 89", "+33 1 23 45 67 89", "09 12 34 56 78", "0800 123 456"]
    )
    def test_landline_or_service_number(self, typed: str) -> None:
        """A landline or service number is refused: the code is sent by SMS."""
        with pytest.raises(InvalidInput, match="n'est pas un numéro de téléphone portable") as e:
            parse_mobile(typed)
        assert e.value.field == "portable"

    def test_overseas_landline(self) -> None:
        """A Réunion landline typed nationally is refused as not a mobile."""
        landline = phonenumbers.example_number_for_type("RE", PhoneNumberType.FIXED_LINE)
        assert landline is not None
        with pytest.raises(InvalidInput, match="portable"):
            parse_mobile(_formatted(landline, PhoneNumberFormat.NATIONAL))

    @pytest.mark.parametrize("typed", ["+44 7400 123456", "0044 7400 123456", "+1 202 555 0143"])
    def test_foreign_number(self, typed: str) -> None:
        """A valid mobile outside French numbering is refused with a message saying so."""
        with pytest.raises(InvalidInput) as refused:
            parse_mobile(typed)
        assert refused.value.message == (
            "Seuls les numéros de portable français (métropole et outre-mer) sont acceptés."
        )

    @pytest.mark.parametrize("typed", ["bonjour", "06", "06 12 34", "+", "00", "☎☎☎", "<b>06</b>"])
    def test_garbage(self, typed: str) -> None:
        """Text that is not a phone number gets a message with examples of what works."""
        with pytest.raises(InvalidInput, match=r"n'est pas valide\. Exemples"):
            parse_mobile(typed)

    @pytest.mark.parametrize("typed", ["", "   "])
    def test_empty(self, typed: str) -> None:
        """An empty field asks for the number."""
        with pytest.raises(InvalidInput, match="Indiquez votre numéro"):
            parse_mobile(typed)

    def test_too_long(self) -> None:
        """A pasted wall of digits is refused before any parsing."""
        with pytest.raises(InvalidInput, match="trop long"):
            parse_mobile("06" * 40)

    @given(st.text(max_size=40))
    def test_any_text_gives_french_e164_or_invalid_input(self, typed: str) -> None:
        """Whatever is typed, the answer is a French E.164 number or ``InvalidInput`` —
        never another exception."""
        try:
            e164 = parse_mobile(typed)
        except InvalidInput:
            return
        assert _FRENCH_E164.match(e164)

    @given(st.from_regex(r"(\+|00)?[0-9 .()-]{0,18}", fullmatch=True))
    def test_any_digits_give_french_e164_or_invalid_input(self, typed: str) -> None:
        """Digit strings (the likely input) follow the same contract."""
        try:
            e164 = parse_mobile(typed)
        except InvalidInput:
            return
        assert _FRENCH_E164.match(e164)


class TestStoredAsE164:
    def test_start_keeps_e164(self, demo_services: Services) -> None:
        """The registration keeps the number in E.164, whatever form was typed."""
        started = demo_services.registration.start("Payet", "Marie-Claude", "0692 12 34 56")
        assert started.phone == "+262692123456"
        assert started.phone_display == "+262 692 12 34 56"

    @pytest.mark.parametrize("typed", ["+33 6 12 34 56 78", "0033612345678", "06.12.34.56.78"])
    def test_any_form_matches_the_school_record(self, demo_services: Services, typed: str) -> None:
        """Because both sides are E.164, every form of the school's number matches it."""
        assert demo_services.registration.start("Martin", "Sophie", typed).phone == "+33612345678"

    def test_reunion_number_under_33_shows_the_right_form(self, demo_services: Services) -> None:
        """``+33 692…`` does not exist: the refusal shows the Réunion form to use instead."""
        with pytest.raises(InvalidInput, match=r"\+262 692 12 34 56"):
            demo_services.registration.start("Payet", "Marie-Claude", "+33 6 92 12 34 56")
