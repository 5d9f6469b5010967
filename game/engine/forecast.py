"""Monte Carlo futures from one game's state: the odds of winning, when AGI lands, and
the chance of bankruptcy.

The futures are copies of the game numbered `FUTURE_BASE + k`: each draws its own
random numbers (the RNG is keyed by the game index), the same ones for the same seed,
so a forecast is deterministic. Every lab is played by an AI policy in the futures.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np

from game.engine import policies, turn
from game.engine.actions import Actions
from game.engine.state import END_AGI, END_TIME, World, take

FUTURE_BASE = 1_000_000_000


@attrs.frozen(eq=False)
class Forecast:
    futures: int
    weeks_played: int
    win: np.ndarray  # (L,) share of futures each lab wins
    no_winner: float  # share of futures still undecided after the horizon
    bankrupt: np.ndarray  # (L,) share of futures in which each lab goes bankrupt
    agi_share: float  # share of futures that end in AGI
    agi_weeks: np.ndarray  # AGI week of each future that reached it (sorted)
    on_points: float = 0.0  # share of futures that reach the last week without AGI (won on points)
    # The winner of each future, in the order of their numbers (-1: none): what a what-if
    # compares future by future (see `compare`).
    winners: np.ndarray = attrs.field(factory=lambda: np.zeros(0, np.int8))

    @classmethod
    def combine(cls, parts: list[Forecast]) -> Forecast:
        """One forecast from forecasts of disjoint ranges of futures (see `run`'s `first`):
        the same as playing them all at once."""
        n = np.array([f.futures for f in parts], dtype=np.float64)
        total = int(n.sum())

        def mean(values: list[np.ndarray] | list[float]) -> np.ndarray:
            # Every share is a count of futures over their number: add the counts.
            counts = np.round(
                n.reshape((-1,) + (1,) * np.ndim(values[0])) * np.array(values, dtype=np.float64)
            )
            return counts.sum(0) / max(total, 1)

        return cls(
            futures=total,
            weeks_played=max(f.weeks_played for f in parts),
            win=mean([f.win for f in parts]),
            no_winner=float(mean([f.no_winner for f in parts])),
            bankrupt=mean([f.bankrupt for f in parts]),
            agi_share=float(mean([f.agi_share for f in parts])),
            agi_weeks=np.sort(np.concatenate([f.agi_weeks for f in parts])),
            on_points=float(mean([f.on_points for f in parts])),
            winners=np.concatenate([f.winners for f in parts]),
        )

    def agi_percentiles(self) -> dict[str, float | None]:
        if self.agi_weeks.size == 0:
            return {"p10": None, "p50": None, "p90": None}
        q = np.percentile(self.agi_weeks, [10, 50, 90])
        return {"p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}


def games_played(done: np.ndarray, weeks: int, limit: int) -> float:
    """How many of a batch's games are played after `weeks` of at most `limit`: a game
    over counts 1, a running one the share of its weeks played (`done`: (B,) bool)."""
    return games_played_count(int(np.count_nonzero(done)), done.size, weeks, limit)


def games_played_count(over: int, games: int, weeks: int, limit: int) -> float:
    """`games_played` from the number of games over among `games`."""
    return over + (games - over) * min(weeks / max(limit, 1), 1.0)


def run(
    world: World,
    controllers: policies.Controllers,
    futures: int = 2000,
    weeks: int | None = None,
    seed: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    first: int = 0,
    progress: Callable[[float, int], None] | None = None,
    first_week: Callable[[World], Actions] | None = None,
) -> Forecast:
    """Play `futures` copies of game 0 of `world` forward (to the end, or `weeks`): the
    futures numbered `first` .. `first + futures - 1`, so disjoint ranges played apart
    (in other processes, say) combine into the same forecast as one run.
    `should_stop`, if given, is called each week; a true answer stops early.
    `progress(done, futures)`, if given, hears after each week how many futures are
    played (see `share_played`); it reads the batch and changes nothing.
    `first_week`, if given, gives the first week's actions of the batch in place of the
    AI's (a what-if: see `compare`).

    Futures that are over leave the batch (a game plays the same alone or in any batch),
    so the weeks after the first endings cost only the futures still running."""
    batch = take(world, np.zeros(futures, dtype=np.int64))
    seeds = batch.seed if seed is None else np.full(futures, np.uint64(seed))
    numbers = FUTURE_BASE + first + np.arange(futures, dtype=np.int64)
    batch = attrs.evolve(batch, seed=seeds, game=numbers)
    limit = world.params.last_week + 1 - int(world.week[0]) if weeks is None else weeks
    L = world.cash.shape[1]
    # What each future ends with, filled in as it leaves the batch (and at the end).
    winner = np.array(batch.winner, dtype=np.int64)
    end_reason = np.array(batch.end_reason, dtype=np.int64)
    agi_week = np.array(batch.agi_week, dtype=np.int64)
    done = np.array(batch.done)
    bankrupt = np.array(batch.bankrupt)
    rows = np.arange(futures)  # the future each row of the batch is

    def record(at: np.ndarray, b: World, keep: np.ndarray | slice) -> None:
        winner[at], end_reason[at], agi_week[at] = b.winner[keep], b.end_reason[keep], b.agi_week[keep]
        done[at], bankrupt[at] = b.done[keep], b.bankrupt[keep]

    played = 0
    live = ~batch.done
    if not live.all():  # futures over from the start never play
        batch, rows = take(batch, np.flatnonzero(live)), rows[live]
    for _ in range(max(limit, 0)):
        if rows.size == 0 or (should_stop is not None and should_stop()):
            break
        if played == 0 and first_week is not None:
            actions = first_week(batch)
        else:
            actions = policies.decide(batch, controllers)
        batch, _ = turn.step(batch, actions)
        played += 1
        over = batch.done
        if over.any():
            record(rows[over], batch, over)
            keep = np.flatnonzero(~over)
            batch, rows = take(batch, keep), rows[keep]
        if progress is not None:
            progress(games_played_count(futures - rows.size, futures, played, limit), futures)
    record(rows, batch, slice(None))
    agi = done & (end_reason == END_AGI)
    return Forecast(
        futures=futures,
        weeks_played=played,
        win=np.array([(winner == lab).mean() for lab in range(L)]),
        no_winner=float((winner < 0).mean()),
        bankrupt=bankrupt.mean(0),
        agi_share=float(agi.mean()),
        agi_weeks=np.sort(agi_week[agi]),
        on_points=float((done & (end_reason == END_TIME) & (winner >= 0)).mean()),
        winners=winner.astype(np.int8),
    )
