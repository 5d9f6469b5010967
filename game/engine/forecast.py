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
        )

    def agi_percentiles(self) -> dict[str, float | None]:
        if self.agi_weeks.size == 0:
            return {"p10": None, "p50": None, "p90": None}
        q = np.percentile(self.agi_weeks, [10, 50, 90])
        return {"p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}


def games_played(done: np.ndarray, weeks: int, limit: int) -> float:
    """How many of a batch's games are played after `weeks` of at most `limit`: a game
    over counts 1, a running one the share of its weeks played (`done`: (B,) bool)."""
    over = int(np.count_nonzero(done))
    return over + (done.size - over) * min(weeks / max(limit, 1), 1.0)


def run(
    world: World,
    controllers: policies.Controllers,
    futures: int = 2000,
    weeks: int | None = None,
    seed: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    first: int = 0,
    progress: Callable[[float, int], None] | None = None,
) -> Forecast:
    """Play `futures` copies of game 0 of `world` forward (to the end, or `weeks`): the
    futures numbered `first` .. `first + futures - 1`, so disjoint ranges played apart
    (in other processes, say) combine into the same forecast as one run.
    `should_stop`, if given, is called each week; a true answer stops early.
    `progress(done, futures)`, if given, hears after each week how many futures are
    played (see `share_played`); it reads the batch and changes nothing."""
    batch = take(world, np.zeros(futures, dtype=np.int64))
    seeds = batch.seed if seed is None else np.full(futures, np.uint64(seed))
    numbers = FUTURE_BASE + first + np.arange(futures, dtype=np.int64)
    batch = attrs.evolve(batch, seed=seeds, game=numbers)
    limit = world.params.last_week + 1 - int(world.week[0]) if weeks is None else weeks
    played = 0
    for _ in range(max(limit, 0)):
        if batch.done.all() or (should_stop is not None and should_stop()):
            break
        batch, _ = turn.step(batch, policies.decide(batch, controllers))
        played += 1
        if progress is not None:
            progress(games_played(batch.done, played, limit), futures)
    L = world.cash.shape[1]
    win = np.array([(batch.winner == lab).mean() for lab in range(L)])
    agi = batch.done & (batch.end_reason == END_AGI)
    return Forecast(
        futures=futures,
        weeks_played=played,
        win=win,
        no_winner=float((batch.winner < 0).mean()),
        bankrupt=batch.bankrupt.mean(0),
        agi_share=float(agi.mean()),
        agi_weeks=np.sort(batch.agi_week[agi]),
        on_points=float((batch.done & (batch.end_reason == END_TIME) & (batch.winner >= 0)).mean()),
    )
