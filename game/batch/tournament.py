"""The tournament: the balance of the rules, measured by playing them.

A tournament plays cells of games, each cell a match-up of who plays each lab (the AI's
style and difficulty, or a scripted strategy, see strategies.py) with the deck on or
off, and reports per cell: win shares with 95% intervals, AGI dates, bankruptcies and
how often money binds; for the default cell, the medians of the history table
(assets/history.toml). `balance.targets` checks the results against the balance targets.

Every cell plays the same game numbers with the same seed, so the cells differ only in
who plays (common random numbers: differences between cells are not luck). The work is
split into jobs of batches (cells.py: cells of few games side by side in one batch, a cell
of many in chunks), on one process, several or any concurrent.futures.Executor (a Dask
client's, say); each job goes out as the scenario's reference (shards.ScenarioRef), the
cells and (seed, first game, games), and the results are the same.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from game.batch import balance
from game.batch.balance import STYLE_LEVELS, style_key
from game.batch.cells import Cell, batches, play_cells
from game.batch.shards import ScenarioRef
from game.batch.sources import Source, catalog_at
from game.batch.strategies import STRATEGIES
from game.catalog import Catalog, default_catalog
from game.catalog.records import HistoryRow
from game.catalog.schema import Schema
from game.catalog.specs import read_toml
from game.engine.params import Params
from game.paths import assets_dir
from game.saves import Scenario, scenario_params

LEVELS = ("easy", "normal", "hard")
CHUNK = 5000  # games a batch at most: cells of fewer games share batches (a large batch costs less a game)
RUNWAY_ALARM_WEEKS = 12.0  # the target: each lab's runway under 12 weeks at least once in some games
Progress = Callable[[int, int], None]


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
