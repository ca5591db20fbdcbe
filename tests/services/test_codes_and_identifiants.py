"""Activation codes sent by SMS (guide step 5) and identifiants (guide step 7)."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest

from services import ManualClock, Services
from services.codes import CODE_ALPHABET, CODE_LENGTH, code_digest, new_code, normalize_code
from services.errors import (
    CodeExpired,
    CodeIncorrect,
    CodeVoided,
    InvalidInput,
    RegistrationEnded,
    ResendLimited,
)
from services.identifiants import identifiant_stem, next_identifiant
from services.registration import ChildAnswer, RegistrationStarted
from store import Records
from tests.services._stored import audit_text, data_text

_CODE_IN_SMS = re.compile(r"code d'activation est ([A-Z]{6})")
_PASSWORD = "Cerf-volant-2026!"
MARTIN = ("Martin", "Sophie", "06 12 34 56 78")


def _sms_codes(services: Services, phone: str) -> list[str]:
    return [
        match.group(1)
        for message in services.outbox.messages(to=phone)
        if (match := _CODE_IN_SMS.search(message.text))
    ]


def _code_sent(services: Services) -> tuple[RegistrationStarted, str]:
    started = services.registration.start(*MARTIN)
    services.registration.send_code(started.token)
    return started, _sms_codes(services, started.phone)[-1]


def _wrong(code: str) -> str:
    """A code of the right shape that is not ``code``."""
    return "".join("B" if c == "A" else "A" for c in code)


class TestCodeShape:
    def test_alphabet_has_no_i_or_o(self) -> None:
        """Codes are read aloud and copied by hand: I and O (read as 1 and 0) never appear."""
        assert "I" not in CODE_ALPHABET
        assert "O" not in CODE_ALPHABET
        assert len(CODE_ALPHABET) == 24
        assert set(CODE_ALPHABET) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    def test_codes_are_six_letters_of_the_alphabet(self) -> None:
        """Every code is exactly six letters from that alphabet."""
        rng = random.Random(1)
        for _ in range(500):
            code = new_code(rng)
            assert len(code) == CODE_LENGTH == 6
            assert set(code) <= set(CODE_ALPHABET)

    def test_sms_carries_a_well_formed_code(self, demo_services: Services) -> None:
        """The SMS gives a six-letter code and says it is valid 30 minutes."""
        started, code = _code_sent(demo_services)
        assert re.fullmatch(r"[A-HJ-NP-Z]{6}", code)
        assert "30 minutes" in demo_services.outbox.messages(to=started.phone)[-1].text

    def test_entry_ignores_case_and_spaces(self) -> None:
        """« qpd ges », « QPDGES » and « q p d g e s » are the same code."""
        assert normalize_code(" qpd ges ") == normalize_code("Q P D G E S") == "QPDGES"

    def test_digest_is_keyed_and_bound_to_its_registration(self) -> None:
        """The stored digest depends on the secret key and on the registration, so it can
        be neither recomputed from the data file nor replayed on another registration."""
        assert code_digest(b"k1", "p", "QPDGES") != code_digest(b"k2", "p", "QPDGES")
        assert code_digest(b"k1", "p", "QPDGES") != code_digest(b"k1", "q", "QPDGES")
        assert code_digest(b"k1", "p", "qpd ges") == code_digest(b"k1", "p", "QPDGES")


class TestCodeEntry:
    @pytest.mark.parametrize("typed", ["lower", "spaced", "as sent"])
    def test_right_code_in_any_case_or_spacing(self, demo_services: Services, typed: str) -> None:
        """The code is accepted lower-case, with spaces, or as sent."""
        started, code = _code_sent(demo_services)
        variants = {"lower": code.lower(), "spaced": f" {code[:3]} {code[3:]} ", "as sent": code}
        demo_services.registration.verify_code(started.token, variants[typed])
        assert demo_services.registration.children(started.token).children

    def test_single_use(self, demo_services: Services) -> None:
        """A code that was accepted cannot be used again."""
        started, code = _code_sent(demo_services)
        demo_services.registration.verify_code(started.token, code)
        with pytest.raises(RegistrationEnded):
            demo_services.registration.verify_code(started.token, code)

    def test_valid_for_30_minutes(self, demo_services: Services, clock: ManualClock) -> None:
        """A code typed 30 minutes after it was sent still works."""
        started, code = _code_sent(demo_services)
        clock.advance(timedelta(minutes=30))
        demo_services.registration.verify_code(started.token, code)

    def test_expired_after_30_minutes(self, demo_services: Services, clock: ManualClock) -> None:
        """31 minutes later the right code is refused as expired, and keeps being refused as
        expired (not as « trop d'essais »)."""
        started, code = _code_sent(demo_services)
        clock.advance(timedelta(minutes=31))
        for _ in range(2):
            with pytest.raises(CodeExpired) as refused:
                demo_services.registration.verify_code(started.token, code)
            assert "30 minutes" in refused.value.message
            assert refused.value.field == "code"

    def test_five_wrong_entries_void_the_code(self, demo_services: Services) -> None:
        """Each wrong entry says how many tries remain; the fifth voids the code, after
        which even the right code is refused."""
        started, code = _code_sent(demo_services)
        remaining = []
        for _ in range(4):
            with pytest.raises(CodeIncorrect) as refused:
                demo_services.registration.verify_code(started.token, _wrong(code))
            remaining.append(refused.value.remaining)
        assert remaining == [4, 3, 2, 1]
        with pytest.raises(CodeVoided):
            demo_services.registration.verify_code(started.token, _wrong(code))
        with pytest.raises(CodeVoided):
            demo_services.registration.verify_code(started.token, code)

    def test_wrong_entries_are_audited_without_the_code(self, demo_services: Services) -> None:
        """A failed code is audited (for the school), never with what was typed."""
        started, code = _code_sent(demo_services)
        with pytest.raises(CodeIncorrect):
            demo_services.registration.verify_code(started.token, "ZZZZZZ")
        failed = [r for r in demo_services.store.audit_log.read() if r["event"] == "code_failed"]
        assert failed
        assert failed[-1]["guardian_id"] == "R001"
        assert "ZZZZZZ" not in str(failed) and code not in str(failed)

    @pytest.mark.parametrize("typed", ["", "   ", "QPDG3S", "QPD-GES", "ÉÉÉÉÉÉ", "\ud800"])
    def test_malformed_entry_costs_no_attempt(self, demo_services: Services, typed: str) -> None:
        """Empty input or characters that no code contains are refused beside the field and
        cost no attempt (they can never match)."""
        started, code = _code_sent(demo_services)
        with pytest.raises(InvalidInput) as refused:
            demo_services.registration.verify_code(started.token, typed)
        assert refused.value.field == "code"
        with pytest.raises(CodeIncorrect) as wrong:
            demo_services.registration.verify_code(started.token, _wrong(code))
        assert wrong.value.remaining == 4

    def test_code_of_another_registration_does_not_work(self, demo_services: Services) -> None:
        """A code only opens the registration it was sent for."""
        first, first_code = _code_sent(demo_services)
        second = demo_services.registration.start("Bernard", "Thomas", "06 23 45 67 89")
        demo_services.registration.send_code(second.token)
        with pytest.raises(CodeIncorrect):
            demo_services.registration.verify_code(second.token, first_code)
        demo_services.registration.verify_code(first.token, first_code)


class TestResend:
    def test_resend_voids_the_old_code(self, demo_services: Services, clock: ManualClock) -> None:
        """« Je n'ai pas reçu de code » sends a new code; the old one no longer works."""
        started, old = _code_sent(demo_services)
        clock.advance(timedelta(minutes=1))
        demo_services.registration.send_code(started.token, resend=True)
        new = _sms_codes(demo_services, started.phone)[-1]
        assert new != old
        with pytest.raises(CodeIncorrect):
            demo_services.registration.verify_code(started.token, old)
        demo_services.registration.verify_code(started.token, new)

    def test_resend_gives_fresh_tries_and_time(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """After a voided or expired code, a new code can be asked for and works."""
        started, code = _code_sent(demo_services)
        for _ in range(5):
            with pytest.raises((CodeIncorrect, CodeVoided)):
                demo_services.registration.verify_code(started.token, _wrong(code))
        clock.advance(timedelta(minutes=31))
        demo_services.registration.send_code(started.token, resend=True)
        demo_services.registration.verify_code(
            started.token, _sms_codes(demo_services, started.phone)[-1]
        )

    def test_at_most_once_a_minute(self, demo_services: Services, clock: ManualClock) -> None:
        """A second SMS within a minute is refused, saying how long to wait, and not sent."""
        started, _ = _code_sent(demo_services)
        with pytest.raises(ResendLimited, match="Attendez 60 secondes"):
            demo_services.registration.send_code(started.token, resend=True)
        clock.advance(timedelta(seconds=30))
        with pytest.raises(ResendLimited, match="Attendez 30 secondes") as refused:
            demo_services.registration.send_code(started.token, resend=True)
        assert refused.value.field == "code"
        assert len(demo_services.outbox.messages(to=started.phone)) == 1
        clock.advance(timedelta(seconds=30))
        demo_services.registration.send_code(started.token, resend=True)
        assert len(demo_services.outbox.messages(to=started.phone)) == 2

    def test_limited_per_window(self, demo_services: Services, clock: ManualClock) -> None:
        """The first code and three resends fit in 30 minutes; the next is refused until the
        oldest leaves the window."""
        settings = demo_services.settings
        started, _ = _code_sent(demo_services)
        for _ in range(settings.max_codes_per_window - 1):
            clock.advance(timedelta(minutes=1))
            demo_services.registration.send_code(started.token, resend=True)
        clock.advance(timedelta(minutes=1))
        with pytest.raises(ResendLimited, match="trop de codes"):
            demo_services.registration.send_code(started.token, resend=True)
        assert len(demo_services.outbox.messages(to=started.phone)) == 4
        clock.advance(settings.resend_window - timedelta(minutes=settings.max_codes_per_window))
        demo_services.registration.send_code(started.token, resend=True)
        assert len(demo_services.outbox.messages(to=started.phone)) == 5

    def test_limits_hold_across_registrations(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Starting over does not reset the limits: they count per guardian, whichever of
        their registrations in progress asks."""
        started, _ = _code_sent(demo_services)
        again = demo_services.registration.start(*MARTIN)
        with pytest.raises(ResendLimited):
            demo_services.registration.send_code(again.token)
        tokens = [again.token, demo_services.registration.start(*MARTIN).token, started.token]
        for token in tokens[: demo_services.settings.max_codes_per_window - 1]:
            clock.advance(timedelta(minutes=1))
            demo_services.registration.send_code(token)
        clock.advance(timedelta(minutes=1))
        with pytest.raises(ResendLimited, match="trop de codes"):
            demo_services.registration.send_code(again.token, resend=True)
        assert len(demo_services.outbox.messages(to=started.phone)) == 4

    def test_limits_are_per_guardian(self, demo_services: Services) -> None:
        """One parent's codes do not hold back another parent."""
        _code_sent(demo_services)
        other = demo_services.registration.start("Bernard", "Thomas", "06 23 45 67 89")
        demo_services.registration.send_code(other.token)
        assert len(demo_services.outbox.messages(to=other.phone)) == 1

    def test_refusals_are_audited(self, demo_services: Services) -> None:
        """A refused resend is audited for the school."""
        started, _ = _code_sent(demo_services)
        with pytest.raises(ResendLimited):
            demo_services.registration.send_code(started.token, resend=True)
        refused = [r for r in demo_services.store.audit_log.read() if r["event"] == "code_refused"]
        assert refused[-1]["guardian_id"] == "R001"


class TestCodeStorage:
    def test_code_text_never_in_the_data_file(self, demo_services: Services) -> None:
        """The store holds only a keyed hash: the code's letters are nowhere in the records
        (the JSON file, or the database's tables), nor in the audit log."""
        started, code = _code_sent(demo_services)
        data = data_text(demo_services.store)
        assert code not in data
        assert code.lower() not in data
        assert code not in audit_text(demo_services.store)
        registration = Records(demo_services.store.snapshot()).registrations.find(
            guardian_id="R001"
        )[-1]
        assert registration.code_hash is not None
        assert re.fullmatch(r"[0-9a-f]{64}", registration.code_hash)
        assert started.token not in data

    def test_hash_is_keyed_with_the_store_secret(self, demo_services: Services) -> None:
        """The stored hash is the keyed digest of the code under the store's secret key, which
        is kept apart from the records (a side file, or the database's own table)."""
        _, code = _code_sent(demo_services)
        registration = Records(demo_services.store.snapshot()).registrations.find(
            guardian_id="R001"
        )[-1]
        key = demo_services.store.secret_key()
        assert registration.code_hash == code_digest(key, registration.token_hash, code)
        assert key.hex() not in data_text(demo_services.store)


def _register(services: Services, identity: tuple[str, str, str], *children: str) -> str:
    """Registers ``identity`` end to end, confirming pupils given as ``"E001 14/03/2012"``."""
    registration = services.registration
    started = registration.start(*identity)
    registration.send_code(started.token)
    registration.verify_code(started.token, _sms_codes(services, started.phone)[-1])
    confirmed = registration.confirm_children(
        started.token,
        [
            ChildAnswer(pupil_id=pupil, is_guardian=True, birth_date=born)
            for pupil, born in (child.split() for child in children)
        ],
    )
    registration.set_password(started.token, _PASSWORD, _PASSWORD)
    return confirmed.identifiant


class TestIdentifiant:
    def test_homonyms_get_successive_numbers(self, demo_services: Services) -> None:
        """Two Jean Dupont (different mobiles, different children) become j.dupont1 and
        j.dupont2, in the order they register."""
        r009 = _register(demo_services, ("Dupont", "Jean", "06 89 01 23 45"), "E010 19/10/2007")
        r008 = _register(demo_services, ("Dupont", "Jean", "06 78 90 12 34"), "E009 25/05/2013")
        assert (r009, r008) == ("j.dupont1", "j.dupont2")
        owners = {
            account.identifiant: account.owner_id
            for account in Records(demo_services.store.snapshot()).accounts.all()
        }
        assert (owners["j.dupont1"], owners["j.dupont2"]) == ("R009", "R008")

    @pytest.mark.parametrize(
        ("identity", "children", "identifiant"),
        [
            (("Œuvray", "Bérénice", "06 11 22 33 44"), ["E012 29/02/2008"], "b.oeuvray1"),
            (
                ("N'Diaye", "Aminata", "06 67 89 01 23"),
                ["E007 17/04/2014", "E008 08/12/2011"],
                "a.ndiaye1",
            ),
            (("Lefèvre", "Jean-Édouard", "06 56 78 90 12"), ["E006 02/02/2010"], "j.lefevre1"),
            (("Payet", "Marie-Claude", "0692 12 34 56"), ["E005 11/11/2011"], "m.payet1"),
        ],
    )
    def test_ascii_folding(
        self,
        demo_services: Services,
        identity: tuple[str, str, str],
        children: list[str],
        identifiant: str,
    ) -> None:
        """Ligatures, apostrophes, accents and hyphens fold to plain lower-case letters."""
        assert _register(demo_services, identity, *children) == identifiant

    def test_shown_at_step_7_before_the_password(self, demo_services: Services) -> None:
        """The identifiant is known as soon as the children are confirmed, for step 7 to show
        it large before the password is chosen."""
        registration = demo_services.registration
        started = registration.start("Bernard", "Thomas", "06 23 45 67 89")
        registration.send_code(started.token)
        registration.verify_code(started.token, _sms_codes(demo_services, started.phone)[-1])
        registration.confirm_children(
            started.token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22012014")]
        )
        assert registration.password_context(started.token).identifiant == "t.bernard1"

    @pytest.mark.parametrize(
        ("nom", "prenom", "stem"),
        [
            ("Dupont", "Jean", "j.dupont"),
            ("N'Diaye", "Élodie", "e.ndiaye"),
            ("De La Fontaine", "Anne-Sophie", "a.delafontaine"),
            ("Łukasz", "Øyvind", "o.lukasz"),
            ("李", "小龙", "x.x"),
        ],
    )
    def test_stem(self, nom: str, prenom: str, stem: str) -> None:
        """First letter of the prénom, a dot, the nom: letters a–z only (``x`` when a name
        has no Latin letter at all)."""
        assert identifiant_stem(nom, prenom) == stem

    def test_smallest_free_number(self) -> None:
        """The number is the smallest one not taken, gaps included."""
        assert next_identifiant("Dupont", "Jean", set()) == "j.dupont1"
        assert next_identifiant("Dupont", "Jean", {"j.dupont1", "j.dupont2"}) == "j.dupont3"
        assert next_identifiant("Dupont", "Jean", {"j.dupont2"}) == "j.dupont1"
        assert next_identifiant("Dupont", "Julie", {"j.dupont1"}) == "j.dupont2"

    def test_taken_by_an_existing_account(self, demo_services: Services) -> None:
        """An identifiant already in the store (Claire Moreau's c.moreau1) is skipped."""
        taken = Records(demo_services.store.snapshot()).accounts.values("identifiant")
        assert next_identifiant("Moreau", "Camille", taken) == "c.moreau2"
