"""A floor under the time of the answers that must not tell a real person from an unknown one
(« Identifiant oublié », the reset request, a registration start: issue 13, items 5 and 7).

Those answers already do the same I/O for everyone (the same statements on the same tables:
``tests/services/test_delivery.py``). What is left cannot be made equal: a row that exists
comes back from an index and is validated where a missing one does not, an accepted start
writes its registration, a real answer writes its message. On PostgreSQL, where a request takes
about a millisecond, that is still 10 to 40 %. So these answers are also padded to
``Settings.neutral_answer_floor`` (measured from the call, refusals included), by a sleeper the
service is given: ``time.sleep`` in service, called from the screens' thread workers, never on
the event loop. A request slower than the floor is not padded: the floor is a complement to the
same I/O, not a replacement for it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from services.settings import Settings

__all__ = ["Padded", "Sleeper", "padded"]

Sleeper = Callable[[float], None]
P = ParamSpec("P")
R = TypeVar("R")


class Padded(Protocol):
    _settings: Settings
    _sleep: Sleeper


S = TypeVar("S", bound=Padded)


def padded(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """``method``, lasting at least ``neutral_answer_floor`` whatever it returns or raises."""

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        started = time.monotonic()
        try:
            return method(self, *args, **kwargs)
        finally:
            floor = self._settings.neutral_answer_floor.total_seconds()
            left = floor - (time.monotonic() - started)
            if left > 0:
                self._sleep(left)

    return run
