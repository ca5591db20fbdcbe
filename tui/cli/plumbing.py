"""What every ``educonnect`` command shares: French help, the ``--db`` and ``-h`` options,
refusals as one sentence and exit code 2, and opening the data file.

Click reads help texts, metavars and headings itself when it writes the help, so the commands
pass them through ``_()`` where they define them, once at import: the default language is fixed
for the whole process, so that is the text a later ``_()`` would give.

Refusals are handled in one place, ``MainGroup.invoke``: every command runs inside it, so a
``StoreError``, ``ServiceError`` or ``OSError`` from any of them (the ``admin`` ones included)
ends as one French line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from services import ServiceError, Services
from services.i18n import N_, _
from store import StoreError, os_error_reason, resolve_db_path
from store.paths import database_url
from tui import loading
from tui.cli.click_french import speak_french_to_click
from tui.language import available_languages

if TYPE_CHECKING:
    from services.school import SchoolDetails

__all__ = [
    "MINUTES_AT_LEAST",
    "REFUSED",
    "SCHOOL_KEY",
    "Command",
    "Folder",
    "FrenchUsageError",
    "Group",
    "IntegerAtLeast",
    "MainGroup",
    "SchoolFile",
    "db_option",
    "group_school",
    "help_option",
    "language_option",
    "open_services",
    "refusal_sentence",
    "run_app",
    "school_option",
]

F = TypeVar("F", bound=Callable[..., object])

REFUSED = 2


class _FrenchHelpFormatter(click.HelpFormatter):
    """Click's headings, French already (``tui.cli.click_french``), with French typography."""

    def write_heading(self, heading: str) -> None:
        # Click writes « Options: »; French puts a space before the colon.
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class _Context(click.Context):
    formatter_class = _FrenchHelpFormatter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Every command runs in one of these: Click's own sentences (a wrong option, a missing
        # argument, the help's headings) are French before any is written.
        speak_french_to_click()
        super().__init__(*args, **kwargs)


class Command(click.Command):
    context_class = _Context


class Group(click.Group):
    context_class = _Context
    command_class = Command


class MainGroup(Group):
    """The ``educonnect`` group itself: its subcommands, and theirs, run inside its ``invoke``."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # Click's own handling: `educonnect sms | head` ends quietly when head has read enough.
            raise
        except (StoreError, ServiceError, OSError) as error:
            click.echo(refusal_sentence(error), err=True)
            raise click.exceptions.Exit(REFUSED) from None


def refusal_sentence(error: StoreError | ServiceError | OSError) -> str:
    """The French sentence for a refusal; an ``OSError`` names its file when it has one."""
    if not isinstance(error, OSError):
        return error.message
    reason = os_error_reason(error)
    if error.filename is None:
        return _("Une opération sur un fichier a échoué : %(reason)s.") % {"reason": reason}
    return _("Le fichier %(path)s ne peut pas être utilisé : %(reason)s.") % {
        "path": os.fsdecode(error.filename),
        "reason": reason,
    }


class FrenchUsageError(click.UsageError):
    """A wrong option said in French: the usage line, then the reason (Click's own « Error: »
    and « Invalid value for » are English)."""

    def show(self, file: IO[str] | None = None) -> None:
        if self.ctx is not None:
            click.echo(f"{self.ctx.get_usage()}\n", file=file, err=True)
        click.echo(_("Erreur : %(reason)s") % {"reason": self.message}, file=file, err=True)


def _option_name(param: click.Parameter | None) -> str:
    """How a refusal names what was refused: its option, or « la valeur » for a type
    converted outside one."""
    return " / ".join(param.opts) if param is not None else _("la valeur")


# What IntegerAtLeast says of a refused value (msgids, translated when it is refused).
_AT_LEAST = N_("%(option)s attend un nombre entier d'au moins %(minimum)d (reçu : « %(value)s »).")
_FROM_TO = N_(
    "%(option)s attend un nombre entier de %(minimum)d à %(maximum)d (reçu : « %(value)s »)."
)
MINUTES_AT_LEAST = N_(
    "%(option)s attend un nombre entier de minutes d'au moins %(minimum)d (reçu : « %(value)s »)."
)


class IntegerAtLeast(click.ParamType[int, object]):
    """A whole number from ``minimum`` (to ``maximum``), refused in French with exit code 2.

    ``click.IntRange`` checks the same, but in English; and without it an out-of-range port
    reached the server as an ``OverflowError`` traceback. ``refusal`` is the whole sentence
    said of a refused value (``%(option)s``, ``%(minimum)d``, ``%(maximum)d``,
    ``%(value)s``): by default one of the two below.
    """

    name = _("nombre")

    def __init__(
        self, minimum: int, maximum: int | None = None, refusal: str | None = None
    ) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.refusal = refusal or (_AT_LEAST if maximum is None else _FROM_TO)

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
        sentence = _(self.refusal) % {
            "option": _option_name(param),
            "minimum": self.minimum,
            "maximum": self.maximum,
            "value": value,
        }
        raise FrenchUsageError(sentence, ctx)


class Folder(click.ParamType[Path, object]):
    """A folder to write into, created later if missing: what exists there must be a folder.
    (``click.Path(file_okay=False)`` checks the same, in English.)"""

    name = _("dossier")

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Path:
        path = value if isinstance(value, Path) else Path(str(value))
        if path.exists() and not path.is_dir():
            sentence = _("%(option)s attend un dossier ; « %(path)s » n'en est pas un.")
            raise FrenchUsageError(sentence % {"option": _option_name(param), "path": path}, ctx)
        return path


def db_option(function: F) -> F:
    # Accepted before and after the subcommand: `educonnect --db X sms` and `educonnect sms --db X`.
    return click.option(
        "--db",
        "db",
        metavar=_("FICHIER"),
        default=None,
        help=_(
            "Fichier de données à utiliser, ou base PostgreSQL (postgresql://…) ; sinon la "
            "variable EDUCONNECT_DB, sinon le dossier de données de l'utilisateur."
        ),
    )(function)


def language_option(function: F) -> F:
    """``--langue CODE``: the French screens with a translation under each text (issue 17);
    ``fr``: French only, with the language key and the entry screen's choice."""
    return click.option(
        "--langue",
        "language",
        type=click.Choice(["fr", *available_languages()]),
        default=None,
        help=_(
            "Afficher sous chaque texte français sa traduction (en : anglais…) ; « fr » : "
            "français seul, avec la touche F4 et le choix de la langue au premier écran. "
            "L'arabe (ar) s'affiche à l'envers dans la plupart des terminaux, à l'endroit dans "
            "le navigateur (serve web)."
        ),
    )(function)


class SchoolFile(click.ParamType["SchoolDetails", object]):
    """The school's TOML file (``services.school``), read and checked when the option is
    parsed: a damaged file stops the command before any credential is issued."""

    name = _("fichier")

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> SchoolDetails:
        # Imported here: pydantic is not loaded by commands that print no notice.
        from services.school import SchoolDetails, SchoolFileRefused, load_school_details

        if isinstance(value, SchoolDetails):
            return value
        try:
            return load_school_details(Path(str(value)))
        except SchoolFileRefused as error:
            raise FrenchUsageError(str(error), ctx) from error


def school_option(function: F) -> F:
    # Accepted on `educonnect admin` (for the app and every subcommand) and on the commands
    # that print notices; the latter's wins.
    return click.option(
        "--etablissement",
        "school",
        metavar=_("FICHIER"),
        type=SchoolFile(),
        default=None,
        help=_(
            "Fichier TOML de l'établissement : nom, ligne de contact du secrétariat, adresse de "
            "l'ENT et académie, imprimés sur les avis des élèves."
        ),
    )(function)


def group_school(school: SchoolDetails | None) -> SchoolDetails | None:
    """``school``, or the one given to the enclosing ``educonnect admin``."""
    if school is not None:
        return school
    found: SchoolDetails | None = click.get_current_context().meta.get(SCHOOL_KEY)
    return found


# Where `educonnect admin --etablissement` leaves the file for its subcommands.
SCHOOL_KEY = "educonnect.school"


def help_option(function: F) -> F:
    return click.help_option("-h", "--help", help=_("Afficher cette aide et quitter."))(function)


def open_services(db: str | None, *, deliver_in_background: bool = False) -> Services:
    url = database_url(db)
    if url:
        return loading.open_database(url, deliver_in_background=deliver_in_background)
    return loading.open_services(resolve_db_path(db), deliver_in_background=deliver_in_background)


def run_app(services: Services, language: str | None = None) -> None:
    # Textual is imported only when a screen is really needed: import, sms and demo --no-app
    # stay quick on a slow machine.
    from tui.app import make_app

    log_to_user_file()
    make_app(services, language).run()


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
