"""« S'identifier avec FranceConnect » (simulated providers) through ``FranceConnectService`` on
the demo families: the identity matched to a guardian, the first use (mobile, SMS code,
children's dates of birth) and every later use straight to the services."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_PASSWORD
from services.errors import (
    NO_MATCH_MESSAGE,
    BirthDateMismatch,
    CodeExpired,
    CodeIncorrect,
    CodeVoided,
    FranceConnectRefused,
    InvalidInput,
    NoMatch,
    RegistrationEnded,
    ResendLimited,
)
from services.franceconnect import (
    PROVIDERS,
    FcIdentity,
    identities_of,
)
from services.registration import ChildAnswer
from store import Records
from store.records import Account, AccountKind, AccountStatus, LinkState

_CODE_IN_SMS = re.compile(r"code d'activation est ([A-Z]{6})")
MARTIN_PHONE = "+33612345678"
MARTIN_CHILDREN = [
    ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012"),
    ChildAnswer(pupil_id="E002", is_guardian=True, birth_date="05/09/2008"),
]


def _events(services: Services, event: str) -> list[dict[str, Any]]:
    return [record for record in services.store.audit_log.read() if record["event"] == event]


def _sms_code(services: Services, phone: str) -> str:
    match = _CODE_IN_SMS.search(services.outbox.messages(to=phone)[-1].text)
    assert match, "the last SMS carries no activation code"
    return match.group(1)


def _identity(services: Services, provider: str, login: str) -> FcIdentity:
    return services.franceconnect.authenticate(provider, login, "demo")


def _account(services: Services, guardian_id: str) -> Account:
    account = Records(services.store.snapshot()).accounts.get(
        kind=AccountKind.GUARDIAN.value, owner_id=guardian_id
    )
    assert account is not None
    return account


def _first_use_token(services: Services, identity: FcIdentity, portable: str) -> str:
    """A first use up to the children step: the mobile, then the SMS code accepted."""
    assert services.franceconnect.begin(identity).first_use
    sent = services.franceconnect.send_code(identity, portable)
    services.registration.verify_code(sent.token, _sms_code(services, sent.phone))
    return sent.token


class TestSimulatedProviders:
    def test_every_provider_has_demo_identities(self) -> None:
        """The six providers of the issue are offered, and each has at least one demo login to
        show on its screen."""
        names = [name for _, name in PROVIDERS]
        assert names == [
            "impots.gouv.fr",
            "ameli.fr",
            "L'Identité Numérique La Poste",
            "MSA",
            "Yris",
            "France Identité",
        ]
        assert all(identities_of(key) for key, _ in PROVIDERS)

    def test_demo_login_returns_the_civil_identity(self, demo_services: Services) -> None:
        """sophie.martin / demo at impots.gouv.fr hands over nom de naissance, prénoms and date
        of birth; the login is case-insensitive as at the providers."""
        identity = demo_services.franceconnect.authenticate("impots", " Sophie.Martin ", "demo")
        assert (identity.nom_naissance, identity.prenoms) == ("MARTIN", "Sophie Anne")
        assert identity.naissance.isoformat() == "1979-04-12"
        assert identity.provider_name == "impots.gouv.fr"

    @pytest.mark.parametrize(
        ("provider", "login", "password"),
        [
            ("impots", "sophie.martin", "Demo"),
            ("impots", "sophie.martin", ""),
            ("impots", "inconnu", "demo"),
            ("yris", "sophie.martin", "demo"),
        ],
    )
    def test_wrong_demo_credentials_get_one_generic_refusal(
        self, demo_services: Services, provider: str, login: str, password: str
    ) -> None:
        """A wrong password, an unknown login and a login of another provider all get the same
        sentence."""
        with pytest.raises(FranceConnectRefused) as refused:
            demo_services.franceconnect.authenticate(provider, login, password)
        assert "incorrect" in refused.value.message

    def test_same_person_has_the_same_sub_through_two_providers(
        self, demo_services: Services
    ) -> None:
        """As with FranceConnect, the identity and not the provider account identifies the
        person; two different people have different ``sub``."""
        impots = _identity(demo_services, "impots", "sophie.martin")
        ameli = _identity(demo_services, "ameli", "sophie.martin")
        other = _identity(demo_services, "ameli", "thomas.bernard")
        assert impots.sub == ameli.sub
        assert impots.sub != other.sub


class TestIdentityMatching:
    def test_known_guardian_is_a_first_use(self, demo_services: Services) -> None:
        """MARTIN « Sophie Anne » matches R001 (nom + first prénom): first use, nothing linked,
        and the audit log notes it."""
        start = demo_services.franceconnect.begin(
            _identity(demo_services, "impots", "sophie.martin")
        )
        assert start.first_use and start.session is None
        assert _events(demo_services, "franceconnect_first_use")

    @pytest.mark.parametrize(
        ("provider", "login", "reason"),
        [
            ("yris", "camille.durand", "identité inconnue"),
            ("msa", "pedro.garcia", "aucun portable"),
        ],
    )
    def test_unusable_identity_gets_the_neutral_refusal(
        self, demo_services: Services, provider: str, login: str, reason: str
    ) -> None:
        """An identity the school does not know, and a guardian without a mobile, both get the
        registration's neutral sentence; only the audit log says why."""
        with pytest.raises(NoMatch) as refused:
            demo_services.franceconnect.begin(_identity(demo_services, provider, login))
        assert refused.value.message == NO_MATCH_MESSAGE
        assert reason in _events(demo_services, "franceconnect_refused")[-1]["detail"]

    def test_wrong_mobile_gets_the_neutral_refusal_and_no_sms(
        self, demo_services: Services
    ) -> None:
        """At the first use, a mobile the school does not have for this guardian is refused
        like an unknown person, and nothing is sent."""
        identity = _identity(demo_services, "impots", "sophie.martin")
        with pytest.raises(NoMatch):
            demo_services.franceconnect.send_code(identity, "06 23 45 67 89")
        assert demo_services.outbox.messages(channel="sms") == []

    def test_the_mobile_decides_between_homonyms(self, demo_services: Services) -> None:
        """DUPONT « Jean Louis » matches both Jean Dupont (R008, R009): each mobile leads to its
        own guardian."""
        identity = _identity(demo_services, "laposte", "jean.dupont")
        assert demo_services.franceconnect.begin(identity).first_use
        demo_services.franceconnect.send_code(identity, "06 89 01 23 45")
        started = _events(demo_services, "franceconnect_started")
        assert started[-1]["guardian_id"] == "R009"

    def test_invalid_mobile_is_refused_beside_the_field(self, demo_services: Services) -> None:
        """A number that is not a French mobile is explained, beside the « portable » field."""
        identity = _identity(demo_services, "impots", "sophie.martin")
        with pytest.raises(InvalidInput) as refused:
            demo_services.franceconnect.send_code(identity, "01 23 45 67 89")
        assert refused.value.field == "portable"


class TestFirstUse:
    def test_first_use_end_to_end_links_an_account_without_password(
        self, demo_services: Services
    ) -> None:
        """Mobile, code, both dates of birth: R001 gets an active account with no ÉduConnect
        password, linked to the identity, and a session listing both children."""
        identity = _identity(demo_services, "impots", "sophie.martin")
        token = _first_use_token(demo_services, identity, "06 12 34 56 78")
        to_confirm = demo_services.registration.children(token)
        assert [c.prenom for c in to_confirm.children] == ["Emma", "Lucas"]
        demo_services.registration.confirm_children(token, MARTIN_CHILDREN)
        session = demo_services.franceconnect.complete(token)

        assert session.identifiant == "s.martin1"
        assert (session.nom, session.prenom) == ("Martin", "Sophie")
        assert {c.pupil_id for c in session.children} == {"E001", "E002"}
        account = _account(demo_services, "R001")
        assert account.status is AccountStatus.ACTIVE
        assert account.password_hash is None
        assert account.franceconnect_sub == identity.sub
        links = Records(demo_services.store.snapshot()).links.find(guardian_id="R001")
        assert {link.state for link in links} == {LinkState.CONFIRMED}
        assert _events(demo_services, "franceconnect_linked")[-1]["identifiant"] == "s.martin1"
        activated = _events(demo_services, "account_activated")[-1]
        assert "FranceConnect" in activated["detail"]

    def test_wrong_date_of_birth_counts_as_in_the_registration(
        self, demo_services: Services
    ) -> None:
        """The children step is the registration's: a wrong date says which child and how many
        tries are left, and nothing is linked yet."""
        identity = _identity(demo_services, "ameli", "thomas.bernard")
        token = _first_use_token(demo_services, identity, "06 23 45 67 89")
        with pytest.raises(BirthDateMismatch) as mismatch:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="01/01/2014")]
            )
        assert mismatch.value.pupil_ids == ("E003",)
        with pytest.raises(RegistrationEnded):
            demo_services.franceconnect.complete(token)

    def test_active_account_keeps_its_password_and_gets_linked(
        self, demo_services: Services
    ) -> None:
        """Claire Moreau already has c.moreau1: her first FranceConnect use gets a real code
        (not the identifiant reminder), links the same account and leaves her password working."""
        identity = _identity(demo_services, "impots", "claire.moreau")
        token = _first_use_token(demo_services, identity, "06 45 12 34 56")
        demo_services.registration.confirm_children(
            token, [ChildAnswer(pupil_id="E011", is_guardian=True, birth_date="03/07/2011")]
        )
        session = demo_services.franceconnect.complete(token)
        assert session.identifiant == "c.moreau1"
        assert _account(demo_services, "R010").franceconnect_sub == identity.sub
        login = demo_services.login.login(
            "c.moreau1", DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        )
        assert login.identifiant == "c.moreau1"

    def test_password_registration_token_cannot_be_completed_by_franceconnect(
        self, demo_services: Services
    ) -> None:
        """A token of the ordinary registration never links an identity nor skips the
        password."""
        started = demo_services.registration.start("Martin", "Sophie", "06 12 34 56 78")
        demo_services.registration.send_code(started.token)
        demo_services.registration.verify_code(
            started.token, _sms_code(demo_services, MARTIN_PHONE)
        )
        demo_services.registration.confirm_children(started.token, MARTIN_CHILDREN)
        with pytest.raises(RegistrationEnded):
            demo_services.franceconnect.complete(started.token)
        assert _account(demo_services, "R001").status is AccountStatus.PENDING_PASSWORD

    def test_franceconnect_token_cannot_set_an_educonnect_password(
        self, demo_services: Services
    ) -> None:
        """The token of a FranceConnect first use is only good for ``complete``: it cannot be
        used to choose a password through the ordinary registration's last step."""
        identity = _identity(demo_services, "impots", "sophie.martin")
        token = _first_use_token(demo_services, identity, "06 12 34 56 78")
        demo_services.registration.confirm_children(token, MARTIN_CHILDREN)
        with pytest.raises(RegistrationEnded):
            demo_services.registration.set_password(token, "Cerf-volant-2026!", "Cerf-volant-2026!")
        assert _account(demo_services, "R001").password_hash is None

    def test_account_linked_to_another_identity_is_refused_neutrally(
        self, demo_services: Services
    ) -> None:
        """Once R001 is linked to Sophie Martin, another identity of the same name cannot take
        the account over with her mobile: neutral refusal, no SMS."""
        sophie = _identity(demo_services, "impots", "sophie.martin")
        token = _first_use_token(demo_services, sophie, "06 12 34 56 78")
        demo_services.registration.confirm_children(token, MARTIN_CHILDREN)
        demo_services.franceconnect.complete(token)
        sent = len(demo_services.outbox.messages(channel="sms"))
        other = FcIdentity(
            provider="impots",
            provider_name="impots.gouv.fr",
            nom_naissance="MARTIN",
            prenoms="Sophie",
            naissance=sophie.naissance + timedelta(days=1),
            sub="0" * 64,
        )
        with pytest.raises(NoMatch):
            demo_services.franceconnect.send_code(other, "06 12 34 56 78")
        assert len(demo_services.outbox.messages(channel="sms")) == sent

    def test_password_can_be_chosen_later_with_mot_de_passe_oublie(
        self, demo_services: Services
    ) -> None:
        """An account opened through FranceConnect has no password, but « Mot de passe
        oublié ? » gives it one by SMS, and the password login then works too."""
        identity = _identity(demo_services, "impots", "sophie.martin")
        token = _first_use_token(demo_services, identity, "06 12 34 56 78")
        demo_services.registration.confirm_children(token, MARTIN_CHILDREN)
        demo_services.franceconnect.complete(token)
        demo_services.recovery.request_password_reset("s.martin1")
        text = demo_services.outbox.messages(to=MARTIN_PHONE)[-1].text
        match = re.search(r"mot de passe est ([A-Z]{6})", text)
        assert match, text
        accepted = demo_services.recovery.verify_reset_code("s.martin1", match.group(1))
        demo_services.recovery.set_new_password(
            accepted.token, "Cerf-volant-2026!", "Cerf-volant-2026!"
        )
        session = demo_services.login.login(
            "s.martin1", "Cerf-volant-2026!", profile=AccountKind.GUARDIAN
        )
        assert session.identifiant == "s.martin1"


class TestLaterUses:
    def test_second_use_goes_straight_to_the_services(self, demo_services: Services) -> None:
        """After the first use, the same identity (even through another provider) opens a
        session at once: no mobile, no SMS."""
        identity = _identity(demo_services, "impots", "sophie.martin")
        token = _first_use_token(demo_services, identity, "06 12 34 56 78")
        demo_services.registration.confirm_children(token, MARTIN_CHILDREN)
        demo_services.franceconnect.complete(token)
        sent = len(demo_services.outbox.messages(channel="sms"))

        start = demo_services.franceconnect.begin(
            _identity(demo_services, "ameli", "sophie.martin")
        )
        assert start.session is not None
        assert start.session.identifiant == "s.martin1"
        assert demo_services.login.is_session_valid(start.session)
        assert len(demo_services.outbox.messages(channel="sms")) == sent
        assert "ameli.fr" in _events(demo_services, "franceconnect_login")[-1]["detail"]


class TestCodeRules:
    def test_code_expires_after_30_minutes(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """The first-use code is the registration's: 31 minutes later it is refused."""
        identity = _identity(demo_services, "impots", "sophie.martin")
        sent = demo_services.franceconnect.send_code(identity, "06 12 34 56 78")
        clock.advance(timedelta(minutes=31))
        with pytest.raises(CodeExpired):
            demo_services.registration.verify_code(sent.token, _sms_code(demo_services, sent.phone))

    def test_five_wrong_codes_void_it(self, demo_services: Services) -> None:
        """Four wrong entries count down, the fifth voids the code: even the right one fails."""
        identity = _identity(demo_services, "impots", "sophie.martin")
        sent = demo_services.franceconnect.send_code(identity, "06 12 34 56 78")
        code = _sms_code(demo_services, sent.phone)
        for remaining in (4, 3, 2, 1):
            with pytest.raises(CodeIncorrect) as wrong:
                demo_services.registration.verify_code(sent.token, "ZZZZZZ")
            assert wrong.value.remaining == remaining
        with pytest.raises(CodeVoided):
            demo_services.registration.verify_code(sent.token, "ZZZZZZ")
        with pytest.raises(CodeVoided):
            demo_services.registration.verify_code(sent.token, code)

    def test_sending_limits_are_shared_with_the_registration(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A code just sent by the ordinary registration stops a FranceConnect code for the same
        guardian within the minute; a minute later the FranceConnect code goes."""
        started = demo_services.registration.start("Martin", "Sophie", "06 12 34 56 78")
        demo_services.registration.send_code(started.token)
        identity = _identity(demo_services, "impots", "sophie.martin")
        with pytest.raises(ResendLimited):
            demo_services.franceconnect.send_code(identity, "06 12 34 56 78")
        clock.advance(timedelta(minutes=1, seconds=1))
        sent = demo_services.franceconnect.send_code(identity, "06 12 34 56 78")
        assert _sms_code(demo_services, sent.phone)
