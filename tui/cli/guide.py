"""``educonnect guide``: the illustrated guide for trainers to print and hand out
(``tui.illustrated``): the guide's text with a picture of the app's own screen at each step."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from services import ServiceError
from services.i18n import N_, _
from store import StoreError
from tui.cli.plumbing import (
    REFUSED,
    Command,
    Folder,
    FrenchUsageError,
    help_option,
    log_to_user_file,
    user_log_path,
)
from tui.illustrated.family import DEFAULT_FAMILY, FamilyRefused, choose_family

__all__ = ["guide_command"]

log = logging.getLogger(__name__)

STOPPED = N_(
    "Une erreur inattendue a arrêté le guide illustré. Le détail est dans %(log)s ; si elle "
    "persiste, signalez-la avec ce fichier."
)


@click.command(
    "guide",
    cls=Command,
    short_help=_("Écrire le guide illustré (HTML et PDF) d'une famille de démonstration."),
    help=_(
        "Écrit dans DOSSIER le guide de l'inscription par SMS, étape par étape, avec l'image "
        "de l'écran de l'application à chaque étape, prise en la parcourant pour une famille "
        "de démonstration (sur une copie neuve des familles) : guide.html (une page qui ne "
        "charge rien d'internet, imprimable), guide.pdf, et les images (SVG, et PNG si "
        "rsvg-convert ou cairosvg est installé)."
    ),
)
@click.option(
    "--out",
    "out",
    type=Folder(),
    metavar=_("DOSSIER"),
    help=_("Dossier du guide : nouveau, vide, ou contenant un guide précédent (remplacé)."),
)
@click.option(
    "--famille",
    "family",
    default=None,
    metavar=_("NOM"),
    help=_("Famille de démonstration suivie (prénom et nom, ou portable) ; par défaut %(name)s.")
    % {"name": DEFAULT_FAMILY},
)
@help_option
def guide_command(out: Path | None, family: str | None) -> None:
    # Imported here: Textual and fpdf2 are for this command only.
    from tui.illustrated.build import FolderRefused, build_guide
    from tui.illustrated.walk import WalkError

    if out is None:
        # Click's own « Missing option » is English.
        raise FrenchUsageError(_("Indiquez avec --out DOSSIER où écrire le guide."))
    log_to_user_file()
    try:
        guardian = choose_family(family or DEFAULT_FAMILY)
        built = build_guide(out, guardian)
    except (FamilyRefused, FolderRefused, WalkError) as refused:
        click.echo(refused.message, err=True)
        raise click.exceptions.Exit(REFUSED) from None
    except (StoreError, ServiceError, OSError):
        # The group says these in French (``plumbing.MainGroup``).
        raise
    except Exception:
        log.exception("the illustrated guide stopped")
        click.echo(_(STOPPED) % {"log": user_log_path()}, err=True)
        raise click.exceptions.Exit(REFUSED) from None
    click.echo(
        _("Guide de %(prenom)s %(nom)s : %(count)d étapes, chacune avec son image.")
        % {"prenom": guardian.prenom, "nom": guardian.nom, "count": len(built.document.steps)}
    )
    click.echo(_("  page HTML : %(path)s") % {"path": built.html})
    click.echo(_("  PDF : %(path)s") % {"path": built.pdf})
    click.echo(_("  images SVG : %(path)s") % {"path": built.svgs[0].parent})
    if built.png_skipped:
        click.echo(
            _(
                "  images PNG : non produites, aucun convertisseur sur cette machine "
                "(installez rsvg-convert, paquet librsvg2-bin, ou le module cairosvg)."
            )
        )
    else:
        click.echo(_("  images PNG : %(path)s") % {"path": built.pngs[0].parent})
