"""What every ``educonnect`` command shares: French help, the ``--db`` and ``-h`` options,
refusals as one sentence and exit code 2, and opening the data file."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, ClassVar, TypeVar

import click

from services import ServiceError, Services
from store import StoreError, resolve_db_path
from store.paths import database_url
from tui import loading

__all__ = [
    "REFUSED",
    "Command",
    "FrenchUsageError",
    "Group",
    "IntegerAtLeast",
    "db_option",
    "help_option",
    "open_services",
    "refusals",
    "run_app",
]

F = TypeVar("F", bound=Callable[..., object])

REFUSED = 2

_DB_HELP = (
    "Fichier de données à utiliser, ou base PostgreSQL (postgresql://…) ; sinon la variable "
    "EDUCONNECT_DB, sinon le dossier de données de l'utilisateur."
)


class _FrenchHelpFormatter(click.HelpFormatter):
    """Click's own headings are English; the ones this command shows are put in French."""

    _HEADINGS: ClassVar[dict[str, str]] = {"Commands": "Commandes", "Arguments": "Arguments"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix or "Utilisation : ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(self._HEADINGS.get(heading, heading))


class _Context(click.Context):
    formatter_class = _FrenchHelpFormatter


class Command(click.Command):
    context_class = _Context


class Group(click.Group):
    context_class = _Context
    command_class = Command


class FrenchUsageError(click.UsageError):
    """A wrong option said in French: the usage line, then the reason (Click's own « Error: »
    and « Invalid value for » are English)."""

    def show(self, file: IO[str] | None = None) -> None:
        if self.ctx is not None:
            click.echo(f"{self.ctx.get_usage()}\n", file=file, err=True)
        click.echo(f"Erreur : {self.message}", file=file, err=True)


class IntegerAtLeast(click.ParamType[int, object]):
    """A whole number from ``minimum`` (to ``maximum``), refused in French with exit code 2.

    ``click.IntRange`` checks the same, but in English; and without it an out-of-range port
    reached the server as an ``OverflowError`` traceback.
    """

    name = "nombre"

    def __init__(
        self, minimum: int, maximum: int | None = None, what: str = "un nombre entier"
    ) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.what = what

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        within = self.maximum is None or (number is not None and number <= self.maximum)
        if number is not None and number >= self.minimum and within:
            return number
        bounds = (
            f"d'au moins {self.minimum}"
            if self.maximum is None
            else f"de {self.minimum} à {self.maximum}"
        )
        option = " / ".join(param.opts) if param is not None else "la valeur"
        raise FrenchUsageError(f"{option} attend {self.what} {bounds} (reçu : « {value} »).", ctx)


def db_option(function: F) -> F:
    # Accepted before and after the subcommand: `educonnect --db X sms` and `educonnect sms --db X`.
    return click.option("--db", "db", metavar="FICHIER", default=None, help=_DB_HELP)(function)


def help_option(function: F) -> F:
    return click.help_option("-h", "--help", help="Afficher cette aide et quitter.")(function)


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except (StoreError, ServiceError) as error:
        click.echo(error.message, err=True)
        raise click.exceptions.Exit(REFUSED) from None


def open_services(db: str | None) -> Services:
    with refusals():
        url = database_url(db)
        return loading.open_database(url) if url else loading.open_services(resolve_db_path(db))


def run_app(services: Services) -> None:
    # Textual is imported only when a screen is really needed: import, sms and demo --no-app
    # stay quick on a slow machine.
    from tui.app import make_app

    log_to_user_file()
    make_app(services).run()


def user_log_path() -> Path:
    """The person's own log file (XDG state directory), beside nobody else's."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "educonnect-tui" / "educonnect.log"


def log_to_user_file() -> None:
    """A local run's warnings and errors (an unexpected error's traceback: the screen only says
    that the app stopped) go to the person's log file, never to the terminal the app draws on.
    A log that cannot be opened is no reason to refuse the app."""
    path = user_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
