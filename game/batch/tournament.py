"""The tournament: the balance of the rules, measured by playing them.

A tournament plays cells of games, each cell a match-up of who plays each lab (the AI's
style and difficulty, or a scripted strategy, see strategies.py) with the deck on or
off, and reports per cell: win shares with 95% intervals, AGI dates, bankruptcies and
how often money binds; for the default cell, the medians of the history table
(assets/history.toml). `balance.targets` checks the results against the balance targets.

Every cell plays the same game numbers with the same seed, so the cells differ only in
who plays (common random numbers: differences between cells are not luck). The work is
split into (cell, chunk) jobs, on one process, several or any concurrent.futures.Executor
(a Dask client's, say); each job goes out as the scenario's reference (shards.ScenarioRef),
the cell and (seed, first game, games), and the results are the same.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from game.batch import balance
from game.batch.balance import STYLE_LEVELS, style_key
from game.batch.shards import ScenarioRef
from game.batch.sources import Source, catalog_at
from game.batch.strategies import STRATEGIES
from game.catalog import Catalog, default_catalog
from game.catalog.records import HistoryRow
from game.catalog.schema import Schema
from game.catalog.specs import read_toml
from game.engine import compute, economy, policies, turn
from game.engine.actions import Actions
from game.engine.params import WEEKS_PER_YEAR, Params
from game.engine.shedding import Shedding
from game.engine.state import World, take
from game.paths import assets_dir
from game.saves import Scenario, initial_world, scenario_params

LEVELS = ("easy", "normal", "hard")
CHUNK = 5000  # games a batch at most: cells of fewer games share batches (a large batch costs less a game)
RUNWAY_ALARM_WEEKS = 12.0  # the target: each lab's runway under 12 weeks at least once in some games
Progress = Callable[[int, int], None]


@attrs.frozen
class Cell:
    """One match-up. Labs not named in `levels` play at `level`; `strategy` (lab, name)
    puts a scripted strategy on one lab."""

    key: str
    group: str
    styles: tuple[tuple[str, str], ...] = ()
    levels: tuple[tuple[str, str], ...] = ()
    level: str = "normal"
    strategy: tuple[str, str] | None = None
    deck: bool = True
    focus: str | None = None  # the lab the cell is about


def plan(
    catalog: Catalog, lab_ids: tuple[str, ...], players: tuple[str, ...] = ("xai", "openai")
) -> list[Cell]:
    """The cells of the full target check: the default race and the deck off, the style
    matrix of the two playable labs, the difficulty ladder for each, every scripted
    strategy on each against the hard AI, and the hard AI against itself."""
    a, b = players
    cells = [
        Cell("default", "default"),
        Cell("deck-off", "deck", deck=False),
        Cell("hard", "baseline", level="hard"),
    ]
    for level in STYLE_LEVELS:
        for sa in catalog.style_ids:
            for sb in catalog.style_ids:
                cells.append(
                    Cell(style_key(level, (a, sa), (b, sb)), "styles", styles=((a, sa), (b, sb)), level=level)
                )
    for lab in players:
        for mine, rest in (("hard", "normal"), ("normal", "easy"), ("easy", "normal")):
            key = f"difficulty:{lab}={mine},rest={rest}"
            cells.append(Cell(key, "difficulty", levels=((lab, mine),), level=rest, focus=lab))
    for lab in players:
        for name in STRATEGIES:
            cells.append(
                Cell(f"strategy:{lab}={name}", "strategies", level="hard", strategy=(lab, name), focus=lab)
            )
    return [c for c in cells if all(lab in lab_ids for lab, _ in c.styles)]


# ------------------------------------------------------------------------ history
def load_history(catalog: Catalog, folder: Any = None) -> tuple[HistoryRow, ...]:
    """assets/history.toml, validated: the figures the default games are checked against."""
    path = (folder or assets_dir()) / "history.toml"
    schema = Schema.of(lab=catalog.lab_ids)
    return tuple(schema.entry(HistoryRow, key, table, str(path)) for key, table in read_toml(path).items())


# ------------------------------------------------------------------- one chunk
class Watch:
    """What the tournament reads from each game as it is played, for the whole batch."""

    def __init__(self, world: World, history: tuple[HistoryRow, ...]) -> None:
        p = world.params
        B, L = world.cash.shape
        self.start = int(world.week.min())
        self.min_runway = np.full((B, L), np.inf)
        self.raised = np.zeros((B, L))
        self.releases = np.zeros((B, L), np.int64)
        self.h100 = p.gpu_flops[p.gpu_ids.index("H100")] if "H100" in p.gpu_ids else 1e15
        self.rows = [r for r in history if r.lab in p.lab_ids]
        self.values = np.full((B, len(self.rows)), np.nan)
        self.year_revenue = np.zeros((B, len(self.rows)))
        self.row_week = np.array([p.week_of(r.date) for r in self.rows], np.int64)
        self.row_lab = np.array([p.lab_ids.index(r.lab) for r in self.rows], np.int64)
        self.row_year_start = np.array([p.week_of(dt.date(r.date.year, 1, 1)) for r in self.rows], np.int64)

    def __call__(self, world: World, report: turn.Report, rows: np.ndarray) -> None:
        """A week of the games at `rows` (their positions in the whole batch)."""
        p = world.params
        live = ~world.done | report.ended  # the games that played this week
        alive = live[:, None] & ~world.bankrupt
        runway = np.where(alive, economy.runway_weeks(p, world), np.inf)
        self.min_runway[rows] = np.minimum(self.min_runway[rows], runway)
        f = economy.FLOW_INDEX
        flows = report.flows
        self.raised[rows] += flows[..., f["equity"]] + flows[..., f["investment"]] + flows[..., f["borrowed"]]
        week = report.week
        revenue = flows[..., f["subscriptions"]] + flows[..., f["api"]]
        labs = self.row_lab
        in_year = (week[:, None] >= self.row_year_start) & (week[:, None] <= self.row_week)
        self.year_revenue[rows] += np.where(in_year, revenue[:, labs], 0.0)
        self.releases[rows] += report.released & (week[:, None] <= self.row_week.max(initial=0))
        due = week[:, None] == self.row_week  # (B, rows)
        if not due.any():
            return
        peak, _, _ = compute.lab_flops(p, world)
        for k in np.flatnonzero(due.any(0)):
            at = due[:, k]
            self.values[rows, k] = np.where(
                at, self._measure(world, peak, int(k), rows), self.values[rows, k]
            )

    def still_read(self, world: World) -> np.ndarray:
        """(B,) games over that a later week still reads (a game over stays at the week after
        its last: one that ends on a row's week is measured again, with what the week adds,
        every week the batch plays on); the others may leave the batch."""
        return (world.week[:, None] == self.row_week).any(-1)

    def _measure(self, world: World, peak: np.ndarray, k: int, rows: np.ndarray) -> np.ndarray:
        """Row k's measure for the games at `rows`."""
        what, lab = self.rows[k].what, self.row_lab[k]
        if what == "users":
            return world.users[:, lab]
        if what == "revenue_rate":
            return world.revenue_fast[:, lab] * WEEKS_PER_YEAR
        if what == "revenue_year":
            return self.year_revenue[rows, k]
        if what == "valuation":
            return world.valuation[:, lab]
        if what == "raised":
            return self.raised[rows, lab]
        if what == "compute":
            return peak[:, lab] / self.h100
        released = self.releases[rows, lab]
        return (self.row_week[k] + 1 - self.start) / np.where(released > 0, released, np.nan)


def _controllers(
    catalog: Catalog, params: Params, scn: Scenario, cell: Cell
) -> tuple[policies.Controllers, Any]:
    styles = dict(scn.ai) | dict(cell.styles)
    levels = {lab: cell.level for lab in params.lab_ids} | dict(cell.levels)
    strategy, mine = None, np.zeros(params.n_labs, bool)
    if cell.strategy is not None:
        lab, name = cell.strategy
        strategy = STRATEGIES[name]
        levels[lab] = "hard"
        mine = np.array([lab_id == lab for lab_id in params.lab_ids])
    ctl = policies.make_controllers(catalog, params, styles, levels, ai_labs=params.lab_ids)
    if strategy is not None and strategy.knobs:
        ctl = policies.with_knobs(ctl, mine, **strategy.knobs)
    return ctl, (strategy, mine)


def play_chunk(
    scn: Scenario,
    catalog: Catalog,
    cell: Cell,
    games: int,
    seed: int,
    first: int,
    history: tuple[HistoryRow, ...],
    weeks: int | None = None,
) -> dict[str, np.ndarray]:
    """Play games first .. first+games-1 of the cell (to their end, or `weeks` weeks);
    their results as arrays."""
    return play_cells(scn, catalog, (cell,), games, seed, first, history, weeks)[0]


def play_cells(
    scn: Scenario,
    catalog: Catalog,
    cells: tuple[Cell, ...],
    games: int,
    seed: int,
    first: int,
    history: tuple[HistoryRow, ...],
    weeks: int | None = None,
) -> list[dict[str, np.ndarray]]:
    """Play games first .. first+games-1 of each cell (all with the same deck), the cells
    side by side in one batch (a game plays the same in any batch, and a large batch costs
    less a game than several small ones): each cell's results as arrays. The AI's knobs
    are then per game (B, L), and a cell's scripted strategy rewrites the actions of its
    own games. Games over leave the batch (shedding.py) unless the watch still reads them."""
    deck = cells[0].deck
    if any(cell.deck != deck for cell in cells):
        raise ValueError("cells played side by side share their deck")
    if not deck:
        catalog = attrs.evolve(catalog, events=())
    params = scenario_params(scn, catalog, humans=())
    played = [_controllers(catalog, params, scn, cell) for cell in cells]
    n = len(cells)
    world = initial_world(scn, params, games, seed=seed, offset=first)
    ctl = played[0][0]
    cell_of = np.zeros(games, np.int64)  # the cell each game of the batch belongs to
    if n > 1:
        world = take(world, np.tile(np.arange(games), n))
        cell_of = np.repeat(np.arange(n), games)
        L = params.n_labs
        knobs = {
            name: np.repeat(np.stack([np.broadcast_to(c.knobs[name], (L,)) for c, _ in played]), games, 0)
            for name in ctl.knobs
        }
        if any(not np.array_equal(c.ai, ctl.ai) for c, _ in played):
            raise ValueError("cells played side by side have the AI on the same labs")
        ctl = attrs.evolve(ctl, knobs=knobs)
    watch = Watch(world, history)
    batch = Shedding(world)
    for _ in range(params.last_week + 1 if weeks is None else weeks):
        if batch.over:
            break
        actions = policies.decide(batch.world, ctl)
        actions = _strategies(batch.world, actions, played, cell_of[batch.rows], scn.meta.week)
        world, report = turn.step(batch.world, actions)
        watch(world, report, batch.rows)
        kept = batch.shed(world, hold=watch.still_read(world))
        if kept is not None and n > 1:
            ctl = attrs.evolve(ctl, knobs={name: v[kept] for name, v in ctl.knobs.items()})
    world = batch.result()
    out = []
    for i in range(n):
        at = slice(i * games, (i + 1) * games)
        out.append(
            {
                "winner": world.winner[at].astype(np.int64),
                "agi_week": world.agi_week[at].astype(np.int64),
                "bankrupt": world.bankrupt[at].copy(),
                "min_runway": watch.min_runway[at].copy(),
                "history": watch.values[at].copy(),
            }
        )
    return out


def _strategies(
    world: World,
    actions: Actions,
    played: list[tuple[policies.Controllers, Any]],
    cell_of: np.ndarray,
    start: int,
) -> Actions:
    """The actions after each cell's scripted strategy rewrote those of its games
    (`cell_of` (B,): the cell of each game of `world`)."""
    if len(played) == 1:
        strategy, mine = played[0][1]
        if strategy is None or strategy.adjust is None:
            return actions
        return strategy.adjust(world, actions, mine, start)
    for i, (_, (strategy, mine)) in enumerate(played):
        if strategy is None or strategy.adjust is None:
            continue
        at = np.flatnonzero(cell_of == i)
        if at.size == 0:
            continue
        mine_acts = Actions(**{f.name: getattr(actions, f.name)[at] for f in attrs.fields(Actions)})
        changed = strategy.adjust(take(world, at), mine_acts, mine, start)
        fields = {}
        for f in attrs.fields(Actions):
            part = getattr(changed, f.name)
            if part is getattr(mine_acts, f.name):  # a field the strategy left as it was
                continue
            whole = getattr(actions, f.name)
            field = whole.astype(np.result_type(whole, part))
            field[at] = part
            fields[f.name] = field
        if fields:
            actions = actions.replace(**fields)
    return actions


# A job: the scenario's reference, the cells (one batch), games, seed, first game, weeks.
Job = tuple[ScenarioRef | Source, tuple[Cell, ...], int, int, int, int | None]


@functools.cache
def _history() -> tuple[HistoryRow, ...]:
    """The history table of this process's catalog (a worker's: ScenarioRef.load)."""
    return load_history(default_catalog())


@functools.cache
def _history_at(assets: str | None) -> tuple[HistoryRow, ...]:
    """The history table of an assets folder (None: the game's own)."""
    if assets is None:
        return _history()
    return load_history(catalog_at(assets), Path(assets))


def _job(job: Job, report: Any = None) -> list[dict[str, np.ndarray]]:
    """One (cells, chunk) job on a worker: the scenario rebuilt from its reference (a
    Source when the catalog is a changed assets folder)."""
    ref, cells, games, seed, first, weeks = job
    scn, catalog = ref.load()
    history = _history() if isinstance(ref, ScenarioRef) else _history_at(ref.assets)
    out = play_cells(scn, catalog, cells, games, seed, first, history, weeks)
    if report is not None:  # the default pool's progress: this chunk's games, once played
        report(games * len(cells))
    return out


def batches(
    cells: list[Cell], games: int, chunk: int, parts: int = 1
) -> list[tuple[tuple[Cell, ...], int, int]]:
    """The batches a tournament plays: (cells side by side, first game, games). A cell of
    more games than `chunk` is played in chunks of `chunk` games; cells of fewer share
    batches (of the same deck) of at most about `chunk` games, at least `parts` of them
    (one for each worker) while there are cells enough, of even sizes."""
    if games >= chunk:
        return [
            ((cell,), start, min(chunk, games - start)) for cell in cells for start in range(0, games, chunk)
        ]
    per = max(1, chunk // games)
    out: list[tuple[tuple[Cell, ...], int, int]] = []
    for deck in (True, False):
        same = [cell for cell in cells if cell.deck == deck]
        if not same:
            continue
        count = max(-(-len(same) // per), min(parts, len(same)))
        size = -(-len(same) // count)
        out += [(tuple(same[i : i + size]), 0, games) for i in range(0, len(same), size)]
    return out


# ------------------------------------------------------------------- summaries
def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a share k / n."""
    if n == 0:
        return (0.0, 1.0)
    phat = k / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def summarise_cell(
    params: Params, cell: Cell, out: dict[str, np.ndarray], history: tuple[HistoryRow, ...]
) -> dict[str, Any]:
    n = len(out["winner"])
    labs = params.lab_ids
    win = {}
    for li, lab in enumerate(labs + ("none",)):
        k = int((out["winner"] == (li if lab != "none" else -1)).sum())
        lo, hi = wilson(k, n)
        win[lab] = {"share": k / n, "lo": lo, "hi": hi}
    agi = out["agi_week"][out["agi_week"] >= 0]
    dates = {}
    for q in (10, 50, 90):
        dates[f"p{q}"] = params.date_of(int(round(np.percentile(agi, q)))).isoformat() if agi.size else None
    runway = out["min_runway"]
    summary: dict[str, Any] = {
        "key": cell.key,
        "group": cell.group,
        "focus": cell.focus,
        "strategy": cell.strategy[1] if cell.strategy else None,
        "level": cell.level,
        "games": n,
        "win": win,
        "agi_share": agi.size / n,
        "agi_date": dates,
        "bankrupt_share": float(out["bankrupt"].mean()),
        "bankrupt": {lab: float(out["bankrupt"][:, li].mean()) for li, lab in enumerate(labs)},
        "runway_alarm_share": float((runway < RUNWAY_ALARM_WEEKS).any(-1).mean()),
        "runway_alarm": {
            lab: float((runway[:, li] < RUNWAY_ALARM_WEEKS).mean()) for li, lab in enumerate(labs)
        },
        "min_runway_p50": {lab: _finite(np.median(runway[:, li])) for li, lab in enumerate(labs)},
    }
    rows = [r for r in history if r.lab in labs]
    if cell.key == "default" and rows:
        summary["history"] = []
        for k, row in enumerate(rows):
            col = out["history"][:, k]
            col = col[np.isfinite(col)]
            median = float(np.median(col)) if col.size else None
            ratio = median / row.value if median is not None and row.value > 0 else None
            summary["history"].append(
                {
                    "id": row.id, "lab": row.lab, "what": row.what, "date": row.date.isoformat(),
                    "history": row.value, "median": median, "ratio": ratio,
                    "met": ratio is not None and 0.5 <= ratio <= 2.0,
                }
            )  # fmt: skip
    return summary


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


# ------------------------------------------------------------------------ run
@attrs.frozen
class Tournament:
    scenario: str
    seed: int
    games: int
    cells: list[dict[str, Any]]
    targets: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "seed": self.seed, "games_per_cell": self.games,
                "targets": self.targets, "cells": self.cells}  # fmt: skip


def run(
    scn: Scenario,
    catalog: Catalog,
    cells: list[Cell] | None = None,
    games: int = 2000,
    seed: int = 1,
    first: int = 0,
    chunk: int = CHUNK,
    workers: int = 1,
    progress: Progress | None = None,
    weeks: int | None = None,
    executor: cf.Executor | None = None,
    assets: Path | None = None,
) -> Tournament:
    """Play every cell (default: `plan`) for `games` games (to their end, or `weeks`
    weeks) and summarise them, on one process, on `workers` processes or on `executor`
    (any concurrent.futures.Executor): the same results. `progress` is called with
    (games played, games in all) as chunks finish. `assets`: the folder `catalog` was
    loaded from, when it is not the game's own (workers load it from there)."""
    from game.batch.simulate import run_jobs

    params = scenario_params(scn, catalog, humans=())
    cells = cells if cells is not None else plan(catalog, params.lab_ids)
    history = load_history(catalog, assets)
    total = games * len(cells)
    plan_ = batches(cells, games, chunk, max(1, workers))
    parts: list[list[dict[str, np.ndarray]]] = []
    if workers > 1 or executor is not None:
        ref = ScenarioRef.of_file(scn, catalog) if assets is None else Source.of(scn, assets)
        jobs: list[Job] = [(ref, group, n, seed, first + start, weeks) for group, start, n in plan_]
        sizes = [n * len(group) for group, _, n in plan_]
        heard = None if progress is None else (lambda done, all_: progress(int(done), all_))
        parts = run_jobs(_job, jobs, sizes, workers, total, heard, executor)
    else:
        played = 0
        for group, start, n in plan_:
            parts.append(play_cells(scn, catalog, group, n, seed, first + start, history, weeks))
            played += n * len(group)
            if progress is not None:
                progress(played, total)
    per_cell: dict[str, list[dict[str, np.ndarray]]] = {cell.key: [] for cell in cells}
    for (group, _, _), results in zip(plan_, parts, strict=True):  # chunks in order of their first game
        for cell, result in zip(group, results, strict=True):
            per_cell[cell.key].append(result)
    summaries = []
    for cell in cells:
        mine = per_cell[cell.key]
        out = {name: np.concatenate([m[name] for m in mine]) for name in mine[0]}
        summaries.append(summarise_cell(params, cell, out, history))
    return Tournament(scn.name, seed, games, summaries, balance.targets(summaries, params))
