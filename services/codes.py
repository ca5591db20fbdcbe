"""One-time codes sent by SMS or e-mail: easy to read aloud, stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import random

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "code_digest",
    "new_code",
    "normalize_code",
    "token_digest",
]

# No I and no O: they are read as 1 and 0.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str:
    """What the person typed, the way codes are compared: no case, no spaces."""
    return "".join(typed.split()).upper()


def code_digest(key: bytes, purpose: str, code: str) -> str:
    """Keyed hash bound to its purpose (a registration, a reset…), so a copy of the data file
    alone does not let anyone try the 24⁶ codes offline."""
    return hmac.new(
        key, f"{purpose}\x00{normalize_code(code)}".encode(), hashlib.sha256
    ).hexdigest()


def token_digest(token: str) -> str:
    """Registration tokens are looked up by hash: the data file never holds a usable token."""
    # A token comes back from the screen; a mangled one must be "unknown", not a crash.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
