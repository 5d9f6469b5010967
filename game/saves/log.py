"""The action log: what a human lab decided in a week, as a file entry and back. The one
codec the session (which writes the log) and replay (which plays it) share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

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
from game.saves.entries import Booked, LogEntry, LogOrder, Offer, Standing
from game.saves.files import SaveError


# ------------------------------------------------------------------ action log
# An entry records what the engine takes from the actions, not the raw arrays: every
# amount through the same clip the step applies (so NaN, negative and huge asks log as
# what they did, within the loader's limits), and an offer only if it names a partner,
# GPU and site that exist (the step refuses others and changes nothing).
def log_entry(actions: Actions, b: int, lab: int, week: int, params: Params) -> LogEntry:
    """What lab `lab` of game `b` decided this week, as a log entry."""
    cat = params.catalog
    counts = np.clip(actions.order_count[b, lab], 0, MAX_ORDER_GPUS)
    orders = tuple(
        LogOrder(gpu=cat.gpu_ids[g], vendor=cat.integrator_ids[v], count=int(counts[v, g]))
        for v, g in zip(*np.nonzero(counts > 0), strict=True)
    )
    build, turbines = (
        {s: float(mw[i]) for i, s in enumerate(cat.site_ids) if mw[i] > 0}
        for mw in (
            amount(actions.build_mw[b, lab], MAX_BUILD_MW),
            amount(actions.turbine_mw[b, lab], MAX_TURBINE_MW),
        )
    )
    split = actions.split[b, lab]
    whole = bool(np.isfinite(split).all() and (split >= 0).all() and split.sum() > 0)
    safe, _ = checked(actions, len(cat.partner_ids), len(cat.gpu_ids), len(cat.site_ids))
    usd = {
        k: float(amount(getattr(actions, k)[b, lab], MAX_ACTION_USD))
        for k in ("raise_usd", "borrow_usd", "repay_usd")
    }
    staff = actions.staff_usd_week[b, lab]
    entry = LogEntry(
        week=int(week),
        lab=params.lab_ids[lab],
        orders=orders,
        build=build,
        turbines=turbines,
        substation=tuple(s for i, s in enumerate(cat.site_ids) if actions.substation[b, lab, i]),
        split=tuple(float(x) for x in split) if whole else None,
        runs=tuple(float(x) for x in amount(actions.start_flop[b, lab], MAX_RUN_FLOP) if x > 0),
        offer=offer_entry(safe, b, lab, params, week) if safe.offer_partner[b, lab] >= 0 else None,
        exits=tuple(int(k) for k in np.flatnonzero(actions.exit[b, lab])),
        raise_usd=usd["raise_usd"],
        borrow_usd=usd["borrow_usd"],
        repay_usd=usd["repay_usd"],
        staff_usd_week=float(amount(staff, MAX_STAFF_USD_WEEK)) if staff >= 0 else -1.0,
    )
    return _exits_entry(entry, actions, b, lab, cat)


def _exits_entry(entry: LogEntry, actions: Actions, b: int, lab: int, cat: Catalog) -> LogEntry:
    """`entry` with the ways out the lab took (engine/exits.py), as the step reads them."""
    pause = actions.hall_pause[b, lab]

    def sites(mask: np.ndarray) -> tuple[str, ...]:
        return tuple(s for i, s in enumerate(cat.site_ids) if mask[i])

    sell = np.clip(actions.sell_gpus[b, lab], 0, MAX_GPUS)
    return attrs.evolve(
        entry,
        cancel_halls=sites(np.asarray(actions.hall_cancel[b, lab], bool)),
        pause_halls=sites(pause > 0),
        resume_halls=sites(pause < 0),
        sell={cat.gpu_ids[g]: int(sell[g]) for g in np.flatnonzero(sell)},
        sublets=tuple(int(k) for k in np.flatnonzero(actions.sublet[b, lab])),
    )


def _put_exits(fields: dict[str, np.ndarray], li: int, e: LogEntry, cat: Catalog) -> None:
    for s in e.cancel_halls:
        fields["hall_cancel"][:, li, cat.site_ids.index(s)] = True
    for s in e.pause_halls:
        fields["hall_pause"][:, li, cat.site_ids.index(s)] = 1
    for s in e.resume_halls:
        fields["hall_pause"][:, li, cat.site_ids.index(s)] = -1
    for g, n in e.sell.items():
        fields["sell_gpus"][:, li, cat.gpu_ids.index(g)] = n
    for k in e.sublets:
        fields["sublet"][:, li, k] = True


def standing_records(standing: Sequence[Standing], schema: Schema) -> tuple[Standing, ...]:
    """The game's standing orders, checked as the loader checks them (written and read
    back through the file's schema)."""
    return _through(standing, Standing, "the game's standing orders", "standing", schema)


def book_records(book: Sequence[Booked], schema: Schema) -> tuple[Booked, ...]:
    """The week's booked decisions, checked as the loader checks them."""
    return _through(book, Booked, "the week's book", "book", schema)


R = TypeVar("R")


def _through(items: Sequence[R], cls: type[R], what: str, key: str, schema: Schema) -> tuple[R, ...]:
    return tuple(
        schema.read(schema.write(o), cls, what, ((key, True), (i, True)), SaveError) for i, o in enumerate(items)
    )


def offer_entry(actions: Actions, b: int, lab: int, params: Params, week: int | None = None) -> Offer:
    """Lab `lab`'s offer in game `b` of `actions`, as the log keeps it: the terms the
    partner weighs (a start before `week` is this week, a term within 1 to MAX_TERM_WEEKS weeks, ...)."""
    cat = params.catalog
    partner = cat.partner_ids[int(actions.offer_partner[b, lab])]
    invest = float(offered_investment(actions)[b, lab])
    if invest > 0:
        return Offer(partner=partner, invest=invest, share=float(amount(actions.offer_share[b, lab], 1.0)))
    start = int(actions.offer_start[b, lab])
    if week is not None:
        start = min(max(start, week), week + MAX_TERM_WEEKS)
    contract = int(actions.offer_contract[b, lab])
    site = int(actions.offer_site[b, lab])
    return Offer(
        partner=partner,
        gpu=cat.gpu_ids[int(np.clip(actions.offer_gpu[b, lab], 0, len(cat.gpu_ids) - 1))],
        count=int(np.clip(actions.offer_count[b, lab], 0, MAX_OFFER_GPUS)),
        start=start,
        weeks=int(np.clip(actions.offer_weeks[b, lab], 0 if contract >= 0 else 1, MAX_TERM_WEEKS)),
        price=_price(float(actions.offer_price[b, lab])),
        site=cat.site_ids[site] if site >= 0 else "",
        contract=max(contract, -1),
    )


def _price(price: float) -> float:
    """An offer's price as the partner weighs it: within 0 to MAX_PRICE_USD_HOUR, except that a
    negative price stays negative (-1), since the deals rules take one for a push on the
    partner; NaN and -inf are no price (0)."""
    if math.isnan(price) or price == -math.inf:
        return 0.0
    return min(max(price, -1.0), MAX_PRICE_USD_HOUR)


def log_records(log: Sequence[LogEntry], schema: Schema) -> tuple[LogEntry, ...]:
    """The game's log, checked as the loader checks it (written and read back through the
    file's schema): the game never writes a log it would refuse to read."""
    return tuple(
        schema.read(schema.write(e), LogEntry, "the game's log", (("log", True), (i, True)), SaveError)
        for i, e in enumerate(log)
    )


def _put_offer(fields: dict[str, np.ndarray], li: int, offer: Offer, cat: Catalog) -> None:
    fields["offer_partner"][:, li] = cat.partner_ids.index(offer.partner)
    fields["offer_gpu"][:, li] = cat.gpu_ids.index(offer.gpu) if offer.gpu else 0
    fields["offer_count"][:, li] = offer.count
    fields["offer_start"][:, li] = offer.start
    fields["offer_weeks"][:, li] = offer.weeks
    fields["offer_price"][:, li] = offer.price
    fields["offer_site"][:, li] = cat.site_ids.index(offer.site) if offer.site else -1
    fields["offer_invest"][:, li] = offer.invest
    fields["offer_share"][:, li] = offer.share
    fields["offer_contract"][:, li] = offer.contract


def offer_actions(world: World, lab: int, offer: Offer) -> Actions:
    """Idle actions but for one lab's offer (a negotiation round between weeks)."""
    a = Actions.idle(world)
    fields = {f: getattr(a, f).copy() for f in attrs.fields_dict(Actions)}
    _put_offer(fields, lab, offer, world.params.catalog)
    return Actions(**fields)


def log_actions(world: World, entries: Sequence[LogEntry]) -> tuple[Actions, np.ndarray]:
    """The logged actions for this week (applied to every game of the batch), and which
    labs they cover (L,) bool."""
    p = world.params
    cat = p.catalog
    a = Actions.idle(world)
    fields = {f: getattr(a, f).copy() for f in attrs.fields_dict(Actions)}
    covered = np.zeros(p.n_labs, bool)
    for e in entries:
        li = p.lab_ids.index(e.lab)
        covered[li] = True
        for o in e.orders:
            v, g = cat.integrator_ids.index(o.vendor), cat.gpu_ids.index(o.gpu)
            fields["order_count"][:, li, v, g] += o.count
        for s, mw in e.build.items():
            fields["build_mw"][:, li, cat.site_ids.index(s)] = mw
        for s, mw in e.turbines.items():
            fields["turbine_mw"][:, li, cat.site_ids.index(s)] = mw
        for s in e.substation:
            fields["substation"][:, li, cat.site_ids.index(s)] = True
        if e.split is not None:
            fields["split"][:, li] = e.split
        for k, flop in enumerate(e.runs):
            fields["start_flop"][:, li, k] = flop
        if e.offer is not None:
            _put_offer(fields, li, e.offer, cat)
        for k in e.exits:
            fields["exit"][:, li, k] = True
        for key in ("raise_usd", "borrow_usd", "repay_usd"):
            fields[key][:, li] = getattr(e, key)
        fields["staff_usd_week"][:, li] = e.staff_usd_week
        _put_exits(fields, li, e, cat)
    return Actions(**fields), covered
