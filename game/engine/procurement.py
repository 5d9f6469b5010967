"""The AI's procurement: each week, what it buys from NVIDIA, the halls and power it
builds, and what it rents from partners (a new contract, a larger one, an extension, or
a build to order), vectorised over games and labs. policies.decide sets the budgets;
this module spends them.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from game.engine import compute, deals, ops, terms
from game.engine.params import HOURS_PER_WEEK, Params
from game.engine.state import World

NO_END = 10**9  # the end week of an empty contract slot


def shop(p: Params, s: World, c: Any, k: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What buying looks like this week: the integrator that delivers first (B,), prices
    through it (B, G), the best FLOP per dollar on sale (B,) and NVIDIA's supply of it
    left; the lab's halls (B, L, S), its own power there, the power
    it could still have soon at each site (B, L, S), and its room in halls planned (B, L)."""
    B, L = s.cash.shape
    V = len(p.integrator_ids)
    eta = compute.integrator_wait(p, s, np.zeros((B, 1, V)))[:, 0, :]  # (B, V): weeks to deliver
    vendor = eta.argmin(-1)  # (B,)
    unit = compute.server_price(p, s)[np.arange(B), vendor]  # (B, G)
    shipping = compute.on_sale(p, s)  # (B, G)
    left = compute.supply_left(p, s)
    # The best FLOP per dollar among GPUs NVIDIA still has enough of this quarter and that
    # are not far behind the newest (an old GPU's last few thousand are not worth a plan).
    frontier = np.where(shipping, p.gpu_flops, 0.0).max(-1, keepdims=True)
    buyable = shipping & (left >= c.min_order_supply) & (p.gpu_flops >= c.obsolete_flops_share * frontier)
    value = p.gpu_flops * p.gpu_mfu / unit
    best = np.where(buyable, value, -1.0).argmax(-1)  # (B,)
    on_order_kw = ops.einsum("blo,blo->bl", s.order_count.astype(np.float64), p.gpu_kw[s.order_gpu])
    installed_mw = compute.installed_mw(p, s)
    committed_mw = ops.einsum("bls->bl", installed_mw) + (s.warehouse @ p.gpu_kw + on_order_kw) / 1000
    halls = s.hall_mw + s.hall_building
    planned_mw = ops.einsum("bls->bl", halls)
    own_power = s.grid_alloc + s.turbine_mw + s.turbine_pending
    turbines = compute.turbine_room(p, s)[:, None, :] * (k["use_turbines"] > 0)[..., None]
    power_room = deals.site_free_mw(p, s)[:, None, :] + turbines + own_power - halls  # (B, L, S)
    rows = np.arange(B)
    return {
        "vendor": vendor,
        "unit": unit,
        "on_sale": ops.anyof(buyable),
        "best": best,
        "best_unit": unit[rows, best][:, None],  # (B, 1)
        "best_kw": p.gpu_kw[best][:, None],
        "best_left": left[rows, best][:, None],
        "committed_mw": committed_mw,
        "planned_mw": planned_mw,
        "room_mw": np.maximum(planned_mw - committed_mw, 0.0),
        "halls": halls,
        "own_power": own_power,
        "turbines": turbines,
        "power_room": power_room,
    }


def cannot_buy(
    p: Params, s: World, k: dict[str, np.ndarray], shop: dict[str, np.ndarray], budget: np.ndarray
) -> np.ndarray:
    """The share (B, L) of a week's GPU budget that cannot become owned compute soon:
    NVIDIA's quarter of the GPU it would buy is spoken for, or the halls cannot be ready
    for it (room in halls planned, plus what the fastest site with power can build in
    `hall_plan_weeks`)."""
    c = p.catalog.ai
    wanted = budget / shop["best_unit"]
    power = np.maximum(shop["power_room"], 0.0)
    buildable = ops.most(np.minimum(power, p.site_build_mw_per_week * c.hall_plan_weeks))
    power_mw = shop["room_mw"] + buildable * (k["buy_share"] > 0)
    placeable = np.minimum(power_mw * 1000.0 / shop["best_kw"], shop["best_left"])
    return np.where(wanted >= 1.0, ops.clip(1.0 - placeable / np.maximum(wanted, 1.0), 0.0, 1.0), 0.0)


def purchases(
    p: Params, s: World, shop: dict[str, np.ndarray], budget: np.ndarray, error: np.ndarray
) -> np.ndarray:
    """GPUs to order (B, L, G): the best FLOP per dollar on sale, as much as the week's
    budget and the halls planned allow."""
    B, L = s.cash.shape
    count = np.minimum(budget / shop["best_unit"], shop["room_mw"] * 1000.0 / shop["best_kw"]) * error
    count = np.where(shop["on_sale"][:, None] & ~s.bankrupt, np.floor(np.maximum(count, 0.0)), 0.0)
    order = np.zeros((B, L, len(p.gpu_ids)), np.int64)
    order[np.arange(B)[:, None], np.arange(L)[None, :], shop["best"][:, None]] = count.astype(np.int64)
    return order


def power(
    p: Params,
    s: World,
    c: Any,
    k: dict[str, np.ndarray],
    buy_budget: np.ndarray,
    shop: dict[str, np.ndarray],
    alive: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Halls, turbines and substation upgrades (B, L, S): keep the planned power ahead of
    the GPUs on hand and a couple of months of purchases."""
    halls, own_power = shop["halls"], shop["own_power"]
    growth_mw = buy_budget * c.hall_plan_weeks / shop["best_unit"] * shop["best_kw"] / 1000.0
    desired_mw = (shop["committed_mw"] + growth_mw) * k["power_headroom"]
    deficit = np.where(alive & (buy_budget > 0), desired_mw - shop["planned_mw"], 0.0)
    build = np.zeros(halls.shape)
    wants = ops.anyof(deficit >= c.min_build_mw)  # (B,) games where a lab would build
    if np.count_nonzero(wants):
        money = buy_budget * c.hall_budget_weeks
        if wants.all():
            build = build_halls(p, s, c, shop, deficit, money)
        else:  # the other games build nothing
            rows = np.flatnonzero(wants)
            some = {name: value[rows] for name, value in shop.items()}
            build[rows] = build_halls(p, cast(World, ops.Games(s, rows)), c, some, deficit[rows], money[rows])
        halls = halls + build
    free_grid = np.maximum(s.grid_mw - ops.einsum("bls->bs", s.grid_alloc), 0.0)[:, None, :]
    short = np.where(alive[..., None], np.maximum(halls - own_power - free_grid, 0.0), 0.0)
    order_turbines = short * (k["use_turbines"] > 0)[..., None]
    substation = (short > 0) & (s.grid_mw < p.site_grid_max)[:, None, :]
    return build, order_turbines, substation


def build_halls(
    p: Params, s: World, c: Any, shop: dict[str, np.ndarray], deficit: np.ndarray, money: np.ndarray
) -> np.ndarray:
    """Halls to start (B, L, S) for a deficit of MW (B, L), at the best sites in turn: a
    site with power soon for the lab (the grid nobody holds, turbine permits left if it
    uses turbines, its own power not yet under a hall), then the grid still to come, and a
    little for a site the lab already knows."""
    halls = shop["halls"]
    later = p.site_grid_max + shop["turbines"] - ops.einsum("bls->bs", halls)[:, None, :]
    score = shop["power_room"] + c.future_grid_weight * (p.site_grid_max - s.grid_mw)[:, None, :]
    score = np.where(later > c.min_build_mw, score + c.own_site_bonus_mw * (halls > 0), -np.inf)
    build = np.zeros(halls.shape)
    S = len(p.site_ids)
    for _ in range(int(c.build_sites)):  # the best sites in turn, while a deficit is left
        site = score.argmax(-1)  # (B, L)
        at = np.arange(S) == site[..., None]
        room = ops.pick(later, site)
        cap = np.minimum(p.site_build_mw_per_week[site] * c.build_weeks_ahead, room)
        cost = p.site_build_usd_per_mw[site]
        amount = np.minimum(np.minimum(deficit, cap), money / cost)
        amount = np.where((amount >= c.min_build_mw) & (room > c.min_build_mw), amount, 0.0)
        build = build + at * amount[..., None]
        deficit = deficit - amount
        if not np.count_nonzero(deficit >= c.min_build_mw):
            break
        money = money - amount * cost
        score = np.where(at, -np.inf, score)
    return build


def rentals(
    p: Params,
    s: World,
    c: Any,
    k: dict[str, np.ndarray],
    money: dict[str, np.ndarray],
    budget: np.ndarray,
    error: np.ndarray,
    alive: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """This week's offer (B, L) and the share of the rent budget no partner could take.

    First, extend the contract that ends soonest if it ends within `renew_within_weeks`.
    Else rent the best FLOP per dollar among partners' free pools, for the style's term
    (with every contract slot held: among the pools of the lasting contracts it holds,
    adding the GPUs to that contract); when the pools cannot take half of what the budget
    would rent and a slot is free, ask a partner to build to order at the site with the
    most free grid, for a longer term (Stargate-style)."""
    B, L = s.cash.shape
    P, G = len(p.partner_ids), len(p.gpu_ids)
    games, labs = np.arange(B)[:, None], np.arange(L)[None, :]
    free = compute.partner_free(p, s)  # (B, P, G)
    listed = p.partner_price * compute.older_factor(p, s)[:, None, :]  # (B, P, G), deals.list_price
    # FLOP/s per USD-hour; GPUs far behind the newest shipping are not worth a slot.
    shipping = compute.on_sale(p, s)[:, None, :]  # (B, 1, G)
    frontier = np.where(shipping, p.gpu_flops, 0.0).max(-1, keepdims=True)  # (B, 1, 1)
    current = p.gpu_flops >= c.obsolete_flops_share * frontier
    value = np.where(current, p.gpu_flops * p.gpu_mfu / np.where(listed > 0, listed, np.inf), 0.0)
    pooled_value = np.where((free >= c.min_rental_gpus) & (value > 0), value, -1.0).reshape(B, -1)
    best_value = ops.most(pooled_value)[:, None]  # (B, 1): the best on offer, for renewals
    # A lab with no contract slot free rents by enlarging a contract it holds (an
    # amendment, as a person would): it picks the best pool among those it holds a lasting
    # contract from (a partner's GPU, not a build at a site); with a slot free, the best pool.
    key = enlargeable(s, c, G)  # (B, L, K)
    slot_free: np.ndarray = np.asarray(ops.anyof(s.contract_partner < 0))  # (B, L)
    if np.count_nonzero(slot_free) == slot_free.size:  # every lab has a slot free: every pool
        lab_value = pooled_value[:, None, :].repeat(L, 1)
    else:
        marked = np.zeros(B * L * (P * G + 1), bool)  # rows of P*G + 1: column 0 for no pool
        marked[(np.arange(0, marked.size, P * G + 1)[:, None] + key.reshape(B * L, -1) + 1).ravel()] = True
        holds = marked.reshape(B * L, P * G + 1)[:, 1:].reshape(B, L, P * G)  # (B, L, P*G)
        lab_value = np.where(slot_free[..., None] | holds, pooled_value[:, None, :], -1.0)
    pick = np.argmax(lab_value, axis=-1)  # (B, L)
    pick_value = ops.pick(lab_value, pick)  # (B, L)
    pool_partner, pool_gpu = pick // G, pick % G
    pool_price = listed.reshape(B, -1)[games, pick]  # (B, L)
    wanted = budget / np.maximum(pool_price * HOURS_PER_WEEK * c.rent_budget_weeks, 1e-9) * error
    pool_free = free.reshape(B, -1)[games, pick]
    # Ask for at most a share of a pool: rivals asking the same week would split it; and
    # no more than the partner rents one customer.
    # compute.customer_room at the picked pools only (the same numbers)
    cap = p.partner_capacity[compute.week_row(p, s)] * p.partner_customer_share[None, :, None]  # (B, P, G)
    lab_held = compute.lab_rented(p, s)[games, labs, pool_partner, pool_gpu]
    room = np.maximum(cap[games, pool_partner, pool_gpu] - lab_held, 0.0)  # (B, L)
    pool_count = np.where(pick_value > 0, np.minimum(np.minimum(wanted, c.pool_share * pool_free), room), 0.0)

    enough = c.min_rental_gpus
    use_pool = (pool_count >= enough) & (pool_count >= c.pool_enough * wanted)
    # Build to order (only where the pools fall short): the best value among partners
    # that build and the GPUs shipping, at the site with the most free grid.
    short = alive & ~use_pool & (wanted >= enough)
    b_count = np.zeros((B, L))
    b_partner = b_gpu = b_site = np.zeros(B, np.int64)
    b_price = np.ones((B, 1))
    b_weeks = np.maximum(k["rent_weeks"], c.build_term_weeks).astype(np.int64)
    b_start = np.zeros((B, L), np.int64)
    if np.count_nonzero(short):
        builds = (p.partner_build > 0)[None, :, None] & shipping & (value > 0)
        build_value = np.where(builds, value, -1.0).reshape(B, -1)
        bpick = build_value.argmax(-1)
        b_partner, b_gpu = bpick // G, bpick % G
        b_price = listed.reshape(B, -1)[np.arange(B), bpick][:, None]
        b_value = build_value[np.arange(B), bpick][:, None]
        site_free = deals.site_free_mw(p, s)  # (B, S)
        b_site = site_free.argmax(-1)  # (B,)
        per_gpu_mw = p.gpu_kw[b_gpu] / 1000.0 * p.partner_power_margin[b_partner]
        b_rate = terms.build_rate(p, b_partner[:, None], b_weeks)  # (B, L)
        fits = c.pool_share * (site_free[np.arange(B), b_site] / per_gpu_mw)[:, None]  # rivals may ask too
        b_count = np.minimum(wanted * pool_price / b_price, fits)
        b_count = np.where(short & (b_value > 0), np.floor(b_count), 0.0)
        b_start = (
            s.week[:, None]
            + np.ceil(b_count / np.maximum(b_rate, 1e-9)).astype(np.int64)
            + c.build_slack_weeks
        )
    use_build = ~use_pool & (b_count >= enough) & (b_count > pool_count) & slot_free  # a build takes a slot
    use_pool = use_pool | (~use_build & (pool_count >= enough))

    # A pool rental that matches a contract the lab holds (partner, GPU, no site) enlarges
    # it rather than taking a new slot.
    same = key == pick[..., None]  # (B, L, K)
    enlarge = ops.anyof(same)
    enlarge_slot = np.argmax(same, axis=-1)
    renting = alive & ((slot_free & (use_pool | use_build)) | (use_pool & enlarge))
    enlarging = renting & use_pool & enlarge
    partner = np.where(use_build, b_partner[:, None], pool_partner)
    gpu = np.where(use_build, b_gpu[:, None], pool_gpu)
    count = np.floor(np.where(use_build, b_count, pool_count))
    got = np.where(renting, np.where(use_build, count * b_price / np.maximum(pool_price, 1e-9), count), 0.0)
    unrented = np.where(wanted >= enough, ops.clip(1.0 - got / np.maximum(wanted, 1.0), 0.0, 1.0), 0.0)

    # Renewals first: the contract that ends soonest, if within the window, still good
    # value beside the best on offer, and affordable.
    held = s.contract_partner >= 0
    ending = held & (s.contract_end <= s.week[:, None, None] + c.renew_within_weeks)
    keep = np.zeros((B, L), bool)
    slot = r_partner = r_gpu = np.zeros((B, L), np.int64)
    if np.count_nonzero(alive[..., None] & ending):
        ends = np.where(held, s.contract_end.astype(np.int64), NO_END)
        slot = ends.argmin(-1)  # (B, L)
        at = (games, labs, slot)
        r_partner = np.maximum(s.contract_partner[at], 0).astype(np.int64)
        r_gpu = s.contract_gpu[at].astype(np.int64)
        r_value = value[games, r_partner, r_gpu]
        worth = (r_value > 0) & (r_value >= c.renew_value_share * best_value)
        keep = alive & ops.anyof(ending) & (money["runway"] > money["floor"]) & worth

    offer = {
        "offer_partner": np.where(keep, r_partner, np.where(renting, partner, -1)),
        "offer_gpu": np.where(keep, r_gpu, gpu).astype(np.int64),
        "offer_count": np.where(keep, 0, np.where(renting, count, 0)).astype(np.int64),
        "offer_start": np.where(~keep & use_build, b_start, s.week[:, None]).astype(np.int64),
        "offer_weeks": np.where(~keep & use_build, b_weeks, k["rent_weeks"]).astype(np.int64),
        "offer_price": np.zeros((B, L)),  # set by _price
        "offer_site": np.where(~keep & use_build & renting, b_site[:, None], -1),
        "offer_invest": np.zeros((B, L)),
        "offer_share": np.zeros((B, L)),
        "offer_contract": np.where(keep, slot, np.where(enlarging, enlarge_slot, -1)).astype(np.int64),
    }
    offer["offer_weeks"] = np.where(~keep & enlarging, 0, offer["offer_weeks"])  # (B, L)
    return offer, unrented


def enlargeable(s: World, c: Any, G: int) -> np.ndarray:
    """Which pool each contract slot could grow from (B, L, K): partner * G + GPU for a
    contract from a partner's pool (no site) that lasts past the renewal window, else -1."""
    lasting = s.contract_end > s.week[:, None, None] + c.renew_within_weeks
    pooled = (s.contract_partner >= 0) & (s.contract_site < 0) & lasting
    # (whole numbers: np.where(pooled, key, -1), exact, and several times faster in a large
    # batch, where np.where branches on each element)
    return (s.contract_partner.astype(np.int64) * G + s.contract_gpu + 1) * pooled - 1


def offer_price(
    p: Params, s: World, k: dict[str, np.ndarray], offer: dict[str, np.ndarray], error: np.ndarray
) -> np.ndarray:
    """What the AI offers per GPU-hour (B, L): the partner's standing counter if it made
    one; else its asking price (the engine's own rule) times the difficulty's premium and
    a negotiating error (under the ask, the partner counters; over it, the AI overpays)."""
    partner = np.maximum(offer["offer_partner"], 0)
    gpu = offer["offer_gpu"]
    weeks = np.maximum(offer["offer_weeks"], 1)
    listed = terms.list_price(p, s, partner, gpu)
    countered = ops.pick(s.last_counter, partner)
    ask = terms.asking_price(p, s, partner, gpu, weeks)
    # A pool filling up asks more (deals.evaluate's rule, at the utilisation this offer leaves).
    row = compute.week_row(p, s)[:, None]  # (B, 1): indexing broadcasts it
    used = terms.pool_utilisation(p, s, partner, gpu, offer["offer_count"], row)
    scarce = np.where(offer["offer_site"] >= 0, 1.0, terms.utilisation_markup(p, used))
    return np.where(countered > 0, countered * listed, ask * k["price_premium"] * error) * scarce


def investment(p: Params, s: World, k: dict[str, np.ndarray], alive: np.ndarray) -> dict[str, np.ndarray]:
    """An investment to ask for this week (B, L), for the labs whose difficulty
    `asks_investors`: from the partner that would put in most, all it would put in, for
    the share of revenue it asks, when the partner may invest again and would listen
    (the lab has a model, the partner has patience and the relationship holds)."""
    B, L = s.cash.shape
    cap = np.where(p.partner_invests, p.partner_invest_max[:, None], 0.0)  # (P, L)
    partner = np.broadcast_to(np.argmax(cap, axis=0)[None, :], (B, L))
    if not np.count_nonzero(k["asks_investors"] > 0):  # no lab's difficulty asks (below hard)
        return {"asking": np.zeros((B, L), bool), "partner": partner, "invest": np.zeros((B, L)),
                "share": np.zeros((B, L))}  # fmt: skip
    granted, share = terms.investment(p, s, partner)
    asking = alive & (k["asks_investors"] > 0) & (granted > 0) & terms.investment_open(p, s, partner)
    return {
        "asking": asking,
        "partner": partner,
        "invest": np.where(asking, granted, 0.0),
        "share": np.where(asking, share, 0.0),
    }
