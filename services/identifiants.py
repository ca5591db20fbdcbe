"""Identifiants: first letter of the prénom, a dot, the nom; then the smallest free number."""

from __future__ import annotations

from collections.abc import Container

from services.names import ascii_letters
from store import Records

__all__ = ["TakenIn", "identifiant_stem", "next_identifiant"]

_MAX_STEM = 60


def identifiant_stem(nom: str, prenom: str) -> str:
    """``("N'Diaye", "Élodie")`` → ``"e.ndiaye"``. Names with no Latin letter fall back to ``x``."""
    first = ascii_letters(prenom)[:1] or "x"
    last = ascii_letters(nom) or "x"
    return f"{first}.{last}"[:_MAX_STEM]


class TakenIn:
    """The identifiants of the accounts in ``records``, asked one candidate at a time: a lookup
    by key each (usually one, a few for homonyms), never every identifiant read. On PostgreSQL
    such a read would also tie the transaction to every other one that adds an account: all
    but one of the registrations confirming their children at the same moment would be
    refused and run again."""

    def __init__(self, records: Records) -> None:
        self._records = records

    def __contains__(self, identifiant: object) -> bool:
        return self._records.accounts.get(identifiant=identifiant) is not None


def next_identifiant(nom: str, prenom: str, taken: Container[str]) -> str:
    """``j.dupont1`` for the first Jean Dupont, ``j.dupont2`` for the next…"""
    stem = identifiant_stem(nom, prenom)
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"
