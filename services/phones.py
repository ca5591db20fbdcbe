"""Mobile numbers as parents type them, understood with ``phonenumbers``.

Metropolitan and overseas French numbers typed nationally (``06…``, ``0692…`` for La Réunion,
``0639…`` for Mayotte…), or in ``+``/``00`` international form. Only French numbering is
accepted, and only mobiles; everything is stored as E.164.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from services.errors import ErrorCode, InvalidInput

__all__ = ["FRENCH_REGIONS", "format_for_display", "parse_mobile"]

# Metropolitan France first, then the overseas regions that share +33-style national dialling.
FRENCH_REGIONS = ("FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF", "PM", "NC", "PF", "WF")
_FRENCH_COUNTRY_CODES = frozenset(
    phonenumbers.country_code_for_region(region) for region in FRENCH_REGIONS
)
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_MAX_TYPED_LENGTH = 30


def parse_mobile(typed: str) -> str:
    """The E.164 form of a French mobile number, or ``InvalidInput`` saying what is wrong."""
    text = typed.strip()
    if not text:
        raise InvalidInput(ErrorCode.PORTABLE_MISSING, field="portable")
    if len(text) > _MAX_TYPED_LENGTH:
        raise InvalidInput(ErrorCode.PORTABLE_TOO_LONG, field="portable")
    if text.startswith("00"):
        text = "+" + text[2:]
    candidates = (
        [_parse(text, None)]
        if text.startswith("+")
        else [_parse(text, region) for region in FRENCH_REGIONS]
    )
    numbers = [n for n in candidates if n is not None and phonenumbers.is_valid_number(n)]
    if not numbers:
        raise InvalidInput(ErrorCode.PORTABLE_INVALID, field="portable")
    number = _only_mobile(numbers)
    if number.country_code not in _FRENCH_COUNTRY_CODES:
        raise InvalidInput(ErrorCode.PORTABLE_NOT_FRENCH, field="portable")
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise InvalidInput(ErrorCode.PORTABLE_NOT_MOBILE, field="portable")
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def format_for_display(e164: str) -> str:
    """``+33612345678`` → ``+33 6 12 34 56 78``, as the confirmation step shows it."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return str(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))


def _only_mobile(numbers: list[phonenumbers.PhoneNumber]) -> phonenumbers.PhoneNumber:
    """The one mobile the typed digits can mean. Six-digit numbers are valid in several
    territories (``75 12 34`` is a Nouvelle-Calédonie mobile and a Saint-Pierre-et-Miquelon
    « fixe ou mobile »): a strict mobile wins, and a real tie asks for the indicatif."""
    for wanted in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        mobiles = {
            phonenumbers.format_number(n, PhoneNumberFormat.E164): n
            for n in numbers
            if phonenumbers.number_type(n) == wanted
        }
        if len(mobiles) > 1:
            raise InvalidInput(ErrorCode.PORTABLE_AMBIGUOUS, field="portable")
        if mobiles:
            return next(iter(mobiles.values()))
    return numbers[0]


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None
