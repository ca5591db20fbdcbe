"""Click's own sentences in French: « Erreur : option inconnue », not « Error: No such option ».

Click writes its messages in English through ``gettext`` (each of its modules imports
``gettext.gettext`` as ``_``), and picks a language from the environment. The commands speak
French whatever the machine's locale, as the app does: ``speak_french_to_click`` gives those
modules this module's ``_`` and ``ngettext``, which turn each English sentence of Click that a
person can meet into its French entry of the catalog (an ``N_()`` msgid, so it is extracted and
translated like every other sentence). A sentence not listed stays as Click wrote it.
"""

from __future__ import annotations

from types import ModuleType

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

from services.i18n import N_, N_plural, _, ngettext

__all__ = ["CLICK_MODULES", "CLICK_PLURALS", "CLICK_SENTENCES", "speak_french_to_click"]

CLICK_SENTENCES: dict[str, str] = {
    "Error: {message}": N_("Erreur : {message}"),
    "Try '{command} {option}' for help.": N_("Pour l'aide : {command} {option}"),
    "Usage:": N_("Utilisation :"),
    "Options": N_("Options"),
    "Commands": N_("Commandes"),
    "Positional arguments": N_("Arguments"),
    "Aborted!": N_("Abandon."),
    "Invalid value: {message}": N_("Valeur refusée : {message}"),
    "Invalid value for {param_hint}: {message}": N_("Valeur refusée pour {param_hint} : {message}"),
    "Missing argument": N_("Argument manquant"),
    "Missing option": N_("Option manquante"),
    "Missing parameter": N_("Paramètre manquant"),
    "Missing parameter: {param_name}": N_("Paramètre manquant : {param_name}"),
    "Missing command.": N_("Commande manquante."),
    "No such option {name!r}.": N_("Option inconnue : {name}."),
    "No such command {name!r}.": N_("Commande inconnue : {name}."),
    "Option {name!r} does not take a value.": N_("L'option {name} ne prend pas de valeur."),
    "{value} is not in the range {range}.": N_("{value} n'est pas entre les bornes {range}."),
    "{value!r} is not a valid {number_type}.": N_("« {value} » n'est pas un nombre."),
    "file": N_("le fichier"),
    "directory": N_("le dossier"),
    "path": N_("le chemin"),
    "{name} {filename!r} does not exist.": N_("{name} « {filename} » n'existe pas."),
    "{name} {filename!r} is a file.": N_("{name} « {filename} » est un fichier."),
    "{name} {filename!r} is a directory.": N_("{name} « {filename} » est un dossier."),
    "{name} {filename!r} is not readable.": N_("{name} « {filename} » ne peut pas être lu."),
    "{name} {filename!r} is not writable.": N_("{name} « {filename} » ne peut pas être écrit."),
    "default: {default}": N_("par défaut : {default}"),
    "Repeat for confirmation": N_("Confirmez"),
    "Error: The two entered values do not match.": N_("Erreur : les deux saisies diffèrent."),
    "Error: invalid input": N_("Erreur : saisie refusée"),
}
"""Click's English sentence (its msgid) -> the catalog's French one. Click fills the
placeholders by name: a French sentence may drop a ``!r`` (« {name} » rather than 'name')."""

CLICK_PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): N_plural("Argument en trop : {args}", "Arguments en trop : {args}"),
    (
        "Option {name!r} requires an argument.",
        "Option {name!r} requires {nargs} arguments.",
    ): N_plural(
        "L'option {name} attend {nargs} valeur.", "L'option {name} attend {nargs} valeurs."
    ),
    (
        "{value!r} is not {choice}.",
        "{value!r} is not one of {choices}.",
    ): N_plural("« {value} » n'est pas {choices}.", "« {value} » n'est pas parmi {choices}."),
    (
        "Did you mean {possibility}?",
        "(Did you mean one of: {possibilities}?)",
    ): N_plural("Vouliez-vous dire {possibilities} ?", "(Vouliez-vous dire : {possibilities} ?)"),
}
"""Click's counted sentences (singular, plural) -> the catalog's French pair. Click gives both
forms all their values: both French forms use the plural's names (the catalog's rule)."""

CLICK_MODULES: tuple[ModuleType, ...] = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
    click.utils,
)
"""Click's modules that write to a person (each imports ``gettext`` as ``_``)."""


def _french(message: str) -> str:
    french = CLICK_SENTENCES.get(message)
    return _(french) if french is not None else message


def _french_counted(singular: str, plural: str, count: int) -> str:
    french = CLICK_PLURALS.get((singular, plural))
    if french is None:
        return singular if count == 1 else plural
    return ngettext(*french, count)


def speak_french_to_click() -> None:
    """From now on, Click's sentences listed here are said in French."""
    for module in CLICK_MODULES:
        if hasattr(module, "_"):
            module._ = _french  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _french_counted  # type: ignore[attr-defined]
