"""Whatever a person types or pastes, a registration call answers with a ``ServiceError``
(a French sentence to show) or succeeds — never with any other exception."""

from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from services import ManualClock, Services, Settings
from services.errors import ServiceError
from services.passwords import PasswordHasher, check_password
from services.registration import ChildAnswer

_CODE_IN_SMS = re.compile(r"code d'activation est ([A-Z]{6})")
# Text a terminal, a paste or a broken client could deliver, hostile characters included.
_NASTY = ["\x1b", "\x9b", "\x00", "\u202e", "\u200b", "\ufeff", "\ue000", "\ud800", "\udfff"]
_TEXT = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=()), st.sampled_from(_NASTY)),
    max_size=40,
)
_NOMS = st.one_of(_TEXT, st.sampled_from(["Martin", "martin", "MARTÍN", "Bernard", "N'Diaye"]))
_PRENOMS = st.one_of(_TEXT, st.sampled_from(["Sophie", "SOPHIE", "Thomas", "Aminata"]))
_PORTABLES = st.one_of(
    _TEXT,
    st.from_regex(r"(\+33|0033|0)?[1-9]( ?[0-9]{2}){4}", fullmatch=True),
    st.sampled_from(["06 12 34 56 78", "+33612345678", "06 23 45 67 89", "0692 12 34 56"]),
)
_DATES = st.one_of(
    _TEXT,
    st.from_regex(r"[0-9]{1,2}[/.\- ]?[0-9]{1,2}[/.\- ]?[0-9]{4}", fullmatch=True),
    st.sampled_from(["14/03/2012", "05/09/2008", "14032012", "31/02/2012", "00/00/0000"]),
)
_ANSWERS = st.lists(
    st.builds(
        ChildAnswer,
        pupil_id=st.one_of(st.sampled_from(["E001", "E002", "E003"]), _TEXT),
        is_guardian=st.booleans(),
        birth_date=_DATES,
    ),
    max_size=4,
)
_STORE_TOUCHING = hypothesis_settings(
    max_examples=40,
    deadline=None,
    # Each backend of ``services`` runs the test on its own instance of the class; the examples
    # use no state of the instance.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors],
)


def _fresh_code_sent(services: Services, clock: ManualClock) -> tuple[str, str]:
    """A new registration of Sophie Martin with its code sent; time moves past the sending
    limits first so that every example gets one."""
    clock.advance(timedelta(minutes=31))
    started = services.registration.start("Martin", "Sophie", "06 12 34 56 78")
    services.registration.send_code(started.token)
    match = _CODE_IN_SMS.search(services.outbox.messages(to=started.phone)[-1].text)
    assert match
    return started.token, match.group(1)


class TestStart:
    @_STORE_TOUCHING
    @given(nom=_NOMS, prenom=_PRENOMS, portable=_PORTABLES)
    @example(nom="Martin", prenom="Sophie", portable="06 12 34 56 78\ud800")
    @example(nom="Martin\ud800", prenom="Sophie", portable="06 12 34 56 78")
    def test_any_identity(
        self, demo_services: Services, nom: str, prenom: str, portable: str
    ) -> None:
        """Any nom, prénom and mobile: a registration token or a ``ServiceError``."""
        try:
            started = demo_services.registration.start(nom, prenom, portable)
        except ServiceError as refusal:
            assert refusal.message
            return
        assert started.token


class TestVerifyCode:
    @_STORE_TOUCHING
    @given(typed=st.one_of(_TEXT, st.from_regex(r"[A-Za-z ]{1,12}", fullmatch=True)))
    @example(typed="\ud800")
    @example(typed="ǅǅǅǅǅǅ")
    def test_any_code(self, demo_services: Services, clock: ManualClock, typed: str) -> None:
        """Any text typed as the code: accepted or a ``ServiceError``."""
        token, _ = _fresh_code_sent(demo_services, clock)
        try:
            demo_services.registration.verify_code(token, typed)
        except ServiceError as refusal:
            assert refusal.message

    @_STORE_TOUCHING
    @given(token=_TEXT, typed=_TEXT)
    @example(token="\ud800", typed="ABCDEF")
    def test_any_token(self, demo_services: Services, token: str, typed: str) -> None:
        """A forged or mangled token is refused as a ``ServiceError`` at every step."""
        registration = demo_services.registration
        for call in (
            lambda: registration.send_code(token),
            lambda: registration.verify_code(token, typed),
            lambda: registration.children(token),
            lambda: registration.password_context(token),
        ):
            try:
                call()
            except ServiceError as refusal:
                assert refusal.message


class TestConfirmChildren:
    @_STORE_TOUCHING
    @given(answers=_ANSWERS)
    def test_any_answers(
        self, demo_services: Services, clock: ManualClock, answers: list[ChildAnswer]
    ) -> None:
        """Any set of answers (unknown pupils, hostile dates, duplicates, none at all):
        confirmed or a ``ServiceError``."""
        token, code = _fresh_code_sent(demo_services, clock)
        demo_services.registration.verify_code(token, code)
        try:
            demo_services.registration.confirm_children(token, answers)
        except ServiceError as refusal:
            assert refusal.message


class TestPasswords:
    @hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(password=_TEXT, nom=_TEXT, prenom=_TEXT)
    def test_checklist_never_fails(
        self, settings: Settings, password: str, nom: str, prenom: str
    ) -> None:
        """The live checklist judges any text without raising, always with every rule."""
        assert len(check_password(password, settings, nom=nom, prenom=prenom)) == 7

    @_STORE_TOUCHING
    @given(password=_TEXT)
    @example(password="Abcdefg1\ud800")
    def test_hasher_answers_any_password(self, settings: Settings, password: str) -> None:
        """Hashing any password either works or is a ``ServiceError``; verifying any
        password against a real hash answers True or False."""
        hasher = PasswordHasher(settings.hashing)
        stored = hasher.hash("Cerf-volant-2026!")
        assert hasher.verify_and_update(password, stored)[0] is (password == "Cerf-volant-2026!")
        try:
            own = hasher.hash(password)
        except ServiceError as refusal:
            assert refusal.message
            return
        assert hasher.verify_and_update(password, own) == (True, None)
