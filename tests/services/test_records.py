"""What the store accepts as names and text: no control or format character ever reaches a
terminal, text is NFC, lengths are bounded, and what is accepted can be read back."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from pydantic import ValidationError

from services import Services
from services.errors import InvalidInput
from services.forms import validate_form
from services.registration import IdentityForm
from store import Records
from store.records import Establishment, Guardian, Pupil, check_plain_text


def _guardian(nom: str) -> Guardian:
    return Guardian(id="R900", nom=nom, prenom="Jean")


class TestForbiddenCharacters:
    @pytest.mark.parametrize(
        ("name", "category"),
        [
            ("Dup\x1b[2Jont", "Cc"),  # ESC: clear screen
            ("Dupont\x00", "Cc"),
            ("Du\npont", "Cc"),
            ("Du\tpont", "Cc"),
            ("Dupont\x7f", "Cc"),
            ("Dupont\x9b31m", "Cc"),  # C1 CSI
            ("Du\u200bpont", "Cf"),  # zero-width space
            ("Du\u200dpont", "Cf"),  # zero-width joiner
            ("\u202etnopuD", "Cf"),  # right-to-left override
            ("\ufeffDupont", "Cf"),  # byte order mark
            ("Du\u00adpont", "Cf"),  # soft hyphen
            ("Dupont\ue000", "Co"),  # private use
            ("Dupont\U000f0000", "Co"),  # supplementary private use
            ("Dupont\u0378", "Cn"),  # unassigned
            ("Dupont\uffff", "Cn"),  # non-character
            ("Dupont\ud800", "Cs"),  # lone surrogate
        ],
    )
    def test_refused_in_names(self, name: str, category: str) -> None:
        """A name carrying a control, format, private-use, unassigned or surrogate character
        is refused at the model boundary, whatever its position."""
        assert any(unicodedata.category(c) == category for c in name)
        with pytest.raises(ValidationError):
            _guardian(name)
        with pytest.raises(ValidationError):
            Pupil(id="E900", nom="Dupont", prenom=name, naissance=date(2012, 1, 1), uai="X")

    def test_error_names_the_character(self) -> None:
        """The refusal says which code point is at fault, for the import report."""
        with pytest.raises(ValueError, match="U\\+001B"):
            check_plain_text("Dup\x1bont")

    def test_refused_in_school_names(self) -> None:
        """Imported school names are text shown on screen too: same rule."""
        with pytest.raises(ValidationError):
            Establishment(uai="0341234A", nom="CLG \x1b]0;pwned\x07")

    @pytest.mark.parametrize(
        "name",
        [
            "N'Diaye",
            "N’Diaye",
            "Œuvray",
            "Marie-Claude",
            "Nguyễn",
            "李小龙",
            "محمد",
            "Ødegård",
            "O'Brien [Jr]",
            "Dupont [/b]",
            "[@click=app.quit]x",
        ],
    )
    def test_real_names_and_markup_lookalikes_are_kept(self, name: str) -> None:
        """Names from every script, and text that looks like markup, are stored as they are
        (the screen renders them without parsing markup)."""
        assert _guardian(name).nom == name


class TestNormalisation:
    def test_nfc(self) -> None:
        """A decomposed accent (as some keyboards and files give it) is stored composed, so
        both spellings are the same string."""
        decomposed = "E\u0301mile"
        assert _guardian(decomposed).nom == "Émile"
        assert _guardian(decomposed) == _guardian("Émile")

    def test_surrounding_spaces_dropped(self) -> None:
        """Spaces around a name are not part of it."""
        assert _guardian("  Martin \u00a0").nom == "Martin"

    def test_round_trip_through_the_store(self, services: Services) -> None:
        """A name put in the store comes back NFC and unchanged otherwise."""
        with services.store.transaction() as tx:
            Records(tx).guardians.put(_guardian("Le\u0301a N’Diaye-Œuvray"))
        stored = Records(services.store.snapshot()).guardians.get(id="R900")
        assert stored is not None
        assert stored.nom == "Léa N’Diaye-Œuvray"


class TestLengths:
    def test_name_up_to_100_characters(self) -> None:
        """100 characters are accepted, 101 are not."""
        assert len(_guardian("a" * 100).nom) == 100
        with pytest.raises(ValidationError):
            _guardian("a" * 101)

    @pytest.mark.parametrize("name", ["", "   ", "\u00a0"])
    def test_empty_name_refused(self, name: str) -> None:
        """A name must have at least one visible character."""
        with pytest.raises(ValidationError):
            _guardian(name)

    def test_length_counts_the_stored_form(self) -> None:
        """Lengths apply to the NFC form that is stored: 100 decomposed « é » (200 code points)
        fit, and 100 « क़ » (which NFC turns into 200 code points) do not — otherwise a record
        accepted once could never be read back."""
        assert len(_guardian("e\u0301" * 100).nom) == 100
        with pytest.raises(ValidationError):
            _guardian("\u0958" * 100)

    def test_accepted_records_read_back(self) -> None:
        """Whatever the model accepts validates again from its JSON form."""
        for name in ["\u0958" * 50, "e\u0301" * 100, "Œ" * 100]:
            guardian = _guardian(name)
            assert Guardian.model_validate(guardian.model_dump(mode="json")) == guardian

    def test_school_name_up_to_200(self) -> None:
        """Imported free text is bounded too (200 characters)."""
        Establishment(uai="0341234A", nom="x" * 200)
        with pytest.raises(ValidationError):
            Establishment(uai="0341234A", nom="x" * 201)


class TestIdentityForm:
    @pytest.mark.parametrize(
        ("values", "field", "message"),
        [
            ({"nom": "Dup\x1bont"}, "nom", "Le nom contient des caractères non autorisés."),
            (
                {"prenom": "So\u202ephie"},
                "prenom",
                "Le prénom contient des caractères non autorisés.",
            ),
            ({"nom": "x" * 101}, "nom", "Le nom est trop long."),
            ({"prenom": ""}, "prenom", "Indiquez le prénom."),
        ],
    )
    def test_form_errors_are_french_and_point_at_the_field(
        self, values: dict[str, str], field: str, message: str
    ) -> None:
        """Step 3's form turns model refusals into a French sentence beside the right field."""
        form = {"nom": "Martin", "prenom": "Sophie", "portable": "06 12 34 56 78", **values}
        with pytest.raises(InvalidInput) as refused:
            validate_form(IdentityForm, **form)
        assert refused.value.field == field
        assert refused.value.message == message

    def test_start_refuses_escape_sequences(self, demo_services: Services) -> None:
        """A pasted escape sequence in a name never reaches the store, the audit or an SMS."""
        with pytest.raises(InvalidInput):
            demo_services.registration.start("Martin\x1b[2J", "Sophie", "06 12 34 56 78")
        assert demo_services.store.audit_log.read() == []
        assert demo_services.outbox.messages() == []
