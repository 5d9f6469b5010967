"""The odds of a game being played, as values: where the futures start (`Start`), the
odds in waves that sharpen (`odds`), and a what-if on the same futures (`what_if`)
against a variant of the lab's week (`Variant`: an extra order, a run started now,
a round skipped, any booked decision dropped).

Nothing here holds on to a session: `Start.of` reads one once (its world, its book,
its save document for worker processes), and the rest works on that value, so a
screen's worker thread or the command line can play futures while the game goes on.

The lab's first week in every future is its book as it stands (the AI plays the
other labs, and every lab after that week), so a what-if's book side is the odds
themselves: their futures are not played again.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from game.batch.futures import Opening, play_range
from game.batch.simulate import FutureSpec
from game.engine import odds as engine_odds
from game.engine import policies, turn
from game.engine.forecast import Forecast
from game.engine.odds import Odds, WhatIf
from game.engine.state import World
from game.play.decisions import MAX_ORDER_GPUS, MAX_RUN_FLOP, BuyGpus, Decision, RaiseRound, Refused, StartRun
from game.play.decisions import book_actions as _book_actions
from game.play.words import odds as say
from game.play.words.news import refusals
from game.play.words.odds import WHAT_IF_SYNTAX

__all__ = [
    "FIRST_WAVE", "FUTURES", "TARGET", "WHAT_IF_SYNTAX", "Odds", "Start", "Variant", "WhatIf", "odds",
    "parse_decision", "parse_variant", "what_if",
]  # fmt: skip

TARGET = 0.02  # design: waves stop once every lab's 95% interval is within +-2 points...
FUTURES = 2000  # design: ...or this many futures are played
# design: the first wave is small so the first odds come fast: the weeks to the end are
# played one after another, so its time is mostly the number of weeks left (see
# benchmarks/odds.py); a dozen futures cost little more than one.
FIRST_WAVE = 12


@attrs.frozen(eq=False)
class Start:
    """Where a game's futures start: its state this week, the AI that plays every lab
    in them (`played_as`: each lab's style), the lab asked about and its week as booked
    (None: the AI plays that week too), and what rebuilds the game on a worker process."""

    world: World
    controllers: policies.Controllers
    lab: int
    book: tuple[Decision, ...] | None
    spec: FutureSpec | None
    played_as: dict[str, str]

    @classmethod
    def of(
        cls,
        session: Any,
        lab: int,
        styles: dict[str, str] | None = None,
        book: list[Decision] | None = None,
        use_book: bool = True,
        workers: bool = True,
    ) -> Start:
        """A game being played (a play.session.Session), read once through its public
        API: `book` (default: the lab's own, if `use_book`) is the lab's first week;
        `styles` override the AI styles guessed for the people's labs."""
        chosen = session.guessed_styles() | dict(styles or {})
        level = session.scenario.meta.difficulty
        params = session.params
        ctl = policies.make_controllers(session.catalog, params, chosen, level, ai_labs=params.lab_ids)
        spec = FutureSpec.of(session, chosen, level) if workers else None
        if book is None and use_book:
            book = session.book(lab)
        return cls(session.world, ctl, lab, None if book is None else tuple(book), spec, chosen)

    @property
    def params(self) -> Any:
        return self.world.params

    def opening(self, book: tuple[Decision, ...] | list[Decision] | None) -> Opening | None:
        if book is None:
            return None
        actions, _ = _book_actions(self.world, {self.lab: list(book)})
        return Opening(actions, self.lab)


Play = Callable[[int, int], Forecast]


def _player(
    start: Start,
    book: tuple[Decision, ...] | list[Decision] | None,
    weeks: int | None,
    seed: int | None,
    executor: cf.Executor | None,
    workers: int,
    should_stop: Callable[[], bool] | None,
    progress: Callable[[float, int], None] | None,
    futures: int,
    local_first: bool = True,
    ahead: Callable[[], Forecast | None] | None = None,
) -> Play:
    opening = start.opening(book)

    def play(n: int, first: int) -> Forecast:
        if first == 0 and ahead is not None:  # the first wave, played ahead of the ask
            played = ahead()
            if played is not None:  # (None: it failed; play it here)
                return played
        heard = None if progress is None else (lambda done, _n: progress(first + done, futures))
        # The first wave plays here: it must not wait for worker processes to start.
        here = first == 0 and local_first
        return play_range(
            start.world, start.controllers, n, first, weeks, seed, opening, start.spec,
            None if here else executor, workers, should_stop, heard,
        )  # fmt: skip

    return play


def odds(
    start: Start,
    target: float = TARGET,
    futures: int = FUTURES,
    first_wave: int = FIRST_WAVE,
    weeks: int | None = None,
    seed: int | None = None,
    executor: cf.Executor | None = None,
    workers: int = 1,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[float, int], None] | None = None,
    ahead: Callable[[], Forecast | None] | None = None,
) -> Iterator[Odds]:
    """The odds from `start`, wave after wave, until every lab's 95% interval is within
    +-`target` (0: play exactly `futures`) or `futures` are played. Waves of at least
    8 futures a worker go to `executor` (`workers` parts); the rest play here. `ahead`:
    the first wave's futures, played already (game/tui/ahead.py), for the same start."""
    play = _player(start, start.book, weeks, seed, executor, workers, should_stop, progress, futures, ahead=ahead)
    return engine_odds.waves(
        start.world, start.controllers, None, target, futures, first_wave, weeks, seed, should_stop, play
    )


@attrs.frozen
class Variant:
    """A change to the lab's week: `add` a decision, or `drop` decision number `drop`
    (from 0) of the book. `words` say it as a player would."""

    words: str
    add: Decision | None = None
    drop: int | None = None

    @classmethod
    def also(cls, decision: Decision, params: Any) -> Variant:
        return cls(say.also(decision.label(params)), add=decision)

    @classmethod
    def without(cls, book: tuple[Decision, ...] | list[Decision], index: int, params: Any) -> Variant:
        if not 0 <= index < len(book):
            raise Refused(say.no_decision(index + 1))
        d = book[index]
        if isinstance(d, RaiseRound):
            return cls(say.skip_round(), drop=index)
        return cls(say.without(d.label(params)), drop=index)

    @classmethod
    def skip_round(cls, book: tuple[Decision, ...] | list[Decision], params: Any) -> Variant:
        index = next((k for k, d in enumerate(book) if isinstance(d, RaiseRound)), None)
        if index is None:
            raise Refused(say.no_round())
        return cls.without(book, index, params)

    def book(self, start: Start) -> list[Decision]:
        """The lab's week with this change, checked by the engine's rules (a decision the
        week would refuse is refused here, with the reason)."""
        base = list(start.book or ())
        if self.drop is not None:
            if not 0 <= self.drop < len(base):
                raise Refused(say.no_decision(self.drop + 1))
            base.pop(self.drop)
        if self.add is None:
            return base
        self.add.check(start.params, start.world, start.lab, base)
        changed = [*base, self.add]
        before = _refused(start, base)
        added = _refused(start, changed) & ~before
        if added:
            raise Refused(say.refused(self.add.label(start.params), refusals(added)))
        return changed


def _refused(start: Start, book: list[Decision]) -> int:
    actions, _ = _book_actions(start.world, {start.lab: book})
    return int(turn.dry_run(start.world, actions)[2][0, start.lab])


def what_if(
    start: Start,
    variant: Variant,
    target: float = TARGET,
    futures: int = FUTURES,
    first_wave: int = FIRST_WAVE,
    weeks: int | None = None,
    seed: int | None = None,
    executor: cf.Executor | None = None,
    workers: int = 1,
    should_stop: Callable[[], bool] | None = None,
    known: Forecast | None = None,
) -> Iterator[WhatIf]:
    """The lab's book against `variant` on the same futures, in waves: after each, the
    difference in the lab's win chance (variant - book) with its paired 95% interval,
    until that is within +-`target` (0: play exactly `futures`) or `futures` are played.
    `known`: the odds already played from `start` with the same `weeks` and `seed`
    (their futures are the book's: not played again). Raises Refused if the variant's
    week would be refused."""
    changed = variant.book(start)
    book = tuple(start.book or ())
    play_book = _player(start, book, weeks, seed, executor, workers, should_stop, None, futures)
    play_variant = _player(start, changed, weeks, seed, executor, workers, should_stop, None, futures)
    winners = known.winners if known is not None and start.book is not None else None
    return engine_odds.paired_waves(
        play_book, play_variant, start.lab, target, futures, first_wave, should_stop, winners
    )


# ------------------------------------------------------------ words -> decisions
def amount(text: str, what: str, lo: float, hi: float) -> float:
    """A number as a person types it: 50000, 50,000, 50k, 2.5B, 1e26. `what`: the
    decision it belongs to (a key of words.odds.AMOUNTS)."""
    cleaned = text.replace(",", "").replace("_", "").replace("$", "").strip().lower()
    scale = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}.get(cleaned[-1:], 1.0)
    if scale != 1.0:
        cleaned = cleaned[:-1]
    try:
        value = float(cleaned) * scale
    except ValueError:
        raise Refused(say.not_a_number(what, text)) from None
    if not (math.isfinite(value) and lo <= value <= hi):
        raise Refused(say.out_of_range(what, lo, hi))
    return value


def parse_decision(text: str, params: Any) -> Decision:
    """One decision of a week in words: 'buy COUNT GPU [VENDOR]', 'run FLOP', 'raise USD'."""
    words = text.split()
    kind = words[0].lower() if words else ""
    if kind == "buy" and len(words) in (3, 4):
        count = amount(words[1], "buy", 1, MAX_ORDER_GPUS)
        if count != int(count):
            raise Refused(say.whole_count())
        gpu = next((g for g in params.gpu_ids if g.lower() == words[2].lower()), None)
        if gpu is None:
            raise Refused(say.unknown("gpu", words[2], params.gpu_ids))
        vendor = words[3].lower() if len(words) == 4 else params.integrator_ids[0]
        if vendor not in params.integrator_ids:
            raise Refused(say.unknown("vendor", vendor, params.integrator_ids))
        return BuyGpus(gpu, vendor, int(count))
    if kind == "run" and len(words) == 2:
        return StartRun(amount(words[1], "run", 1, MAX_RUN_FLOP))
    if kind == "raise" and len(words) == 2:
        return RaiseRound(amount(words[1], "raise", 1, 1e15))
    raise Refused(say.not_a_decision(text))


def parse_variant(text: str, book: tuple[Decision, ...] | list[Decision], params: Any) -> Variant:
    """A what-if in words (WHAT_IF_SYNTAX) against the week's `book`."""
    words = text.split()
    kind = words[0].lower() if words else ""
    if kind == "skip-round" and len(words) == 1:
        return Variant.skip_round(book, params)
    if kind == "without" and len(words) == 2:
        if not words[1].isdigit():
            raise Refused(say.not_a_number_in_book(words[1]))
        return Variant.without(book, int(words[1]) - 1, params)
    return Variant.also(parse_decision(text, params), params)
