"""Every screen and dialog of the families' app, each reached the way a person reaches it:
the walks the keyboard and layout tests go through one by one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from services.demo import DEMO_ACTIVE_IDENTIFIANT
from tests.tui.pilot import (
    PASSWORD,
    answer_no,
    choose_password,
    enter_code,
    fill,
    identify,
    logged_in,
    open_activation,
    open_franceconnect,
    open_login,
    press,
    remind_identifiant,
    request_reset,
    settle,
    to_account,
    to_authentication,
    to_children,
    to_children_step,
    to_code,
    to_code_step,
    to_email_step,
    to_existing_account,
    to_identity,
    to_identity_check,
    to_mobile,
    to_password_step,
    to_password_step_martin,
)
from tui.screens import SmsConfirmationScreen

Walk = Callable[[Pilot[Any]], Awaitable[None]]


async def stay(pilot: Pilot[Any]) -> None:
    """The first screen, as the app opens."""


async def to_ent_profile(pilot: Pilot[Any]) -> None:
    await press(pilot, "#connect")


async def to_educonnect_profile(pilot: Pilot[Any]) -> None:
    await press(pilot, "#connect")
    await press(pilot, "#validate")


async def to_sms_confirmation(pilot: Pilot[Any]) -> None:
    await open_activation(pilot)
    await identify(pilot, "Martin", "Sophie", "0612345678")
    assert isinstance(pilot.app.screen, SmsConfirmationScreen)


async def to_forgotten_identifiant(pilot: Pilot[Any]) -> None:
    await open_login(pilot)
    await press(pilot, "#forgot-identifiant")


async def to_identifiant_sent(pilot: Pilot[Any]) -> None:
    await open_login(pilot)
    await remind_identifiant(pilot, "Moreau", "Claire", "06 45 12 34 56", by_email=True)


async def to_forgotten_password(pilot: Pilot[Any]) -> None:
    await open_login(pilot)
    await press(pilot, "#forgot-password")


async def to_reset_code(pilot: Pilot[Any]) -> None:
    await open_login(pilot)
    await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT)


async def to_reset_limited(pilot: Pilot[Any]) -> None:
    """A second request within the minute: refused with a time, « J'ai reçu un code »."""
    await to_reset_code(pilot)
    await pilot.press("escape")
    await settle(pilot)
    await press(pilot, "#send")


async def to_guide(pilot: Pilot[Any]) -> None:
    await to_authentication(pilot)
    await pilot.press("f1")
    await settle(pilot)


async def to_abandon_dialog(pilot: Pilot[Any]) -> None:
    await to_children_step(pilot)
    await press(pilot, "#cancel")


async def to_code_step_with_the_phone(pilot: Pilot[Any]) -> None:
    await to_code_step(pilot)
    await pilot.press("f2")
    await settle(pilot)


async def to_franceconnect_notice(pilot: Pilot[Any]) -> None:
    await open_login(pilot)
    await press(pilot, "#what-franceconnect")


async def to_pupil_identity_check(pilot: Pilot[Any]) -> None:
    await to_identity_check(pilot)


async def to_pupil_password(pilot: Pilot[Any]) -> None:
    await to_password_step(pilot)


async def to_pupil_email(pilot: Pilot[Any]) -> None:
    await to_email_step(pilot)


EVERY_SCREEN: dict[str, Walk] = {
    "1 accès": stay,
    "1.1 profil ENT": to_ent_profile,
    "1.2 profil ÉduConnect": to_educonnect_profile,
    "2 authentification": to_authentication,
    "3 activation": open_activation,
    "4 confirmation SMS": to_sms_confirmation,
    "5 code": to_code_step,
    "5 code, téléphone (F2)": to_code_step_with_the_phone,
    "6 enfants": to_children_step,
    "6 abandon": to_abandon_dialog,
    "7 mot de passe": to_password_step_martin,
    "5 compte déjà activé": to_existing_account,
    "mes services": logged_in,
    "mon compte": to_account,
    "identifiant oublié": to_forgotten_identifiant,
    "identifiant oublié : envoyé": to_identifiant_sent,
    "mot de passe oublié": to_forgotten_password,
    "mot de passe oublié : code": to_reset_code,
    "mot de passe oublié : limite": to_reset_limited,
    "élève : date de naissance": to_pupil_identity_check,
    "élève : mot de passe": to_pupil_password,
    "élève : e-mail": to_pupil_email,
    "FranceConnect : fournisseur": open_franceconnect,
    "FranceConnect : identité": to_identity,
    "FranceConnect : portable": to_mobile,
    "FranceConnect : code": to_code,
    "FranceConnect : enfants": to_children,
    "FranceConnect : notice": to_franceconnect_notice,
    "guide (F1)": to_guide,
}


async def step_3_refused(pilot: Pilot[Any]) -> None:
    """Step 3 sent empty: a refusal under each field."""
    await open_activation(pilot)
    await press(pilot, "#next")


async def step_5_wrong_code(pilot: Pilot[Any]) -> None:
    await to_code_step(pilot)
    await enter_code(pilot, "ZZZZZZ")


async def step_3_number_help(pilot: Pilot[Any]) -> None:
    """Step 3 refused for an unknown mobile, then the help under the refusal."""
    await open_activation(pilot)
    await identify(pilot, "Garcia", "Pedro", "06 99 99 99 99")
    await press(pilot, "#number-help")


async def step_8_after_non(pilot: Pilot[Any]) -> None:
    """R001 answers « Non » for Emma: the last screen names her and says what follows."""
    await to_children_step(pilot)
    await answer_no(pilot, 0)
    fill(pilot, "naissance-1", "14/03/2012")
    await press(pilot, "#confirm")
    await choose_password(pilot, PASSWORD, PASSWORD)


async def step_6_wrong_dates(pilot: Pilot[Any]) -> None:
    await to_children_step(pilot)
    fill(pilot, "naissance-0", "01/01/2001")
    fill(pilot, "naissance-1", "01/01/2001")
    await press(pilot, "#confirm")


async def step_7_refused(pilot: Pilot[Any]) -> None:
    await to_password_step_martin(pilot)
    await choose_password(pilot, "court", "court")


async def step_8_activated(pilot: Pilot[Any]) -> None:
    await to_password_step_martin(pilot)
    await choose_password(pilot, PASSWORD, PASSWORD)


async def step_4_dialog(pilot: Pilot[Any]) -> None:
    """Step 4 after « Recevoir mon code SMS »: the « Confirmation par SMS » box."""
    await to_sms_confirmation(pilot)
    await press(pilot, "#receive")


async def back_to_step_3(pilot: Pilot[Any]) -> None:
    """Step 4, then « ← Modifier le numéro »: step 3 again, the mobile to correct."""
    await to_sms_confirmation(pilot)
    await press(pilot, "#change-number")


REGISTRATION_STATES: dict[str, Walk] = {
    "3 refusée": step_3_refused,
    "5 code erroné": step_5_wrong_code,
    "6 dates erronées": step_6_wrong_dates,
    "7 refusé": step_7_refused,
    "8 compte activé": step_8_activated,
    "4 confirmation par SMS": step_4_dialog,
    "3 de retour": back_to_step_3,
    "3 numéro inconnu : aide": step_3_number_help,
    "8 après « Non »": step_8_after_non,
}
"""The registration's error states and its last step, besides ``EVERY_SCREEN``."""
