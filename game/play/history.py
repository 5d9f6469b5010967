"""What a played game leaves behind besides its state: a week's point for the charts and
the debrief, and the AI style a player's log reads as (for the odds screen's futures)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog
from game.engine import compute, economy
from game.engine.state import RUN_PRETRAIN, World
from game.saves import LogEntry


@attrs.frozen
class HistoryPoint:
    """What the charts and the debrief keep of one week, every lab (game 0): the state at
    the week's start and, once the week is played, its cash flows (economy.FLOWS per lab,
    for the ledger). Not saved: a load rebuilds the history by replaying the log."""

    week: int
    cash: tuple[float, ...]
    compute: tuple[float, ...]  # peak FLOP/s
    capability: tuple[float, ...]  # the best model's, log10 FLOP
    users: tuple[float, ...]
    valuation: tuple[float, ...]
    training: tuple[bool, ...]  # a run in pretraining
    flows: tuple[tuple[float, ...], ...] | None = None  # the week's flows (None: not played here)


def history_point(p: Any, w: World) -> HistoryPoint:
    """What the charts and the debrief keep of one week (game 0 of `w`), every lab."""
    peak, _, _ = compute.lab_flops(p, w)
    return HistoryPoint(
        week=int(w.week[0]),
        cash=tuple(w.cash[0].tolist()),
        compute=tuple(peak[0].tolist()),
        capability=tuple(w.best_model[0].tolist()),
        users=tuple(w.users[0].tolist()),
        valuation=tuple(w.valuation[0].tolist()),
        training=tuple((w.run_phase[0] == RUN_PRETRAIN).any(-1).tolist()),
    )


def guessed_styles(
    catalog: Catalog,
    log: Sequence[LogEntry],
    humans: tuple[str, ...],
    week: int,
    styles: dict[str, str],
    recent: int = 26,
) -> dict[str, str]:
    """`styles` with each human lab's replaced by the AI style closest to how it has
    played in the last `recent` weeks: a builder if it bought more GPUs than it rented, a
    partner if it rented more, its own lab's style if it did neither."""
    styles = dict(styles)
    for lab in humans:
        bought = rented = 0
        for entry in log:
            if entry.lab != lab or entry.week < week - recent:
                continue
            bought += sum(o.count for o in entry.orders)
            offers = ([entry.offer] if entry.offer else []) + list(entry.offers)
            rented += sum(o.count for o in offers)
        if bought or rented:
            styles[lab] = "builder" if bought >= rented else "partner"
        else:
            styles[lab] = catalog.lab(lab).policy
    return styles


# What the ledger chart groups the engine's flows into (economy.FLOW_NAMES), in the order it shows them.
LEDGER_GROUPS: dict[str, tuple[str, ...]] = {
    "revenue": ("subscriptions", "api"),
    "funding": ("equity", "investment", "borrowed"),
    "GPUs, halls, power": ("gpus", "halls", "power_equipment"),
    "electricity, rent": ("electricity", "rent"),
    "people": ("staff", "hiring"),
    "interest, shares": ("interest", "partner_share", "exit_penalty", "repaid"),
    "events": ("events",),
}


def record_flows(history: list[HistoryPoint], report: Any) -> None:
    """Keep the week's cash flows (every lab, by economy.FLOWS) with the history point
    the week left, for the ledger chart. A point that has them already keeps them."""
    if report is None or not history or history[-1].flows is not None:
        return
    if history[-1].week != int(report.week[0]) + 1:
        return  # the point is not the week the report played
    flows = tuple(tuple(row) for row in np.round(report.flows[0], 0).tolist())
    history[-1] = attrs.evolve(history[-1], flows=flows)


@attrs.frozen
class Ledger:
    """A lab's money over the game: cash at each week's start, and each week's flows
    grouped as LEDGER_GROUPS (signed: + in, - out; None for a week with no record: the
    weeks before a game was loaded)."""

    weeks: tuple[int, ...]
    cash: tuple[float, ...]
    groups: dict[str, tuple[float | None, ...]]
    totals: tuple[tuple[str, float], ...]  # by the engine's flow name, over the recorded weeks

    @property
    def recorded(self) -> int:
        return sum(1 for v in next(iter(self.groups.values()), ()) if v is not None)


def ledger(history: Sequence[HistoryPoint], lab: int) -> Ledger:
    index = {name: i for i, name in enumerate(economy.FLOWS)}
    groups: dict[str, list[float | None]] = {g: [] for g in LEDGER_GROUPS}
    totals = np.zeros(len(economy.FLOWS))
    for h in history:
        flows = h.flows
        for group, names in LEDGER_GROUPS.items():
            groups[group].append(None if flows is None else float(sum(flows[lab][index[n]] for n in names)))
        if flows is not None:
            totals += np.asarray(flows[lab])
    return Ledger(
        weeks=tuple(h.week for h in history),
        cash=tuple(float(h.cash[lab]) for h in history),
        groups={g: tuple(v) for g, v in groups.items()},
        totals=tuple(
            (economy.FLOW_NAMES[name], float(totals[i]))
            for i, name in enumerate(economy.FLOWS)
            if abs(totals[i]) >= 1e5
        ),
    )
