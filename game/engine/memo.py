"""Derived arrays kept with the state they come from.

Several rules ask the same derived array of the same state within a step (the working
fleet, installed MW, book value, ...). A rule decorated with `@derived` keeps its last
answer in the cache of the state it was asked about (`World.derived`, or the step's
working copy), with the state fields it read while computing it: the reads are recorded
as they happen, so no rule lists its inputs by hand. The answer is served again while
each of those fields is still the same array object and the other arguments are the same
objects. A World's fields never change (it is frozen), so a World's own values are
served without that check; turn.finished keeps, of the step's values, only those made of
the new World's fields.

That is sound because a World's arrays are read-only (World makes them so) and the step
never changes an array in place: a field that is the same object holds the same values.
There is no module-level state: each World carries its own cache, so two games stepped
side by side (on one thread or several) never see each other's values.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from game.engine.params import Params
from game.engine.state import World

CACHE = "derived"  # the attribute of a state that holds its cache (a dict)


_get = object.__getattribute__
_UNRECORDED = frozenset({CACHE})


class _Reads:
    """A state seen through a recorder: every attribute read is noted (name -> array).
    It answers in `__getattribute__` itself (not `__getattr__`, which Python reaches only
    after a failed lookup, the costly way round for every field a rule reads)."""

    __slots__ = ("_state", "_seen")

    def __init__(self, state: Any) -> None:
        object.__setattr__(self, "_state", state)
        object.__setattr__(self, "_seen", {})

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("_"):  # the recorder's own: a rule reads the state's fields only
            return _get(self, name)
        value = getattr(_get(self, "_state"), name)
        if name not in _UNRECORDED:
            _get(self, "_seen")[name] = value
        return value


def _cache(state: Any) -> dict[Any, Any] | None:
    cache = getattr(state, CACHE, None)
    return cache if isinstance(cache, dict) else None


def derived(rule: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Memoise `rule(..., s)` (the state last) in `s`'s cache, keyed by the identity of
    its other arguments (the batch's Params, whose arrays are read-only too) and of every
    state field it reads. The value is read-only."""

    @functools.wraps(rule)
    def memoised(*args: Any) -> np.ndarray:
        *listed, state = args
        others = tuple(listed)
        cache = _cache(state)
        if cache is None:
            return rule(*args)
        hit = cache.get(memoised)
        if hit is not None:
            keys, _, value, getter, arrays = hit
            if all(map(operator.is_, keys, others)):
                if type(state) is World:  # frozen: its fields are the ones the value was made of
                    return value
                # Reading the fields again through `state` lets an enclosing rule record them.
                if all(map(operator.is_, getter(state), arrays)):
                    return value
        assert all(isinstance(o, Params) for o in others), "a memoised rule takes (Params, state) or (state)"
        seen = _Reads(state)
        value = rule(*others, seen)
        value.setflags(write=False)
        fields = seen._seen
        # One getter of every field read (it gives a tuple, the cache last), and their arrays.
        getter = operator.attrgetter(*fields, CACHE)
        cache[memoised] = (others, tuple(fields.items()), value, getter, tuple(fields.values()))
        return value

    return memoised
