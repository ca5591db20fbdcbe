"""Identifiants: first letter of the prénom, a dot, the nom; then the smallest free number."""

from __future__ import annotations

from collections.abc import Collection

from services.names import ascii_letters

__all__ = ["identifiant_stem", "next_identifiant"]

_MAX_STEM = 60


def identifiant_stem(nom: str, prenom: str) -> str:
    """``("N'Diaye", "Élodie")`` → ``"e.ndiaye"``. Names with no Latin letter fall back to ``x``."""
    first = ascii_letters(prenom)[:1] or "x"
    last = ascii_letters(nom) or "x"
    return f"{first}.{last}"[:_MAX_STEM]


def next_identifiant(nom: str, prenom: str, taken: Collection[str]) -> str:
    """``j.dupont1`` for the first Jean Dupont, ``j.dupont2`` for the next…"""
    stem = identifiant_stem(nom, prenom)
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"
