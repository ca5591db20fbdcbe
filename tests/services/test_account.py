"""« Mon compte »: the overview, changing the password, adding and confirming an e-mail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_PASSWORD
from services.errors import (
    CurrentPasswordIncorrect,
    EmailCodeExpired,
    EmailCodeIncorrect,
    EmailCodeVoided,
    InvalidInput,
    LoginRefused,
    PasswordMismatch,
    PasswordRejected,
    ResendLimited,
    SessionEnded,
)
from services.login import LoginSession
from services.recovery import ResetChannel
from store import Records
from store.records import Account, AccountKind, OutboxMessage

IDENTIFIANT = "c.moreau1"
NEW_PASSWORD = "Marronnier-88?"
EMAIL = "claire.moreau@example.org"


def _login(services: Services, password: str = DEMO_ACTIVE_PASSWORD) -> LoginSession:
    return services.login.login(IDENTIFIANT, password, profile=AccountKind.GUARDIAN)


def _account(services: Services) -> Account:
    account = Records(services.store.snapshot()).accounts.get(identifiant=IDENTIFIANT)
    assert account is not None
    return account


def _emails(services: Services) -> list[OutboxMessage]:
    return services.outbox.messages(channel="email")


def _code(message: OutboxMessage) -> str:
    found = re.search(r"est ([A-Z]{6})\.", message.text)
    assert found is not None, message.text
    return found.group(1)


class TestOverview:
    def test_shows_the_account_as_recorded(self, demo_services: Services) -> None:
        """Identifiant, name, mobile and the e-mail state are what Mon compte shows."""
        overview = demo_services.account.overview(_login(demo_services))
        assert (overview.identifiant, overview.nom, overview.prenom) == (
            IDENTIFIANT,
            "Moreau",
            "Claire",
        )
        assert overview.mobile_display is not None
        assert (overview.email, overview.email_confirmed) == (None, False)


class TestRecipients:
    def test_the_demonstration_phone_gets_the_accounts_mobile_and_address(
        self, demo_services: Services
    ) -> None:
        """The mobile the school has and the address last given; nothing for an unknown
        identifiant. The identifiant is read as the login reads it."""
        session = _login(demo_services)
        assert demo_services.account.recipients(" C.Moreau1 ") == ("+33645123456", None)
        demo_services.account.set_email(session, EMAIL)
        assert demo_services.account.recipients(IDENTIFIANT) == ("+33645123456", EMAIL)
        assert demo_services.account.recipients("personne.inconnue") == (None, None)


class TestChangePassword:
    def test_change_keeps_this_session_and_ends_the_others(self, demo_services: Services) -> None:
        """The returned session goes on; sessions opened before (here and elsewhere) end; the
        new password logs in."""
        session = _login(demo_services)
        elsewhere = _login(demo_services)
        renewed = demo_services.account.change_password(
            session, DEMO_ACTIVE_PASSWORD, NEW_PASSWORD, NEW_PASSWORD
        )
        assert demo_services.login.is_session_valid(renewed)
        assert not demo_services.login.is_session_valid(session)
        assert not demo_services.login.is_session_valid(elsewhere)
        with pytest.raises(SessionEnded):
            demo_services.account.overview(elsewhere)
        _login(demo_services, NEW_PASSWORD)

    def test_notice_is_sent(self, demo_services: Services) -> None:
        """The owner is told by SMS that the password changed."""
        session = _login(demo_services)
        demo_services.account.change_password(
            session, DEMO_ACTIVE_PASSWORD, NEW_PASSWORD, NEW_PASSWORD
        )
        [sms] = demo_services.outbox.messages(channel="sms")
        assert "vient d'être modifié" in sms.text

    def test_wrong_current_password_counts_as_a_failed_login(self, demo_services: Services) -> None:
        """Guessing the current password from an open session meets the same slowdown."""
        session = _login(demo_services)
        refusals = []
        for _ in range(3):
            with pytest.raises(CurrentPasswordIncorrect) as caught:
                demo_services.account.change_password(
                    session, "Pas-Le-Bon-1", NEW_PASSWORD, NEW_PASSWORD
                )
            refusals.append(caught.value)
        assert [r.retry_after for r in refusals] == [None, None, 5]
        assert refusals[0].field == "current"
        with pytest.raises(LoginRefused):
            _login(demo_services)

    def test_policy_and_confirmation_apply(self, demo_services: Services) -> None:
        """The registration rules and the typed-twice rule apply; nothing is counted."""
        session = _login(demo_services)
        with pytest.raises(PasswordRejected):
            demo_services.account.change_password(session, DEMO_ACTIVE_PASSWORD, "court", "court")
        with pytest.raises(PasswordMismatch):
            demo_services.account.change_password(
                session, DEMO_ACTIVE_PASSWORD, NEW_PASSWORD, "Autre-chose-1"
            )
        with pytest.raises(InvalidInput):
            demo_services.account.change_password(session, "", NEW_PASSWORD, NEW_PASSWORD)
        assert _account(demo_services).failed_logins == 0


class TestEmail:
    def test_address_is_confirmed_by_the_code_sent_to_it(self, demo_services: Services) -> None:
        """The code goes to the new address; until it is entered the address is unconfirmed."""
        session = _login(demo_services)
        sent = demo_services.account.set_email(session, f"  {EMAIL} ")
        assert sent.email == EMAIL
        [mail] = _emails(demo_services)
        assert mail.to == EMAIL
        assert (_account(demo_services).email, _account(demo_services).email_confirmed) == (
            EMAIL,
            False,
        )
        demo_services.account.confirm_email(session, _code(mail).lower())
        assert _account(demo_services).email_confirmed
        assert any(e["event"] == "email_confirmed" for e in demo_services.store.audit_log.read())

    def test_confirmed_address_receives_reset_codes(self, demo_services: Services) -> None:
        """Once confirmed, « Mot de passe oublié » can send its code there."""
        session = _login(demo_services)
        demo_services.account.set_email(session, EMAIL)
        demo_services.account.confirm_email(session, _code(_emails(demo_services)[-1]))
        demo_services.recovery.request_password_reset(IDENTIFIANT, channel=ResetChannel.EMAIL)
        assert _emails(demo_services)[-1].to == EMAIL

    def test_wrong_codes_count_and_void(self, demo_services: Services) -> None:
        """Each wrong code says how many tries remain; the fifth voids the code."""
        session = _login(demo_services)
        demo_services.account.set_email(session, EMAIL)
        code = _code(_emails(demo_services)[-1])
        wrong = "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"
        remaining = []
        for _ in range(4):
            with pytest.raises(EmailCodeIncorrect) as caught:
                demo_services.account.confirm_email(session, wrong)
            remaining.append(caught.value.remaining)
        assert remaining == [4, 3, 2, 1]
        with pytest.raises(EmailCodeVoided):
            demo_services.account.confirm_email(session, wrong)
        with pytest.raises(EmailCodeVoided):
            demo_services.account.confirm_email(session, code)

    def test_code_expires(self, demo_services: Services, clock: ManualClock) -> None:
        """A code typed after 30 minutes is refused."""
        session = _login(demo_services)
        demo_services.account.set_email(session, EMAIL)
        clock.advance(timedelta(minutes=31))
        with pytest.raises(EmailCodeExpired):
            demo_services.account.confirm_email(session, _code(_emails(demo_services)[-1]))

    def test_resend_is_limited_and_voids_the_old_code(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """« Renvoyer le code » waits a minute between codes; only the latest code works."""
        session = _login(demo_services)
        demo_services.account.set_email(session, EMAIL)
        first = _code(_emails(demo_services)[-1])
        with pytest.raises(ResendLimited):
            demo_services.account.resend_email_code(session)
        clock.advance(timedelta(minutes=1))
        demo_services.account.resend_email_code(session)
        second = _code(_emails(demo_services)[-1])
        if first != second:
            with pytest.raises(EmailCodeIncorrect):
                demo_services.account.confirm_email(session, first)
        demo_services.account.confirm_email(session, second)

    def test_changing_address_needs_a_new_confirmation(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A new address replaces the confirmed one and is itself unconfirmed until its code."""
        session = _login(demo_services)
        demo_services.account.set_email(session, EMAIL)
        demo_services.account.confirm_email(session, _code(_emails(demo_services)[-1]))
        clock.advance(timedelta(minutes=1))
        demo_services.account.set_email(session, "claire.m@example.net")
        account = _account(demo_services)
        assert (account.email, account.email_confirmed) == ("claire.m@example.net", False)

    @pytest.mark.parametrize("typed", ["", "pas-une-adresse", "a@b", "x\x1b@example.org"])
    def test_bad_address_is_refused(self, demo_services: Services, typed: str) -> None:
        """Something that is not an e-mail address is pointed out and nothing is sent."""
        with pytest.raises(InvalidInput) as caught:
            demo_services.account.set_email(_login(demo_services), typed)
        assert caught.value.field == "email"
        assert _emails(demo_services) == []

    def test_nothing_to_confirm(self, demo_services: Services) -> None:
        """Resending or confirming without an address waiting is a clear refusal."""
        session = _login(demo_services)
        with pytest.raises(InvalidInput):
            demo_services.account.resend_email_code(session)
        with pytest.raises(InvalidInput):
            demo_services.account.confirm_email(session, "ABCDEF")
