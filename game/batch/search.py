"""The exploit search: the strongest player strategies a seeded optimiser finds against
the hard AI, for each lab, in the family of levers.py.

The optimiser is the cross-entropy method over the unit cube of the levers, its first
generation a random search (plus the hard AI's own play, the neutral point): each
generation samples candidates around the mean of the last generation's best (the elite),
narrows toward them, and plays every candidate on the same games (common random
numbers: the same seed and game numbers, so candidates differ by their levers, not their
luck); each generation plays new game numbers, so a candidate lucky on one set of games
does not stay on top. At the end the best candidates seen (by their generation's share)
are played again on fresh games, all on the same ones, with the hard AI itself as the
baseline: their win shares and 95% intervals (Wilson) are those games', not the ones
they were picked on.

A generation's games go out as jobs (a slice of candidates, their games): on this
process, on `workers` processes or on any concurrent.futures.Executor (executor.py), the
same results. A job carries the scenario's text and the assets folder it was loaded
from, so a changed assets/ folder is what every worker plays.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from game.batch import levers
from game.batch.executor import run_jobs
from game.batch.sources import Source
from game.batch.tournament import wilson
from game.catalog import Catalog
from game.engine import policies, turn
from game.engine.shedding import Shedding
from game.saves import Scenario, initial_world, scenario_params

PLAYERS = ("xai", "openai")
LIMIT = 0.75  # the balance target: no strategy wins more than 75% against the hard AI
POPULATION = 24
ELITE = 0.25  # the share of a generation that sets the next one's distribution
SMOOTHING = 0.7  # how far the distribution moves toward the elite each generation
MIN_SPREAD = 0.04  # the narrowest the distribution gets (unit coordinates)
FIRST_SPREAD = 0.3
FINALISTS = 3
Progress = Callable[[int, int], None]
Evaluate = Callable[[np.ndarray, int], np.ndarray]  # (candidates (C, D), first game) -> wins (C, n)


@attrs.frozen
class Budget:
    """How many games the search plays for each lab: `generations` of `population`
    candidates on `games` games each; then the finalists and the baseline on `confirm`
    fresh games; then the best with each of its levers put back to the AI's choice, on
    `ablate` fresh games (what it leans on)."""

    games: int = 32
    population: int = POPULATION
    generations: int = 7
    confirm: int = 400
    ablate: int = 96

    @classmethod
    def of_total(cls, total: int) -> Budget:
        """A budget of about `total` games a lab: 65% searching (at least two
        generations, each candidate on up to 32 games), 20% confirming the finalists, 15%
        taking the best apart."""
        games = int(np.clip(round(total / 250), 2, 32))
        generations = max(2, round(0.65 * total / (POPULATION * games)))
        confirm = max(games, round(0.20 * total / (FINALISTS + 1)))
        ablate = max(games, round(0.15 * total / (len(levers.LEVERS) + 1)))
        return cls(games, POPULATION, generations, confirm, ablate)

    @property
    def total(self) -> int:
        search = self.games * self.population * self.generations
        return search + self.confirm * (FINALISTS + 1) + self.ablate * (len(levers.LEVERS) + 1)


# ------------------------------------------------------------------- optimiser
def cross_entropy(
    evaluate: Evaluate,
    dims: int,
    seed: int,
    budget: Budget,
    start: np.ndarray | None = None,
) -> tuple[list[tuple[float, np.ndarray]], list[np.ndarray]]:
    """Maximise the mean of `evaluate`'s wins over the unit cube. Returns every candidate
    scored (share, point), best first, and each generation's candidates."""
    rng = np.random.default_rng(seed)
    mean = np.full(dims, 0.5) if start is None else np.asarray(start, float)
    spread = np.full(dims, FIRST_SPREAD)
    seen: list[tuple[float, np.ndarray]] = []
    generations = []
    n_elite = max(2, round(ELITE * budget.population))
    for g in range(budget.generations):
        if g == 0:  # random search, with the start point among it
            pop = rng.uniform(0.0, 1.0, (budget.population, dims))
            pop[0] = mean
        else:
            pop = np.clip(mean + spread * rng.standard_normal((budget.population, dims)), 0.0, 1.0)
        wins = evaluate(pop, g * budget.games)
        scores = wins.mean(-1)
        generations.append(pop)
        order = np.argsort(-scores, kind="stable")
        seen += [(float(scores[i]), pop[i]) for i in order]
        elite = pop[order[:n_elite]]
        mean = SMOOTHING * elite.mean(0) + (1 - SMOOTHING) * mean
        spread = np.maximum(SMOOTHING * elite.std(0) + (1 - SMOOTHING) * spread, MIN_SPREAD)
    seen.sort(key=lambda sp: -sp[0])
    return seen, generations


# ------------------------------------------------------------------- playing
def candidate_world(
    scn: Scenario, catalog: Catalog, candidates: int, games: int, seed: int, first: int
) -> Any:
    """The world of `candidates` x `games` games: every candidate's block plays game
    numbers first .. first+games-1 with the same seed (common random numbers)."""
    params = scenario_params(scn, catalog, humans=())
    world = initial_world(scn, params, candidates * games, seed=seed, offset=first)
    numbers = np.tile(np.arange(first, first + games, dtype=np.int64), candidates)
    return attrs.evolve(world, game=numbers)


def play(
    scn: Scenario,
    catalog: Catalog,
    lab: str,
    points: np.ndarray,
    games: int,
    seed: int,
    first: int,
    weeks: int | None = None,
) -> np.ndarray:
    """Candidates (C, D) each on games first .. first+games-1 for `lab`, every other lab
    the hard AI of its own style: the lab's wins (C, games) bool."""
    params = scenario_params(scn, catalog, humans=())
    ctl = policies.make_controllers(catalog, params, dict(scn.ai), "hard", ai_labs=params.lab_ids)
    C = len(points)
    world = candidate_world(scn, catalog, C, games, seed, first)
    horizon = params.last_week + 1 - scn.meta.week
    values, until = levers.decode(points, horizon)
    turn_levers = levers.Levers(
        np.repeat(values, games, 0), np.repeat(until, games, 0), params.lab_ids.index(lab), scn.meta.week
    )
    batch = Shedding(world)  # games over leave the batch
    for _ in range(params.last_week + 1 if weeks is None else weeks):
        if batch.over:
            break
        world, _ = turn.step(batch.world, turn_levers(batch.world, policies.decide(batch.world, ctl)))
        kept = batch.shed(world)
        if kept is not None:
            turn_levers.keep(kept)
    world = batch.result()
    return (world.winner == params.lab_ids.index(lab)).reshape(C, games)


# A job: the source, the lab, candidates (c, D), games, seed, first game, weeks.
Job = tuple[Source, str, np.ndarray, int, int, int, int | None]


def _job(job: Job, report: Any = None) -> np.ndarray:
    source, lab, points, games, seed, first, weeks = job
    scn, catalog = source.load()
    out = play(scn, catalog, lab, points, games, seed, first, weeks)
    if report is not None:
        report(len(points) * games)
    return out


class Runner:
    """Plays candidates as jobs of at most `chunk` games, at least `parts` jobs a call: on
    this process, or through `executor` (any concurrent.futures.Executor); the same
    results. `progress(done, total)` hears every job."""

    def __init__(
        self,
        source: Source,
        seed: int,
        chunk: int = 1000,
        executor: cf.Executor | None = None,
        weeks: int | None = None,
        progress: Progress | None = None,
        total: int = 0,
        parts: int = 1,
    ) -> None:
        self.source, self.seed, self.chunk, self.executor, self.weeks = source, seed, chunk, executor, weeks
        self.parts = parts  # jobs a call is split into at least (one per worker)
        self.progress, self.total, self.done = progress, total, 0
        self.calls: list[tuple[int, int, int]] = []  # (candidates, games, first game) of each call

    def __call__(self, lab: str, points: np.ndarray, games: int, first: int) -> np.ndarray:
        self.calls.append((len(points), games, first))
        per_job = max(1, min(self.chunk // games, -(-len(points) // self.parts)))
        jobs: list[Job] = [
            (self.source, lab, points[i : i + per_job], games, self.seed, first, self.weeks)
            for i in range(0, len(points), per_job)
        ]
        sizes = [len(job[2]) * games for job in jobs]
        if self.executor is None:
            parts = []
            for job, size in zip(jobs, sizes, strict=True):
                parts.append(_job(job))
                self._heard(size)
        else:
            before = self.done
            parts = run_jobs(
                _job, jobs, sizes, 1, sum(sizes), lambda d, _t: self._set(before + int(d)), self.executor
            )
        return np.concatenate(parts)

    def _heard(self, games: int) -> None:
        self._set(self.done + games)

    def _set(self, done: int) -> None:
        self.done = done
        if self.progress is not None:
            self.progress(done, self.total)


# ---------------------------------------------------------------------- search
def search_lab(run: Runner, lab: str, budget: Budget, seed: int, horizon: int) -> dict[str, Any]:
    """The search for one lab: the finalists and the baseline on fresh games."""
    start = levers.neutral_point()
    seen, _ = cross_entropy(
        lambda pts, first: run(lab, pts, budget.games, first), levers.DIMENSIONS, seed, budget, start
    )
    finalists: list[tuple[float, np.ndarray]] = []
    for score, point in seen:  # the best distinct strategies, the hard AI's own play aside
        if all(np.abs(point - other).max() > 1e-9 for _, other in [(0.0, start), *finalists]):
            finalists.append((score, point))
        if len(finalists) == FINALISTS:
            break
    fresh = budget.generations * budget.games  # game numbers no generation played
    points = np.stack([start] + [p for _, p in finalists])
    wins = run(lab, points, budget.confirm, fresh)
    rows = []
    for i, point in enumerate(points):
        k, n = int(wins[i].sum()), wins.shape[1]
        lo, hi = wilson(k, n)
        rows.append(
            {
                "baseline": i == 0,
                "share": k / n,
                "lo": lo,
                "hi": hi,
                "games": n,
                "picked_at": None if i == 0 else finalists[i - 1][0],
                "levers": [] if i == 0 else levers.leans(point, horizon),
                "point": [round(float(x), 4) for x in point],
            }
        )
    best = max(rows[1:], key=lambda r: r["share"])
    best["leans"] = lean_on(run, lab, np.array(best["point"]), budget.ablate, fresh + budget.confirm, horizon)
    return {"lab": lab, "baseline": rows[0], "strategies": sorted(rows[1:], key=lambda r: -r["share"]),
            "best": best, "met": best["share"] <= LIMIT}  # fmt: skip


def lean_on(
    run: Runner, lab: str, point: np.ndarray, games: int, first: int, horizon: int
) -> list[dict[str, Any]]:
    """What a strategy leans on: each lever set away from the AI's choice put back to it
    in turn, all on the same fresh games; the levers whose loss costs the most first."""
    neutral = levers.neutral_point()
    n = len(levers.LEVERS)
    moved = [j for j in range(n) if abs(point[j] - neutral[j]) > 0.02 and point[n + j] > 0.0]
    ablated = np.repeat(point[None, :], len(moved), 0)
    for i, j in enumerate(moved):
        ablated[i, j] = neutral[j]
    wins = run(lab, np.concatenate([point[None, :], ablated]), games, first)
    share = wins.mean(-1)
    out: list[dict[str, Any]] = []
    for i, j in enumerate(moved):
        described = levers.leans_one(point, horizon, j)
        out.append({"lever": levers.LEVERS[j].name, "setting": described, "without": float(share[i + 1]),
                    "points": float(share[0] - share[i + 1]) * 100})  # fmt: skip
    out.sort(key=lambda r: -float(r["points"]))
    return out


def run_search(
    scn: Scenario,
    catalog: Catalog,
    assets: Path | None = None,
    labs: tuple[str, ...] = PLAYERS,
    budget: Budget | None = None,
    seed: int = 1,
    chunk: int = 1000,
    workers: int = 1,
    executor: cf.Executor | None = None,
    progress: Progress | None = None,
    weeks: int | None = None,
) -> dict[str, Any]:
    """The search for each lab in `labs`, against the hard AI (on this process, `workers`
    fresh processes or `executor`: the same results): its document."""
    budget = budget or Budget()
    params = scenario_params(scn, catalog, humans=())
    horizon = params.last_week + 1 - scn.meta.week
    with contextlib.ExitStack() as stack:
        if executor is None and workers > 1:  # one pool of fresh processes for the whole search
            import multiprocessing

            context = multiprocessing.get_context("spawn")
            executor = stack.enter_context(cf.ProcessPoolExecutor(max_workers=workers, mp_context=context))
        total = budget.total * len(labs)
        run = Runner(Source.of(scn, assets), seed, chunk, executor, weeks, progress, total, max(1, workers))
        results = [search_lab(run, lab, budget, seed + 1000 * i, horizon) for i, lab in enumerate(labs)]
    return {
        "scenario": scn.name,
        "seed": seed,
        "assets": None if assets is None else str(assets),
        "budget": attrs.asdict(budget) | {"games_per_lab": budget.total},
        "limit": LIMIT,
        "labs": results,
    }


def target(doc: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The search's row of the targets: the best it found, at most 75%."""
    best = max(doc["labs"], key=lambda r: r["best"]["share"])
    b = best["best"]
    value = f"best: {names.get(best['lab'], best['lab'])} {b['share']:.1%} ({b['lo']:.0%}-{b['hi']:.0%})"
    return {"measure": "the exploit search's best vs the hard AI", "target": f"<= {LIMIT:.0%}",
            "value": value, "met": all(r["met"] for r in doc["labs"])}  # fmt: skip
