"""The guardian's self-registration by SMS (guide steps 3 to 7), through
``RegistrationService`` on the demo families."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from services import ManualClock, Services
from services.errors import (
    AlreadyHasAccount,
    CodeExpired,
    CodeIncorrect,
    CodeVoided,
    InvalidInput,
    NoMatch,
    RegistrationEnded,
)
from services.registration import ChildAnswer, ExistingAccount
from store import Records
from store.records import AccountStatus
from tests.services._registration import (
    BERNARD,
    LEFEVRE,
    MARTIN,
    MOREAU,
    NDIAYE,
    PASSWORD,
    audit,
    events,
    sms_code,
    verified,
)


class TestGuardianMatching:
    def test_identity_as_recorded_starts_a_registration(self, demo_services: Services) -> None:
        """Nom, prénom and mobile as the school knows them start a registration whose
        confirmation step shows the number as understood."""
        started = demo_services.registration.start(*MARTIN)
        assert started.phone == "+33612345678"
        assert started.phone_display == "+33 6 12 34 56 78"
        assert started.token
        assert events(demo_services, "registration_started")[-1]["guardian_id"] == "R001"

    @pytest.mark.parametrize(
        ("nom", "prenom", "portable"),
        [
            ("lefevre", "JEAN EDOUARD", "06 56 78 90 12"),
            ("LEFÈVRE", "jean-edouard", "+33656789012"),
            ("n’diaye", "aminata", "06 67 89 01 23"),
            ("NDIAYE", "AMINATA", "0033 6 67 89 01 23"),
            ("oeuvray", "BERENICE", "06 11 22 33 44"),
            ("PAYET", "marie claude", "0692 12 34 56"),
            ("  Martin ", " Sophie", "06 12 34 56 78"),
        ],
    )
    def test_spelling_differences_still_match(
        self, demo_services: Services, nom: str, prenom: str, portable: str
    ) -> None:
        """Accents, case, hyphens, typographic apostrophes, œ and the phone's form do not
        stop a parent from being recognised."""
        assert demo_services.registration.start(nom, prenom, portable).token

    @pytest.mark.parametrize(
        ("identity", "reason"),
        [
            (("Martin", "Sophie", "06 99 99 99 99"), "aucun responsable avec ce portable"),
            (("Martin", "Sophia", "06 12 34 56 78"), "nom ou prénom différent pour ce portable"),
            (("Durand", "Paul", "06 99 99 99 99"), "aucun responsable avec ce portable"),
        ],
    )
    def test_refusals_look_the_same_but_are_audited_apart(
        self, demo_services: Services, identity: tuple[str, str, str], reason: str
    ) -> None:
        """Wrong phone, wrong name and unknown person get one and the same message (nothing
        to learn about who is registered), no SMS, and the reason in the audit log (a number
        nobody has is not searched by name: that search would make it slower to refuse)."""
        with pytest.raises(NoMatch) as refused:
            demo_services.registration.start(*identity)
        assert refused.value.message.startswith(
            "Les informations saisies ne permettent pas d'activer un compte."
        )
        assert "contactez l'établissement" in refused.value.message
        assert demo_services.outbox.messages() == []
        assert events(demo_services, "registration_refused")[-1]["detail"] == reason

    def test_refusal_messages_are_identical(self, demo_services: Services) -> None:
        """The three kinds of refusal are indistinguishable, field included."""
        refusals = []
        for identity in [
            ("Martin", "Sophie", "06 99 99 99 99"),
            ("Martin", "Sophia", "06 12 34 56 78"),
            ("Durand", "Paul", "06 99 99 99 99"),
        ]:
            with pytest.raises(NoMatch) as refused:
                demo_services.registration.start(*identity)
            refusals.append((refused.value.message, refused.value.field))
        assert len(set(refusals)) == 1

    def test_guardian_without_mobile_cannot_self_register(self, demo_services: Services) -> None:
        """A guardian the school recorded without a mobile (Garcia) is refused like anyone
        else: no number can match."""
        with pytest.raises(NoMatch):
            demo_services.registration.start("Garcia", "Pedro", "06 12 12 12 12")

    @pytest.mark.parametrize(
        ("nom", "prenom", "field"), [("", "Sophie", "nom"), ("Martin", "  ", "prenom")]
    )
    def test_empty_name_is_invalid_input(
        self, demo_services: Services, nom: str, prenom: str, field: str
    ) -> None:
        """An empty field is pointed out beside that field, not reported as a non-match."""
        with pytest.raises(InvalidInput) as refused:
            demo_services.registration.start(nom, prenom, "06 12 34 56 78")
        assert refused.value.field == field


class TestAlreadyActiveAccount:
    def test_start_looks_like_a_success(self, demo_services: Services) -> None:
        """Someone who already has an account sees the same confirmation step as anyone."""
        started = demo_services.registration.start(*MOREAU)
        assert started.token
        assert events(demo_services, "registration_started")[-1]["guardian_id"] == "R010"
        assert events(demo_services, "registration_refused") == []

    def test_sms_carries_a_code_like_any_other(self, demo_services: Services) -> None:
        """The SMS is the new account's, word for word but the code: nothing in it, nor on the
        screen before the code, tells that an account exists."""
        started = demo_services.registration.start(*MOREAU)
        demo_services.registration.send_code(started.token)
        new = demo_services.registration.start(*MARTIN)
        demo_services.registration.send_code(new.token)
        (sms,) = demo_services.outbox.messages(to=started.phone)
        (other,) = demo_services.outbox.messages(to=new.phone)
        code = sms_code(demo_services, started.phone)
        assert "c.moreau1" not in sms.text
        assert sms.text.replace(code, "") == other.text.replace(
            sms_code(demo_services, new.phone), ""
        )

    def test_the_right_code_shows_the_identifiant(self, demo_services: Services) -> None:
        """With the code from the SMS, the parent learns they already have an account and its
        identifiant; the registration ends there, the account untouched."""
        started = demo_services.registration.start(*MOREAU)
        demo_services.registration.send_code(started.token)
        existing = demo_services.registration.verify_code(
            started.token, sms_code(demo_services, started.phone)
        )
        assert existing == ExistingAccount("c.moreau1")
        assert "déjà un compte" in existing.message
        assert "c.moreau1" in existing.message
        assert "Mot de passe oublié ?" in existing.message
        # The step after the code (today's screens call it at once) says the same.
        with pytest.raises(AlreadyHasAccount) as ended:
            demo_services.registration.children(started.token)
        assert isinstance(ended.value, RegistrationEnded)
        assert ended.value.message == existing.message
        account = Records(demo_services.store.snapshot()).accounts.get(identifiant="c.moreau1")
        assert account is not None
        assert account.status is AccountStatus.ACTIVE

    def test_a_new_account_goes_on_to_step_6(self, demo_services: Services) -> None:
        """For a new account the right code says nothing more: step 6 follows."""
        started = demo_services.registration.start(*MARTIN)
        demo_services.registration.send_code(started.token)
        code = sms_code(demo_services, started.phone)
        assert demo_services.registration.verify_code(started.token, code) is None

    def test_wrong_codes_are_refused_as_for_a_new_account(self, demo_services: Services) -> None:
        """Wrong codes count and void the code exactly as for someone without an account."""
        refusals = []
        for identity in (MOREAU, MARTIN):
            started = demo_services.registration.start(*identity)
            demo_services.registration.send_code(started.token)
            said = []
            for _ in range(demo_services.settings.code_max_failures + 1):
                with pytest.raises((CodeIncorrect, CodeVoided)) as refused:
                    demo_services.registration.verify_code(started.token, "ZZZZZZ")
                said.append(refused.value.message)
            refusals.append(said)
        assert refusals[0] == refusals[1]

    def test_an_expired_code_is_refused_as_for_a_new_account(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Past ``code_ttl``, the right code is refused as expired."""
        started = demo_services.registration.start(*MOREAU)
        demo_services.registration.send_code(started.token)
        clock.advance(demo_services.settings.code_ttl + timedelta(seconds=1))
        with pytest.raises(CodeExpired):
            demo_services.registration.verify_code(
                started.token, sms_code(demo_services, started.phone)
            )


class TestRegistrationToken:
    def test_expires_after_registration_ttl(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A registration left open longer than ``registration_ttl`` cannot continue."""
        started = demo_services.registration.start(*MARTIN)
        clock.advance(demo_services.settings.registration_ttl + timedelta(seconds=1))
        with pytest.raises(RegistrationEnded, match="Recommencez"):
            demo_services.registration.send_code(started.token)

    def test_still_open_just_before_ttl(self, demo_services: Services, clock: ManualClock) -> None:
        """Up to the end of ``registration_ttl`` the registration goes on."""
        started = demo_services.registration.start(*MARTIN)
        clock.advance(demo_services.settings.registration_ttl)
        demo_services.registration.send_code(started.token)

    def test_unknown_token(self, demo_services: Services) -> None:
        """A token that was never issued is refused at every step."""
        for call in (
            lambda: demo_services.registration.send_code("forged"),
            lambda: demo_services.registration.verify_code("forged", "ABCDEF"),
            lambda: demo_services.registration.children("forged"),
            lambda: demo_services.registration.confirm_children("forged", []),
            lambda: demo_services.registration.password_context("forged"),
            lambda: demo_services.registration.set_password("forged", PASSWORD, PASSWORD),
        ):
            with pytest.raises(RegistrationEnded):
                call()

    def test_steps_out_of_order_are_refused(self, demo_services: Services) -> None:
        """No step can be skipped: the code before it is sent, the children before the code,
        the password before the children."""
        registration = demo_services.registration
        started = registration.start(*MARTIN)
        with pytest.raises(RegistrationEnded):
            registration.verify_code(started.token, "ABCDEF")
        registration.send_code(started.token)
        with pytest.raises(RegistrationEnded):
            registration.children(started.token)
        with pytest.raises(RegistrationEnded):
            registration.confirm_children(
                started.token,
                [ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012")],
            )
        with pytest.raises(RegistrationEnded):
            registration.set_password(started.token, PASSWORD, PASSWORD)
        registration.verify_code(started.token, sms_code(demo_services, started.phone))
        with pytest.raises(RegistrationEnded):
            registration.send_code(started.token, resend=True)
        with pytest.raises(RegistrationEnded):
            registration.password_context(started.token)

    def test_finished_registration_cannot_be_replayed(self, demo_services: Services) -> None:
        """Once the account is activated the token is spent: no second password."""
        token = verified(demo_services, BERNARD)
        demo_services.registration.confirm_children(
            token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
        )
        demo_services.registration.set_password(token, PASSWORD, PASSWORD)
        with pytest.raises(RegistrationEnded):
            demo_services.registration.set_password(token, "Autre-mot-2026!", "Autre-mot-2026!")


class TestWholeRegistration:
    def test_guide_steps_3_to_7_activate_the_account(self, demo_services: Services) -> None:
        """The guide's path end to end: identity, SMS code, children, password; the account
        is active with an argon2 hash and the confirmed pupils."""
        registration = demo_services.registration
        token = verified(demo_services, NDIAYE)
        confirmed = registration.confirm_children(
            token,
            [
                ChildAnswer(pupil_id="E007", is_guardian=True, birth_date="17/04/2014"),
                ChildAnswer(pupil_id="E008", is_guardian=True, birth_date="08/12/2011"),
            ],
        )
        assert confirmed.identifiant == "a.ndiaye1"
        context = registration.password_context(token)
        assert (context.identifiant, context.nom, context.prenom) == (
            "a.ndiaye1",
            "N'Diaye",
            "Aminata",
        )
        activated = registration.set_password(token, PASSWORD, PASSWORD)
        assert activated.identifiant == "a.ndiaye1"
        assert {child.pupil_id for child in activated.children} == {"E007", "E008"}
        account = Records(demo_services.store.snapshot()).accounts.get(identifiant="a.ndiaye1")
        assert account is not None
        assert account.status is AccountStatus.ACTIVE
        assert account.password_hash is not None
        assert account.password_hash.startswith("$argon2")
        assert events(demo_services, "account_activated")[-1]["identifiant"] == "a.ndiaye1"

    def test_a_second_registration_after_activation_shows_the_identifiant(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Once activated, registering again leads, with the code, to the identifiant."""
        token = verified(demo_services, BERNARD)
        demo_services.registration.confirm_children(
            token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
        )
        demo_services.registration.set_password(token, PASSWORD, PASSWORD)
        clock.advance(demo_services.settings.resend_min_interval)
        again = demo_services.registration.start(*BERNARD)
        demo_services.registration.send_code(again.token)
        code = sms_code(demo_services, again.phone)
        existing = demo_services.registration.verify_code(again.token, code)
        assert existing == ExistingAccount("t.bernard1")

    def test_two_registrations_at_once_keep_the_first_password(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Two devices register the same guardian at once: the second to finish cannot
        overwrite the password the first one chose."""
        registration = demo_services.registration
        first = verified(demo_services, BERNARD)
        clock.advance(demo_services.settings.resend_min_interval)
        second = verified(demo_services, BERNARD)
        answer = [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
        registration.confirm_children(first, answer)
        registration.confirm_children(second, answer)
        registration.set_password(first, PASSWORD, PASSWORD)
        stored = Records(demo_services.store.snapshot()).accounts.get(identifiant="t.bernard1")
        with pytest.raises(RegistrationEnded, match="activé par une autre démarche"):
            registration.set_password(second, "Autre-Mot-2026!", "Autre-Mot-2026!")
        after = Records(demo_services.store.snapshot()).accounts.get(identifiant="t.bernard1")
        assert stored is not None and after is not None
        assert after.password_hash == stored.password_hash


class TestAuditHoldsNoSecret:
    def test_no_code_password_or_token_in_audit(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """After a whole registration with wrong and right codes, a resend and a password,
        the audit log mentions none of the secrets (codes, password, token)."""
        registration = demo_services.registration
        started = registration.start(*LEFEVRE)
        registration.send_code(started.token)
        first_code = sms_code(demo_services, started.phone)
        clock.advance(timedelta(minutes=2))
        registration.send_code(started.token, resend=True)
        second_code = sms_code(demo_services, started.phone)
        with pytest.raises(CodeIncorrect):
            registration.verify_code(started.token, first_code)
        registration.verify_code(started.token, second_code.lower())
        registration.confirm_children(
            started.token,
            [ChildAnswer(pupil_id="E006", is_guardian=True, birth_date="02/02/2010")],
        )
        registration.set_password(started.token, PASSWORD, PASSWORD)
        audit_text = json.dumps(audit(demo_services), ensure_ascii=False).casefold()
        assert {record["event"] for record in audit(demo_services)} >= {
            "registration_started",
            "code_sent",
            "code_resent",
            "code_failed",
            "code_verified",
            "children_confirmed",
            "account_activated",
        }
        for secret in (first_code, second_code, PASSWORD, started.token):
            assert secret.casefold() not in audit_text
