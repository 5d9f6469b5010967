"""Counter-based random numbers.

Every draw is a pure function of (seed, game index, week, stream, lane): a splitmix64
hash of the key, computed with vectorised uint64 arithmetic. A rule draws from its
state's game-week key (`game_week(s)`, kept with the state) and its own stream. There is no generator
state, so game i draws the same numbers alone or inside any batch or shard, a save needs
only the seed and the week, and replays are exact.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from game.engine import memo

# Streams: one per kind of draw, so adding a draw never shifts another.
FAULTS = 1
FUNDING = 2
POLICY_ACT = 3
POLICY_SIZE = 4
EVENTS = 5
DEALS = 6
MARKET = 7
RUN_OUTCOME = 8  # how a finished run turns out (capability noise)
AGI_THRESHOLD = 9  # each game's own AGI threshold (drawn at week 0 of the game's key)
EVENT_SIZES = 1000  # + card index: one stream per card of the events deck

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijective avalanche of 64-bit words. The same steps as
    x ^= x >> 30; x *= M1; x ^= x >> 27; x *= M2; x ^= x >> 31, on a new array (the
    input is never changed) with two temporaries instead of eight."""
    if not isinstance(x, np.ndarray) or x.ndim == 0 or x.dtype != np.uint64:  # the plain steps
        x = x ^ (x >> _S30)
        x = x * _M1
        x = x ^ (x >> _S27)
        x = x * _M2
        return x ^ (x >> _S31)
    y = x >> _S30
    y ^= x
    y *= _M1
    t = y >> _S27
    y ^= t
    y *= _M2
    np.right_shift(y, _S31, out=t)
    y ^= t
    return y


def key(seed: np.ndarray, game: np.ndarray, week: np.ndarray) -> np.ndarray:
    """The key of each game-week (B,), before the stream: every draw starts from it."""
    with np.errstate(over="ignore"):
        return _week_key(_game_key(seed, game), week)


def _game_key(seed: np.ndarray, game: np.ndarray) -> np.ndarray:
    k = _mix(np.asarray(seed, dtype=np.uint64) + _GOLDEN)
    return _mix(k ^ (np.asarray(game, dtype=np.int64).astype(np.uint64) + _GOLDEN))


def _week_key(game_key: np.ndarray, week: np.ndarray) -> np.ndarray:
    return _mix(game_key ^ (np.asarray(week, dtype=np.int64).astype(np.uint64) * _M2 + _GOLDEN))


@memo.derived
def game_key(s: Any) -> np.ndarray:
    """The key of each game (its seed and index), kept with the state: the same every week."""
    with np.errstate(over="ignore"):
        return _game_key(s.seed, s.game)


@memo.derived
def game_week(s: Any) -> np.ndarray:
    """The game-week key of a state (its seed, game and week), kept with the state."""
    with np.errstate(over="ignore"):
        return _week_key(game_key(s), s.week)


_MASK = (1 << 64) - 1


_TABLED = 16  # streams 0 .. 15: their keys are made for all of them at once (`_stream_key`)
_STREAM_SALT = np.array([(i * int(_M1)) & _MASK for i in range(_TABLED)], dtype=np.uint64)
_last: tuple[Any, np.ndarray] = (None, _STREAM_SALT)  # a read-only base and its keys of streams 0 .. 15


def _stream_key(base: np.ndarray, stream: int) -> np.ndarray:
    # stream x M1 (mod 2**64) in Python integers: numpy warns of a scalar's overflow, not of
    # an array's, so the week's draws need no np.errstate (a costly context per call).
    table = _table(base) if stream < _TABLED else None
    if table is not None:
        return table[:, stream]
    return _mix(base ^ np.uint64((int(stream) * int(_M1)) & _MASK))


def _table(base: np.ndarray) -> np.ndarray | None:
    """The keys of streams 0 .. 15 (B, 16) of a read-only base (B,), or None for another.
    A week draws from several streams of one base (the state's game-week key, read-only so
    it cannot change): one mix gives the keys of every stream, the same numbers."""
    if type(base) is not np.ndarray or base.ndim != 1 or base.flags.writeable:
        return None
    global _last
    last = _last
    if last[0] is not base:
        table = _mix(base[:, None] ^ _STREAM_SALT)
        table.setflags(write=False)
        last = _last = (base, table)
    return last[1]


def bits(base: np.ndarray, stream: int, shape: tuple[int, ...] = ()) -> np.ndarray:
    """Random uint64 words of shape (B, *shape), one independent lane per element, from the
    game-week keys `base` (B,)."""
    k = _stream_key(base, stream)  # (B,)
    n = math.prod(shape)
    words = _mix(k[:, None] + _lanes(n))  # arrays: uint64 wraps silently
    return words.reshape((k.shape[0], *shape))


_LANES: dict[int, np.ndarray] = {}  # constant: lane i's offset, (i + 1) x golden, by count


def _lanes(n: int) -> np.ndarray:
    lanes = _LANES.get(n)
    if lanes is None:
        lanes = np.arange(1, n + 1, dtype=np.uint64)[None, :] * _GOLDEN
        lanes.flags.writeable = False
        if len(_LANES) < 64:
            _LANES[n] = lanes
    return lanes


def uniform_at(base: np.ndarray, stream: int | np.ndarray, rows: np.ndarray, lanes: np.ndarray) -> np.ndarray:
    """The draws `uniform(base, stream, shape)[rows, ...]` would give at the flat lane
    indices `lanes` (C order over `shape`), computed only there: a rule that needs a few
    draws out of a big table pays for those alone, and gets the same numbers. `stream` may
    vary per draw (an array like `rows`)."""
    if isinstance(stream, int):
        table = _table(base) if stream < _TABLED else None
        k = _stream_key(base[rows], stream) if table is None else table[rows, stream]
    else:
        k = _mix(base[rows] ^ np.asarray(stream, dtype=np.uint64) * _M1)
    words = _mix(k + (np.asarray(lanes, dtype=np.uint64) + np.uint64(1)) * _GOLDEN)
    return (words >> _S11).astype(np.float64) * (1.0 / 9007199254740992.0)


def uniform(base: np.ndarray, stream: int, shape: tuple[int, ...] = ()) -> np.ndarray:
    """Uniform floats in [0, 1) of shape (B, *shape)."""
    words = bits(base, stream, shape)
    return (words >> _S11).astype(np.float64) * (1.0 / 9007199254740992.0)


def normal(base: np.ndarray, stream: int, shape: tuple[int, ...] = ()) -> np.ndarray:
    """Standard normal floats of shape (B, *shape) (Box-Muller over two lanes)."""
    u = uniform(base, stream, (2, *shape))
    u1 = np.maximum(u[:, 0], 1e-300)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u[:, 1])
