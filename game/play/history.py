"""What a played game leaves behind besides its state: a week's point for the charts and
the debrief, and the AI style a player's log reads as (for the odds screen's futures)."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog
from game.engine import compute, economy
from game.engine.state import RUN_PRETRAIN, World


def history_point(p: Any, w: World) -> dict[str, Any]:
    """What the charts and the debrief keep of one week (game 0 of `w`), every lab."""
    peak, _, _ = compute.lab_flops(p, w)
    return {
        "week": int(w.week[0]),
        "cash": w.cash[0].tolist(),
        "compute": peak[0].tolist(),
        "capability": w.best_model[0].tolist(),
        "users": w.users[0].tolist(),
        "valuation": w.valuation[0].tolist(),
        "training": (w.run_phase[0] == RUN_PRETRAIN).any(-1).tolist(),
    }


def guessed_styles(
    catalog: Catalog,
    log: list[dict[str, Any]],
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
            if entry["lab"] != lab or entry["week"] < week - recent:
                continue
            bought += sum(o["count"] for o in entry.get("orders", []))
            offers = [entry.get("offer")] + list(entry.get("offers", []))
            rented += sum(o.get("count", 0) for o in offers if o)
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


def record_flows(history: list[dict[str, Any]], report: Any) -> None:
    """Keep the week's cash flows (every lab, by economy.FLOWS) with the history point
    the week left, for the ledger chart. A point that has them already keeps them."""
    if report is None or not history or "flows" in history[-1]:
        return
    if int(history[-1]["week"]) != int(report.week[0]) + 1:
        return  # the point is not the week the report played
    history[-1]["flows"] = np.round(report.flows[0], 0).tolist()


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


def ledger(history: list[dict[str, Any]], lab: int) -> Ledger:
    index = {name: i for i, name in enumerate(economy.FLOWS)}
    groups: dict[str, list[float | None]] = {g: [] for g in LEDGER_GROUPS}
    totals = np.zeros(len(economy.FLOWS))
    for h in history:
        flows = h.get("flows")
        for group, names in LEDGER_GROUPS.items():
            groups[group].append(None if flows is None else float(sum(flows[lab][index[n]] for n in names)))
        if flows is not None:
            totals += np.asarray(flows[lab])
    return Ledger(
        weeks=tuple(int(h["week"]) for h in history),
        cash=tuple(float(h["cash"][lab]) for h in history),
        groups={g: tuple(v) for g, v in groups.items()},
        totals=tuple(
            (economy.FLOW_NAMES[name], float(totals[i]))
            for i, name in enumerate(economy.FLOWS)
            if abs(totals[i]) >= 1e5
        ),
    )
