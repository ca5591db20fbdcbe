"""The password of step 7: the checklist the screen ticks live, and how passwords are hashed."""

from __future__ import annotations

import re
from pathlib import Path

import bcrypt
import pytest
from passlib.context import CryptContext

from services import PasswordHashing, Services, Settings
from services.errors import InvalidInput, PasswordMismatch, PasswordRejected
from services.passwords import PasswordHasher, check_password, is_common_password
from services.registration import ChildAnswer
from store import Records
from store.records import AccountStatus
from tests.services._stored import data_text

GOOD = "Cerf-volant-2026!"
_CODE_IN_SMS = re.compile(r"code d'activation est ([A-Z]{6})")

LENGTH = "Au moins 8 caractères (128 au plus)"
UPPER = "Majuscule (au moins une)"
LOWER = "Minuscule (au moins une)"
SPECIAL = "Caractère spécial (! ? @ # * …)"
DIGIT = "Chiffre (au moins un)"
PERSONAL = "Ni votre identifiant, nom, prénom"
COMMON = "Pas un mot de passe trop courant"


def _unmet(password: str, settings: Settings, **personal: str) -> list[str]:
    return [rule.label for rule in check_password(password, settings, **personal) if not rule.met]


def _hasher() -> PasswordHasher:
    return PasswordHasher(PasswordHashing(memory_cost_kib=1024, rounds=1, parallelism=1))


def _bcrypt_hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()


def _at_step_7(services: Services) -> str:
    """A registration of Thomas Bernard (t.bernard1) waiting for its password."""
    registration = services.registration
    started = registration.start("Bernard", "Thomas", "06 23 45 67 89")
    registration.send_code(started.token)
    sms = services.outbox.messages(to=started.phone)[-1].text
    match = _CODE_IN_SMS.search(sms)
    assert match
    registration.verify_code(started.token, match.group(1))
    registration.confirm_children(
        started.token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
    )
    return started.token


class TestChecklist:
    def test_rules_in_screen_order(self, settings: Settings) -> None:
        """The guide's rules first, in its words and order (« au moins 8 caractères, majuscule,
        minuscule, caractère spécial, ... »), then the further ones of DESIGN.md."""
        labels = [rule.label for rule in check_password("", settings)]
        assert labels == [LENGTH, UPPER, LOWER, SPECIAL, DIGIT, PERSONAL, COMMON]

    def test_readme_names_every_rule_as_the_checklist_does(self, settings: Settings) -> None:
        """The README's list of rules is the checklist's, word for word and in its order."""
        readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
        listed = [line.removeprefix("- ") for line in readme.splitlines() if line.startswith("- ")]
        labels = [rule.label for rule in check_password("", settings)]
        start = listed.index(labels[0])
        assert listed[start : start + len(labels)] == labels

    def test_good_password_meets_every_rule(self, settings: Settings) -> None:
        """A password with all kinds of characters and nothing personal passes."""
        assert (
            _unmet(GOOD, settings, identifiant="t.bernard1", nom="Bernard", prenom="Thomas") == []
        )

    def test_empty_password_meets_none(self, settings: Settings) -> None:
        """Nothing is ticked before anything is typed."""
        assert len(_unmet("", settings)) == 7

    @pytest.mark.parametrize(
        ("password", "rule"),
        [
            ("Ab1!efg", LENGTH),
            ("cerf-volant-2026!", UPPER),
            ("CERF-VOLANT-2026!", LOWER),
            ("Cerf-volant-deux!", DIGIT),
            ("Cerfvolant2026", SPECIAL),
            ("Cerf volant 2026", SPECIAL),
        ],
    )
    def test_each_character_rule_alone(self, settings: Settings, password: str, rule: str) -> None:
        """Missing one kind of character fails exactly that rule (a space is not special)."""
        assert _unmet(password, settings) == [rule]

    def test_length_bounds(self, settings: Settings) -> None:
        """8 and 128 characters are accepted; 7 and 129 are not."""
        assert _unmet("Ab1!efgh", settings) == []
        assert _unmet("Ab1!" + "x" * 124, settings) == []
        assert _unmet("Ab1!" + "x" * 125, settings) == [LENGTH]

    def test_length_follows_settings(self, settings: Settings) -> None:
        """The bounds come from the settings object, not from the code."""
        strict = settings.model_copy(update={"password_min_length": 12})
        assert LENGTH not in _unmet("Ab1!efgh", strict)
        assert "Au moins 12 caractères (128 au plus)" in _unmet("Ab1!efgh", strict)

    @pytest.mark.parametrize(
        ("password", "personal"),
        [
            ("Xy7!t.bernard1", {"identifiant": "t.bernard1"}),
            ("T.BERNARD1-xy!", {"identifiant": "t.bernard1"}),
            ("Bernard-2026!", {"nom": "Bernard"}),
            ("LEFEVRE-2026!x", {"nom": "Lefèvre"}),
            ("Edouard#2026x", {"prenom": "Jean-Édouard"}),
            ("Ndiaye!2026x", {"nom": "N'Diaye"}),
            ("Oeuvray#2026x", {"nom": "Œuvray"}),
            ("Xthomasx-2026!", {"prenom": "Thomas"}),
        ],
    )
    def test_no_identifiant_nom_or_prenom(
        self, settings: Settings, password: str, personal: dict[str, str]
    ) -> None:
        """The identifiant, the nom or any part of the prénom, in any case or accent, is
        refused inside the password."""
        assert _unmet(password, settings, **personal) == [PERSONAL]

    def test_very_short_name_parts_are_not_checked(self, settings: Settings) -> None:
        """A two-letter name (« Li ») would forbid too many passwords: it is not checked."""
        assert _unmet("Lionel-2026!", settings, nom="Li") == []

    @pytest.mark.parametrize(
        "password",
        ["Azerty2024!", "AzErTy_2024", "Motdepasse1!", "Soleil2026?", "P.a.s.s.w.o.r.d.1"],
    )
    def test_common_passwords_even_decorated(self, settings: Settings, password: str) -> None:
        """A common password stays common with capitals, digits and symbols added."""
        assert is_common_password(password)
        assert _unmet(password, settings) == [COMMON]

    @pytest.mark.parametrize("password", ["123456", "azerty", "Password"])
    def test_common_passwords_as_typed(self, password: str) -> None:
        """The shipped list is found whatever the case."""
        assert is_common_password(password)

    def test_uncommon_password(self) -> None:
        """A password built from unrelated words is not flagged."""
        assert not is_common_password(GOOD)


class TestSetPassword:
    def test_rules_enforced_by_the_service(self, demo_services: Services) -> None:
        """The service checks the rules itself (the screen's checklist is only a help): the
        refusal lists every unmet rule beside the password field, and nothing is stored."""
        token = _at_step_7(demo_services)
        with pytest.raises(PasswordRejected) as refused:
            demo_services.registration.set_password(token, "bernard", "bernard")
        assert refused.value.field == "password"
        assert set(refused.value.unmet) == {LENGTH, UPPER, DIGIT, SPECIAL, PERSONAL}
        assert refused.value.message.startswith("Le mot de passe ne respecte pas les règles : ")
        account = Records(demo_services.store.snapshot()).accounts.get(identifiant="t.bernard1")
        assert account is not None
        assert account.status is AccountStatus.PENDING_PASSWORD
        assert account.password_hash is None

    def test_identifiant_is_checked(self, demo_services: Services) -> None:
        """The identifiant shown at step 7 cannot be part of the password."""
        token = _at_step_7(demo_services)
        with pytest.raises(PasswordRejected) as refused:
            demo_services.registration.set_password(token, "T.bernard1!", "T.bernard1!")
        assert refused.value.unmet == (PERSONAL,)

    def test_mismatch(self, demo_services: Services) -> None:
        """The two entries must be the same; the error goes beside the confirmation."""
        token = _at_step_7(demo_services)
        with pytest.raises(PasswordMismatch) as refused:
            demo_services.registration.set_password(token, GOOD, GOOD + "x")
        assert refused.value.field == "confirmation"
        assert refused.value.message == "Les deux mots de passe ne sont pas identiques."

    def test_unencodable_password_is_refused(self, demo_services: Services) -> None:
        """A lone surrogate (a broken paste) passes the checklist but can never be typed
        again: it is refused beside the password field instead of crashing the step."""
        token = _at_step_7(demo_services)
        password = "Cerf-volant-2026\ud800"
        with pytest.raises(InvalidInput) as refused:
            demo_services.registration.set_password(token, password, password)
        assert refused.value.field == "password"

    def test_stored_as_argon2_that_passlib_verifies(self, demo_services: Services) -> None:
        """The account keeps an argon2 hash (never the password) that passlib verifies."""
        token = _at_step_7(demo_services)
        demo_services.registration.set_password(token, GOOD, GOOD)
        account = Records(demo_services.store.snapshot()).accounts.get(identifiant="t.bernard1")
        assert account is not None
        assert account.status is AccountStatus.ACTIVE
        assert account.password_hash is not None
        assert account.password_hash.startswith("$argon2")
        context = CryptContext(schemes=["argon2"])
        assert context.verify(GOOD, account.password_hash)
        assert not context.verify(GOOD + "x", account.password_hash)
        assert GOOD not in data_text(demo_services.store)


class TestPasswordHasher:
    def test_new_hashes_are_argon2id_with_configured_cost(self) -> None:
        """New hashes use argon2id with the memory and passes from the settings."""
        stored = _hasher().hash(GOOD)
        assert stored.startswith("$argon2id$")
        assert "m=1024,t=1,p=1" in stored

    def test_current_hash_needs_no_update(self) -> None:
        """The right password on a current hash matches and is not rehashed."""
        hasher = _hasher()
        assert hasher.verify_and_update(GOOD, hasher.hash(GOOD)) == (True, None)

    def test_wrong_password(self) -> None:
        """A wrong password does not match and yields no new hash."""
        hasher = _hasher()
        assert hasher.verify_and_update("Autre-2026!", hasher.hash(GOOD)) == (False, None)

    def test_bcrypt_hash_is_verified_and_upgraded(self) -> None:
        """An old bcrypt hash still lets its owner in, and comes back as an argon2 hash of
        the same password."""
        hasher = _hasher()
        matches, new_hash = hasher.verify_and_update(GOOD, _bcrypt_hash(GOOD))
        assert matches
        assert new_hash is not None
        assert new_hash.startswith("$argon2")
        assert hasher.verify_and_update(GOOD, new_hash) == (True, None)

    def test_wrong_password_on_bcrypt_hash(self) -> None:
        """A wrong password on a bcrypt hash is simply refused."""
        assert _hasher().verify_and_update("Autre-2026!", _bcrypt_hash(GOOD)) == (False, None)

    def test_over_72_bytes_against_bcrypt_is_false_not_an_error(self) -> None:
        """bcrypt 5 raises on passwords over 72 bytes; the login path answers False instead,
        and never accepts a password just because its first 72 bytes match."""
        hasher = _hasher()
        prefix = "Ab1!" * 18
        assert len(prefix.encode()) == 72
        stored = _bcrypt_hash(prefix)
        assert hasher.verify_and_update(prefix, stored)[0]
        assert hasher.verify_and_update(prefix + "x", stored) == (False, None)
        assert hasher.verify_and_update("é" * 100, stored) == (False, None)

    def test_long_passwords_work_with_argon2(self) -> None:
        """The longest allowed password (128 characters, 256 bytes) hashes and verifies."""
        hasher = _hasher()
        password = "Aé1!" * 32
        assert hasher.verify_and_update(password, hasher.hash(password)) == (True, None)

    def test_weaker_argon2_is_upgraded(self) -> None:
        """A hash made with cheaper argon2 settings is rehashed with the current ones."""
        weak = PasswordHasher(PasswordHashing(memory_cost_kib=512, rounds=1, parallelism=1))
        matches, new_hash = _hasher().verify_and_update(GOOD, weak.hash(GOOD))
        assert matches
        assert new_hash is not None
        assert "m=1024" in new_hash

    def test_unreadable_hash_is_false(self) -> None:
        """A damaged stored hash refuses the login instead of crashing it."""
        assert _hasher().verify_and_update(GOOD, "not a hash") == (False, None)
