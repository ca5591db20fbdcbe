"""Demo data a trainer can walk through: every rule of the registration has a family here.

The README lists these families; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.clock import Clock
from services.i18n import N_
from services.passwords import PasswordHasher
from services.phones import parse_mobile
from store import Records, StoreBackend
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    Establishment,
    Guardian,
    Link,
    LinkState,
    Pupil,
)

__all__ = [
    "DEMO_ACTIVE_PASSWORD",
    "DEMO_ACTIVE_SCHOOL_EMAIL",
    "DEMO_ESTABLISHMENTS",
    "DEMO_GUARDIANS",
    "DEMO_PUPILS",
    "load_demo",
]

COLLEGE = "0341234A"
LYCEE = "0345678B"

DEMO_ESTABLISHMENTS = (
    Establishment(uai=COLLEGE, nom="CLG Frédéric Bazille"),
    Establishment(uai=LYCEE, nom="LGT Jean Monnet"),
)


@dataclass(frozen=True)
class DemoPupil:
    id: str
    nom: str
    prenom: str
    naissance: date
    classe: str
    uai: str


@dataclass(frozen=True)
class DemoGuardian:
    id: str
    nom: str
    prenom: str
    portable: str
    children: tuple[str, ...]
    note: str
    # The address the school's export gives (« Identifiant oublié ? » by e-mail uses it).
    courriel: str | None = None


DEMO_PUPILS = (
    DemoPupil("E001", "Martin", "Lucas", date(2012, 3, 14), "4B", COLLEGE),
    DemoPupil("E002", "Martin", "Emma", date(2008, 9, 5), "1G2", LYCEE),
    DemoPupil("E003", "Bernard", "Léa", date(2014, 1, 22), "6A", COLLEGE),
    DemoPupil("E004", "Petit", "Nathan", date(2013, 6, 30), "5C", COLLEGE),
    DemoPupil("E005", "Payet", "Hugo", date(2011, 11, 11), "3A", COLLEGE),
    DemoPupil("E006", "Lefèvre", "Chloé", date(2010, 2, 2), "2NDE4", LYCEE),
    DemoPupil("E007", "N'Diaye", "Moussa", date(2014, 4, 17), "6B", COLLEGE),
    DemoPupil("E008", "N'Diaye", "Awa", date(2011, 12, 8), "4A", COLLEGE),
    DemoPupil("E009", "Dupont", "Zoé", date(2013, 5, 25), "5A", COLLEGE),
    DemoPupil("E010", "Dupont", "Tom", date(2007, 10, 19), "TG3", LYCEE),
    DemoPupil("E011", "Moreau", "Inès", date(2011, 7, 3), "3B", COLLEGE),
    DemoPupil("E012", "Œuvray", "Gaëlle", date(2008, 2, 29), "1G1", LYCEE),
    DemoPupil("E013", "Garcia", "Pablo", date(2012, 8, 1), "4A", COLLEGE),
)

# The notes are msgids, translated where the demo lists the families.
DEMO_ACTIVE_GUARDIAN = "R010"
DEMO_ACTIVE_IDENTIFIANT = "c.moreau1"
DEMO_ACTIVE_PASSWORD = "Tournesol-42!"
DEMO_ACTIVE_SCHOOL_EMAIL = "claire.moreau@example.fr"

DEMO_GUARDIANS = (
    DemoGuardian(
        "R001",
        "Martin",
        "Sophie",
        "06 12 34 56 78",
        ("E001", "E002"),
        N_("deux enfants dans deux établissements (collège et lycée)"),
    ),
    DemoGuardian(
        "R002",
        "Bernard",
        "Thomas",
        "06 23 45 67 89",
        ("E003",),
        N_("un seul enfant : la règle du lien unique"),
    ),
    DemoGuardian(
        "R003",
        "Petit",
        "Julie",
        "06 34 56 78 90",
        ("E004",),
        N_("un enfant qui a deux représentants légaux"),
    ),
    DemoGuardian(
        "R004",
        "Petit",
        "Karim",
        "07 45 67 89 01",
        ("E004",),
        N_("le second représentant légal de Nathan"),
    ),
    DemoGuardian(
        "R005",
        "Payet",
        "Marie-Claude",
        "0692 12 34 56",
        ("E005",),
        N_("portable de La Réunion, tapé 0692…"),
    ),
    DemoGuardian(
        "R006",
        "Lefèvre",
        "Jean-Édouard",
        "06 56 78 90 12",
        ("E006",),
        N_("nom accentué et prénom composé"),
    ),
    DemoGuardian(
        "R007",
        "N'Diaye",
        "Aminata",
        "06 67 89 01 23",
        ("E007", "E008"),
        N_("apostrophe dans le nom, deux enfants au collège"),
    ),
    DemoGuardian(
        "R008",
        "Dupont",
        "Jean",
        "06 78 90 12 34",
        ("E009",),
        N_("homonyme : deviendra j.dupont1 ou j.dupont2"),
    ),
    DemoGuardian(
        "R009",
        "Dupont",
        "Jean",
        "06 89 01 23 45",
        ("E010",),
        N_("homonyme : même nom, autre portable, autre enfant"),
    ),
    DemoGuardian(
        "R010",
        "Moreau",
        "Claire",
        "06 45 12 34 56",
        ("E011",),
        N_("compte déjà actif (c.moreau1) : le code reçu mène à l'identifiant"),
        courriel=DEMO_ACTIVE_SCHOOL_EMAIL,
    ),
    DemoGuardian(
        "R011",
        "Œuvray",
        "Bérénice",
        "06 11 22 33 44",
        ("E012",),
        N_("ligature œ ; enfant née un 29 février"),
    ),
    DemoGuardian(
        "R012",
        "Garcia",
        "Pedro",
        "",
        ("E013",),
        N_("aucun portable connu : ne peut pas s'inscrire par SMS"),
    ),
)


def load_demo(store: StoreBackend, hasher: PasswordHasher, clock: Clock) -> None:
    """Replace the store's content with the demo families (one transaction)."""
    store.reset()
    password_hash = hasher.hash(DEMO_ACTIVE_PASSWORD)
    now = clock.now()
    with store.transaction() as tx:
        records = Records(tx)
        for establishment in DEMO_ESTABLISHMENTS:
            records.establishments.put(establishment)
        for pupil in DEMO_PUPILS:
            records.pupils.put(
                Pupil(
                    id=pupil.id,
                    nom=pupil.nom,
                    prenom=pupil.prenom,
                    naissance=pupil.naissance,
                    classe=pupil.classe,
                    uai=pupil.uai,
                )
            )
        for guardian in DEMO_GUARDIANS:
            records.guardians.put(
                Guardian(
                    id=guardian.id,
                    nom=guardian.nom,
                    prenom=guardian.prenom,
                    portable=parse_mobile(guardian.portable) if guardian.portable else None,
                    courriel=guardian.courriel,
                )
            )
            active = guardian.id == DEMO_ACTIVE_GUARDIAN
            for pupil_id in guardian.children:
                records.links.put(
                    Link(
                        guardian_id=guardian.id,
                        pupil_id=pupil_id,
                        state=LinkState.CONFIRMED if active else LinkState.PENDING,
                        changed_at=now if active else None,
                    )
                )
        records.accounts.put(
            Account(
                identifiant=DEMO_ACTIVE_IDENTIFIANT,
                kind=AccountKind.GUARDIAN,
                owner_id=DEMO_ACTIVE_GUARDIAN,
                status=AccountStatus.ACTIVE,
                password_hash=password_hash,
                created_at=now,
                activated_at=now,
            )
        )
