"""The guardian's self-registration by SMS (guide steps 3 to 7), through
``RegistrationService`` on the demo families."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest

from services import ManualClock, Services
from services.errors import (
    SINGLE_LINK_SENTENCE,
    BirthDateMismatch,
    CodeIncorrect,
    InvalidInput,
    NoChildConfirmed,
    NoMatch,
    RegistrationEnded,
    SingleLinkRule,
)
from services.registration import ChildAnswer
from store import Records
from store.records import AccountStatus, LinkState

_CODE_IN_SMS = re.compile(r"code d'activation est ([A-Z]{6})")
_ANY_CODE = re.compile(r"\b[A-HJ-NP-Z]{6}\b")
_PASSWORD = "Cerf-volant-2026!"

# (nom, prénom, portable) as each demo family's guardian types them.
MARTIN = ("Martin", "Sophie", "06 12 34 56 78")
BERNARD = ("Bernard", "Thomas", "06 23 45 67 89")
LEFEVRE = ("Lefèvre", "Jean-Édouard", "06 56 78 90 12")
NDIAYE = ("N'Diaye", "Aminata", "06 67 89 01 23")
MOREAU = ("Moreau", "Claire", "06 45 12 34 56")


def _audit(services: Services) -> list[dict[str, Any]]:
    return services.store.audit_log.read()


def _events(services: Services, event: str) -> list[dict[str, Any]]:
    return [record for record in _audit(services) if record["event"] == event]


def _sms_code(services: Services, phone: str) -> str:
    match = _CODE_IN_SMS.search(services.outbox.messages(to=phone)[-1].text)
    assert match, "the last SMS carries no activation code"
    return match.group(1)


def _verified(services: Services, identity: tuple[str, str, str]) -> str:
    """The token of a registration that got to step 6 (code accepted)."""
    started = services.registration.start(*identity)
    services.registration.send_code(started.token)
    services.registration.verify_code(started.token, _sms_code(services, started.phone))
    return started.token


def _link_state(services: Services, guardian_id: str, pupil_id: str) -> LinkState:
    link = Records(services.store.snapshot()).links.get(guardian_id=guardian_id, pupil_id=pupil_id)
    assert link is not None
    return link.state


class TestGuardianMatching:
    def test_identity_as_recorded_starts_a_registration(self, demo_services: Services) -> None:
        """Nom, prénom and mobile as the school knows them start a registration whose
        confirmation step shows the number as understood."""
        started = demo_services.registration.start(*MARTIN)
        assert started.phone == "+33612345678"
        assert started.phone_display == "+33 6 12 34 56 78"
        assert started.token
        assert _events(demo_services, "registration_started")[-1]["guardian_id"] == "R001"

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
            (("Martin", "Sophie", "06 99 99 99 99"), "portable différent"),
            (("Martin", "Sophia", "06 12 34 56 78"), "nom ou prénom différent pour ce portable"),
            (("Durand", "Paul", "06 99 99 99 99"), "personne inconnue"),
        ],
    )
    def test_refusals_look_the_same_but_are_audited_apart(
        self, demo_services: Services, identity: tuple[str, str, str], reason: str
    ) -> None:
        """Wrong phone, wrong name and unknown person get one and the same message (nothing
        to learn about who is registered), no SMS, and the precise reason in the audit log."""
        with pytest.raises(NoMatch) as refused:
            demo_services.registration.start(*identity)
        assert refused.value.message.startswith(
            "Les informations saisies ne permettent pas d'activer un compte."
        )
        assert "contactez l'établissement" in refused.value.message
        assert demo_services.outbox.messages() == []
        assert _events(demo_services, "registration_refused")[-1]["detail"] == reason

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
        assert _events(demo_services, "registration_started")[-1]["guardian_id"] == "R010"
        assert _events(demo_services, "registration_refused") == []

    def test_sms_reminds_the_identifiant_and_carries_no_code(self, demo_services: Services) -> None:
        """The SMS gives the existing identifiant instead of an activation code."""
        started = demo_services.registration.start(*MOREAU)
        demo_services.registration.send_code(started.token)
        (sms,) = demo_services.outbox.messages(to=started.phone)
        assert "c.moreau1" in sms.text
        assert "Mot de passe oublié" in sms.text
        assert not _ANY_CODE.search(sms.text)

    def test_no_code_activates_it(self, demo_services: Services) -> None:
        """Whatever is typed as a code, an active account cannot be registered again."""
        started = demo_services.registration.start(*MOREAU)
        demo_services.registration.send_code(started.token)
        with pytest.raises(CodeIncorrect):
            demo_services.registration.verify_code(started.token, "ABCDEF")
        account = Records(demo_services.store.snapshot()).accounts.get(identifiant="c.moreau1")
        assert account is not None
        assert account.status is AccountStatus.ACTIVE


class TestChildren:
    def test_every_linked_pupil_is_listed_with_school(self, demo_services: Services) -> None:
        """Step 6 lists each pupil linked to the guardian with name, school and class."""
        token = _verified(demo_services, MARTIN)
        children = demo_services.registration.children(token).children
        assert [(c.pupil_id, c.prenom, c.nom, c.etablissement, c.classe) for c in children] == [
            ("E002", "Emma", "Martin", "LGT Jean Monnet", "1G2"),
            ("E001", "Lucas", "Martin", "CLG Frédéric Bazille", "4B"),
        ]
        assert not demo_services.registration.children(token).single_link

    def test_single_link_is_flagged(self, demo_services: Services) -> None:
        """A guardian with one pupil is told so (the screen shows the guide's sentence)."""
        token = _verified(demo_services, BERNARD)
        assert demo_services.registration.children(token).single_link

    @pytest.mark.parametrize("typed", ["14/03/2012", "14032012", "14-03-2012", "14.03.2012"])
    def test_right_dates_in_any_usual_form_confirm(
        self, demo_services: Services, typed: str
    ) -> None:
        """The date of birth is accepted as JJ/MM/AAAA or typed without separators."""
        token = _verified(demo_services, MARTIN)
        confirmed = demo_services.registration.confirm_children(
            token,
            [
                ChildAnswer(pupil_id="E001", is_guardian=True, birth_date=typed),
                ChildAnswer(pupil_id="E002", is_guardian=True, birth_date="05/09/2008"),
            ],
        )
        assert confirmed.confirmed == ("E002", "E001")
        assert confirmed.disputed == ()
        assert confirmed.identifiant == "s.martin1"

    def test_guide_example_form_22012005(self, demo_services: Services) -> None:
        """The guide's own example, ``22/01/2005``, also works as ``22012005`` (Léa Bernard
        was born 22/01/2014)."""
        token = _verified(demo_services, BERNARD)
        confirmed = demo_services.registration.confirm_children(
            token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22012014")]
        )
        assert confirmed.confirmed == ("E003",)

    def test_wrong_date_names_the_pupil_and_counts_down(self, demo_services: Services) -> None:
        """A wrong date says which pupil and how many tries are left; nothing is attached."""
        token = _verified(demo_services, MARTIN)
        with pytest.raises(BirthDateMismatch) as refused:
            demo_services.registration.confirm_children(
                token,
                [
                    ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="15/03/2012"),
                    ChildAnswer(pupil_id="E002", is_guardian=True, birth_date="05/09/2008"),
                ],
            )
        assert refused.value.pupil_ids == ("E001",)
        assert refused.value.remaining == 2
        assert "Il vous reste 2 essais" in refused.value.message
        assert _link_state(demo_services, "R001", "E002") is LinkState.PENDING

    def test_three_wrong_dates_end_the_registration(self, demo_services: Services) -> None:
        """The third wrong date ends the registration; any further call is refused."""
        token = _verified(demo_services, BERNARD)
        wrong = [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="01/01/2014")]
        remaining = []
        for _ in range(2):
            with pytest.raises(BirthDateMismatch) as refused:
                demo_services.registration.confirm_children(token, wrong)
            remaining.append(refused.value.remaining)
        assert remaining == [2, 1]
        with pytest.raises(RegistrationEnded, match="Trop de dates de naissance"):
            demo_services.registration.confirm_children(token, wrong)
        right = [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
        with pytest.raises(RegistrationEnded):
            demo_services.registration.confirm_children(token, right)
        with pytest.raises(RegistrationEnded):
            demo_services.registration.children(token)
        assert _events(demo_services, "registration_ended")

    def test_impossible_date_is_not_an_attempt(self, demo_services: Services) -> None:
        """31/02 is a typing error, not a guess: it is refused beside the field and costs no
        attempt."""
        token = _verified(demo_services, BERNARD)
        with pytest.raises(InvalidInput) as refused:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="31/02/2014")]
            )
        assert refused.value.field == "naissance:E003"
        with pytest.raises(BirthDateMismatch) as mismatch:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="01/02/2014")]
            )
        assert mismatch.value.remaining == 2

    def test_non_records_a_disputed_link_and_does_not_attach(self, demo_services: Services) -> None:
        """« Non » for one of two pupils: the link is recorded as disputed for the school,
        audited, and that pupil is not in the activated account."""
        token = _verified(demo_services, MARTIN)
        confirmed = demo_services.registration.confirm_children(
            token,
            [
                ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012"),
                ChildAnswer(pupil_id="E002", is_guardian=False),
            ],
        )
        assert confirmed.confirmed == ("E001",)
        assert confirmed.disputed == ("E002",)
        assert _link_state(demo_services, "R001", "E002") is LinkState.DISPUTED
        assert _link_state(demo_services, "R001", "E001") is LinkState.CONFIRMED
        assert _events(demo_services, "link_disputed")[-1]["detail"] == "élève E002"
        activated = demo_services.registration.set_password(token, _PASSWORD, _PASSWORD)
        assert [child.pupil_id for child in activated.children] == ["E001"]

    def test_non_on_the_only_link_is_not_taken_into_account(self, demo_services: Services) -> None:
        """With a single pupil, « Non » is refused with the guide's sentence and nothing is
        recorded: the link stays as the school made it."""
        token = _verified(demo_services, BERNARD)
        audit_before = len(_audit(demo_services))
        with pytest.raises(SingleLinkRule) as refused:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E003", is_guardian=False)]
            )
        assert SINGLE_LINK_SENTENCE in refused.value.message
        assert (
            "S'il y a un seul lien responsable-élève, l'action ne sera pas prise en compte"
            in refused.value.message
        )
        assert _link_state(demo_services, "R002", "E003") is LinkState.PENDING
        assert len(_audit(demo_services)) == audit_before

    def test_at_least_one_pupil_confirmed(self, demo_services: Services) -> None:
        """« Non » for every pupil is refused: an account needs at least one confirmed pupil,
        and no link is changed."""
        token = _verified(demo_services, MARTIN)
        with pytest.raises(NoChildConfirmed):
            demo_services.registration.confirm_children(
                token,
                [
                    ChildAnswer(pupil_id="E001", is_guardian=False),
                    ChildAnswer(pupil_id="E002", is_guardian=False),
                ],
            )
        assert _link_state(demo_services, "R001", "E001") is LinkState.PENDING
        assert _link_state(demo_services, "R001", "E002") is LinkState.PENDING

    def test_every_listed_pupil_needs_an_answer(self, demo_services: Services) -> None:
        """Leaving a pupil unanswered is pointed out beside that pupil, at no cost."""
        token = _verified(demo_services, MARTIN)
        with pytest.raises(InvalidInput) as refused:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012")]
            )
        assert refused.value.field == "eleve:E002"

    def test_answers_for_other_pupils_are_ignored(self, demo_services: Services) -> None:
        """An answer about a pupil who is not this guardian's (a forged id) attaches
        nothing."""
        token = _verified(demo_services, BERNARD)
        confirmed = demo_services.registration.confirm_children(
            token,
            [
                ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014"),
                ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012"),
            ],
        )
        assert confirmed.confirmed == ("E003",)
        assert (
            Records(demo_services.store.snapshot()).links.get(guardian_id="R002", pupil_id="E001")
            is None
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
            lambda: demo_services.registration.set_password("forged", _PASSWORD, _PASSWORD),
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
            registration.set_password(started.token, _PASSWORD, _PASSWORD)
        registration.verify_code(started.token, _sms_code(demo_services, started.phone))
        with pytest.raises(RegistrationEnded):
            registration.send_code(started.token, resend=True)
        with pytest.raises(RegistrationEnded):
            registration.password_context(started.token)

    def test_finished_registration_cannot_be_replayed(self, demo_services: Services) -> None:
        """Once the account is activated the token is spent: no second password."""
        token = _verified(demo_services, BERNARD)
        demo_services.registration.confirm_children(
            token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
        )
        demo_services.registration.set_password(token, _PASSWORD, _PASSWORD)
        with pytest.raises(RegistrationEnded):
            demo_services.registration.set_password(token, "Autre-mot-2026!", "Autre-mot-2026!")


class TestWholeRegistration:
    def test_guide_steps_3_to_7_activate_the_account(self, demo_services: Services) -> None:
        """The guide's path end to end: identity, SMS code, children, password; the account
        is active with an argon2 hash and the confirmed pupils."""
        registration = demo_services.registration
        token = _verified(demo_services, NDIAYE)
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
        activated = registration.set_password(token, _PASSWORD, _PASSWORD)
        assert activated.identifiant == "a.ndiaye1"
        assert {child.pupil_id for child in activated.children} == {"E007", "E008"}
        account = Records(demo_services.store.snapshot()).accounts.get(identifiant="a.ndiaye1")
        assert account is not None
        assert account.status is AccountStatus.ACTIVE
        assert account.password_hash is not None
        assert account.password_hash.startswith("$argon2")
        assert _events(demo_services, "account_activated")[-1]["identifiant"] == "a.ndiaye1"

    def test_a_second_registration_after_activation_gets_the_reminder(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Once activated, registering again sends the identifiant reminder, not a code."""
        token = _verified(demo_services, BERNARD)
        demo_services.registration.confirm_children(
            token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
        )
        demo_services.registration.set_password(token, _PASSWORD, _PASSWORD)
        clock.advance(demo_services.settings.resend_min_interval)
        again = demo_services.registration.start(*BERNARD)
        demo_services.registration.send_code(again.token)
        assert "t.bernard1" in demo_services.outbox.messages(to=again.phone)[-1].text

    def test_two_registrations_at_once_keep_the_first_password(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Two devices register the same guardian at once: the second to finish cannot
        overwrite the password the first one chose."""
        registration = demo_services.registration
        first = _verified(demo_services, BERNARD)
        clock.advance(demo_services.settings.resend_min_interval)
        second = _verified(demo_services, BERNARD)
        answer = [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
        registration.confirm_children(first, answer)
        registration.confirm_children(second, answer)
        registration.set_password(first, _PASSWORD, _PASSWORD)
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
        first_code = _sms_code(demo_services, started.phone)
        clock.advance(timedelta(minutes=2))
        registration.send_code(started.token, resend=True)
        second_code = _sms_code(demo_services, started.phone)
        with pytest.raises(CodeIncorrect):
            registration.verify_code(started.token, first_code)
        registration.verify_code(started.token, second_code.lower())
        registration.confirm_children(
            started.token,
            [ChildAnswer(pupil_id="E006", is_guardian=True, birth_date="02/02/2010")],
        )
        registration.set_password(started.token, _PASSWORD, _PASSWORD)
        audit_text = json.dumps(_audit(demo_services), ensure_ascii=False).casefold()
        assert {record["event"] for record in _audit(demo_services)} >= {
            "registration_started",
            "code_sent",
            "code_resent",
            "code_failed",
            "code_verified",
            "children_confirmed",
            "account_activated",
        }
        for secret in (first_code, second_code, _PASSWORD, started.token):
            assert secret.casefold() not in audit_text
