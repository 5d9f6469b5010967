"""The action log: what a human lab decided in a week, as a file entry and back. The one
codec the session (which writes the log) and replay (which plays it) share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog, Schema
from game.engine.actions import Actions, amount, checked
from game.engine.deals import offered_investment
from game.engine.limits import (
    MAX_ACTION_USD,
    MAX_BUILD_MW,
    MAX_GPUS,
    MAX_OFFER_GPUS,
    MAX_ORDER_GPUS,
    MAX_PRICE_USD_HOUR,
    MAX_STAFF_USD_WEEK,
    MAX_TERM_WEEKS,
    MAX_TURBINE_MW,
)
from game.engine.params import Params
from game.engine.state import World
from game.engine.training import MAX_RUN_FLOP
from game.saves.files import SaveError
from game.saves.records import LogEntry, Standing


# ------------------------------------------------------------------ action log
# An entry records what the engine takes from the actions, not the raw arrays: every
# amount through the same clip the step applies (so NaN, negative and huge asks log as
# what they did, within the loader's limits), and an offer only if it names a partner,
# GPU and site that exist (the step refuses others and changes nothing).
def log_entry(actions: Actions, b: int, lab: int, week: int, params: Params) -> dict[str, Any]:
    """What lab `lab` of game `b` decided this week, as a log entry."""
    cat = params.catalog
    entry: dict[str, Any] = {"week": int(week), "lab": params.lab_ids[lab]}
    counts = np.clip(actions.order_count[b, lab], 0, MAX_ORDER_GPUS)
    orders = [
        {"gpu": cat.gpu_ids[g], "vendor": cat.integrator_ids[v], "count": int(counts[v, g])}
        for v, g in zip(*np.nonzero(counts > 0), strict=True)
    ]
    if orders:
        entry["orders"] = orders
    for key, array, most in (
        ("build", actions.build_mw, MAX_BUILD_MW),
        ("turbines", actions.turbine_mw, MAX_TURBINE_MW),
    ):
        mw = amount(array[b, lab], most)
        values = {s: float(mw[i]) for i, s in enumerate(cat.site_ids) if mw[i] > 0}
        if values:
            entry[key] = values
    subs = [s for i, s in enumerate(cat.site_ids) if actions.substation[b, lab, i]]
    if subs:
        entry["substation"] = subs
    split = actions.split[b, lab]
    if np.isfinite(split).all() and (split >= 0).all() and split.sum() > 0:
        entry["split"] = [float(x) for x in split]
    runs = [float(x) for x in amount(actions.start_flop[b, lab], MAX_RUN_FLOP) if x > 0]
    if runs:
        entry["runs"] = runs
    safe, _ = checked(actions, len(cat.partner_ids), len(cat.gpu_ids), len(cat.site_ids))
    if safe.offer_partner[b, lab] >= 0:
        entry["offer"] = offer_entry(safe, b, lab, params, week)
    exits = [int(k) for k in np.flatnonzero(actions.exit[b, lab])]
    if exits:
        entry["exits"] = exits
    for key in ("raise_usd", "borrow_usd", "repay_usd"):
        value = float(amount(getattr(actions, key)[b, lab], MAX_ACTION_USD))
        if value > 0:
            entry[key] = value
    if actions.staff_usd_week[b, lab] >= 0:
        entry["staff_usd_week"] = float(amount(actions.staff_usd_week[b, lab], MAX_STAFF_USD_WEEK))
    entry |= _exits_entry(actions, b, lab, cat)
    return entry


def _exits_entry(actions: Actions, b: int, lab: int, cat: Catalog) -> dict[str, Any]:
    """The ways out a lab took (engine/exits.py), as the step reads them."""
    out: dict[str, Any] = {}
    pause = actions.hall_pause[b, lab]
    for key, mask in (
        ("cancel_halls", np.asarray(actions.hall_cancel[b, lab], bool)),
        ("pause_halls", pause > 0),
        ("resume_halls", pause < 0),
    ):
        if mask.any():
            out[key] = [s for i, s in enumerate(cat.site_ids) if mask[i]]
    sell = np.clip(actions.sell_gpus[b, lab], 0, MAX_GPUS)
    if sell.any():
        out["sell"] = {cat.gpu_ids[g]: int(sell[g]) for g in np.flatnonzero(sell)}
    sublets = [int(k) for k in np.flatnonzero(actions.sublet[b, lab])]
    if sublets:
        out["sublets"] = sublets
    return out


def _put_exits(fields: dict[str, np.ndarray], li: int, e: dict[str, Any], cat: Catalog) -> None:
    for s in e.get("cancel_halls", []):
        fields["hall_cancel"][:, li, cat.site_ids.index(s)] = True
    for s in e.get("pause_halls", []):
        fields["hall_pause"][:, li, cat.site_ids.index(s)] = 1
    for s in e.get("resume_halls", []):
        fields["hall_pause"][:, li, cat.site_ids.index(s)] = -1
    for g, n in e.get("sell", {}).items():
        fields["sell_gpus"][:, li, cat.gpu_ids.index(g)] = n
    for k in e.get("sublets", []):
        fields["sublet"][:, li, k] = True


def standing_records(standing: Sequence[dict[str, Any]], schema: Schema) -> tuple[Standing, ...]:
    """Standing orders (as the game holds them) as the file's records, checked as the
    loader checks them."""
    return tuple(
        schema.read(o, Standing, "the game's standing orders", (("standing", True), (i, True)), SaveError)
        for i, o in enumerate(standing)
    )


def offer_entry(
    actions: Actions, b: int, lab: int, params: Params, week: int | None = None
) -> dict[str, Any]:
    """Lab `lab`'s offer in game `b` of `actions`, as a log table: the terms the partner
    weighs (a start before `week` is this week, a term within 1 to 520 weeks, ...)."""
    cat = params.catalog
    offer: dict[str, Any] = {"partner": cat.partner_ids[int(actions.offer_partner[b, lab])]}
    invest = float(offered_investment(actions)[b, lab])
    if invest > 0:
        offer["invest"] = invest
        offer["share"] = float(amount(actions.offer_share[b, lab], 1.0))
        return offer
    start = int(actions.offer_start[b, lab])
    if week is not None:
        start = min(max(start, week), week + MAX_TERM_WEEKS)
    offer |= {
        "gpu": cat.gpu_ids[int(np.clip(actions.offer_gpu[b, lab], 0, len(cat.gpu_ids) - 1))],
        "count": int(np.clip(actions.offer_count[b, lab], 0, MAX_OFFER_GPUS)),
        "start": start,
        "weeks": int(
            np.clip(
                actions.offer_weeks[b, lab], 0 if actions.offer_contract[b, lab] >= 0 else 1, MAX_TERM_WEEKS
            )
        ),
        "price": _price(float(actions.offer_price[b, lab])),
    }
    if actions.offer_site[b, lab] >= 0:
        offer["site"] = cat.site_ids[int(actions.offer_site[b, lab])]
    if actions.offer_contract[b, lab] >= 0:
        offer["contract"] = int(actions.offer_contract[b, lab])
    return offer


def _price(price: float) -> float:
    """An offer's price as the partner weighs it: within 0 to MAX_PRICE_USD_HOUR, except that a
    negative price stays negative (-1), since the deals rules take one for a push on the
    partner; NaN and -inf are no price (0)."""
    if math.isnan(price) or price == -math.inf:
        return 0.0
    return min(max(price, -1.0), MAX_PRICE_USD_HOUR)


def log_records(log: Sequence[dict[str, Any]], schema: Schema) -> tuple[LogEntry, ...]:
    """Log entries (as the session and replay hold them) as the file's records, checked
    as the loader checks them: the game never writes a log it would refuse to read."""
    return tuple(
        schema.read(e, LogEntry, "the game's log", (("log", True), (i, True)), SaveError)
        for i, e in enumerate(log)
    )


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
    fields["offer_contract"][:, li] = offer.get("contract", -1)


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
        _put_exits(fields, li, e, cat)
    return Actions(**fields), covered
