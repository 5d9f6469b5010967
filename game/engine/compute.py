"""Fleets: GPU orders, deliveries, installs, halls and power, and the FLOP/s they give.

Functions take `s`, the World or the step's working copy of it (same attribute names),
and never change an array in place: they return new arrays or assign new ones to `s`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import codes, grid, limits, memo, ops
from game.engine.actions import amount
from game.engine.grid import substation_cost as substation_cost  # the play screens read it here
from game.engine.grid import substation_gain
from game.engine.nvidia import older_factor as older_factor  # NVIDIA's market: the rules read it here
from game.engine.nvidia import older_factor_at as older_factor_at
from game.engine.nvidia import on_sale as on_sale
from game.engine.nvidia import on_sale_week as on_sale_week
from game.engine.nvidia import supply_left as supply_left
from game.engine.nvidia import unit_price as unit_price
from game.engine.nvidia import week_price_mult as week_price_mult
from game.engine.nvidia import week_row as week_row
from game.engine.params import HOURS_PER_WEEK, SECONDS_PER_WEEK, Params

State = Any  # World, or the step's working namespace with the same attributes


def server_price(p: Params, s: State, mult: np.ndarray | None = None) -> np.ndarray:
    """What one GPU costs in servers through each integrator this week (B, V, G); `mult`:
    NVIDIA's demand factor (default the state's; week_price_mult gives the week's)."""
    return unit_price(p, s, mult)[:, None, :] * p.integrator_markup[:, None]


def week_server_price(p: Params, s: State) -> np.ndarray:
    """What an order placed this week pays per GPU in servers (B, V, G): at a quarter's
    start the step sets NVIDIA's new demand factor before the orders (previews read this)."""
    return server_price(p, s, week_price_mult(p, s)[1])


def integrator_wait(p: Params, s: State, gpus: np.ndarray) -> np.ndarray:
    """Weeks from ordering `gpus` (B, L, V) through each integrator to delivery: its lead
    time plus the weeks its queue (and the order itself) take beyond this week."""
    queue = np.maximum(np.ceil((s.integrator_backlog[:, None, :] + gpus) / p.integrator_capacity) - 1, 0)
    return p.integrator_lead + queue.astype(np.int64)


def turbine_room(p: Params, s: State) -> np.ndarray:
    """MW of turbines the permits at each site still allow, all labs together (B, S)."""
    return np.maximum(p.site_turbine_max - ops.total(s.turbine_mw + s.turbine_pending, 1), 0.0)


def power_mw(s: State) -> np.ndarray:
    """Power each lab can draw at each site (B, L, S): its grid share (none while the
    site's grid is down) plus turbines."""
    grid_up = (s.outage_left == 0)[:, None, :]
    return s.grid_alloc * grid_up + s.turbine_mw


def usable_mw(s: State) -> np.ndarray:
    """MW of GPUs each lab can run at each site (B, L, S): halls and power both needed."""
    return np.minimum(s.hall_mw, power_mw(s))


# Sums over the small site and GPU axes go through np.einsum: several times faster than ndarray.sum
# on a middle axis, each game's sum in the same order whatever the batch (tests/test_determinism.py).
@memo.derived
def _installed_float(s: State) -> np.ndarray:
    return s.installed.astype(np.float64)


@memo.derived
def installed_mw(p: Params, s: State) -> np.ndarray:
    """All-in MW of the GPUs installed at each site (B, L, S)."""
    return ops.einsum("blsg,g->bls", _installed_float(s), p.gpu_kw) / 1000.0


@memo.derived
def owned_gpus(s: State) -> np.ndarray:
    """GPUs each lab owns, installed or waiting in its warehouse, by type (B, L, G)."""
    return ops.einsum("blsg->blg", s.installed) + s.warehouse


@memo.derived
def powered_fraction(p: Params, s: State) -> np.ndarray:
    """Share of installed GPUs that have power (B, L, S); below 1 after a power loss."""
    need = installed_mw(p, s)
    return np.where(need > 0, np.minimum(1.0, usable_mw(s) / np.maximum(need, 1e-12)), 0.0)


@memo.derived
def contract_active(s: State) -> np.ndarray:
    """(B, L, K) contracts delivering GPUs this week."""
    return (
        (s.contract_partner >= 0)
        & (s.contract_start <= s.week[:, None, None])
        & (s.week[:, None, None] < s.contract_end)
    )


def ramped(p: Params, s: State) -> np.ndarray:
    """GPUs each contract delivers this week (B, L, K). A block rented from a partner's
    pool comes online over weeks, `ramp_gpus_per_week` at a time from its start (a larger
    block takes longer); a build to order at a site comes whole."""
    since = s.week[:, None, None] - s.contract_start + 1  # (whole weeks: the same float multiplied)
    up = np.floor(p.rules.deals.ramp_gpus_per_week * np.maximum(since, 0))  # >= 0 (a rate >= 1)
    # np.where(built, count, min(count, up)) without a branch per element: a build's ramp past any count
    return np.minimum(s.contract_count, np.maximum(up, (s.contract_site >= 0) * 1e300)) * contract_active(s)


@memo.derived
def rented_gpus(p: Params, s: State) -> np.ndarray:
    """GPUs each lab rents this week, by type (B, L, G): what its contracts deliver."""
    B, L, _ = s.contract_partner.shape
    G = len(p.gpu_ids)
    count = ramped(p, s)
    idx = (np.arange(B * L).reshape(B, L, 1) * G + s.contract_gpu).ravel()
    return np.bincount(idx, weights=count.ravel(), minlength=B * L * G).reshape(B, L, G)


@memo.derived
def partner_rented(p: Params, s: State) -> np.ndarray:
    """GPUs of each partner's free pool held by contracts (B, P, G), by the pool they draw
    on (`contract_source`). A contract holds capacity from signing until it ends, even
    before it starts delivering; deals built to order at a lab's site hold none."""
    B, L, K = s.contract_partner.shape
    return _held(p, s, L * K).reshape(B, len(p.partner_ids), len(p.gpu_ids))


@memo.derived
def lab_rented(p: Params, s: State) -> np.ndarray:
    """GPUs each lab holds of each partner's pool (B, L, P, G), as `partner_rented`
    counts them: what a partner weighs against its limit for one customer."""
    B, L, K = s.contract_partner.shape
    return _held(p, s, K).reshape(B, L, len(p.partner_ids), len(p.gpu_ids))


def _held(p: Params, s: State, slots: int) -> np.ndarray:
    """The pools' GPUs held, summed by rows of `slots` contract slots (a game's or a lab's),
    (rows * P * G): only the holding slots are added (the others would add 0.0: the same sums)."""
    P, G = len(p.partner_ids), len(p.gpu_ids)
    holds = (s.contract_partner >= 0) & (s.contract_source >= 0) & (s.week[:, None, None] < s.contract_end)
    at = holds.reshape(-1).nonzero()[0]
    idx = (at // slots * P + s.contract_source.reshape(-1)[at]) * G + s.contract_gpu.reshape(-1)[at]
    n = s.contract_count.size // max(slots, 1) * P * G
    return np.bincount(idx, weights=s.contract_count.reshape(-1)[at], minlength=n)


def outside_held(p: Params, capacity: np.ndarray) -> np.ndarray:
    """GPUs of a pool of `capacity` that customers outside the game hold."""
    return capacity * p.rules.deals.outside_demand_share


@memo.derived
def partner_site_mw(p: Params, s: State) -> np.ndarray:
    """Grid MW that partners' buildings hold at each site for labs' contracts (B, S)."""
    (B, S), (_, L, K), site = s.grid_mw.shape, s.contract_site.shape, s.contract_site.reshape(-1)
    at = ((s.contract_partner.reshape(-1) >= 0) & (site >= 0)).nonzero()[0]  # builds only: others add 0.0
    mw = s.contract_count.reshape(-1)[at] * p.gpu_kw.take(s.contract_gpu.reshape(-1)[at]) / 1000.0
    return np.bincount(at // (L * K) * S + site[at], weights=mw, minlength=B * S).reshape(B, S)


def partner_free(p: Params, s: State) -> np.ndarray:
    """GPUs each partner can still rent out (B, P, G): its pool less what outside
    customers and the labs hold."""
    cap = p.partner_capacity[week_row(p, s)]
    return np.maximum(cap - outside_held(p, cap) - partner_rented(p, s), 0.0)


def customer_room(p: Params, s: State) -> np.ndarray:
    """GPUs each partner would still rent each lab from its pool this week (B, L, P, G):
    its limit for one customer (`max_customer_share` of the pool) less what the lab holds."""
    cap = p.partner_capacity[week_row(p, s)] * p.partner_customer_share[None, :, None]  # (B, P, G)
    return np.maximum(cap[:, None] - lab_rented(p, s), 0.0)


@memo.derived
def fleet(p: Params, s: State) -> np.ndarray:
    """Working GPUs of each lab by type (B, L, G): powered owned GPUs plus rented ones."""
    return (powered_gpus(p, s) + rented_gpus(p, s)) * (~s.bankrupt)[..., None]


@memo.derived
def powered_gpus(p: Params, s: State) -> np.ndarray:
    """Installed GPUs with power, by type (B, L, G) (memoised apart from rented ones)."""
    return ops.einsum("blsg,bls->blg", _installed_float(s), powered_fraction(p, s))


def lab_flops(p: Params, s: State) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per lab (B, L): peak FLOP/s, MFU-weighted FLOP/s, and the number of GPUs."""
    gpus = fleet(p, s)
    peak = ops.total(gpus * p.gpu_flops)
    useful = ops.total(gpus * (p.gpu_flops * p.gpu_mfu))
    return peak, useful, ops.total(gpus)


def training_rate(
    useful_flops: np.ndarray | float,
    n_gpus: np.ndarray | float,
    p_training: Any,
    fault_draw: np.ndarray | float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """FLOP a training cluster adds in one week, and the cluster-hours lost to faults.

    `useful_flops` already includes MFU. MFU falls by `mfu_drop_per_doubling` for each
    doubling beyond `mfu_ref_gpus`. Hardware faults arrive at `fault_rate_per_gpu_day`
    per GPU; each stalls the whole cluster for `hours_lost_per_fault` at the reference
    size, less in larger clusters (recovery time shrinks as the square root of their
    size: they checkpoint faster). The stalled share x of the week leaves an availability
    of 1 / (1 + x). `fault_draw` scales this week's faults (1 = the expected week)."""
    t = p_training
    n = np.maximum(np.asarray(n_gpus, dtype=np.float64), 0.0)
    scale = np.maximum(n, t.mfu_ref_gpus) / t.mfu_ref_gpus
    size = ops.clip(1.0 - t.mfu_drop_per_doubling * np.log2(scale), 0.5, 1.0)
    faults_per_hour = n * t.fault_rate_per_gpu_day / 24.0
    stalled = faults_per_hour * t.hours_lost_per_fault / np.sqrt(scale) * np.asarray(fault_draw)
    availability = 1.0 / (1.0 + stalled)
    hours_lost = (1.0 - availability) * HOURS_PER_WEEK
    return np.asarray(useful_flops) * size * availability * SECONDS_PER_WEEK, hours_lost


# ----------------------------------------------------------------------- decisions
def _share(available: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The fraction of each claim that can be met when claims share what is available."""
    return np.where(wanted > available, available / np.maximum(wanted, 1e-12), 1.0)


def first_free_slot(free: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first free slot on the last axis, and whether there is one."""
    return free.argmax(-1), np.asarray(ops.anyof(free))


def place_orders(
    p: Params, s: State, a: Any, pay: Any, refuse: Any, alive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Buy GPUs from NVIDIA through the integrators: every lab's orders of the week, one
    per integrator and GPU type. NVIDIA's quarter is shared in proportion to what the labs
    ask; a lab short of cash gets the same share of each of its orders. Each order waits
    behind its integrator's queue. Returns GPUs ordered (B, L, G), and for the news (they
    change nothing) GPUs asked for of those on sale (B, L, G) and what the part not taken
    would have cost, USD (B, L): it is never charged."""
    req = ops.clip(a.order_count, 0, limits.MAX_ORDER_GPUS) * alive[..., None, None]  # (B, L, V, G)
    if not np.count_nonzero(req):
        none = np.zeros(s.warehouse.shape, np.int64)
        return none, none, np.zeros(s.cash.shape)
    selling = on_sale(p, s)  # (B, G)
    ops.refuse_any(refuse, (req > 0) & ~selling[:, None, None, :], codes.ORDER_NOT_ON_SALE)
    req = req * selling[:, None, None, :]  # whole numbers: np.where(selling, req, 0)

    # Whole-number sums through einsum: exact, and 4-5x faster than .sum in a large batch.
    req_by_lab = ops.einsum("blvg->blg", req)  # (B, L, G)
    asked = ops.einsum("blg->bg", req_by_lab)  # (B, G)
    requested = s.nvidia_requested + asked
    remaining = supply_left(p, s)
    share = np.where(asked > 0, np.minimum(1.0, remaining / np.maximum(asked, 1.0)), 0.0)
    granted = np.floor(req * share[:, None, None, :]).astype(np.int64)
    ops.refuse_any(refuse, granted < req, codes.ORDER_NO_SUPPLY)

    unit = server_price(p, s)[:, None]  # (B, 1, V, G)
    cost = ops.total2(granted * unit)
    cash = np.maximum(s.cash, 0.0)
    afford = np.where(cost > cash, cash / np.maximum(cost, 1e-9), 1.0)
    cut = np.floor(granted * afford[..., None, None]).astype(np.int64)
    ops.refuse_any(refuse, cut < granted, codes.ORDER_NO_CASH)
    granted = cut

    arrive = s.week[:, None, None] + integrator_wait(p, s, ops.einsum("blvg->blv", granted))  # (B, L, V)

    # Each lab's orders (integrator, GPU type), in that order, take its free slots in
    # theirs: the k-th order the k-th free slot; an order past the last free slot is refused.
    B, L, V, G = granted.shape
    want = (granted > 0).reshape(B, L, V * G)
    rank = np.cumsum(want, -1) - 1
    free = s.order_count == 0  # (B, L, O)
    put = want & (rank < ops.total(free, -1, True))
    refuse(ops.anyof(want & ~put), codes.ORDER_NO_SLOT)
    granted = np.where(put.reshape(granted.shape), granted, 0)
    games, labs, pair = ops.nonzero(put)
    # The k-th free slot of each placed order's lab (only those labs' slots are looked at).
    nth = rank[games, labs, pair] + 1
    slots = ((at := free[games, labs]) & (np.cumsum(at, -1) == nth[:, None])).argmax(-1)
    v, g = pair // G, pair % G
    # Copies filled in place (the state's own arrays are never changed).
    order_gpu = s.order_gpu.copy()
    order_count = s.order_count.astype(np.int64)
    order_arrive = s.order_arrive.astype(np.int64)
    order_vendor = s.order_vendor.copy()
    order_gpu[games, labs, slots] = g
    order_vendor[games, labs, slots] = v
    order_count[games, labs, slots] = granted[games, labs, v, g]
    order_arrive[games, labs, slots] = arrive[games, labs, v]
    s.order_gpu, s.order_count, s.order_arrive, s.order_vendor = order_gpu, order_count, order_arrive, order_vendor

    pay("gpus", ops.total2(granted * unit))
    by_lab = ops.einsum("blvg->blg", granted)  # (B, L, G)
    s.nvidia_ordered = s.nvidia_ordered + ops.einsum("blg->bg", by_lab)
    s.nvidia_requested = requested
    s.integrator_backlog = s.integrator_backlog + ops.einsum("blvg->bv", granted)
    return by_lab, req_by_lab, ops.total2((req - granted) * unit)


def order_power(p: Params, s: State, a: Any, pay: Any, refuse: Any, alive: np.ndarray) -> None:
    """Start halls, order turbines, pay for substation upgrades."""
    build = amount(a.build_mw, limits.MAX_BUILD_MW) * alive[..., None]
    build = np.minimum(build, np.maximum(limits.MAX_HALL_MW - s.hall_mw - s.hall_building, 0.0))
    s.hall_building = s.hall_building + build

    turbines = amount(a.turbine_mw, limits.MAX_TURBINE_MW) * alive[..., None]
    if np.count_nonzero(turbines):
        _order_turbines(p, s, turbines, pay, refuse)
    want = a.substation & alive[..., None]  # (B, L, S)
    if np.count_nonzero(want):
        grid.order_substations(p, s, want, pay, refuse)


def _order_turbines(p: Params, s: State, turbines: np.ndarray, pay: Any, refuse: Any) -> None:
    granted = turbines * _share(turbine_room(p, s), ops.total(turbines, 1))[:, None, :]
    refuse(ops.anyof(granted < turbines - 1e-9), codes.TURBINE_LIMIT)
    cost = granted * p.site_turbine_usd_per_mw
    cash = np.maximum(s.cash, 0.0)
    total = ops.total(cost)
    afford = np.where(total > cash, cash / np.maximum(total, 1e-9), 1.0)
    refuse(afford < 1.0, codes.NO_CASH)
    granted = granted * afford[..., None]
    pay("power_equipment", ops.total(granted * p.site_turbine_usd_per_mw))
    s.turbine_pending = s.turbine_pending + granted
    s.turbine_left = np.where(granted > 0, np.maximum(s.turbine_left, p.site_turbine_weeks), s.turbine_left)


# ------------------------------------------------------------------- weekly order
def deliver(p: Params, s: State) -> np.ndarray:
    """Orders due this week land in the warehouse. Returns GPUs delivered (B, L, G)."""
    due = (s.order_count > 0) & (s.order_arrive <= s.week[:, None, None])
    if not np.count_nonzero(due) and np.result_type(s.warehouse, s.order_count) == s.warehouse.dtype:
        # Nothing lands: the same arrays stay (rules derived from them stay valid).
        return np.zeros(s.warehouse.shape, s.order_count.dtype)
    count = s.order_count * due  # (whole numbers: np.where(due, count, 0), without its branches)
    delivered = np.zeros(s.warehouse.shape, count.dtype)
    for g in np.flatnonzero(np.bincount(s.order_gpu[due])):  # the types landing (np.unique's, in order)
        delivered[..., g] = ops.total(count * (s.order_gpu == g))
    s.warehouse = s.warehouse + delivered
    kept = ~due  # the slots emptied: all zeros (np.where(due, 0, x) as x * kept, the same type)
    s.order_count, s.order_gpu = s.order_count * kept, s.order_gpu * kept
    s.order_arrive, s.order_vendor = s.order_arrive * kept, s.order_vendor * kept
    return delivered


_INSTALL_AT_ONCE = 8192  # (B, L, S) cells up to which installs place every site at once


def install(p: Params, s: State, alive: np.ndarray) -> np.ndarray:
    """Move warehouse GPUs into halls that have power, newest GPUs first, sites in order.
    Returns GPUs installed (B, L, G)."""
    newest_first = ops.newest_first(p.gpu_available_week)  # sorted once per Params
    stocked = newest_first[s.warehouse.any((0, 1))[newest_first]]
    if not len(stocked):  # nothing to install: the same arrays stay
        return s.warehouse - s.warehouse
    room_kw = np.maximum(usable_mw(s) - installed_mw(p, s), 0.0) * 1000.0 * alive[..., None]
    installed = s.installed.copy()
    # Site by site, each type takes the room left (newest first): GPUs placed up to a site
    # are min(stock, what fits up to it), so a small batch does all sites at once (fewer
    # calls; a large one loops, cheaper than cumsum on a short axis): the same counts.
    if room_kw.size <= _INSTALL_AT_ONCE:
        warehouse = s.warehouse.copy()
        for g in stocked:
            fit = np.maximum(np.floor(room_kw / p.gpu_kw[g] + 1e-9).astype(np.int64), 0)  # (B, L, S)
            upto = np.minimum(warehouse[..., g, None], np.cumsum(fit, -1))
            n = upto.copy()
            n[..., 1:] -= upto[..., :-1]
            installed[..., g] += n
            warehouse[..., g] -= upto[..., -1]
            room_kw -= n * p.gpu_kw[g]
    else:  # (on (S, B, L) and (G, B, L) copies: each step reads contiguous (B, L) rows)
        room_at, stock = (np.ascontiguousarray(np.moveaxis(x, -1, 0)) for x in (room_kw, s.warehouse))
        for site in np.flatnonzero(room_kw.any((0, 1))):
            room = room_at[site]
            for g in stocked:
                fit = np.floor(room / p.gpu_kw[g] + 1e-9).astype(np.int64)
                n = np.minimum(stock[g], np.maximum(fit, 0))
                installed[..., site, g] += n
                stock[g] -= n
                room -= n * p.gpu_kw[g]
        warehouse = np.ascontiguousarray(np.moveaxis(stock, 0, -1))
    moved = s.warehouse - warehouse
    if np.count_nonzero(moved):  # (else the same arrays stay, and what rules derived from them)
        s.warehouse, s.installed = warehouse, installed
    return moved


def build_out(p: Params, s: State, pay: Any) -> None:
    """A week of construction: halls, turbines, substations, then grid claims."""
    done = (
        np.minimum(s.hall_building, p.site_build_mw_per_week) * (~s.bankrupt)[..., None] * ~s.hall_paused
    )  # a bankrupt lab builds nothing, nor does a paused site
    pay("halls", ops.total(done * p.site_build_usd_per_mw))
    s.hall_mw = s.hall_mw + done
    s.hall_building = s.hall_building - done

    # (In a week no turbine or substation is on its way, only what adding nothing gives:
    # x + 0.0, a -0.0 made 0.0; weeks left stay, none below 0.)
    waiting = s.turbine_pending > 0
    if np.count_nonzero(waiting):
        left = np.where(waiting, s.turbine_left - 1, s.turbine_left)
        ready = waiting & (left <= 0)
        s.turbine_mw = s.turbine_mw + np.where(ready, s.turbine_pending, 0.0)
        s.turbine_pending = np.where(ready, 0.0, s.turbine_pending)
        s.turbine_left = np.maximum(left, 0)
    else:
        s.turbine_mw = s.turbine_mw + 0.0
        s.turbine_left = np.maximum(s.turbine_left, 0)

    busy = s.substation_left > 0
    if np.count_nonzero(busy):
        left = np.where(busy, s.substation_left - 1, 0)
        lands = busy & (left == 0)
        added = np.where(lands, substation_gain(p, s.grid_mw), 0.0)
        s.grid_mw = s.grid_mw + added
        L = s.grid_alloc.shape[1]
        to_payer = (s.substation_payer[:, None, :] == np.arange(L)[None, :, None]) & lands[:, None, :]
        s.grid_alloc = s.grid_alloc + to_payer * added[:, None, :]
        s.substation_left = left
        s.substation_payer = np.where(lands, -1, s.substation_payer)
    else:
        s.grid_mw = s.grid_mw + 0.0
        s.grid_alloc = s.grid_alloc + 0.0
        s.substation_left = np.zeros_like(s.substation_left)

    # Halls claim grid power not yet claimed; labs short at the same site share it in
    # proportion to their claims.
    want = np.maximum(s.hall_mw - s.turbine_mw - s.grid_alloc, 0.0)
    free = np.maximum(s.grid_mw - ops.total(s.grid_alloc, 1) - partner_site_mw(p, s), 0.0)  # (B, S)
    s.grid_alloc = s.grid_alloc + want * _share(free, ops.total(want, 1))[:, None, :]
    grid.lapse_claims(p, s, pay)

    s.integrator_backlog = np.maximum(s.integrator_backlog - p.integrator_capacity, 0.0)
    s.outage_left = np.maximum(s.outage_left - 1, 0)


@memo.derived
def book_value(p: Params, s: State) -> np.ndarray:
    """What the GPUs a lab owns would fetch (B, L): today's price of each."""
    return ops.einsum("blg,bg->bl", owned_gpus(s).astype(np.float64), unit_price(p, s))


def power_draw(p: Params, s: State) -> tuple[np.ndarray, np.ndarray]:
    """MW drawn (B, L, S) from the grid and from turbines by the powered GPUs."""
    drawn = installed_mw(p, s) * powered_fraction(p, s) * (~s.bankrupt)[..., None]
    grid = np.minimum(drawn, s.grid_alloc * (s.outage_left == 0)[:, None, :])
    return grid, drawn - grid
