"""Issue 12, items 2 and 3: « Identifiant oublié ? » by SMS or e-mail, « Mot de passe
oublié ? » whose answers say the rule of the channel chosen, and a request inside the sending
limits that says from when a new one is accepted, alike for existing and unknown identifiants."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_SCHOOL_EMAIL
from services.errors import RequestLimited
from services.formatting import hour
from services.recovery import (
    IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE,
    IDENTIFIANT_REMINDER_MESSAGE,
    RESET_REQUESTED_BY_EMAIL_MESSAGE,
    RESET_REQUESTED_MESSAGE,
    ResetChannel,
)
from store import Records
from store.records import Account, AccountStatus, OutboxMessage

MOREAU = ("Moreau", "Claire", "06 45 12 34 56")
NOBODY = ("Inconnu", "Personne", "07 45 67 89 99")
IDENTIFIANT = "c.moreau1"
CONFIRMED = "claire@example.org"


def _messages(services: Services) -> list[OutboxMessage]:
    return services.outbox.messages()


def _update_account(services: Services, **changes: object) -> None:
    with services.store.transaction() as tx:
        records = Records(tx)
        account = records.accounts.get(identifiant=IDENTIFIANT)
        assert account is not None
        records.accounts.put(account.model_copy(update=changes))


def _forget_school_email(services: Services) -> None:
    with services.store.transaction() as tx:
        records = Records(tx)
        guardian = records.guardians.get(id="R010")
        assert guardian is not None
        records.guardians.put(guardian.model_copy(update={"courriel": None}))


def _account(services: Services) -> Account:
    account = Records(services.store.snapshot()).accounts.get(identifiant=IDENTIFIANT)
    assert account is not None
    return account


class TestIdentifiantByEmail:
    def test_goes_to_the_confirmed_address(self, demo_services: Services) -> None:
        """A confirmed address comes first."""
        _update_account(demo_services, email=CONFIRMED, email_confirmed=True)
        result = demo_services.recovery.remind_identifiant(*MOREAU, channel=ResetChannel.EMAIL)
        [mail] = _messages(demo_services)
        assert (mail.channel, mail.to) == ("email", CONFIRMED)
        assert IDENTIFIANT in mail.text
        assert mail.subject
        assert result.channel is ResetChannel.EMAIL

    def test_else_to_the_school_address(self, demo_services: Services) -> None:
        """Without a confirmed address, the one the school's export gave; an address typed in
        « Mon compte » but never confirmed is not used."""
        _update_account(demo_services, email=CONFIRMED, email_confirmed=False)
        demo_services.recovery.remind_identifiant(*MOREAU, channel=ResetChannel.EMAIL)
        [mail] = _messages(demo_services)
        assert (mail.channel, mail.to) == ("email", DEMO_ACTIVE_SCHOOL_EMAIL)

    def test_else_by_sms(self, demo_services: Services) -> None:
        """With no address at all, the identifiant still comes, by SMS, as the answer says."""
        _forget_school_email(demo_services)
        demo_services.recovery.remind_identifiant(*MOREAU, channel=ResetChannel.EMAIL)
        [sms] = _messages(demo_services)
        assert (sms.channel, sms.to) == ("sms", "+33645123456")

    def test_sms_choice_goes_by_sms_even_with_an_address(self, demo_services: Services) -> None:
        _update_account(demo_services, email=CONFIRMED, email_confirmed=True)
        demo_services.recovery.remind_identifiant(*MOREAU)
        [sms] = _messages(demo_services)
        assert sms.channel == "sms"

    @pytest.mark.parametrize(
        ("channel", "answer", "said"),
        [
            (ResetChannel.SMS, IDENTIFIANT_REMINDER_MESSAGE, "par SMS"),
            (ResetChannel.EMAIL, IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE, "par e-mail"),
        ],
    )
    def test_the_answer_names_the_channel_whoever_asks(
        self, demo_services: Services, channel: ResetChannel, answer: str, said: str
    ) -> None:
        """Real or unknown, the answer is the same and says by which channel it was sent."""
        real = demo_services.recovery.remind_identifiant(*MOREAU, channel=channel)
        unknown = demo_services.recovery.remind_identifiant(*NOBODY, channel=channel)
        assert real.message == unknown.message == answer
        assert said in real.message
        assert real.message.startswith("Si vos informations correspondent")


class TestResetChannelRules:
    def test_sms_choice_goes_by_sms_even_with_a_confirmed_address(
        self, demo_services: Services
    ) -> None:
        """« Par SMS » means by SMS, whatever else the account has."""
        _update_account(demo_services, email=CONFIRMED, email_confirmed=True)
        result = demo_services.recovery.request_password_reset(IDENTIFIANT)
        [sms] = _messages(demo_services)
        assert (sms.channel, sms.to) == ("sms", "+33645123456")
        assert result.message == RESET_REQUESTED_MESSAGE
        assert "par SMS" in result.message

    @pytest.mark.parametrize("confirmed", [True, False])
    def test_email_choice_answers_its_rule_either_way(
        self, demo_services: Services, confirmed: bool
    ) -> None:
        """« Par e-mail »: by e-mail if an address is confirmed, else by SMS; the answer says
        that rule, the same in both cases and for an unknown identifiant."""
        if confirmed:
            _update_account(demo_services, email=CONFIRMED, email_confirmed=True)
        result = demo_services.recovery.request_password_reset(
            IDENTIFIANT, channel=ResetChannel.EMAIL
        )
        unknown = demo_services.recovery.request_password_reset(
            "x.inconnu1", channel=ResetChannel.EMAIL
        )
        [sent] = _messages(demo_services)
        assert sent.channel == ("email" if confirmed else "sms")
        assert result.message == unknown.message == RESET_REQUESTED_BY_EMAIL_MESSAGE
        assert "par e-mail si une adresse est confirmée, sinon par SMS" in result.message


class TestRequestInsideTheLimits:
    @pytest.mark.parametrize("identifiant", [IDENTIFIANT, "x.inconnu1"])
    def test_a_second_request_says_when_the_next_is_possible(
        self, demo_services: Services, clock: ManualClock, identifiant: str
    ) -> None:
        """Within the minute, nothing is sent and the refusal gives the time of the next
        possible request; then it is accepted again."""
        demo_services.recovery.request_password_reset(identifiant)
        sent = len(_messages(demo_services))
        clock.advance(timedelta(seconds=20))
        with pytest.raises(RequestLimited) as refused:
            demo_services.recovery.request_password_reset(identifiant)
        next_at = clock.now() + timedelta(seconds=40)
        assert refused.value.next_at == next_at
        assert refused.value.wait_seconds == 40
        assert refused.value.after_wait() is None
        assert f"à partir de {hour(next_at)}" in refused.value.message
        assert len(_messages(demo_services)) == sent
        clock.advance(timedelta(seconds=40))
        demo_services.recovery.request_password_reset(identifiant)

    def test_existing_and_unknown_are_refused_alike(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """The same refusals at the same moments, up to the window's limit of four."""
        said: dict[str, list[str]] = {}
        for identifiant in (IDENTIFIANT, "x.inconnu1", "z.autre1"):
            started = clock.now()
            said[identifiant] = []
            for step in range(9):
                try:
                    demo_services.recovery.request_password_reset(identifiant)
                    said[identifiant].append("envoyé")
                except RequestLimited as refused:
                    said[identifiant].append(str(refused.next_at - started))
                clock.advance(timedelta(minutes=1) if step % 2 else timedelta(seconds=30))
            clock.advance(timedelta(hours=1))
        assert said[IDENTIFIANT] == said["x.inconnu1"] == said["z.autre1"]
        # 4 per 30 minutes: the fifth waits until the first leaves the window.
        assert said[IDENTIFIANT].count("envoyé") == 4
        assert said[IDENTIFIANT][-1] == str(timedelta(minutes=30))

    def test_not_activated_account_is_limited_like_the_others(
        self, demo_services: Services
    ) -> None:
        """An account still waiting for its password is counted like an unknown identifiant."""
        _update_account(demo_services, status=AccountStatus.PENDING_PASSWORD)
        demo_services.recovery.request_password_reset(IDENTIFIANT)
        with pytest.raises(RequestLimited):
            demo_services.recovery.request_password_reset(IDENTIFIANT)
        assert _messages(demo_services) == []
