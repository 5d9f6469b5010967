"""An identity memo for arrays derived from the (immutable) state.

Several rules ask the same derived array of the same state within a step (the working
fleet, installed MW, book value, the random key of a game-week); the last answer is kept
per name, keyed by the identity of its inputs. The tuple of inputs is kept with the
answer, so an identity cannot be reused while it is kept. The state is never changed in
place, so an input that is the same object holds the same values.
"""

from __future__ import annotations

import functools
import operator
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

_LOCAL = threading.local()  # one memo per thread: batches stepped on threads keep their own
ENABLED = True  # tests turn it off to check that memoised rules list all they read


def last(name: str, keys: tuple[Any, ...], make: Callable[[], np.ndarray]) -> np.ndarray:
    """`make()` for these exact inputs, computed once while they stay the last asked for
    under `name`. The value is read-only."""
    if not ENABLED:
        return make()
    memo: dict[str, tuple[tuple[Any, ...], np.ndarray]] | None = getattr(_LOCAL, "last", None)
    if memo is None:
        memo = _LOCAL.last = {}
    hit = memo.get(name)
    if hit is not None and len(hit[0]) == len(keys) and all(map(operator.is_, hit[0], keys)):
        return hit[1]
    value = make()
    value.flags.writeable = False
    memo[name] = (keys, value)
    return value


def derived(*fields: str) -> Callable[[Callable[..., np.ndarray]], Callable[..., np.ndarray]]:
    """Memoise a rule `f(p, s)` or `f(s)` by the identity of its other arguments and of
    the state `fields` it reads, directly or through what it calls. Every one of them
    must be listed: tests/test_determinism.py plays games with the memo off and on."""

    def wrap(f: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
        name = f"{f.__module__}.{f.__qualname__}"
        read = operator.attrgetter(*fields) if len(fields) > 1 else lambda s: (getattr(s, fields[0]),)

        @functools.wraps(f)
        def memoised(*args: Any) -> np.ndarray:
            keys = args[:-1] + read(args[-1])
            return last(name, keys, lambda: f(*args))

        return memoised

    return wrap
