"""What a played game leaves behind besides its state: a week's point for the charts and
the debrief, and the AI style a player's log reads as (for the odds screen's futures)."""

from __future__ import annotations

from typing import Any

from game.catalog import Catalog
from game.engine import compute
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
