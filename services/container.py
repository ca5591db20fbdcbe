"""One place that wires the services together, for the CLI, the app and the tests."""

from __future__ import annotations

import random
from dataclasses import dataclass

from services.account import AccountService
from services.admin import AdminService, current_operator
from services.clock import Clock, SystemClock
from services.delivery import BackgroundDelivery
from services.email import EmailGateway, OutboxEmailGateway
from services.franceconnect import FranceConnectService
from services.login import LoginService
from services.messaging import OutboxReader, OutboxSmsGateway, SmsGateway
from services.passwords import PasswordHasher
from services.pupils import PupilActivationService
from services.recovery import RecoveryService
from services.registration import RegistrationService
from services.settings import Settings
from store import Store, StoreBackend
from store.retry import retried

__all__ = ["Services", "build_services", "open_store"]


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: StoreBackend
    clock: Clock
    registration: RegistrationService
    login: LoginService
    recovery: RecoveryService
    account: AccountService
    outbox: OutboxReader
    pupils: PupilActivationService
    admin: AdminService
    franceconnect: FranceConnectService
    # Set when the neutral answers' messages are sent by a delivery thread.
    delivery: BackgroundDelivery | None = None


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    sms: SmsGateway | None = None,
    email: EmailGateway | None = None,
    deliver_in_background: bool = False,
) -> Services:
    """Open (or create) the store and build every service on it.

    ``deliver_in_background``: the messages of the answers that must not tell a real person
    from an unknown one (« Identifiant oublié », « Mot de passe oublié ») are sent by a
    delivery thread, so that those answers never wait for a sending (``services.delivery``);
    the app and the servers ask for it. Other steps send at once: their person is known, and
    is told when a message could not be sent.
    Raises ``store.StoreError`` when the data file (or database) must be refused.
    """
    store = open_store(settings)
    clock = clock or SystemClock()
    rng = rng or random.SystemRandom()
    sms = sms or OutboxSmsGateway(store.outbox, clock)
    email = email or OutboxEmailGateway(store.outbox, clock)
    delivery = None
    neutral_sms, neutral_email = sms, email
    if deliver_in_background:
        delivery = BackgroundDelivery(sms, email, store.audit_log, clock)
        neutral_sms, neutral_email = delivery.sms, delivery.email
    hasher = PasswordHasher(settings.hashing)
    login = LoginService(store, settings, clock, hasher)
    registration = RegistrationService(store, settings, clock, rng, sms, hasher)
    services = Services(
        settings=settings,
        store=store,
        clock=clock,
        registration=registration,
        login=login,
        recovery=RecoveryService(store, settings, clock, rng, neutral_sms, neutral_email, hasher),
        account=AccountService(store, settings, clock, rng, sms, email, hasher),
        outbox=OutboxReader(store.outbox),
        pupils=PupilActivationService(store, settings, clock, rng, hasher, login),
        admin=AdminService(store, settings, clock, rng, hasher, current_operator()),
        franceconnect=FranceConnectService(store, settings, clock, rng, registration),
        delivery=delivery,
    )
    if settings.db_url is not None:
        # Two machines' transactions may meet in the database: the operation that lost runs
        # again. The file's lock never lets two meet, so its services stay unwrapped.
        for service in (
            services.registration,
            services.login,
            services.recovery,
            services.account,
            services.pupils,
            services.admin,
            services.franceconnect,
        ):
            retried(service)
    return services


def open_store(settings: Settings) -> StoreBackend:
    """The one place that picks the backend: PostgreSQL when a URL is set, else the file."""
    if settings.db_url is not None:
        # Imported here: psycopg is loaded only by those who use a database.
        from store.postgres.store import PostgresStore

        return PostgresStore(settings.db_url).open()
    return Store(settings.db_path).open()
