"""« Identifiant oublié ? » and « Mot de passe oublié ? »: neutral answers, codes, new password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_PASSWORD
from services.errors import (
    AskTheSchool,
    InvalidInput,
    LoginRefused,
    PasswordMismatch,
    PasswordRejected,
    RequestLimited,
    ResetCodeRejected,
    ResetEnded,
)
from services.passwords import PasswordHasher
from services.phones import format_for_display
from services.recovery import (
    IDENTIFIANT_REMINDER_MESSAGE,
    RESET_REQUESTED_MESSAGE,
    ResetChannel,
)
from services.throttle import purge_expired
from store import Records
from store.records import Account, AccountKind, AccountStatus, OutboxMessage
from tests.services._stored import audit_text

IDENTIFIANT = "c.moreau1"
EMAIL = "claire.moreau@example.org"
PUPIL_IDENTIFIANT = "i.moreau1"
PUPIL_EMAIL = "ines.moreau@example.org"
NEW_PASSWORD = "Marronnier-88?"


def _mobile(services: Services) -> str:
    """Claire Moreau's mobile as the school recorded it (E.164)."""
    guardian = Records(services.store.snapshot()).guardians.get(id="R010")
    assert guardian is not None and guardian.portable is not None
    return guardian.portable


def _account(services: Services, identifiant: str = IDENTIFIANT) -> Account:
    account = Records(services.store.snapshot()).accounts.get(identifiant=identifiant)
    assert account is not None
    return account


def _update(services: Services, identifiant: str = IDENTIFIANT, **changes: object) -> None:
    with services.store.transaction() as tx:
        records = Records(tx)
        account = records.accounts.get(identifiant=identifiant)
        assert account is not None
        records.accounts.put(account.model_copy(update=changes))


def _add_pupil(services: Services, email: str | None = None) -> None:
    with services.store.transaction() as tx:
        Records(tx).accounts.put(
            Account(
                identifiant=PUPIL_IDENTIFIANT,
                kind=AccountKind.PUPIL,
                owner_id="E011",
                status=AccountStatus.ACTIVE,
                password_hash=PasswordHasher(services.settings.hashing).hash("Violette-Bleue-27"),
                created_at=services.clock.now(),
                email=email,
                email_confirmed=email is not None,
            )
        )


def _messages(services: Services) -> list[OutboxMessage]:
    return services.outbox.messages()


def _code(message: OutboxMessage) -> str:
    found = re.search(r"est ([A-Z]{6})\.", message.text)
    assert found is not None, message.text
    return found.group(1)


def _request_code(services: Services, **kwargs: ResetChannel) -> str:
    services.recovery.request_password_reset(IDENTIFIANT, **kwargs)
    return _code(_messages(services)[-1])


def _events(services: Services, name: str) -> list[dict[str, object]]:
    return [event for event in services.store.audit_log.read() if event["event"] == name]


class TestIdentifiantReminder:
    def test_matching_guardian_gets_identifiant_by_sms(self, demo_services: Services) -> None:
        """Nom, prénom and mobile as the school knows them: an SMS with the identifiant."""
        mobile = _mobile(demo_services)
        result = demo_services.recovery.remind_identifiant("MOREAU", "claire", mobile)
        assert result.message == IDENTIFIANT_REMINDER_MESSAGE
        assert result.phone_display == format_for_display(mobile)
        [sms] = _messages(demo_services)
        assert (sms.channel, sms.to) == ("sms", mobile)
        assert IDENTIFIANT in sms.text

    @pytest.mark.parametrize(
        ("nom", "prenom", "portable", "reason"),
        [
            ("Moreau", "Claire", "06 12 34 56 78", "nom ou prénom différent pour ce portable"),
            ("Inconnu", "Personne", "07 45 67 89 99", "aucun responsable avec ce portable"),
            ("Martin", "Sophie", "06 12 34 56 78", "pas de compte activé"),
        ],
    )
    def test_no_match_looks_the_same_and_sends_nothing(
        self, demo_services: Services, nom: str, prenom: str, portable: str, reason: str
    ) -> None:
        """Wrong phone, unknown person, or no active account: same answer, no SMS, reason
        audited."""
        result = demo_services.recovery.remind_identifiant(nom, prenom, portable)
        assert result.message == IDENTIFIANT_REMINDER_MESSAGE
        assert _messages(demo_services) == []
        assert _events(demo_services, "identifiant_reminder_refused")[0]["detail"] == reason

    def test_unreadable_phone_is_pointed_out(self, demo_services: Services) -> None:
        """A number that is not a French mobile is a form error, not a neutral answer."""
        with pytest.raises(InvalidInput) as caught:
            demo_services.recovery.remind_identifiant("Moreau", "Claire", "12")
        assert caught.value.field == "portable"

    def test_reminders_follow_the_sending_limits(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A second request within a minute sends nothing (same answer); a minute later it does."""
        for _ in range(2):
            demo_services.recovery.remind_identifiant("Moreau", "Claire", _mobile(demo_services))
        assert len(_messages(demo_services)) == 1
        clock.advance(timedelta(minutes=1))
        demo_services.recovery.remind_identifiant("Moreau", "Claire", _mobile(demo_services))
        assert len(_messages(demo_services)) == 2


class TestResetRequest:
    def test_code_goes_by_sms_to_the_recorded_mobile(self, demo_services: Services) -> None:
        """A guardian's code is sent by SMS to the mobile the school recorded."""
        result = demo_services.recovery.request_password_reset(" C.Moreau1 ")
        assert result.message == RESET_REQUESTED_MESSAGE
        [sms] = _messages(demo_services)
        assert (sms.channel, sms.to) == ("sms", _mobile(demo_services))
        assert len(_code(sms)) == 6
        assert _events(demo_services, "password_reset_requested")[0]["detail"] == (
            "code envoyé par sms"
        )

    def test_unknown_identifiant_gets_the_same_answer_and_nothing_is_sent(
        self, demo_services: Services
    ) -> None:
        """No account, no message, the same neutral answer; the audit log says why."""
        result = demo_services.recovery.request_password_reset("x.personne1")
        assert result.message == RESET_REQUESTED_MESSAGE
        assert _messages(demo_services) == []
        assert _events(demo_services, "password_reset_refused")[0]["detail"] == (
            "identifiant inconnu"
        )

    def test_confirmed_email_when_chosen(self, demo_services: Services) -> None:
        """With a confirmed address and the e-mail choice, the code goes by e-mail."""
        _update(demo_services, email=EMAIL, email_confirmed=True)
        demo_services.recovery.request_password_reset(IDENTIFIANT, channel=ResetChannel.EMAIL)
        [mail] = _messages(demo_services)
        assert (mail.channel, mail.to) == ("email", EMAIL)
        assert mail.subject

    def test_unconfirmed_email_is_never_used(self, demo_services: Services) -> None:
        """An address whose code was never entered does not receive reset codes: SMS instead."""
        _update(demo_services, email=EMAIL, email_confirmed=False)
        demo_services.recovery.request_password_reset(IDENTIFIANT, channel=ResetChannel.EMAIL)
        [sms] = _messages(demo_services)
        assert (sms.channel, sms.to) == ("sms", _mobile(demo_services))

    def test_pupil_without_confirmed_email_is_sent_to_the_school(
        self, demo_services: Services
    ) -> None:
        """A pupil's account with no confirmed e-mail: a clear message to ask the school."""
        _add_pupil(demo_services)
        with pytest.raises(AskTheSchool) as caught:
            demo_services.recovery.request_password_reset(PUPIL_IDENTIFIANT)
        assert "établissement" in caught.value.message
        assert _messages(demo_services) == []

    def test_pupil_with_confirmed_email_gets_the_code_by_email(
        self, demo_services: Services
    ) -> None:
        """A pupil with a confirmed address gets the code there, whatever channel was asked."""
        _add_pupil(demo_services, email=PUPIL_EMAIL)
        demo_services.recovery.request_password_reset(PUPIL_IDENTIFIANT)
        [mail] = _messages(demo_services)
        assert (mail.channel, mail.to) == ("email", PUPIL_EMAIL)

    def test_sending_limits_keep_the_first_code(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Asking again within a minute sends nothing and keeps the first code valid; at most
        4 codes per 30 minutes (the refusals say until when: tests/services/
        test_recovery_channels.py)."""
        first = _request_code(demo_services)
        with pytest.raises(RequestLimited):
            demo_services.recovery.request_password_reset(IDENTIFIANT)
        assert len(_messages(demo_services)) == 1
        for _ in range(3):
            clock.advance(timedelta(minutes=1))
            result = demo_services.recovery.request_password_reset(IDENTIFIANT)
            assert result.message == RESET_REQUESTED_MESSAGE
        clock.advance(timedelta(minutes=1))
        with pytest.raises(RequestLimited):
            demo_services.recovery.request_password_reset(IDENTIFIANT)
        assert len(_messages(demo_services)) == 4
        assert first != _code(_messages(demo_services)[-1])

    def test_works_while_locked(self, demo_services: Services, clock: ManualClock) -> None:
        """A locked account can still ask for a reset code."""
        _update(demo_services, locked_until=clock.now() + timedelta(minutes=15))
        _request_code(demo_services)


class TestResetCode:
    def test_right_code_gives_a_token(self, demo_services: Services) -> None:
        """The code, in lower case and with spaces, is accepted once."""
        code = _request_code(demo_services)
        typed = f"{code[:3].lower()} {code[3:]}"
        accepted = demo_services.recovery.verify_reset_code(IDENTIFIANT, typed)
        assert accepted.identifiant == IDENTIFIANT and accepted.token
        with pytest.raises(ResetCodeRejected):
            demo_services.recovery.verify_reset_code(IDENTIFIANT, code)

    def test_five_wrong_entries_void_the_code(self, demo_services: Services) -> None:
        """After 5 wrong entries even the right code is refused."""
        code = _request_code(demo_services)
        wrong = "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"
        for _ in range(5):
            with pytest.raises(ResetCodeRejected):
                demo_services.recovery.verify_reset_code(IDENTIFIANT, wrong)
        with pytest.raises(ResetCodeRejected):
            demo_services.recovery.verify_reset_code(IDENTIFIANT, code)
        assert len(_events(demo_services, "reset_code_voided")) == 1

    def test_code_expires_after_thirty_minutes(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A code typed 31 minutes later is refused."""
        code = _request_code(demo_services)
        clock.advance(timedelta(minutes=31))
        with pytest.raises(ResetCodeRejected):
            demo_services.recovery.verify_reset_code(IDENTIFIANT, code)

    def test_new_request_voids_the_older_code(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Only the latest code works."""
        old = _request_code(demo_services)
        clock.advance(timedelta(minutes=1))
        new = _request_code(demo_services)
        if old != new:
            with pytest.raises(ResetCodeRejected):
                demo_services.recovery.verify_reset_code(IDENTIFIANT, old)
        demo_services.recovery.verify_reset_code(IDENTIFIANT, new)

    def test_a_password_change_in_mon_compte_voids_the_code(self, demo_services: Services) -> None:
        """The code is kept with the identifiant's sending limits, not in the account: a
        password changed another way still ends it."""
        code = _request_code(demo_services)
        session = demo_services.login.login(
            IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        )
        demo_services.account.change_password(
            session, DEMO_ACTIVE_PASSWORD, NEW_PASSWORD, NEW_PASSWORD
        )
        with pytest.raises(ResetCodeRejected):
            demo_services.recovery.verify_reset_code(IDENTIFIANT, code)

    def test_a_new_request_voids_the_token_of_an_earlier_code(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Asking again after the right code: the page for the new password ends."""
        accepted = demo_services.recovery.verify_reset_code(
            IDENTIFIANT, _request_code(demo_services)
        )
        clock.advance(timedelta(minutes=1))
        _request_code(demo_services)
        with pytest.raises(ResetEnded):
            demo_services.recovery.password_context(accepted.token)

    def test_the_purge_keeps_a_code_still_valid(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Even with limits forgotten sooner than a code expires, the purge leaves the code."""
        code = _request_code(demo_services)
        clock.advance(timedelta(minutes=20))
        short = demo_services.settings.model_copy(update={"start_window": timedelta(minutes=10)})
        with demo_services.store.transaction() as tx:
            purge_expired(Records(tx), clock.now(), short)
        assert demo_services.recovery.verify_reset_code(IDENTIFIANT, code).token

    def test_unknown_identifiant_gets_the_same_refusal(self, demo_services: Services) -> None:
        """The code step does not tell an unknown identifiant from a wrong code."""
        _request_code(demo_services)
        with pytest.raises(ResetCodeRejected) as unknown:
            demo_services.recovery.verify_reset_code("x.personne1", "ABCDEF")
        with pytest.raises(ResetCodeRejected) as wrong:
            demo_services.recovery.verify_reset_code(IDENTIFIANT, "ZZZZZY")
        assert unknown.value.message == wrong.value.message

    def test_empty_code_is_pointed_out(self, demo_services: Services) -> None:
        """An empty entry is a form error and is not counted."""
        with pytest.raises(InvalidInput):
            demo_services.recovery.verify_reset_code(IDENTIFIANT, "  ")


class TestNewPassword:
    def _token(self, services: Services) -> str:
        code = _request_code(services)
        return services.recovery.verify_reset_code(IDENTIFIANT, code).token

    def test_new_password_replaces_the_old_one(self, demo_services: Services) -> None:
        """After the reset the new password logs in and the old one does not."""
        token = self._token(demo_services)
        done = demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)
        assert done.identifiant == IDENTIFIANT
        demo_services.login.login(IDENTIFIANT, NEW_PASSWORD, profile=AccountKind.GUARDIAN)
        with pytest.raises(LoginRefused):
            demo_services.login.login(
                IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
            )

    def test_old_sessions_end(self, demo_services: Services) -> None:
        """A session opened before the reset is no longer valid."""
        session = demo_services.login.login(
            IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        )
        token = self._token(demo_services)
        demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)
        assert not demo_services.login.is_session_valid(session)

    def test_notice_is_sent_on_every_channel(self, demo_services: Services) -> None:
        """The owner is told by SMS, and by e-mail when an address is confirmed."""
        _update(demo_services, email=EMAIL, email_confirmed=True)
        token = self._token(demo_services)
        demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)
        notices = _messages(demo_services)[1:]
        assert {(m.channel, m.to) for m in notices} == {
            ("sms", _mobile(demo_services)),
            ("email", EMAIL),
        }
        assert all("vient d'être modifié" in m.text for m in notices)
        assert all(NEW_PASSWORD not in m.text for m in notices)

    def test_lock_and_failures_are_cleared(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A locked account is usable right after the reset, with its counters at zero."""
        _update(
            demo_services,
            failed_logins=7,
            locked_until=clock.now() + timedelta(minutes=15),
            login_not_before=clock.now() + timedelta(minutes=2),
        )
        token = self._token(demo_services)
        demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)
        account = _account(demo_services)
        assert (account.failed_logins, account.locked_until, account.login_not_before) == (
            0,
            None,
            None,
        )
        demo_services.login.login(IDENTIFIANT, NEW_PASSWORD, profile=AccountKind.GUARDIAN)

    def test_policy_and_confirmation_apply(self, demo_services: Services) -> None:
        """The registration rules apply (with the person's own name), and it is typed twice."""
        token = self._token(demo_services)
        context = demo_services.recovery.password_context(token)
        assert (context.identifiant, context.nom, context.prenom) == (
            IDENTIFIANT,
            "Moreau",
            "Claire",
        )
        with pytest.raises(PasswordRejected):
            demo_services.recovery.set_new_password(token, "Moreau-2026!", "Moreau-2026!")
        with pytest.raises(PasswordMismatch):
            demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD + "x")
        demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)

    def test_token_is_single_use(self, demo_services: Services) -> None:
        """The token cannot set a second password."""
        token = self._token(demo_services)
        demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)
        with pytest.raises(ResetEnded):
            demo_services.recovery.set_new_password(token, "Autre-Mot-2-Passe", "Autre-Mot-2-Passe")

    def test_token_expires(self, demo_services: Services, clock: ManualClock) -> None:
        """Thirty minutes after the code was accepted, the token no longer works."""
        token = self._token(demo_services)
        clock.advance(timedelta(minutes=31))
        with pytest.raises(ResetEnded):
            demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)

    def test_no_secret_in_the_audit_log(self, demo_services: Services) -> None:
        """Neither the code nor the new password is written to the audit log."""
        code = _request_code(demo_services)
        token = demo_services.recovery.verify_reset_code(IDENTIFIANT, code).token
        demo_services.recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)
        log = audit_text(demo_services.store)
        assert _events(demo_services, "password_reset")
        assert code not in log and NEW_PASSWORD not in log and token not in log
