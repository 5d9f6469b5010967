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

import ast
import functools
import inspect
import operator
import textwrap
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from game.engine.ops import Games
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


def _static_reads(fn: Callable[..., Any], param: str, seen: set[tuple[Any, str]], out: set[str]) -> bool:
    """Add to `out` the attributes `fn` reads of its parameter `param`, following the calls
    that pass it on (to functions of the engine, found by name); False when the source
    does not tell (the parameter reassigned, stored, passed to something unknown): the
    memo then records the reads as they happen."""
    fn = inspect.unwrap(fn)
    if not isinstance(fn, types.FunctionType):
        return False
    if (fn.__code__, param) in seen:
        return True
    seen.add((fn.__code__, param))
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == param):
            continue
        up = parent.get(node)
        if isinstance(up, ast.Attribute) and up.value is node and isinstance(node.ctx, ast.Load):
            out.add(up.attr)
            continue
        if not (isinstance(up, ast.Call) and node in up.args and isinstance(node.ctx, ast.Load)):
            return False
        callee = _resolve(up.func, fn.__globals__)
        if callee is None:
            return False
        names = [
            q.name
            for q in inspect.signature(callee).parameters.values()
            if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD)
        ]
        at = up.args.index(node)
        if any(isinstance(a, ast.Starred) for a in up.args[: at + 1]) or at >= len(names):
            return False
        if not _static_reads(callee, names[at], seen, out):
            return False
    return True


def _resolve(func: ast.expr, scope: dict[str, Any]) -> Any:
    """The engine function a call names (`f` or `module.f`), or None."""
    target: Any = None
    if isinstance(func, ast.Name):
        target = scope.get(func.id)
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        target = getattr(scope.get(func.value.id), func.attr, None)
    target = inspect.unwrap(target) if callable(target) else None
    if not isinstance(target, types.FunctionType) or not target.__module__.startswith("game.engine"):
        return None
    return target


def reads(rule: Callable[..., Any]) -> tuple[str, ...] | None:
    """The state fields a memoised rule reads (its own and those of the rules and helpers
    it passes the state to), from its source; None when the source does not tell."""
    rule = inspect.unwrap(rule)
    params = list(inspect.signature(rule).parameters)
    out: set[str] = set()
    if not _static_reads(rule, params[-1], set(), out):
        return None
    return tuple(sorted(out - _UNRECORDED))


def derived(rule: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Memoise `rule(..., s)` (the state last) in `s`'s cache, keyed by the identity of
    its other arguments (the batch's Params, whose arrays are read-only too) and of every
    state field it reads. The value is read-only.

    The fields it reads are found once, from its source (`reads`): a miss then calls the
    rule on the state itself and one getter collects those fields. A rule whose source
    does not tell is run through a recorder instead (`_Reads`), every time."""
    known: list[Any] = []  # [fields or None, their getter (the cache last)], found at the first call

    @functools.wraps(rule)
    def memoised(*args: Any) -> np.ndarray:
        state = args[-1]
        others = args[:-1]
        cache = getattr(state, CACHE, None)
        if cache.__class__ is not dict:
            if type(state) is Games:  # some games of a state: the whole state's value, at them
                return memoised(*others, state._whole)[state._rows]
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
        if not known:
            fields = reads(rule)
            known.extend((fields, operator.attrgetter(*fields, CACHE) if fields is not None else None))
        fields, getter = known
        if fields is not None:
            if len(others) > 1 or (others and not isinstance(others[0], Params)):  # (no generator per miss)
                raise AssertionError("a memoised rule takes (Params, state) or (state)")
            value = rule(*args)
            value.setflags(write=False)
            arrays = getter(state)[:-1]
            # (the entry's second item names the fields: their arrays are the last item)
            cache[memoised] = (others, fields, value, getter, arrays)
            return value
        assert all(isinstance(o, Params) for o in others), "a memoised rule takes (Params, state) or (state)"
        seen = _Reads(state)
        value = rule(*others, seen)
        value.setflags(write=False)
        read = seen._seen
        # One getter of every field read (it gives a tuple, the cache last), and their arrays.
        getter = operator.attrgetter(*read, CACHE)
        cache[memoised] = (others, tuple(read.items()), value, getter, tuple(read.values()))
        return value

    return memoised
