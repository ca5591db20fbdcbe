"""Running a service operation again when its serialisable transaction met another machine's.

PostgreSQL refuses such a transaction whole (``SerializationConflict``: nothing written), and
only the operation can be run again, from its first read: a ``with store.transaction()`` block
cannot re-run itself. ``retried`` wraps every public method of a service so: the services stay
as they are, and ``services/container.py`` applies it to the PostgreSQL store's services only
(the file store's lock never lets two transactions meet).

What a refused try did is undone with it, outbox included (a table of the same transaction);
an e-mail handed to a real SMTP server is not: a retried operation may send a second one, and
the code in the first, never recorded, does not work.
"""

from __future__ import annotations

import functools
import inspect
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from store.errors import SerializationConflict

__all__ = ["ATTEMPTS", "retried", "retrying"]

P = ParamSpec("P")
T = TypeVar("T")
S = TypeVar("S")

ATTEMPTS = 6
# The first wait is up to this long, doubling each time: two machines that met once are
# unlikely to meet again at once (about 0.3 s of waiting at most, in all).
FIRST_WAIT = 0.01
_jitter = random.SystemRandom()


def retrying(operation: Callable[P, T]) -> Callable[P, T]:
    """``operation``, run again (up to ``ATTEMPTS`` in all) while it ends in a conflict."""

    @functools.wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(ATTEMPTS - 1):
            try:
                return operation(*args, **kwargs)
            except SerializationConflict:
                time.sleep(_jitter.uniform(0, FIRST_WAIT * 2**attempt))
        return operation(*args, **kwargs)

    return run


def retried(service: S) -> S:
    """``service`` itself, each of its public methods now ``retrying``."""
    for name, _ in inspect.getmembers(type(service), inspect.isfunction):
        if not name.startswith("_"):
            setattr(service, name, retrying(getattr(service, name)))
    return service
