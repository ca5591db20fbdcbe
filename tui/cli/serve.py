"""``educonnect serve``: the families' app for people on SSH or in a browser (``tui/serve/``).

The servers are imported inside the commands: the other commands never pay for asyncssh or
textual-serve.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from services.i18n import _
from store.paths import ENV_VAR, database_url, resolve_db_path
from tui.cli.plumbing import (
    MINUTES_AT_LEAST,
    REFUSED,
    Group,
    IntegerAtLeast,
    db_option,
    help_option,
    language_option,
    open_services,
)
from tui.language import LANGUAGE_VARIABLE

if TYPE_CHECKING:
    from services import Settings

__all__ = ["serve_group"]

PORT_MAX = 65535
AT_LEAST_ONE = IntegerAtLeast(1)

sandbox_option = click.option(
    "--bac-a-sable",
    "sandbox",
    is_flag=True,
    help=_(
        "Chaque connexion reçoit sa propre copie, toute neuve, des familles de démonstration "
        "(supprimée à la fin de la session) : --db n'est alors jamais modifié."
    ),
)

preload_option = click.option(
    "--sans-prechargement",
    "no_preload",
    is_flag=True,
    help=_(
        "Lancer un nouvel interpréteur Python pour chaque session, au lieu de la copier d'un "
        "processus qui a déjà tout chargé (démarrage plus lent, plus de mémoire par session)."
    ),
)


@click.group(
    "serve",
    cls=Group,
    subcommand_metavar=_("COMMANDE [ARGUMENTS]..."),
    short_help=_("Servir l'application par SSH ou dans un navigateur."),
    help=_(
        "Sert l'application à distance : chaque session a son propre processus, sur le même "
        "fichier de données ou la même base PostgreSQL (que plusieurs serveurs, sur plusieurs "
        "machines, peuvent partager). Seule l'application des familles est servie, jamais les "
        "commandes d'administration."
    ),
)
@help_option
def serve_group() -> None:
    """A group: the servers are its subcommands."""


@serve_group.command(
    "ssh",
    short_help=_("Serveur SSH : une application par connexion."),
    help=_("Serveur SSH : chaque connexion reçoit sa propre application sur un pseudo-terminal."),
)
@click.option("--host", default="127.0.0.1", show_default=True, help=_("Adresse d'écoute."))
@click.option(
    "--port",
    type=IntegerAtLeast(0, PORT_MAX),
    default=2222,
    show_default=True,
    help=_("Port d'écoute (0 : au hasard)."),
)
@click.option(
    "--open",
    "open_mode",
    is_flag=True,
    help=_("Accepter le mode ouvert (sans mot de passe) sur une adresse autre que locale."),
)
@click.option(
    "--authorized-keys",
    metavar=_("FICHIER"),
    type=click.Path(path_type=Path),
    default=None,
    help=_(
        "Clés publiques autorisées (format authorized_keys d'OpenSSH) ; l'utilisateur est le "
        "commentaire de la clé, jusqu'au premier @."
    ),
)
@click.option(
    "--user",
    metavar=_("NOM"),
    default=None,
    help=_("Nom d'utilisateur unique pour toutes les clés."),
)
@click.option(
    "--host-key",
    metavar=_("FICHIER"),
    type=click.Path(path_type=Path),
    default=None,
    help=_(
        "Clé d'hôte (créée si absente) ; par défaut à côté du fichier de données, ou dans le "
        "dossier de données de l'utilisateur sur une base. Plusieurs machines derrière une même "
        "adresse doivent avoir la même."
    ),
)
@click.option(
    "--max-sessions",
    type=AT_LEAST_ONE,
    default=50,
    show_default=True,
    help=_("Sessions simultanées."),
)
@click.option(
    "--idle-timeout",
    # In minutes: 0 would close every session as soon as it opened.
    type=IntegerAtLeast(1, refusal=MINUTES_AT_LEAST),
    metavar=_("MINUTES"),
    default=15,
    show_default=True,
    help=_("Minutes d'inactivité avant déconnexion."),
)
@click.option(
    "--rate-limit",
    type=AT_LEAST_ONE,
    default=10,
    show_default=True,
    help=_("Connexions par minute et par adresse."),
)
@sandbox_option
@preload_option
@db_option
@language_option
@help_option
@click.pass_obj
def serve_ssh_command(
    group_db: str | None,
    host: str,
    port: int,
    open_mode: bool,
    authorized_keys: Path | None,
    user: str | None,
    host_key: Path | None,
    max_sessions: int,
    idle_timeout: int,
    rate_limit: int,
    sandbox: bool,
    no_preload: bool,
    db: str | None,
    language: str | None,
) -> None:
    import logging

    from tui.serve.ssh import ServeError, SshConfig, serve_forever

    settings = _sandbox_settings(db or group_db) if sandbox else _checked_store(db or group_db)
    _hand_language_to_sessions(language)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    config = SshConfig(
        db_path=settings.db_path,
        db_url=settings.db_url,
        host_key=host_key,
        host=host,
        port=port,
        open_mode=open_mode,
        authorized_keys=authorized_keys,
        user=user,
        max_sessions=max_sessions,
        idle_timeout=idle_timeout * 60.0,
        rate_limit=rate_limit,
        sandboxes=_sandboxes_root() if sandbox else None,
        preload=not no_preload,
    )
    try:
        serve_forever(config, lambda line: click.echo(line))
    except ServeError as error:
        click.echo(error.message, err=True)
        raise click.exceptions.Exit(REFUSED) from None


@serve_group.command(
    "web",
    short_help=_("Serveur web (textual-serve) : une application par onglet."),
    help=_(
        "Serveur web : chaque onglet reçoit sa propre application. Sans authentification : à "
        "placer derrière un proxy inverse qui authentifie."
    ),
)
@click.option("--host", default="127.0.0.1", show_default=True, help=_("Adresse d'écoute."))
@click.option(
    "--port",
    # textual-serve announces the port it was given: 0 would print an address nobody can reach.
    type=IntegerAtLeast(1, PORT_MAX),
    default=8000,
    show_default=True,
    help=_("Port d'écoute."),
)
@click.option(
    "--open",
    "open_mode",
    is_flag=True,
    help=_(
        "Accepter d'écouter sur une adresse autre que locale (il n'y a pas d'authentification)."
    ),
)
@click.option(
    "--public-url",
    metavar="URL",
    default=None,
    help=_("Adresse publique derrière le proxy inverse (ex. https://educonnect.exemple.fr)."),
)
@sandbox_option
@preload_option
@db_option
@language_option
@help_option
@click.pass_obj
def serve_web_command(
    group_db: str | None,
    host: str,
    port: int,
    open_mode: bool,
    public_url: str | None,
    sandbox: bool,
    no_preload: bool,
    db: str | None,
    language: str | None,
) -> None:
    from tui.serve.access import ServeError
    from tui.serve.web import serve_web

    settings = _sandbox_settings(db or group_db) if sandbox else _checked_store(db or group_db)
    _hand_language_to_sessions(language)
    try:
        serve_web(
            settings.db_path,
            host,
            port,
            open_mode=open_mode,
            public_url=public_url,
            db_url=settings.db_url,
            sandboxes=_sandboxes_root() if sandbox else None,
            preload=not no_preload,
        )
    except ServeError as error:
        click.echo(error.message, err=True)
        raise click.exceptions.Exit(REFUSED) from None


def _hand_language_to_sessions(language: str | None) -> None:
    """Every session starts in ``--langue`` and offers the choice at its entry (the sessions
    read it from their environment: ``tui.language.from_environment``)."""
    if language is not None:
        os.environ[LANGUAGE_VARIABLE] = language


def _checked_store(db: str | None) -> Settings:
    """Open the store once, so that one to refuse (or a database that does not answer) stops
    the server at start with its sentence; then let go of it: each session opens its own, and
    the server keeps no connection."""
    services = open_services(db)
    if services.settings.db_url is not None:
        from store.postgres.store import PostgresStore

        assert isinstance(services.store, PostgresStore)
        services.store.close()
    return services.settings


def _sandbox_settings(db: str | None) -> Settings:
    """With ``--bac-a-sable`` the store is never opened (so never written): ``--db`` only
    places the SSH host key. A database is refused: every session would be on its own copy
    of the demo, never on it, and a trainer who named one surely expected otherwise."""
    from services import Settings

    if database_url(db) is not None:
        click.echo(
            _(
                "--bac-a-sable donne à chaque session sa propre copie des familles de "
                "démonstration, dans un fichier : il ne s'emploie pas avec une base PostgreSQL "
                "(--db ou %(variable)s)."
            )
            % {"variable": ENV_VAR},
            err=True,
        )
        raise click.exceptions.Exit(REFUSED)
    return Settings(db_path=resolve_db_path(db))


def _sandboxes_root() -> Path:
    from tui.serve.sandbox import default_root

    return default_root()
