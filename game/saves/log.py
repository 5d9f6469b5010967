"""The action log: what a human lab decided in a week, as a file entry and back."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog
from game.engine.actions import Actions
from game.engine.params import Params
from game.engine.state import (
    World,
)


# ------------------------------------------------------------------ action log
def log_entry(actions: Actions, b: int, lab: int, week: int, params: Params) -> dict[str, Any]:
    """What lab `lab` of game `b` decided this week, as a log entry."""
    cat = params.catalog
    entry: dict[str, Any] = {"week": int(week), "lab": params.lab_ids[lab]}
    orders = [
        {"gpu": cat.gpu_ids[g], "vendor": cat.integrator_ids[v], "count": int(actions.order_count[b, lab, v, g])}
        for v, g in zip(*np.nonzero(actions.order_count[b, lab] > 0), strict=True)
    ]
    if orders:
        entry["orders"] = orders
    for key, array in (("build", actions.build_mw), ("turbines", actions.turbine_mw)):
        values = {s: float(array[b, lab, i]) for i, s in enumerate(cat.site_ids) if array[b, lab, i] > 0}
        if values:
            entry[key] = values
    subs = [s for i, s in enumerate(cat.site_ids) if actions.substation[b, lab, i]]
    if subs:
        entry["substation"] = subs
    if (actions.split[b, lab] >= 0).all():
        entry["split"] = [float(x) for x in actions.split[b, lab]]
    runs = [float(x) for x in actions.start_flop[b, lab] if x > 0]
    if runs:
        entry["runs"] = runs
    if actions.offer_partner[b, lab] >= 0:
        entry["offer"] = offer_entry(actions, b, lab, params)
    exits = [int(k) for k in np.flatnonzero(actions.exit[b, lab])]
    if exits:
        entry["exits"] = exits
    for key in ("raise_usd", "borrow_usd", "repay_usd"):
        value = float(getattr(actions, key)[b, lab])
        if value > 0:
            entry[key] = value
    if actions.staff_usd_week[b, lab] >= 0:
        entry["staff_usd_week"] = float(actions.staff_usd_week[b, lab])
    return entry


def offer_entry(actions: Actions, b: int, lab: int, params: Params) -> dict[str, Any]:
    """Lab `lab`'s offer in game `b` of `actions`, as a log table."""
    cat = params.catalog
    offer: dict[str, Any] = {"partner": cat.partner_ids[int(actions.offer_partner[b, lab])]}
    if actions.offer_invest[b, lab] > 0:
        offer["invest"] = float(actions.offer_invest[b, lab])
        offer["share"] = float(actions.offer_share[b, lab])
        return offer
    offer |= {
        "gpu": cat.gpu_ids[int(np.clip(actions.offer_gpu[b, lab], 0, len(cat.gpu_ids) - 1))],
        "count": int(actions.offer_count[b, lab]),
        "start": int(actions.offer_start[b, lab]),
        "weeks": int(actions.offer_weeks[b, lab]),
        "price": float(actions.offer_price[b, lab]),
    }
    if actions.offer_site[b, lab] >= 0:
        offer["site"] = cat.site_ids[int(actions.offer_site[b, lab])]
    return offer


def _put_offer(fields: dict[str, np.ndarray], li: int, offer: dict[str, Any], cat: Catalog) -> None:
    fields["offer_partner"][:, li] = cat.partner_ids.index(offer["partner"])
    fields["offer_gpu"][:, li] = cat.gpu_ids.index(offer["gpu"]) if "gpu" in offer else 0
    fields["offer_count"][:, li] = offer.get("count", 0)
    fields["offer_start"][:, li] = offer.get("start", 0)
    fields["offer_weeks"][:, li] = offer.get("weeks", 0)
    fields["offer_price"][:, li] = offer.get("price", 0.0)
    fields["offer_site"][:, li] = cat.site_ids.index(offer["site"]) if offer.get("site") else -1
    fields["offer_invest"][:, li] = offer.get("invest", 0.0)
    fields["offer_share"][:, li] = offer.get("share", 0.0)


def offer_actions(world: World, lab: int, offer: dict[str, Any]) -> Actions:
    """Idle actions but for one lab's offer (a negotiation round between weeks)."""
    a = Actions.idle(world)
    fields = {f: getattr(a, f).copy() for f in attrs.fields_dict(Actions)}
    _put_offer(fields, lab, offer, world.params.catalog)
    return Actions(**fields)


def log_actions(world: World, entries: list[dict[str, Any]]) -> tuple[Actions, np.ndarray]:
    """The logged actions for this week (applied to every game of the batch), and which
    labs they cover (L,) bool."""
    p = world.params
    cat = p.catalog
    a = Actions.idle(world)
    fields = {f: getattr(a, f).copy() for f in attrs.fields_dict(Actions)}
    covered = np.zeros(p.n_labs, bool)
    for e in entries:
        li = p.lab_ids.index(e["lab"])
        covered[li] = True
        for o in e.get("orders", []):
            v, g = cat.integrator_ids.index(o["vendor"]), cat.gpu_ids.index(o["gpu"])
            fields["order_count"][:, li, v, g] += o["count"]
        for s, mw in e.get("build", {}).items():
            fields["build_mw"][:, li, cat.site_ids.index(s)] = mw
        for s, mw in e.get("turbines", {}).items():
            fields["turbine_mw"][:, li, cat.site_ids.index(s)] = mw
        for s in e.get("substation", []):
            fields["substation"][:, li, cat.site_ids.index(s)] = True
        if e.get("split") is not None:
            fields["split"][:, li] = e["split"]
        for k, flop in enumerate(e.get("runs", [])):
            fields["start_flop"][:, li, k] = flop
        if e.get("offer"):
            _put_offer(fields, li, e["offer"], cat)
        for k in e.get("exits", []):
            fields["exit"][:, li, k] = True
        for key in ("raise_usd", "borrow_usd", "repay_usd"):
            fields[key][:, li] = e.get(key, 0.0)
        fields["staff_usd_week"][:, li] = e.get("staff_usd_week", -1.0)
    return Actions(**fields), covered
