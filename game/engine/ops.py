"""Small array operations the rules call many times a week, without the Python layers
numpy wraps around them: the same numbers, fewer calls (a week at B=1 is bound by the
cost of each call, not by the arithmetic).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

_CLIP: np.ufunc = np._core.umath.clip  # type: ignore[attr-defined]  # what np.clip calls

# What np.einsum calls when not asked to optimise (its default): the C function itself,
# without the Python layer and its dispatcher (~1.3 us a call at B=1). The same numbers.
einsum: Any = getattr(np._core.multiarray, "c_einsum", np.einsum)  # type: ignore[attr-defined]


def clip(a: Any, lo: Any, hi: Any) -> Any:
    """np.clip(a, lo, hi): for floats, and for integers whose bounds fit their type (np.clip
    drops a Python-int bound beyond the type's range; small integer types go through it)."""
    if isinstance(a, np.ndarray) and a.dtype.kind in "iu" and a.dtype.itemsize < 8:
        return np.clip(a, lo, hi)
    if lo is None:
        return np.minimum(a, hi)
    if hi is None:
        return np.maximum(a, lo)
    return _CLIP(a, lo, hi)


_FLAT: dict[tuple[tuple[int, ...], int], np.ndarray] = {}  # constant index bases by shape


def pick(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """`np.take_along_axis(x, idx[..., None], -1)[..., 0]` for `idx` of x's leading shape:
    the element of x's last axis each index names. The indices must lie in 0 .. n-1 (the
    rules clip them or take them from an argmax): one is not checked."""
    x = np.asarray(x)
    idx = np.asarray(idx)
    key = (x.shape, x.ndim)
    base = _FLAT.get(key)
    if base is None:
        n = x.shape[-1]
        base = np.arange(0, x.size, max(n, 1), dtype=np.intp).reshape(x.shape[:-1])
        base.flags.writeable = False
        if len(_FLAT) < 256:
            _FLAT[key] = base
    if idx.shape != base.shape:
        return np.take_along_axis(x, idx[..., None], -1)[..., 0]
    return x.reshape(-1)[base + idx]


_ROWS: dict[tuple[int, int], np.ndarray] = {}  # constant row indices by (rows, index dims)


def along(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """`np.take_along_axis(x, idx, 1)` for a 2-d `x` (B, N) and `idx` (B, ...): row b's
    elements at row b's indices, by fancy indexing (the same numbers, the same index
    checks, a fifth of the calls)."""
    key = (x.shape[0], idx.ndim)
    rows = _ROWS.get(key)
    if rows is None:
        rows = np.arange(x.shape[0]).reshape((-1,) + (1,) * (idx.ndim - 1))
        rows.flags.writeable = False
        if len(_ROWS) < 256:
            _ROWS[key] = rows
    return x[rows, idx]


def nonzero(x: np.ndarray) -> tuple[np.ndarray, ...]:
    """`np.nonzero(x)`: the same index arrays, in the same (row-major) order. numpy finds
    an n-d array's elements one at a time with a multi-index; a large one is searched
    flat and its indices unravelled, 2-4x faster (3 ms a week at B = 2,000)."""
    if x.ndim < 2 or x.size < SLICES_FROM:
        return x.nonzero()
    return np.unravel_index(x.reshape(-1).nonzero()[0], x.shape)


class Games:
    """Some games of a state or of actions (`rows` of the batch axis), each field taken as
    it is first read. It has no cache of derived values (memo computes them)."""

    def __init__(self, whole: Any, rows: np.ndarray) -> None:
        self._whole, self._rows = whole, rows

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "derived":
            raise AttributeError(name)
        value = getattr(self._whole, name)[self._rows]
        setattr(self, name, value)
        return value


def some_games(rule: Any, p: Any, s: Any, a: Any, games: np.ndarray, rest: Any) -> Any:
    """`rule(p, s, a)`, an attrs record of (B, ...) arrays, worked out for the `games`
    (B,) bool only: the other games keep `rest`'s values (written into it, and returned).
    Sound for a rule that answers each game the same alone or in any batch."""
    rows = np.flatnonzero(games)
    part = rule(p, Games(s, rows), Games(a, rows))
    for f in attrs.fields(type(rest)):
        getattr(rest, f.name)[rows] = getattr(part, f.name)
    return rest


def refuse_any(refuse: Any, mask: np.ndarray, code: int) -> None:
    """`refuse(mask.any((-2, -1)), code)` for a mask (B, L, m, n), reduced only when some
    of it holds (refusals are rare: most weeks one count instead of the reduction)."""
    if np.count_nonzero(mask):
        refuse(mask.any((-2, -1)), code)


_newest: tuple[Any, np.ndarray] = (None, np.zeros(0, np.intp))  # the last launch weeks and their order


def newest_first(weeks: np.ndarray) -> np.ndarray:
    """`np.argsort(-weeks.astype(np.float64), kind="stable")` (GPU types, the newest
    first), kept for the last read-only array of launch weeks (a Params') instead of
    sorted every week."""
    global _newest
    last, order = _newest
    if last is not weeks or weeks.flags.writeable:
        order = np.argsort(-weeks.astype(np.float64), kind="stable")
        _newest = (weeks, order)
    return order


# Reductions over a short axis (labs, sites, GPU types, slots). numpy reduces such an axis
# one output element at a time (~20 ns each in a large batch); adding its slices instead
# does the same additions on whole arrays, 3-4x faster at B=2,000. The bits are the same:
# numpy starts a float sum from 0.0 and adds an axis of fewer than 8 elements one after
# another, a longer one (up to 16) in 8 lanes, paired, then the rest in order (its
# pairwise sum); whole numbers and booleans give the same result in any order.
def _slices(x: np.ndarray, axis: int) -> list[np.ndarray]:
    lead = (slice(None),) * (axis % x.ndim)
    return [x[lead + (i,)] for i in range(x.shape[axis])]


# Below this many elements numpy's one reduction is cheaper than a few slice operations
# (a week at B = 1 took 17% longer with the slices); both give the same bits.
SLICES_FROM = 1024


# What ndarray.sum, .any, .max and .min call, without the Python function between
# (numpy's _methods: ~1 us of a small array's 1.5 us): the same reductions, the same bits.
_SUM: Any = np.add.reduce
_ANY: Any = np.logical_or.reduce
_BOOL = np.dtype(np.bool_)


def total(x: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """`x.sum(axis, keepdims=keepdims)`, the same numbers and type."""
    if x.size < SLICES_FROM:
        return _SUM(x, axis, None, None, keepdims)
    n = x.shape[axis]
    kind = x.dtype.kind
    # (an axis of 8 or more is summed pairwise only when it is the inner loop)
    long = n >= 8 and not (axis % x.ndim == x.ndim - 1 and x.flags.c_contiguous)
    if n < 2 or n >= 16 or long or not (x.dtype == np.float64 or kind in "bi"):
        return _SUM(x, axis, None, None, keepdims)
    v = _slices(x, axis)
    if kind in "bi":
        out = np.add(v[0], v[1], dtype=np.int64)
        for w in v[2:]:
            out += w
    elif n < 8:
        out = v[0] + v[1]
        for w in v[2:]:
            out += w
        out += 0.0  # numpy's sum starts from 0.0: a sum of -0.0s is 0.0
    else:
        r = [a + b for a, b in zip(v[0:8:2], v[1:8:2], strict=True)]
        out = r[0] + r[1]
        out += r[2] + r[3]
        for w in v[8:]:
            out += w
        out += 0.0
    return np.expand_dims(out, axis) if keepdims else out


def anyof(x: np.ndarray, axis: int = -1, keepdims: bool = False) -> Any:
    """`x.any(axis, keepdims=keepdims)` for a boolean `x`."""
    if x.size < SLICES_FROM or x.dtype != np.bool_ or x.shape[axis] < 2:
        return _ANY(x, axis, _BOOL, None, keepdims)
    v = _slices(x, axis)
    out: np.ndarray = v[0] | v[1]
    for w in v[2:]:
        out |= w
    return np.expand_dims(out, axis) if keepdims else out


def _extreme(x: np.ndarray, axis: int, keepdims: bool, ufunc: Any) -> Any:
    n = x.shape[axis]
    # numpy's max of a float axis of 5 or more runs in SIMD lanes: of 0.0 and -0.0 it may
    # keep the other one; up to 4 it compares one element after another, as here.
    if x.size < SLICES_FROM or n < 2 or (x.dtype.kind == "f" and n > 4) or x.dtype.kind not in "biuf":
        return ufunc.reduce(x, axis, None, None, keepdims)  # (what x.max / x.min call)
    v = _slices(x, axis)
    out = ufunc(v[0], v[1])
    for w in v[2:]:
        ufunc(out, w, out=out)
    return np.expand_dims(out, axis) if keepdims else out


def most(x: np.ndarray, axis: int = -1, keepdims: bool = False) -> Any:
    """`x.max(axis, keepdims=keepdims)`, the same numbers and type."""
    return _extreme(x, axis, keepdims, np.maximum)


def least(x: np.ndarray, axis: int = -1, keepdims: bool = False) -> Any:
    """`x.min(axis, keepdims=keepdims)`, the same numbers and type."""
    return _extreme(x, axis, keepdims, np.minimum)


def total2(x: np.ndarray) -> np.ndarray:
    """`x.sum((-2, -1))`, the same numbers and type: numpy sums a contiguous array's last
    two axes as one."""
    if not x.flags.c_contiguous:
        return x.sum((-2, -1))
    return total(x.reshape(x.shape[:-2] + (-1,)))
