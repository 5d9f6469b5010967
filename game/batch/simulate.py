"""Headless simulation: many games of one scenario, played by the AI, in chunks.

Game i (numbered from `offset`) is the same game whatever the chunk size or shard it is
played in: the engine's randomness is keyed by (seed, game index, week, stream). The
summary and records hold only game results, nothing that varies between identical runs.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from game.batch.executor import Report, run_jobs
from game.batch.shards import ScenarioRef, write_manifest, write_shard
from game.catalog import Catalog
from game.engine import compute, deals, economy, forecast, policies, turn
from game.engine.params import Params
from game.engine.shedding import Shedding
from game.engine.state import END_REASONS, World
from game.saves import Scenario, initial_world, scenario_params

DEFAULT_CHUNK = 10_000

Difficulty = str | dict[str, str]  # one level for every lab, or a level per lab
# What a worker is given (through the Executor seam: never a catalog, a World or Params):
# a shard of games (the scenario's reference, games, seed, first game, weeks, styles,
# difficulty, the folder its columns go to or None to send its records back), or a range
# of futures (the game's reference, the AI's styles and level, futures, weeks, seed,
# first future).
ChunkJob = tuple[
    ScenarioRef, int, int | None, int, int | None, dict[str, str] | None, Difficulty | None, str | None
]
ForecastJob = tuple["FutureSpec", int, int | None, int | None, int]


@attrs.frozen
class FutureSpec:
    """What rebuilds a forecast's starting game and AI on a worker: the game as a save
    document (`Session.document()`), with the styles and the level the AI plays it at."""

    ref: ScenarioRef
    styles: dict[str, str]
    difficulty: str

    @classmethod
    def of(cls, session: Any, styles: dict[str, str], difficulty: str) -> FutureSpec:
        """A game being played (a play.session.Session), as its save document."""
        ref = ScenarioRef.of_document(session.document(), session.scenario.path, session.catalog)
        return cls(ref, styles, difficulty)


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
    on_week: Callable[[World, turn.Report, np.ndarray], None] | None = None,
) -> World:
    """Advance every game until it ends (or for `weeks` weeks), AI on every lab it plays.
    Games over leave the batch as they end (shedding.py): `on_week(world, report, rows)`
    hears the games still played, `rows` their positions in `world`."""
    limit = world.params.last_week + 1 if weeks is None else weeks
    batch = Shedding(world)
    for _ in range(limit):
        if batch.over:
            break
        world, report = turn.step(batch.world, policies.decide(batch.world, ctl))
        if on_week is not None:
            on_week(world, report, batch.rows)
        batch.shed(world)
    return batch.result()


class Tally:
    """What happened along the way in each game of a batch: deals signed per lab and
    partner, partners' answers by kind and reason, events fired per card."""

    def __init__(self, world: World) -> None:
        p = world.params
        B, L = world.cash.shape
        self.signed = np.zeros((B, L, len(p.partner_ids)), np.int64)
        self.answers = np.zeros((B, len(deals.ANSWERS), len(deals.REASONS)), np.int64)
        self.events = np.zeros((B, len(p.catalog.events)), np.int64)

    def __call__(self, world: World, report: turn.Report, rows: np.ndarray | None = None) -> None:
        """Count a week of the games at `rows` (default: every game of the batch)."""
        at = slice(None) if rows is None else rows
        made = report.offer_answer >= 0
        accepted = report.offer_answer == deals.ACCEPT
        P = self.signed.shape[-1]
        self.signed[at] += (accepted[..., None] & (report.offer_partner[..., None] == np.arange(P))).astype(
            np.int64
        )
        for a in range(len(deals.ANSWERS)):
            hit = made & (report.offer_answer == a)
            for r in np.unique(report.offer_reason[hit]):
                self.answers[at, a, r] += (hit & (report.offer_reason == r)).sum(1)
        self.events[at] += report.events.any(1)


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
    executor: cf.Executor | None = None,
    shard_out: Path | None = None,
) -> SimResult:
    """Play games offset .. offset+runs-1 of the scenario with the AI on every lab, in
    chunks, on `workers` processes or on `executor` (any concurrent.futures.Executor,
    such as a Dask client's; `workers` then only sizes the shards). Game i is the same
    game whatever the chunking, the executor or the number of processes (its random
    numbers are keyed by its index), so the results are too. `seed` and `offset` default
    to the file's own; `difficulty` is one level for every lab or a level per lab. With
    several workers the final World is rebuilt only if `keep_last` asks for it.
    `progress(done, runs)` hears how many games are played: after every week of every
    chunk on one process or the default pool (`forecast.games_played`: a running game
    counts by the share of its weeks), as shards finish on an executor.

    With `shard_out` (a folder, ready: see `shards.folder_ready`) each shard's games go
    to a columnar file there instead of memory (the folder must be one every worker
    sees); the result then has no games and the summary is the shards' merge."""
    params = scenario_params(scn, catalog, humans=())
    ctl = controllers(scn, catalog, params, styles, difficulty)
    first = scn.meta.game if offset is None else offset
    parallel = workers > 1 or executor is not None
    starts = list(range(0, runs, chunk))
    if parallel and len(starts) < workers:  # give every worker something to do
        chunk = max(1, -(-runs // workers))
        starts = list(range(0, runs, chunk))
    out = None if shard_out is None else str(shard_out)
    if shard_out is not None:
        write_manifest(
            shard_out,
            {
                "scenario": scn.name, "seed": scn.meta.seed if seed is None else seed, "offset": first,
                "runs": runs, "weeks": weeks, "start_date": params.start_date.isoformat(),
                "labs": list(params.lab_ids), "partners": list(params.partner_ids),
                "events": [card.id for card in params.catalog.events],
            },
        )  # fmt: skip
    sizes = [min(chunk, runs - start) for start in starts]
    games: list[dict[str, Any]] = []
    last: World | None = None
    if parallel:
        ref = ScenarioRef.of_file(scn, catalog)
        jobs: list[ChunkJob] = [
            (ref, size, seed, first + start, weeks, styles, difficulty, out)
            for start, size in zip(starts, sizes, strict=True)
        ]
        for records in run_jobs(_play_chunk, jobs, sizes, workers, runs, progress, executor):
            games.extend(records)
        if keep_last:
            last, _ = _play(scn, catalog, sizes[-1], seed, first + starts[-1], weeks, styles, difficulty)
    else:
        done = 0
        for start, size in zip(starts, sizes, strict=True):
            report = None if progress is None else (lambda d, base=done: progress(base + d, runs))
            world, tally = _play(
                scn, catalog, size, seed, first + start, weeks, styles, difficulty, report=report
            )
            if out is None:
                games.extend(game_records(world, tally))
            else:
                write_shard(Path(out), game_columns(world, tally), first + start)
            done += size
            last = world
    if progress is not None:
        progress(runs, runs)
    if shard_out is not None:
        from game.batch.shards import summarise_dir

        _, summary = summarise_dir(shard_out)
        return SimResult(params, [], summary, last, ctl)
    return SimResult(params, games, summarise(params, games), last, ctl)


def game_columns(world: World, tally: Tally) -> dict[str, np.ndarray]:
    """The games of a batch as columns (one row per game): what `game_records` says, for
    a shard file (`shards.write_shard`)."""
    p = world.params
    peak, _, _ = compute.lab_flops(p, world)
    f64 = np.float64
    return {
        "index": world.game.astype(np.int64),
        "winner": world.winner.astype(np.int64),
        "end": world.end_reason.astype(np.int64),
        "agi_week": world.agi_week.astype(np.int64),
        "weeks": world.week.astype(np.int64),
        "cash": world.cash.astype(f64),
        "debt": world.debt.astype(f64),
        "valuation": world.valuation.astype(f64),
        "compute": peak.astype(f64),
        "capability": world.best_model.astype(f64),
        "software": world.software.astype(f64),
        "users": world.users.astype(f64),
        "bankrupt": world.bankrupt.astype(bool),
        "founder_share": world.founder_share.astype(f64),
        "score": economy.score(p, world).astype(f64),
        "signed": tally.signed,
        "answers": tally.answers,
        "events": tally.events,
    }


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
    on_week: Callable[[World, turn.Report, np.ndarray], None] = tally
    if report is not None:
        limit = params.last_week + 1 if weeks is None else weeks
        played = 0

        def on_week(world: World, week: turn.Report, rows: np.ndarray) -> None:
            nonlocal played
            tally(world, week, rows)
            played += 1
            over = n - rows.size + int(np.count_nonzero(world.done))
            report(forecast.games_played_count(over, n, played, limit))

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
    executor: cf.Executor | None = None,
    spec: FutureSpec | None = None,
) -> forecast.Forecast:
    """engine.forecast.run over `workers` processes (or the parts of `workers` on
    `executor`), each playing a contiguous range of the futures: the same forecast as one
    process (futures are numbered, and their random numbers keyed by their number).
    Workers rebuild the game from `spec` (the same game as `world` and `ctl`), which
    they need. `should_stop` is heard only on one process; `progress(done, futures)`
    after every week of every part (on an executor, as parts finish)."""
    parts = max(workers, 1)
    if (workers <= 1 and executor is None) or futures < 2 * parts:
        return forecast.run(world, ctl, futures, weeks, seed=seed, should_stop=should_stop, progress=progress)
    if spec is None:
        raise ValueError("a forecast on several workers needs the game's FutureSpec")
    edges = np.linspace(0, futures, parts + 1).round().astype(int)
    jobs: list[ForecastJob] = [
        (spec, int(b - a), weeks, seed, int(a)) for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    sizes = [job[1] for job in jobs]
    return forecast.Forecast.combine(
        run_jobs(_forecast_part, jobs, sizes, workers, futures, progress, executor)
    )


def _forecast_part(job: ForecastJob, report: Report | None) -> forecast.Forecast:
    spec, futures, weeks, seed, first = job
    scn, catalog = spec.ref.load()
    params = scenario_params(scn, catalog)
    world = initial_world(scn, params, 1)
    ctl = policies.make_controllers(catalog, params, spec.styles, spec.difficulty, ai_labs=params.lab_ids)
    progress = None if report is None else (lambda done, total: report(done))
    return forecast.run(world, ctl, futures, weeks, seed=seed, first=first, progress=progress)


def _play_chunk(job: ChunkJob, report: Report | None) -> list[dict[str, Any]]:
    """One shard on a worker: its per-game records, or (with a folder) none: its columns
    go to a file there."""
    ref, n, seed, first, weeks, styles, difficulty, folder = job
    scn, catalog = ref.load()
    world, tally = _play(scn, catalog, n, seed, first, weeks, styles, difficulty, report=report)
    if folder is None:
        return game_records(world, tally)
    write_shard(Path(folder), game_columns(world, tally), first)
    return []
