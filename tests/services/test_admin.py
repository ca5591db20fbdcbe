"""The school's administration: account listing, issuing provisional credentials, follow-up
(activation rates, disputed links, audit), « déverrouiller » and « réinitialiser »."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest

from services import ManualClock, Services
from services.admin import (
    AccountState,
    AdminService,
    GuardianResetDone,
    PupilResetDone,
)
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, DEMO_PUPILS
from services.errors import AdminRefused, BirthDateMismatch, LoginRefused, PupilLoginRefused
from services.passwords import PasswordHasher
from services.pupils import FirstLogin, IssuedCredentials
from services.registration import ChildAnswer
from store import Records
from store.records import Account, AccountKind, AccountStatus
from tests.services._stored import audit_text

COLLEGE = "0341234A"
LYCEE = "0345678B"
NEW_PASSWORD = "Girafe-Volante-83!"


def _account(services: Services, identifiant: str) -> Account | None:
    return Records(services.store.snapshot()).accounts.get(identifiant=identifiant)


def _activate(services: Services, issued: IssuedCredentials, birth: str) -> None:
    started = services.pupils.login(issued.identifiant, issued.password)
    assert isinstance(started, FirstLogin)
    services.pupils.confirm_identity(started.token, birth)
    services.pupils.set_password(started.token, NEW_PASSWORD, NEW_PASSWORD)


def _events(services: Services, name: str) -> list[dict[str, object]]:
    return [event for event in services.store.audit_log.read() if event["event"] == name]


def _lock(services: Services, identifiant: str, clock: ManualClock) -> None:
    for _ in range(services.settings.login_lock_after):
        with pytest.raises(LoginRefused) as caught:
            services.login.login(identifiant, "Pas-Le-Bon-1!", profile=AccountKind.GUARDIAN)
        if caught.value.retry_after:
            clock.advance(timedelta(seconds=caught.value.retry_after))


def _register_disputing(services: Services) -> None:
    """Sophie Martin (R001) confirms Lucas (E001) and answers « Non » for Emma (E002)."""
    started = services.registration.start("Martin", "Sophie", "06 12 34 56 78")
    services.registration.send_code(started.token)
    sms = services.outbox.messages(channel="sms", to=started.phone)[-1].text
    code = re.search(r"\b([A-Z]{6})\b", sms)
    assert code is not None
    services.registration.verify_code(started.token, code.group(1))
    services.registration.confirm_children(
        started.token,
        [
            ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012"),
            ChildAnswer(pupil_id="E002", is_guardian=False),
        ],
    )


class TestAccountsListing:
    def test_pupils_and_guardians_of_a_class(self, demo_services: Services) -> None:
        """A class (any case) lists its pupils, then their guardians with their classes here."""
        rows = demo_services.admin.accounts(uai=COLLEGE, classe="4a")
        assert [(r.kind, r.nom, r.prenom, r.classes) for r in rows] == [
            (AccountKind.PUPIL, "Garcia", "Pablo", ("4A",)),
            (AccountKind.PUPIL, "N'Diaye", "Awa", ("4A",)),
            (AccountKind.GUARDIAN, "Garcia", "Pedro", ("4A",)),
            (AccountKind.GUARDIAN, "N'Diaye", "Aminata", ("4A", "6B")),
        ]
        assert {r.state for r in rows} == {AccountState.NOT_ACTIVATED}

    def test_guardian_listed_in_each_of_their_establishments(self, demo_services: Services) -> None:
        """Sophie Martin has a child at the collège and one at the lycée: both list her."""
        for uai, classe in ((COLLEGE, "4B"), (LYCEE, "1G2")):
            guardians = demo_services.admin.accounts(uai=uai, kind=AccountKind.GUARDIAN)
            sophie = [r for r in guardians if r.person_id == "R001"]
            assert [r.classes for r in sophie] == [(classe,)]

    def test_states_and_last_activity(self, demo_services: Services, clock: ManualClock) -> None:
        """Each state can be filtered on; the active account shows its last login."""
        issued = demo_services.admin.issue_for_pupil("E008").issued[0]
        clock.advance(timedelta(hours=2))
        demo_services.login.login(
            DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        )

        provisional = demo_services.admin.accounts(state=AccountState.PROVISIONAL)
        assert [(r.identifiant, r.provisional_until) for r in provisional] == [
            (issued.identifiant, issued.valid_until)
        ]
        active = demo_services.admin.accounts(state=AccountState.ACTIVE)
        assert [(r.identifiant, r.last_activity_at) for r in active] == [
            (DEMO_ACTIVE_IDENTIFIANT, clock.now())
        ]
        _lock(demo_services, DEMO_ACTIVE_IDENTIFIANT, clock)
        locked = demo_services.admin.accounts(state=AccountState.LOCKED)
        assert [r.identifiant for r in locked] == [DEMO_ACTIVE_IDENTIFIANT]
        assert demo_services.admin.accounts(state=AccountState.ACTIVE) == ()

    def test_expired_provisional_counts_as_not_activated(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """An expired notice lets nobody in: the pupil is back among those without account."""
        demo_services.admin.issue_for_pupil("E008")
        clock.advance(timedelta(days=95))
        row = demo_services.admin.accounts(classe="4A", kind=AccountKind.PUPIL)[1]
        assert (row.prenom, row.state) == ("Awa", AccountState.NOT_ACTIVATED)


class TestIssue:
    def test_class_gets_unique_identifiants(self, demo_services: Services) -> None:
        """Identifiants follow the guardians' rule and are unique across every account: Awa
        N'Diaye gets a.ndiaye2 when her mother already holds a.ndiaye1."""
        with demo_services.store.transaction() as tx:
            Records(tx).accounts.put(
                Account(
                    identifiant="a.ndiaye1",
                    kind=AccountKind.GUARDIAN,
                    owner_id="R007",
                    status=AccountStatus.ACTIVE,
                    created_at=demo_services.clock.now(),
                )
            )

        result = demo_services.admin.issue_for_class("4A", uai=COLLEGE)

        assert [(c.prenom, c.identifiant) for c in result.issued] == [
            ("Pablo", "p.garcia1"),
            ("Awa", "a.ndiaye2"),
        ]
        assert {c.etablissement for c in result.issued} == {"CLG Frédéric Bazille"}
        assert result.issued[0].valid_until.isoformat() == "2026-12-07"

    def test_all_without_account_skips_working_accounts(self, demo_services: Services) -> None:
        """« Tous » covers every pupil without a working account, once: running it again issues
        nothing, so the notices already handed out stay valid."""
        first = demo_services.admin.issue_for_all()
        assert len(first.issued) == len(DEMO_PUPILS)

        again = demo_services.admin.issue_for_all()
        assert again.issued == ()
        by_class = demo_services.admin.issue_for_class("4A")
        assert by_class.issued == ()
        assert [s.reason for s in by_class.skipped] == [
            "identifiants provisoires déjà remis (p.garcia1)",
            "identifiants provisoires déjà remis (a.ndiaye1)",
        ]

    def test_active_pupil_needs_a_reset(self, demo_services: Services) -> None:
        """Issuing for a pupil whose account is active is refused: that is « réinitialiser »."""
        _activate(
            demo_services, demo_services.admin.issue_for_pupil("E011").issued[0], "03/07/2011"
        )
        with pytest.raises(AdminRefused, match="réinitialiser"):
            demo_services.admin.issue_for_pupil("E011")

    def test_unknown_pupil_or_class(self, demo_services: Services) -> None:
        """A typo in a pupil id or a class is said plainly, nothing is issued."""
        with pytest.raises(AdminRefused, match="E999"):
            demo_services.admin.issue_for_pupil("E999")
        with pytest.raises(AdminRefused, match="9Z"):
            demo_services.admin.issue_for_class("9Z")
        assert demo_services.admin.accounts(state=AccountState.PROVISIONAL) == ()

    def test_audited_with_the_operator(self, demo_services: Services) -> None:
        """Every notice issued is in the audit log with who issued it, never the password."""
        admin = AdminService(
            demo_services.store,
            demo_services.settings,
            demo_services.clock,
            random.Random(1),
            PasswordHasher(demo_services.settings.hashing),
            "secretariat",
        )
        issued = admin.issue_for_pupil("E013").issued[0]
        event = _events(demo_services, "admin_issue")[-1]
        assert (event["identifiant"], event["operator"]) == ("p.garcia1", "secretariat")
        log = audit_text(demo_services.store)
        assert issued.password not in log


class TestFollowUp:
    def test_activation_rates(self, demo_services: Services) -> None:
        """Per establishment and per class, pupils and guardians: Claire Moreau is active (3B),
        then her daughter Inès activates her own account."""
        _activate(
            demo_services, demo_services.admin.issue_for_pupil("E011").issued[0], "03/07/2011"
        )

        college = demo_services.admin.stats(uai=COLLEGE)[0]
        assert (college.pupils.activated, college.pupils.total) == (1, 9)
        assert (
            college.guardians.activated,
            college.guardians.total,
            college.guardians.percent,
        ) == (
            1,
            9,
            11,
        )
        classe_3b = next(g for g in college.classes if g.classe == "3B")
        assert (classe_3b.pupils.percent, classe_3b.guardians.percent) == (100, 100)
        lycee = demo_services.admin.stats(uai=LYCEE)[0]
        assert (lycee.pupils.activated, lycee.guardians.activated) == (0, 0)

    def test_disputed_links_with_their_date(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A « Non » at step 6 shows up for the school with who, which pupil and when."""
        _register_disputing(demo_services)

        disputes = demo_services.admin.disputes()
        assert [(d.guardian_id, d.pupil_id, d.classe, d.disputed_at) for d in disputes] == [
            ("R001", "E002", "1G2", clock.now())
        ]
        assert demo_services.admin.disputes(uai=COLLEGE) == ()

    def test_recent_audit_events_first(self, demo_services: Services) -> None:
        """The journal reads newest first, up to the limit asked."""
        demo_services.admin.issue_for_pupil("E001")
        demo_services.admin.unlock(DEMO_ACTIVE_IDENTIFIANT)
        events = demo_services.admin.audit(limit=2)
        assert [e.event for e in events] == ["admin_unlock", "admin_issue"]


class TestUnlock:
    def test_unlock_lets_the_right_password_in(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A locked guardian logs in right after « déverrouiller », without waiting 15 minutes;
        the action is audited with the operator."""
        _lock(demo_services, DEMO_ACTIVE_IDENTIFIANT, clock)

        done = demo_services.admin.unlock(DEMO_ACTIVE_IDENTIFIANT.upper())

        assert done.was_locked
        demo_services.login.login(
            DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        )
        event = _events(demo_services, "admin_unlock")[-1]
        assert event["operator"] == demo_services.admin.operator
        assert event["identifiant"] == DEMO_ACTIVE_IDENTIFIANT

    def test_unlock_clears_the_counters(self, demo_services: Services) -> None:
        """Failures short of a lock are forgotten too, including date-of-birth tries."""
        issued = demo_services.admin.issue_for_pupil("E011").issued[0]
        started = demo_services.pupils.login(issued.identifiant, issued.password)
        assert isinstance(started, FirstLogin)
        with pytest.raises(BirthDateMismatch):
            demo_services.pupils.confirm_identity(started.token, "01/01/2011")

        done = demo_services.admin.unlock(issued.identifiant)

        assert not done.was_locked
        account = _account(demo_services, issued.identifiant)
        assert account is not None and account.birth_check_failures == 0

    def test_unknown_identifiant(self, demo_services: Services) -> None:
        """An identifiant that matches no account is refused by name."""
        with pytest.raises(AdminRefused, match=r"x\.inconnu1"):
            demo_services.admin.unlock("x.inconnu1")


class TestReset:
    def test_pupil_gets_new_provisional_credentials(self, demo_services: Services) -> None:
        """An active pupil who lost their password: a new notice, same identifiant; the old
        password and the open sessions stop working; the first login starts over."""
        issued = demo_services.admin.issue_for_pupil("E011").issued[0]
        _activate(demo_services, issued, "03/07/2011")
        session = demo_services.pupils.login(issued.identifiant, NEW_PASSWORD)
        assert not isinstance(session, FirstLogin)

        done = demo_services.admin.reset(issued.identifiant)

        assert isinstance(done, PupilResetDone)
        assert done.credentials.identifiant == issued.identifiant
        assert not demo_services.login.is_session_valid(session)
        with pytest.raises(PupilLoginRefused):
            demo_services.pupils.login(issued.identifiant, NEW_PASSWORD)
        _activate(demo_services, done.credentials, "03/07/2011")
        assert _events(demo_services, "admin_reset")[-1]["operator"] == demo_services.admin.operator

    def test_guardian_is_never_given_a_password(self, demo_services: Services) -> None:
        """« Réinitialiser » a guardian removes the account and hands out nothing: they register
        again by SMS, which now sends an activation code instead of an identifiant reminder."""
        sent_before = len(demo_services.outbox.messages())

        done = demo_services.admin.reset(DEMO_ACTIVE_IDENTIFIANT)

        assert isinstance(done, GuardianResetDone)
        assert not hasattr(done, "password") and not hasattr(done, "credentials")
        assert _account(demo_services, DEMO_ACTIVE_IDENTIFIANT) is None
        assert len(demo_services.outbox.messages()) == sent_before
        with pytest.raises(LoginRefused):
            demo_services.login.login(
                DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
            )
        started = demo_services.registration.start("Moreau", "Claire", "06 45 12 34 56")
        demo_services.registration.send_code(started.token)
        sms = demo_services.outbox.messages(channel="sms", to=started.phone)[-1].text
        assert "code d'activation" in sms
        event = _events(demo_services, "admin_reset")[-1]
        assert event["guardian_id"] == "R010"
