"""Headless simulation: many games of one scenario, played by the AI, in chunks.

Game i (numbered from `offset`) is the same game whatever the chunk size or shard it is
played in: the engine's randomness is keyed by (seed, game index, week, stream). The
summary and records hold only game results, nothing that varies between identical runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog
from game.engine import compute, deals, economy, forecast, policies, turn
from game.engine.params import Params
from game.engine.state import END_REASONS, World
from game.saves import Scenario, initial_world, scenario_params

DEFAULT_CHUNK = 10_000

Difficulty = str | dict[str, str]  # one level for every lab, or a level per lab
Report = Callable[[float], None]  # a part's progress: games or futures played so far
# What a worker process is given: a chunk of games (scenario, catalog, games, seed, first
# game, weeks, styles, difficulty), or a range of futures (world, AI, futures, weeks,
# seed, first future).
ChunkJob = tuple[
    Scenario, Catalog, int, int | None, int, int | None, dict[str, str] | None, Difficulty | None
]
ForecastJob = tuple[World, policies.Controllers, int, int | None, int | None, int]


@attrs.frozen
class SimResult:
    params: Params = attrs.field(repr=False)
    games: list[dict[str, Any]]
    summary: dict[str, Any]
    last: World | None = attrs.field(repr=False)  # the last chunk's final state
    controllers: policies.Controllers = attrs.field(repr=False)


def play(
    world: World,
    ctl: policies.Controllers,
    weeks: int | None = None,
    on_week: Callable[[World, turn.Report], None] | None = None,
) -> World:
    """Advance every game until it ends (or for `weeks` weeks), AI on every lab it plays."""
    limit = world.params.last_week + 1 if weeks is None else weeks
    for _ in range(limit):
        if world.done.all():
            break
        world, report = turn.step(world, policies.decide(world, ctl))
        if on_week is not None:
            on_week(world, report)
    return world


class Tally:
    """What happened along the way in each game of a batch: deals signed per lab and
    partner, partners' answers by kind and reason, events fired per card."""

    def __init__(self, world: World) -> None:
        p = world.params
        B, L = world.cash.shape
        self.signed = np.zeros((B, L, len(p.partner_ids)), np.int64)
        self.answers = np.zeros((B, len(deals.ANSWERS), len(deals.REASONS)), np.int64)
        self.events = np.zeros((B, len(p.catalog.events)), np.int64)

    def __call__(self, world: World, report: turn.Report) -> None:
        made = report.offer_answer >= 0
        accepted = report.offer_answer == deals.ACCEPT
        P = self.signed.shape[-1]
        self.signed += (accepted[..., None] & (report.offer_partner[..., None] == np.arange(P))).astype(
            np.int64
        )
        for a in range(len(deals.ANSWERS)):
            hit = made & (report.offer_answer == a)
            for r in np.unique(report.offer_reason[hit]):
                self.answers[:, a, r] += (hit & (report.offer_reason == r)).sum(1)
        self.events += report.events.any(1)


def game_records(world: World, tally: Tally | None = None) -> list[dict[str, Any]]:
    """One JSON-ready record per game: result, each lab's final state, and (with a
    tally) the deals it signed and the events that fired."""
    p = world.params
    peak, _, _ = compute.lab_flops(p, world)
    points = economy.score(p, world)
    out: list[dict[str, Any]] = []
    for b in range(world.batch):
        winner = int(world.winner[b])
        agi = int(world.agi_week[b])
        out.append(
            {
                "index": int(world.game[b]),
                "winner": p.lab_ids[winner] if winner >= 0 else None,
                "end": END_REASONS[int(world.end_reason[b])],
                "agi_week": agi if agi >= 0 else None,
                "weeks": int(world.week[b]),
                "labs": {
                    lab: {
                        "cash": float(world.cash[b, li]),
                        "debt": float(world.debt[b, li]),
                        "valuation": float(world.valuation[b, li]),
                        "compute": float(peak[b, li]),
                        "capability": float(world.best_model[b, li]),
                        "software": float(world.software[b, li]),
                        "users": float(world.users[b, li]),
                        "bankrupt": bool(world.bankrupt[b, li]),
                        "founder_share": float(world.founder_share[b, li]),
                        "score": float(points[b, li]),
                    }
                    for li, lab in enumerate(p.lab_ids)
                },
            }
        )
        if tally is not None:
            out[-1]["deals"] = {
                lab: {
                    q: int(tally.signed[b, li, k])
                    for k, q in enumerate(p.partner_ids)
                    if tally.signed[b, li, k]
                }
                for li, lab in enumerate(p.lab_ids)
            }
            out[-1]["answers"] = {
                f"{deals.ANSWERS[a]}:{deals.REASONS[r]}": int(tally.answers[b, a, r])
                for a, r in zip(*np.nonzero(tally.answers[b]), strict=True)
            }
            out[-1]["events"] = {
                card.id: int(tally.events[b, c])
                for c, card in enumerate(p.catalog.events)
                if tally.events[b, c]
            }
    return out


def _percentiles(values: np.ndarray) -> dict[str, float | None]:
    if values.size == 0:
        return {"p10": None, "p50": None, "p90": None}
    q = np.percentile(values, [10, 50, 90])
    return {"p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}


def summarise(params: Params, games: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(games)
    labs = params.lab_ids
    winners = [g["winner"] for g in games]
    agi_weeks = np.array([g["agi_week"] for g in games if g["agi_week"] is not None], dtype=float)
    agi_dates = {
        k: (params.date_of(int(round(v))).isoformat() if v is not None else None)
        for k, v in _percentiles(agi_weeks).items()
    }
    deal_totals: dict[str, dict[str, int]] = {lab: {} for lab in labs}
    answer_totals: dict[str, int] = {}
    event_totals: dict[str, int] = {}
    for g in games:
        for lab, per in g.get("deals", {}).items():
            for partner, k in per.items():
                deal_totals[lab][partner] = deal_totals[lab].get(partner, 0) + k
        for key, k in g.get("answers", {}).items():
            answer_totals[key] = answer_totals.get(key, 0) + k
        for card, k in g.get("events", {}).items():
            event_totals[card] = event_totals.get(card, 0) + k
    return {
        "deals_signed": deal_totals,
        "answers": dict(sorted(answer_totals.items())),
        "events_fired": dict(sorted(event_totals.items(), key=lambda kv: -kv[1])),
        "games": n,
        "win_rate": {lab: winners.count(lab) / n for lab in labs} | {"none": winners.count(None) / n},
        "ends": {reason: sum(g["end"] == reason for g in games) for reason in END_REASONS},
        "agi_share": agi_weeks.size / n,
        "agi_week": _percentiles(agi_weeks),
        "agi_date": agi_dates,
        "bankruptcies": {lab: sum(g["labs"][lab]["bankrupt"] for g in games) for lab in labs},
        "compute": {lab: _percentiles(np.array([g["labs"][lab]["compute"] for g in games])) for lab in labs},
        "cash": {lab: _percentiles(np.array([g["labs"][lab]["cash"] for g in games])) for lab in labs},
        "capability": {
            lab: _percentiles(np.array([g["labs"][lab]["capability"] for g in games])) for lab in labs
        },
    }


def controllers(
    scn: Scenario,
    catalog: Catalog,
    params: Params,
    styles: dict[str, str] | None = None,
    difficulty: str | dict[str, str] | None = None,
) -> policies.Controllers:
    """The AI for every lab of a headless game: the file's styles, then `styles`; the
    file's difficulty, or `difficulty` for every lab, or per lab (the others keep the
    file's)."""
    chosen = dict(scn.ai) | dict(styles or {})
    if isinstance(difficulty, dict):
        level: str | dict[str, str] = {
            lab: difficulty.get(lab, scn.meta.difficulty) for lab in params.lab_ids
        }
    else:
        level = difficulty or scn.meta.difficulty
    return policies.make_controllers(catalog, params, chosen, level, ai_labs=params.lab_ids)


def simulate(
    scn: Scenario,
    catalog: Catalog,
    runs: int,
    seed: int | None = None,
    offset: int | None = None,
    weeks: int | None = None,
    styles: dict[str, str] | None = None,
    difficulty: str | dict[str, str] | None = None,
    chunk: int = DEFAULT_CHUNK,
    progress: Callable[[float, int], None] | None = None,
    workers: int = 1,
    keep_last: bool = False,
) -> SimResult:
    """Play games offset .. offset+runs-1 of the scenario with the AI on every lab, in
    chunks, on `workers` processes. Game i is the same game whatever the chunking or the
    number of processes (its random numbers are keyed by its index). `seed` and `offset`
    default to the file's own; `difficulty` is one level for every lab or a level per lab.
    With several workers the final World is rebuilt only if `keep_last` asks for it.
    `progress(done, runs)` hears after every week of every chunk how many games are
    played (`forecast.games_played`: a running game counts by the share of its weeks)."""
    params = scenario_params(scn, catalog, humans=())
    ctl = controllers(scn, catalog, params, styles, difficulty)
    first = scn.meta.game if offset is None else offset
    starts = list(range(0, runs, chunk))
    if workers > 1 and len(starts) < workers:  # give every process something to do
        chunk = max(1, -(-runs // workers))
        starts = list(range(0, runs, chunk))
    jobs: list[ChunkJob] = [
        (scn, catalog, min(chunk, runs - start), seed, first + start, weeks, styles, difficulty)
        for start in starts
    ]
    games: list[dict[str, Any]] = []
    last: World | None = None
    if workers > 1:
        for records in _pool_map(_play_chunk, jobs, workers, runs, progress):
            games.extend(records)
        if keep_last:
            last = _final_world(jobs[-1])
    else:
        for job in jobs:
            played = len(games)
            report = None if progress is None else (lambda done, base=played: progress(base + done, runs))
            world, tally = _play(*job, report=report)
            games.extend(game_records(world, tally))
            last = world
    if progress is not None:
        progress(runs, runs)
    return SimResult(params, games, summarise(params, games), last, ctl)


def _play(
    scn: Scenario,
    catalog: Catalog,
    n: int,
    seed: int | None,
    offset: int,
    weeks: int | None,
    styles: dict[str, str] | None,
    difficulty: str | dict[str, str] | None,
    report: Report | None = None,
) -> tuple[World, Tally]:
    """One chunk of games; `report(games played)` after each week."""
    params = scenario_params(scn, catalog, humans=())
    ctl = controllers(scn, catalog, params, styles, difficulty)
    world = initial_world(scn, params, n, seed=seed, offset=offset)
    tally = Tally(world)
    on_week: Callable[[World, turn.Report], None] = tally
    if report is not None:
        limit = params.last_week + 1 if weeks is None else weeks
        played = 0

        def on_week(world: World, week: turn.Report) -> None:
            nonlocal played
            tally(world, week)
            played += 1
            report(forecast.games_played(world.done, played, limit))

    return play(world, ctl, weeks, on_week=on_week), tally


def forecast_futures(
    world: World,
    ctl: policies.Controllers,
    futures: int,
    weeks: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[float, int], None] | None = None,
) -> forecast.Forecast:
    """engine.forecast.run over `workers` processes, each playing a contiguous range of
    the futures: the same forecast as one process (futures are numbered, and their random
    numbers keyed by their number). `should_stop` is heard only with one worker;
    `progress(done, futures)` after every week of every part."""
    if workers <= 1 or futures < 2 * workers:
        return forecast.run(world, ctl, futures, weeks, seed=seed, should_stop=should_stop, progress=progress)
    edges = np.linspace(0, futures, workers + 1).round().astype(int)
    jobs: list[ForecastJob] = [
        (world, ctl, int(b - a), weeks, seed, int(a)) for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    return forecast.Forecast.combine(_pool_map(_forecast_part, jobs, workers, futures, progress))


# ------------------------------------------------------------ worker processes
_progress_queue: Any = None  # in a worker process: where it posts (part, done) for the parent


def _pool_map(
    fn: Callable[[Any, Report | None], Any],
    jobs: Sequence[Any],
    workers: int,
    total: int,
    progress: Callable[[float, int], None] | None,
) -> list[Any]:
    """`fn(job, report)` for every job on `workers` fresh processes, results in order.
    With `progress`, each part's `report(done)` travels back through a queue, and the
    parent hears the sum over the parts as `progress(done, total)`."""
    import concurrent.futures as cf
    import multiprocessing
    import threading

    context = multiprocessing.get_context("spawn")  # no inherited state: each process starts clean
    parts = list(enumerate(jobs))
    if progress is None:
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_run_part, [(fn, None, job) for _, job in parts]))
    queue = context.Queue()
    done: dict[int, float] = {}

    def listen() -> None:
        while (message := queue.get()) is not None:
            part, value = message
            done[part] = value
            progress(sum(done.values()), total)

    listener = threading.Thread(target=listen, name="progress", daemon=True)
    listener.start()
    try:
        with cf.ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_listen_to, initargs=(queue,)
        ) as pool:
            return list(pool.map(_run_part, [(fn, part, job) for part, job in parts]))
    finally:  # the workers have exited, so every report they posted is ahead of this
        queue.put(None)
        listener.join()


def _listen_to(queue: Any) -> None:
    global _progress_queue
    _progress_queue = queue


def _run_part(task: tuple[Callable[[Any, Report | None], Any], int | None, Any]) -> Any:
    fn, part, job = task
    if part is None or _progress_queue is None:
        return fn(job, None)
    queue = _progress_queue
    return fn(job, lambda value: queue.put((part, value)))


def _forecast_part(job: ForecastJob, report: Report | None) -> forecast.Forecast:
    world, ctl, futures, weeks, seed, first = job
    progress = None if report is None else (lambda done, total: report(done))
    return forecast.run(world, ctl, futures, weeks, seed=seed, first=first, progress=progress)


def _play_chunk(job: ChunkJob, report: Report | None) -> list[dict[str, Any]]:
    """One chunk in a worker process: its per-game records."""
    world, tally = _play(*job, report=report)
    return game_records(world, tally)


def _final_world(job: ChunkJob) -> World:
    world, _ = _play(*job)
    return world
