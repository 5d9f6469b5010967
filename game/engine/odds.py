"""Odds that sharpen, and what-ifs on the same futures (issue 24).

`waves` plays a forecast's futures in waves and yields, after each, the odds so far with
their 95% intervals, until the interval of the lab asked about (or of every lab) is
within a target or a number of futures is reached. Futures are numbered, so waves are
disjoint ranges and the odds after N futures are exactly `forecast.run`'s with N
futures: `waves(..., futures=N, target=0)` is the reproducible fixed mode.

`compare` plays the same futures from two starts (the book as it is and a variant, or
two first weeks): future i of both sets is the same game number, so it shares every
random draw, and the difference in a lab's win chance is measured future by future
(common random numbers): its interval is far tighter than two independent forecasts'.

Pure: no I/O, no threads. A caller that wants both cores passes `play`, a function that
plays a range of futures elsewhere (game/batch/simulate.py's executor, say).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import attrs
import numpy as np

from game.engine import policies
from game.engine.actions import Actions, merge
from game.engine.forecast import Forecast, run
from game.engine.state import World

Z95 = 1.959963984540054  # the normal quantile of a two-sided 95% interval

# play(futures, first) -> the forecast of futures first .. first + futures - 1
Play = Callable[[int, int], Forecast]


def wilson(share: np.ndarray | float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The 95% Wilson score interval (low, high) of a share observed in `n` futures (it
    stays inside 0..1 and is never empty at 0 or 1)."""
    p = np.asarray(share, dtype=np.float64)
    if n <= 0:
        return np.zeros_like(p), np.ones_like(p)
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return np.maximum(centre - half, 0.0), np.minimum(centre + half, 1.0)


@attrs.frozen(eq=False)
class Odds:
    """The odds after a wave: the forecast of every future played so far, each lab's win
    chance with its 95% interval, and whether this is the last wave."""

    forecast: Forecast
    low: np.ndarray  # (L,)
    high: np.ndarray  # (L,)
    last: bool
    why: str  # "target" (the interval is narrow enough), "futures" (all played), "stopped", or "" (more to come)

    @property
    def futures(self) -> int:
        return self.forecast.futures

    @property
    def win(self) -> np.ndarray:
        return self.forecast.win

    def half_width(self, lab: int | None = None) -> float:
        """Half the width of the 95% interval of a lab's win chance (the widest if None)."""
        width = (self.high - self.low) / 2
        return float(width.max() if lab is None else width[lab])


def wave_sizes(futures: int, first_wave: int) -> Iterator[tuple[int, int]]:
    """The waves' ranges of futures (first, size): `first_wave` futures, then as many
    again as have been played (each wave narrows an interval by about a third), up to
    `futures`. The odds and a what-if on the same game share this schedule."""
    played = 0
    while played < futures:
        n = min(max(first_wave, 1) if played == 0 else played, futures - played)
        yield played, n
        played += n


def waves(
    world: World,
    controllers: policies.Controllers,
    lab: int | None = None,
    target: float = 0.02,
    futures: int = 2000,
    first_wave: int = 50,
    weeks: int | None = None,
    seed: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    play: Play | None = None,
) -> Iterator[Odds]:
    """Odds in waves (`wave_sizes`) until `lab`'s 95% interval (every lab's if None) is
    within +-`target` or `futures` are played. `target=0` plays exactly `futures`, the
    same forecast as `forecast.run(..., futures)`. `should_stop` is heard between waves
    (and, without `play`, every week of a wave); a wave it cuts short is dropped (its
    futures are not played to their end), and the last odds say "stopped"."""
    if play is None:

        def play(n: int, first: int) -> Forecast:
            return run(world, controllers, n, weeks, seed=seed, should_stop=should_stop, first=first)

    parts: list[Forecast] = []
    for first, n in wave_sizes(futures, first_wave):
        if _stopped(should_stop):
            break
        part = play(n, first)
        if _stopped(should_stop):  # this wave may be cut short: only whole waves count
            break
        parts.append(part)
        odds = _odds(parts, False, "")
        if first + n >= futures:
            yield attrs.evolve(odds, last=True, why="futures")
            return
        if target > 0 and odds.half_width(lab) <= target:
            yield attrs.evolve(odds, last=True, why="target")
            return
        yield odds
    if parts:
        yield _odds(parts, True, "stopped")


def _stopped(should_stop: Callable[[], bool] | None) -> bool:
    return should_stop is not None and bool(should_stop())


def _odds(parts: list[Forecast], last: bool, why: str) -> Odds:
    fc = parts[0] if len(parts) == 1 else Forecast.combine(parts)
    low, high = wilson(fc.win, fc.futures)
    return Odds(fc, low, high, last, why)


@attrs.frozen(eq=False)
class WhatIf:
    """A variant against the book on the same futures: the winner of each future in
    both (-1: none), and the difference in `lab`'s win chance (variant - book) with its
    95% interval, measured future by future (a paired difference)."""

    book: np.ndarray  # (N,) the winner of each future with the book
    variant: np.ndarray  # (N,) the winner of the same futures with the variant
    lab: int
    difference: float
    half_width: float
    last: bool = True
    why: str = "futures"  # as Odds.why

    @property
    def futures(self) -> int:
        return int(self.book.size)

    @property
    def book_win(self) -> float:
        return float(np.mean(self.book == self.lab)) if self.book.size else 0.0

    @property
    def variant_win(self) -> float:
        return float(np.mean(self.variant == self.lab)) if self.variant.size else 0.0

    @property
    def low(self) -> float:
        return self.difference - self.half_width

    @property
    def high(self) -> float:
        return self.difference + self.half_width

    @property
    def independent_half_width(self) -> float:
        """The half-width the same difference would have from two independent forecasts
        of this many futures each (what common random numbers save)."""
        n = max(self.futures, 1)
        b, v = self.book_win, self.variant_win
        return Z95 * math.sqrt((b * (1 - b) + v * (1 - v)) / n)


def paired(
    book: np.ndarray, variant: np.ndarray, lab: int, last: bool = True, why: str = "futures"
) -> WhatIf:
    """The difference in `lab`'s win chance between the winners of the same futures."""
    book, variant = np.asarray(book), np.asarray(variant)
    if book.shape != variant.shape or book.size == 0:
        raise ValueError("a what-if compares the same futures")
    gained = int(np.count_nonzero((variant == lab) & (book != lab)))
    lost = int(np.count_nonzero((book == lab) & (variant != lab)))
    n = book.size
    # Agresti and Min's adjusted interval for a paired difference: half a future added to
    # each of the four outcomes, so that a few futures none of which differ do not claim
    # a zero-width interval.
    g, lo = (gained + 0.5) / (n + 2), (lost + 0.5) / (n + 2)
    half = Z95 * math.sqrt(max(g + lo - (g - lo) ** 2, 0.0) / n)
    return WhatIf(book, variant, lab, (gained - lost) / n, half, last, why)


def paired_waves(
    play_book: Play,
    play_variant: Play,
    lab: int,
    target: float = 0.02,
    futures: int = 2000,
    first_wave: int = 50,
    should_stop: Callable[[], bool] | None = None,
    known: np.ndarray | None = None,
) -> Iterator[WhatIf]:
    """A what-if in waves (`wave_sizes`): each wave plays a range of futures from both
    starts, and the paired difference after it is yielded, until its 95% interval is
    within +-`target` (0: never) or `futures` are played. `known` holds the book's
    winners of futures already played (the odds' `forecast.winners`): those are not
    played again. A wave cut short by `should_stop` is dropped."""
    book: list[np.ndarray] = []
    variant: list[np.ndarray] = []
    known = np.zeros(0, np.int8) if known is None else np.asarray(known)
    for first, n in wave_sizes(futures, first_wave):
        if _stopped(should_stop):
            break
        b = known[first : first + n] if known.size >= first + n else play_book(n, first).winners
        v = play_variant(n, first).winners
        if _stopped(should_stop):
            break
        book.append(b)
        variant.append(v)
        w = paired(np.concatenate(book), np.concatenate(variant), lab, last=False, why="")
        if first + n >= futures:
            yield attrs.evolve(w, last=True, why="futures")
            return
        if target > 0 and w.half_width <= target:
            yield attrs.evolve(w, last=True, why="target")
            return
        yield w
    if book:
        yield paired(np.concatenate(book), np.concatenate(variant), lab, last=True, why="stopped")


def compare(
    world: World,
    controllers: policies.Controllers,
    lab: int,
    futures: int = 1000,
    variant: World | None = None,
    book_week: Callable[[World], Actions] | None = None,
    variant_week: Callable[[World], Actions] | None = None,
    weeks: int | None = None,
    seed: int | None = None,
) -> WhatIf:
    """The book (`world`, its first week played by `book_week` or the AI) against a
    variant (the state `variant`, or the same state with `variant_week`'s first week),
    on the same `futures`, in one process. Both starts must be the same game at the same
    week (their futures then share every draw)."""
    other = world if variant is None else variant
    if not (np.array_equal(world.seed, other.seed) and np.array_equal(world.week, other.week)):
        raise ValueError("a what-if's variant must be the same game at the same week")
    book = run(world, controllers, futures, weeks, seed=seed, first_week=book_week)
    return paired(
        book.winners, run(other, controllers, futures, weeks, seed=seed, first_week=variant_week).winners, lab
    )


def first_week(
    controllers: policies.Controllers, actions: Actions, labs: np.ndarray
) -> Callable[[World], Actions]:
    """A first week in which the labs where `labs` (L,) is true play `actions` (one game's,
    B=1) in every future, and the AI plays the others."""

    def actions_for(batch: World) -> Actions:
        B = batch.batch
        ai = policies.decide(batch, controllers)
        mine = Actions(
            **{
                f.name: np.broadcast_to(
                    getattr(actions, f.name)[:1], (B, *getattr(actions, f.name).shape[1:])
                )
                for f in attrs.fields(Actions)
            }
        )
        return merge(np.broadcast_to(~np.asarray(labs, bool), (B, len(labs))), ai, mine)

    return actions_for
