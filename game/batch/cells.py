"""The tournament's batches: cells of match-ups played side by side in one batch of games.

A game plays the same alone or in any batch, so cells of a few hundred games each share a
batch (a large batch costs less a game than several small ones): the AI's knobs are then
per game (B, L), a cell's scripted strategy rewrites its own games' actions, and the games
over leave the batch as they end (engine/shedding.py), except those the watch still reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np

from game.batch.strategies import STRATEGIES
from game.catalog import Catalog
from game.catalog.records import HistoryRow
from game.engine import compute, economy, policies, turn
from game.engine.actions import Actions
from game.engine.params import WEEKS_PER_YEAR, Params
from game.engine.shedding import Shedding
from game.engine.state import World, take
from game.saves import Scenario, initial_world, scenario_params


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
