"""« S'identifier avec FranceConnect », SIMULATED: no data is exchanged with FranceConnect.

The identity providers are a fixed list of demo identities (``DEMO_IDENTITIES``, listed in the
README). What ÉduConnect does with the identity they return is real:

- ``authenticate`` plays the provider: the demo identifiant and password give an ``FcIdentity``
  (nom de naissance, prénoms, date de naissance) and its ``sub``, a keyed hash of that identity,
  so the same person gets the same ``sub`` whichever provider they choose, as with FranceConnect.
- ``begin`` looks for an account already linked to this ``sub``: then the person goes straight
  to the services (a ``LoginSession``). Otherwise it is a first use, if the school knows a
  guardian by that name.
- First use: the mobile (``send_code``), the SMS code and the children's dates of birth (the
  registration's own ``verify_code``, ``children`` and ``confirm_children`` on the returned token,
  with all their rules), then ``complete`` links the account to the ``sub`` and opens a session.
  A new account is active without any ÉduConnect password; an existing one keeps its password.

Matching: the school records no date of birth for guardians, so a guardian matches when their
nom equals the nom de naissance and their prénom equals the first prénom (or the first few
prénoms, for a school that recorded « Jean Michel »), both compared as ``normalize_name`` does.
Homonyms are expected: the mobile typed at the first use decides between them, exactly as at
step 3 of the registration. Unknown identities get the registration's neutral ``NoMatch``.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from datetime import date, datetime

from services.audit import record_event
from services.clock import Clock
from services.codes import token_digest
from services.errors import (
    ErrorCode,
    FranceConnectRefused,
    InvalidInput,
    NoMatch,
    RegistrationEnded,
)
from services.i18n import N_, _, ngettext
from services.login import LoginSession, open_session, person_of
from services.names import normalize_name
from services.phones import parse_mobile
from services.registration import RegistrationService, children_to_confirm
from services.settings import Settings
from store import Records, StoreBackend, TransactionView
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    Guardian,
    Registration,
    RegistrationStage,
)

__all__ = [
    "DEMO_IDENTITIES",
    "DEMO_PASSWORD",
    "PROVIDERS",
    "SIMULATION_LABEL",
    "DemoIdentity",
    "FcCodeSent",
    "FcIdentity",
    "FcStart",
    "FranceConnectService",
    "identities_of",
]

# Msgids (this label and the identities' notes): translated where they are shown.
SIMULATION_LABEL = N_("Simulation — aucune donnée n'est échangée avec FranceConnect")

# (key, name shown), in FranceConnect's own order.
PROVIDERS = (
    ("impots", "impots.gouv.fr"),
    ("ameli", "ameli.fr"),
    ("laposte", "L'Identité Numérique La Poste"),
    ("msa", "MSA"),
    ("yris", "Yris"),
    ("franceidentite", "France Identité"),
)
_PROVIDER_NAMES = dict(PROVIDERS)

DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class DemoIdentity:
    """One account at a simulated identity provider, and the identity it hands over."""

    provider: str
    login: str
    nom_naissance: str
    prenoms: str
    naissance: date
    note: str
    password: str = DEMO_PASSWORD


_SOPHIE = ("MARTIN", "Sophie Anne", date(1979, 4, 12))

DEMO_IDENTITIES = (
    DemoIdentity("impots", "sophie.martin", *_SOPHIE, N_("R001 Sophie Martin, deux enfants")),
    DemoIdentity(
        "impots",
        "claire.moreau",
        "MOREAU",
        "Claire Hélène",
        date(1976, 11, 3),
        N_("R010 Claire Moreau, compte déjà actif (c.moreau1)"),
    ),
    DemoIdentity("ameli", "sophie.martin", *_SOPHIE, N_("la même Sophie Martin qu'impots.gouv.fr")),
    DemoIdentity(
        "ameli",
        "thomas.bernard",
        "BERNARD",
        "Thomas Pierre",
        date(1981, 6, 21),
        N_("R002 Thomas Bernard, un seul enfant"),
    ),
    DemoIdentity(
        "laposte",
        "jean.dupont",
        "DUPONT",
        "Jean Louis",
        date(1975, 2, 8),
        N_("homonymes R008 / R009 : le portable choisit"),
    ),
    DemoIdentity(
        "msa",
        "marie-claude.payet",
        "PAYET",
        "Marie-Claude Josette",
        date(1980, 9, 30),
        N_("R005 Marie-Claude Payet, portable de La Réunion"),
    ),
    DemoIdentity(
        "msa",
        "pedro.garcia",
        "GARCIA",
        "Pedro",
        date(1978, 1, 15),
        N_("R012 Pedro Garcia, aucun portable connu : refusé"),
    ),
    DemoIdentity(
        "yris",
        "camille.durand",
        "DURAND",
        "Camille",
        date(1990, 5, 5),
        N_("inconnue de l'établissement : refusée"),
    ),
    DemoIdentity(
        "franceidentite",
        "aminata.ndiaye",
        "N'DIAYE",
        "Aminata Fatou",
        date(1983, 12, 1),
        N_("R007 Aminata N'Diaye, deux enfants"),
    ),
)


def identities_of(provider: str) -> tuple[DemoIdentity, ...]:
    """The demo identities a provider knows, for the hint on its login screen."""
    return tuple(identity for identity in DEMO_IDENTITIES if identity.provider == provider)


@dataclass(frozen=True)
class FcIdentity:
    """What FranceConnect hands to ÉduConnect. ``sub`` identifies the person, not the account at
    the provider: it is the same through every provider."""

    provider: str
    provider_name: str
    nom_naissance: str
    prenoms: str
    naissance: date
    sub: str


@dataclass(frozen=True)
class FcStart:
    """``session`` when the identity is already linked to an account; ``None``: first use."""

    session: LoginSession | None

    @property
    def first_use(self) -> bool:
        return self.session is None


@dataclass(frozen=True)
class FcCodeSent:
    """A first use under way: the registration token for the code and children steps."""

    token: str
    phone: str
    phone_display: str


class FranceConnectService:
    def __init__(
        self,
        store: StoreBackend,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        registration: RegistrationService,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._rng = rng
        self._registration = registration

    # -- the simulated identity provider ------------------------------------------------------

    def authenticate(self, provider: str, login: str, password: str) -> FcIdentity:
        """The provider's login page: ``FranceConnectRefused`` for any wrong pair."""
        if provider not in _PROVIDER_NAMES:
            raise InvalidInput(ErrorCode.PROVIDER_MISSING)
        wanted = login.strip().casefold()
        for demo in identities_of(provider):
            if demo.login == wanted and hmac.compare_digest(
                demo.password.encode(), password.encode()
            ):
                return FcIdentity(
                    provider=provider,
                    provider_name=_PROVIDER_NAMES[provider],
                    nom_naissance=demo.nom_naissance,
                    prenoms=demo.prenoms,
                    naissance=demo.naissance,
                    sub=self._sub(demo.nom_naissance, demo.prenoms, demo.naissance),
                )
        raise FranceConnectRefused()

    def _sub(self, nom: str, prenoms: str, naissance: date) -> str:
        pivot = f"{normalize_name(nom)}|{normalize_name(prenoms)}|{naissance.isoformat()}"
        return hmac.new(
            self._store.secret_key(), b"franceconnect:" + pivot.encode(), hashlib.sha256
        ).hexdigest()

    # -- ÉduConnect receives the identity --------------------------------------------------------

    def begin(self, identity: FcIdentity) -> FcStart:
        """Straight to the services if this identity is linked; else check that a first use can
        succeed (a guardian of that name with a mobile and a child), or ``NoMatch``."""
        refused = False
        session: LoginSession | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            account = records.accounts.get(franceconnect_sub=identity.sub)
            person = None if account is None else person_of(records, account)
            if account is not None and account.status is AccountStatus.ACTIVE and person:
                account = account.model_copy(update={"last_login_at": now})
                records.accounts.put(account)
                record_event(
                    tx,
                    self._clock,
                    "franceconnect_login",
                    identifiant=account.identifiant,
                    guardian_id=account.owner_id,
                    detail=_("via %(provider)s") % {"provider": identity.provider_name},
                )
                session = open_session(records, account, person[0], person[1], now)
            else:
                usable = [
                    guardian
                    for guardian in _named_like(records, identity)
                    if guardian.portable and children_to_confirm(records, guardian.id)
                ]
                if usable:
                    record_event(
                        tx,
                        self._clock,
                        "franceconnect_first_use",
                        detail=ngettext(
                            "%(count)d responsable de ce nom, via %(provider)s",
                            "%(count)d responsables de ce nom, via %(provider)s",
                            len(usable),
                        )
                        % {"count": len(usable), "provider": identity.provider_name},
                    )
                else:
                    refused = True
                    record_event(
                        tx,
                        self._clock,
                        "franceconnect_refused",
                        detail=_why_unusable(records, identity),
                    )
        if refused:
            raise NoMatch()
        return FcStart(session)

    # -- first use -------------------------------------------------------------------------------

    def send_code(self, identity: FcIdentity, portable: str) -> FcCodeSent:
        """The mobile typed at the first use picks the guardian; the activation code goes to it
        (the registration's sending limits apply). ``NoMatch`` whatever the reason it does not
        fit, and then no SMS is sent."""
        phone = parse_mobile(portable)
        token = "".join(self._rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
        refused = False
        with self._store.transaction() as tx:
            records = Records(tx)
            guardian, reason = _match(records, identity, phone)
            if guardian is None:
                refused = True
                record_event(tx, self._clock, "franceconnect_refused", detail=reason)
            else:
                now = self._clock.now()
                records.registrations.put(
                    Registration(
                        token_hash=token_digest(token),
                        guardian_id=guardian.id,
                        phone=phone,
                        created_at=now,
                        expires_at=now + self._settings.registration_ttl,
                        franceconnect_sub=identity.sub,
                    )
                )
                record_event(
                    tx,
                    self._clock,
                    "franceconnect_started",
                    guardian_id=guardian.id,
                    detail=_("via %(provider)s") % {"provider": identity.provider_name},
                )
        if refused:
            raise NoMatch()
        sent = self._registration.send_code(token)
        return FcCodeSent(token, phone, sent.phone_display)

    def complete(self, token: str) -> LoginSession:
        """After ``confirm_children``: link the account to the identity and open a session.

        A pending account becomes active without a password; an active one keeps its own."""
        ended: RegistrationEnded | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            now = self._clock.now()
            registration = records.registrations.get(token_hash=token_digest(token))
            if (
                registration is None
                or registration.franceconnect_sub is None
                or registration.stage is not RegistrationStage.CHILDREN_CONFIRMED
                or now > registration.expires_at
            ):
                raise RegistrationEnded()
            sub = registration.franceconnect_sub
            account = records.accounts.get(
                kind=AccountKind.GUARDIAN.value, owner_id=registration.guardian_id
            )
            holder = records.accounts.get(franceconnect_sub=sub)
            person = None if account is None else person_of(records, account)
            if account is None or person is None:
                raise RegistrationEnded()
            if (holder is not None and holder.identifiant != account.identifiant) or (
                account.franceconnect_sub not in (None, sub)
            ):
                # Another first use, for a homonym or with another identity, finished first.
                ended = RegistrationEnded(ErrorCode.ALREADY_LINKED)
                record_event(
                    tx,
                    self._clock,
                    "franceconnect_refused",
                    guardian_id=registration.guardian_id,
                    detail=_("identité ou compte déjà associé entre-temps"),
                )
                records.registrations.put(
                    registration.model_copy(update={"stage": RegistrationStage.ABANDONED})
                )
            else:
                account = self._link(records, tx, account, sub, now)
                records.registrations.put(
                    registration.model_copy(update={"stage": RegistrationStage.DONE})
                )
                session = open_session(records, account, person[0], person[1], now)
        if ended is not None:
            raise ended
        return session

    def _link(
        self, records: Records, tx: TransactionView, account: Account, sub: str, now: datetime
    ) -> Account:
        update: dict[str, object] = {"franceconnect_sub": sub, "last_login_at": now}
        if account.status is not AccountStatus.ACTIVE:
            update.update(status=AccountStatus.ACTIVE, activated_at=now)
            record_event(
                tx,
                self._clock,
                "account_activated",
                guardian_id=account.owner_id,
                identifiant=account.identifiant,
                detail=_("par FranceConnect, sans mot de passe ÉduConnect"),
            )
        account = account.model_copy(update=update)
        records.accounts.put(account)
        record_event(
            tx,
            self._clock,
            "franceconnect_linked",
            guardian_id=account.owner_id,
            identifiant=account.identifiant,
        )
        return account


def _prenom_keys(prenoms: str) -> set[str]:
    """« Jean Louis Marie » → the keys of « Jean », « Jean Louis » and « Jean Louis Marie »."""
    words = prenoms.split()
    return {normalize_name(" ".join(words[: count + 1])) for count in range(len(words))}


def _named_like(records: Records, identity: FcIdentity) -> list[Guardian]:
    nom = normalize_name(identity.nom_naissance)
    prenoms = _prenom_keys(identity.prenoms)
    return [
        guardian
        for guardian in records.guardians.all()
        if normalize_name(guardian.nom) == nom and normalize_name(guardian.prenom) in prenoms
    ]


def _why_unusable(records: Records, identity: FcIdentity) -> str:
    """For the audit log only: the person sees ``NoMatch`` whatever the reason."""
    named = _named_like(records, identity)
    if not named:
        return _("identité inconnue de l'établissement")
    if not any(guardian.portable for guardian in named):
        return _("aucun portable connu pour ce responsable")
    return _("responsable sans élève rattaché")


def _match(records: Records, identity: FcIdentity, phone: str) -> tuple[Guardian | None, str]:
    """The guardian of this name with this mobile, or why not (for the audit log only)."""
    matches = [g for g in _named_like(records, identity) if g.portable == phone]
    if len(matches) > 1:
        return None, _("plusieurs responsables avec ce nom, ce prénom et ce portable")
    if not matches:
        return None, _("portable différent de celui connu de l'établissement")
    guardian = matches[0]
    if not children_to_confirm(records, guardian.id):
        return None, _("responsable %(guardian)s sans élève rattaché") % {"guardian": guardian.id}
    account = records.accounts.get(kind=AccountKind.GUARDIAN.value, owner_id=guardian.id)
    if account is not None and account.franceconnect_sub not in (None, identity.sub):
        reason = _("compte %(identifiant)s déjà associé à une autre identité")
        return None, reason % {"identifiant": account.identifiant}
    return guardian, ""
