"""What the market and the sites offer, as the screens show them: each GPU's figures and
when it goes on sale, what an order would cost and when it would arrive, every site's
grid and permits, partners' list prices."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import numpy as np

from game.engine import compute, deals, grid
from game.engine.limits import MAX_ORDER_GPUS
from game.engine.params import HOURS_PER_WEEK
from game.engine.state import ORDER_SLOTS  # the screens read it here
from game.play.decisions import BuildHalls, BuyGpus, OrderTurbines
from game.play.desk import LabTurn
from game.play.views import SiteView, site_views


@attrs.frozen
class GpuRow:
    id: str
    name: str
    on_sale: bool
    on_sale_date: dt.date
    pflops: float  # dense BF16 PFLOP/s per GPU
    price: float  # USD per GPU in servers through the cheapest integrator
    flops_per_kusd: float  # dense TFLOP/s per $1,000 of servers
    flops_per_mw: float  # dense PFLOP/s per MW all-in
    kw: float  # all-in kW per GPU
    supply_left: float  # NVIDIA's supply left this quarter


def market_rows(t: LabTurn) -> tuple[GpuRow, ...]:
    p, w = t.params, t.world
    price = compute.week_server_price(p, w)[0].min(0)  # (G,)
    selling, left = compute.on_sale(p, w)[0], compute.supply_left(p, w)[0]
    first = compute.on_sale_week(p, w)[0]
    return tuple(
        GpuRow(
            id=g.id,
            name=g.name,
            on_sale=bool(selling[i]),
            on_sale_date=p.date_of(int(first[i])),
            pflops=g.flops / 1e15,
            price=float(price[i]),
            flops_per_kusd=g.flops / 1e12 / (float(price[i]) / 1000.0),
            flops_per_mw=g.flops / 1e15 / (g.kw_all_in / 1000.0),
            kw=g.kw_all_in,
            supply_left=float(left[i]),
        )
        for i, g in enumerate(t.catalog.gpus)
    )


@attrs.frozen
class Quote:
    """What an order would cost and need, before it is made."""

    unit: float  # USD per GPU in servers
    total: float  # USD
    mw: float  # of powered halls it needs
    arrive_week: int
    arrive_date: dt.date
    lead_weeks: int  # the integrator's own lead time
    queue_weeks: int  # waiting behind the integrator's queue and the lab's own orders


def order_quote(t: LabTurn, gpu: str, vendor: str, count: int) -> Quote:
    """What an order would cost and need, before it is made: price per GPU in servers,
    the total, MW of powered halls it needs and when it would arrive (behind the
    integrator's queue and the lab's own orders of the week through it)."""
    p, w = t.params, t.world
    v, g = p.integrator_ids.index(vendor), p.gpu_ids.index(gpu)
    unit = float(compute.week_server_price(p, w)[0, v, g])
    queued = np.zeros((1, 1, len(p.integrator_ids)))
    # the lab's orders through this integrator already in this week's book queue first
    already = sum(d.count for d in t.book if isinstance(d, BuyGpus) and d.vendor == vendor)
    queued[0, 0, v] = count + already
    arrive = t.week + int(compute.integrator_wait(p, w, queued)[0, 0, v])
    return Quote(
        unit=unit,
        total=unit * count,
        mw=count * float(p.gpu_kw[g]) / 1000.0,
        arrive_week=arrive,
        arrive_date=p.date_of(arrive),
        lead_weeks=int(p.integrator_lead[v]),
        queue_weeks=arrive - t.week - int(p.integrator_lead[v]),
    )


SOONEST = "soonest"  # the market form's integrator choice that splits an order between them


def soonest_split(t: LabTurn, gpu: str, count: int) -> tuple[tuple[str, int], ...]:
    """`count` GPUs split between the integrators so that the last of them arrives as soon
    as it can, the cheaper integrator taking all it can deliver by then (or all of it, if
    one integrator alone delivers as soon): (integrator, GPUs) pairs, cheapest first. Each integrator's queue (and the lab's orders
    through it this week, which come with it) is the engine's (compute.integrator_wait);
    an integrator joins only where an order slot is free or the GPU is booked through it
    already this week (each GPU type and integrator ordered takes a slot)."""
    p, w = t.params, t.world
    g = p.gpu_ids.index(gpu)
    unit = compute.week_server_price(p, w)[0, :, g]
    booked = {d.vendor for d in t.book if isinstance(d, BuyGpus) and d.gpu == gpu}
    slots = free_order_slots(t)
    vendors = []
    for v in sorted(range(len(p.integrator_ids)), key=lambda v: (float(unit[v]), v)):
        if p.integrator_ids[v] in booked:
            vendors.append(v)
        elif slots > 0:
            vendors.append(v)
            slots -= 1
    if not vendors or count < 1:
        return ()
    already = {v: sum(d.count for d in t.book if isinstance(d, BuyGpus) and d.vendor == p.integrator_ids[v]) for v in vendors}  # fmt: skip

    def room(v: int, weeks: int) -> int:
        """GPUs integrator v can take on and still deliver in `weeks` (its queue's rule)."""
        lead, cap = int(p.integrator_lead[v]), float(p.integrator_capacity[v])
        if weeks < lead:
            return 0
        return max(
            math.floor(cap * (weeks - lead + 1) - float(w.integrator_backlog[0, v]) - already[v] + 1e-6), 0
        )

    weeks = min(int(p.integrator_lead[v]) for v in vendors)
    while sum(room(v, weeks) for v in vendors) < count and weeks < p.last_week + 1_000:
        weeks += 1
    alone = [v for v in vendors if room(v, weeks) >= count]
    if alone:  # one integrator delivers it all as soon: one order, one slot
        return ((p.integrator_ids[alone[0]], count),)
    split, left = [], count
    for v in vendors:
        n = min(room(v, weeks), left)
        if n > 0:
            split.append((p.integrator_ids[v], n))
            left -= n
    if left > 0:  # past any date the game can reach: the cheapest takes the rest
        split = [(p.integrator_ids[vendors[0]], count)]
    return tuple(split)


def free_order_slots(t: LabTurn) -> int:
    """Order slots the lab has free this week: those no order in flight holds, less one
    for each GPU type and integrator ordered in this week's book (each takes a slot as
    the week ends)."""
    held = int(np.count_nonzero(t.world.order_count[0, t.lab]))
    booked = len({(d.gpu, d.vendor) for d in t.book if isinstance(d, BuyGpus)})
    return max(ORDER_SLOTS - held - booked, 0)


def newer_generations(t: LabTurn, gpu: str, by_week: int) -> list[tuple[str, int]]:
    """The GPU types of a newer generation than `gpu` that go on sale after this week and
    by `by_week`, with their week, soonest first: from that week `gpu` is worth less (an
    order delivered after one has lost value before it runs)."""
    p, w = t.params, t.world
    start = compute.on_sale_week(p, w)[0]
    g = p.gpu_ids.index(gpu)
    newer = [(p.gpu_ids[h], int(start[h])) for h in np.flatnonzero(p.gpu_newer_gen[g])]
    return sorted((x for x in newer if t.week < x[1] <= by_week), key=lambda x: x[1])


def booked_turbines(t: LabTurn, site: str) -> float:
    """MW of turbines this week's book orders at `site`."""
    return sum(d.mw for d in t.book if isinstance(d, OrderTurbines) and d.site == site)


def turbines_for(t: LabTurn, site: str) -> float:
    """MW of turbines the lab's halls at `site` (built, building and in this week's book)
    need beyond the power it has there or has on its way (grid share, turbines running,
    pending and booked, a substation upgrade), within what the permits allow; whole MW.
    The site's free grid is not counted: other labs' halls may take it first."""
    r = next(x for x in site_rows(t) if x.id == site)
    booked = booked_turbines(t, site)
    halls = sum(d.mw for d in t.book if isinstance(d, BuildHalls) and d.site == site)
    power = booked
    if r.yours is not None:
        halls += r.yours.hall_mw + r.yours.building_mw
        power += r.yours.power_mw + r.yours.turbines_pending_mw + r.yours.grid_coming_mw
    return float(max(min(math.ceil(halls - power - 1e-6), math.floor(r.turbine_room_mw - booked)), 0))


@attrs.frozen
class SiteRow:
    id: str
    name: str
    grid_mw: float  # the site's grid today
    grid_max_mw: float  # with every substation upgrade
    grid_free_mw: float  # not yet claimed by any lab's halls or a partner's building
    turbine_room_mw: float  # turbines the permits still allow
    substation_weeks_left: int  # an upgrade under way (0: none)
    hall_usd_per_mw: float
    hall_mw_per_week: float
    turbine_usd_per_mw: float
    turbine_weeks: int
    substation_mw: float
    substation_usd: float  # what ordering an upgrade costs this week, its deposit included
    substation_deposit_usd: float  # refunded as halls draw on the claim; forfeit when it lapses
    substation_weeks: int
    power_usd_per_mwh: float
    yours: SiteView | None


def site_rows(t: LabTurn) -> tuple[SiteRow, ...]:
    """Every site, with what it offers any lab and what the lab has there."""
    p, w = t.params, t.world
    free = deals.site_free_mw(p, w)[0]
    room = compute.turbine_room(p, w)[0]
    mine = {v.id: v for v in site_views(t)}
    return tuple(
        SiteRow(
            id=site.id,
            name=site.name,
            grid_mw=float(w.grid_mw[0, s]),
            grid_max_mw=float(p.site_grid_max[s]),
            grid_free_mw=float(free[s]),
            turbine_room_mw=float(room[s]),
            substation_weeks_left=int(w.substation_left[0, s]),
            hall_usd_per_mw=float(p.site_build_usd_per_mw[s]),
            hall_mw_per_week=float(p.site_build_mw_per_week[s]),
            turbine_usd_per_mw=float(p.site_turbine_usd_per_mw[s]),
            turbine_weeks=int(p.site_turbine_weeks[s]),
            substation_mw=float(compute.substation_gain(p, w.grid_mw[0])[s]),
            substation_usd=float(grid.claim_cost(p, w.grid_mw[0])[s]),
            substation_deposit_usd=float(grid.claim_deposit(p, compute.substation_gain(p, w.grid_mw[0]))[s]),
            substation_weeks=int(p.site_substation_weeks[s]),
            power_usd_per_mwh=float(p.site_power_usd_per_mwh[s]),
            yours=mine.get(site.id),
        )
        for s, site in enumerate(t.catalog.sites)
    )


def list_price(t: LabTurn, partner: str, gpu: str, weeks: int = 52) -> tuple[float, float]:
    """A partner's list price per GPU-hour this week for a GPU type (0: it does not rent
    it out; lower for each newer generation shipped), and the share it takes off for a
    commitment of `weeks` (the engine's terms)."""
    from game.engine import terms

    p, w = t.params, t.world
    q, g = np.array([[p.partner_ids.index(partner)]]), np.array([[p.gpu_ids.index(gpu)]])
    return float(terms.list_price(p, w, q, g)[0, 0]), float(terms.term_discount(p, np.array([[weeks]]))[0, 0])


@attrs.frozen
class Crowding:
    """What a partner would ask for a rental of its own pool, by the engine's rules but
    for the week's draw (a swing of +-`swing` on the price)."""

    count: int  # the GPUs it can rent the lab (its free pool, within its one-customer limit)
    full: float  # its pool's share spoken for with them, 0 to 1
    factor: float  # on its price for a pool that full (1 up to the knee)
    price: float  # USD per GPU-hour it would ask: list, less closeness and term, x factor
    swing: float  # the week's draw moves it by up to this share either way


def crowding(t: LabTurn, partner: str, gpu: str, count: int, start: int, weeks: int) -> Crowding:
    """A rental of `count` GPUs of `gpu` from `partner` from week `start` for `weeks`:
    what the partner can rent, how full that leaves its pool and the price it would ask
    (a partner reselling another's pool prices by that one's: this reads its own)."""
    from game.engine import terms

    p, w, lab = t.params, t.world, t.lab
    pi, g = p.partner_ids.index(partner), p.gpu_ids.index(gpu)
    q, gg = np.full((1, len(p.lab_ids)), pi), np.full((1, len(p.lab_ids)), g)
    row = np.full((1, len(p.lab_ids)), min(max(start, 0), p.last_week))
    free, room, _ = deals.pools(p, w, row, gg)
    n = int(max(min(count, free[0, lab, pi], room[0, lab, pi]), 0))
    used = terms.pool_utilisation(p, w, q, gg, np.full((1, len(p.lab_ids)), n), row)[0, lab]
    factor = float(terms.utilisation_markup(p, used))
    d = p.rules.deals
    close = float(terms.closeness(p, w, q)[0, lab])
    base = float(terms.list_price(p, w, q, gg)[0, lab]) * (1 - d.relationship_discount * close)
    base *= 1 - float(terms.term_discount(p, np.array([[weeks]]))[0, 0])
    return Crowding(n, float(used), factor, base * factor, float(d.price_noise))


def most_at_list(t: LabTurn, partner: str, gpu: str, start: int, weeks: int) -> int:
    """The most GPUs of `gpu` the lab can rent from `partner`'s own pool from `start` for
    `weeks` before the pool is past its knee and the price rises (0 if it already is, or
    it has none free): a play-tester probed 60k, 25k, 40k and 30k to find it."""
    most = crowding(t, partner, gpu, MAX_ORDER_GPUS, start, weeks).count
    if most < 1 or crowding(t, partner, gpu, 1, start, weeks).factor > 1.0 + 1e-9:
        return 0
    lo, hi = 1, most  # at list with lo GPUs; find the most
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if crowding(t, partner, gpu, mid, start, weeks).factor > 1.0 + 1e-9:
            hi = mid - 1
        else:
            lo = mid
    return lo


def rental_cost(count: int, price: float, weeks: int) -> float:
    """What renting `count` GPUs at `price` per GPU-hour for `weeks` weeks costs in all."""
    return count * price * HOURS_PER_WEEK * weeks


@attrs.frozen
class HallPlan:
    """Halls planned at a site, queued behind the lab's halls building there."""

    weeks: float  # until they are all finished
    cost: float  # USD
    weekly: float  # USD a week the site's build rate lets the lab spend
    rate: float  # MW the site builds a week
    usd_per_mw: float
    ahead: float  # MW building there or in this week's book before them


def hall_plan(t: LabTurn, site: str, mw: float) -> HallPlan:
    """Halls of `mw` at `site`, queued behind the lab's halls building there and those in
    this week's book: weeks until they are all finished, their cost, and what the site's
    build rate lets the lab spend a week."""
    lab = t.lab
    p, w = t.params, t.world
    s = p.site_ids.index(site)
    rate, usd = float(p.site_build_mw_per_week[s]), float(p.site_build_usd_per_mw[s])
    booked = sum(d.mw for d in t.book if isinstance(d, BuildHalls) and d.site == site)
    ahead = float(w.hall_building[0, lab, s]) + booked
    return HallPlan(
        weeks=float(np.ceil((ahead + mw) / rate)),
        cost=mw * usd,
        weekly=min(ahead + mw, rate) * usd,
        rate=rate,
        usd_per_mw=usd,
        ahead=ahead,
    )


def supply_for(t: LabTurn, gpu: str) -> float:
    """NVIDIA's supply of a GPU left this quarter less what the lab's book already asks
    for (other labs' orders this week may take some too: the quarter is shared).
    Negative when the book asks for more than the quarter has."""
    p = t.params
    booked = sum(d.count for d in t.book if isinstance(d, BuyGpus) and d.gpu == gpu)
    return float(compute.supply_left(p, t.world)[0, p.gpu_ids.index(gpu)]) - booked


def affordable(t: LabTurn, gpu: str, vendor: str) -> int:
    """The most GPUs of a type the cash left after this week's book and the halls being
    built pays for through an integrator (orders are paid when placed), within NVIDIA's
    supply left this quarter (SOONEST: however the order is split)."""
    p = t.params
    g = p.gpu_ids.index(gpu)
    price = compute.week_server_price(p, t.world)[0, :, g]
    # split between integrators (SOONEST): at the dearer one's price, so that any split is paid
    unit = float(price.max() if vendor == SOONEST else price[p.integrator_ids.index(vendor)])
    cash = t.preview.cash_after  # after the week's book and the halls being built
    n = math.floor(max(cash, 0.0) / unit) if unit > 0 else 0
    return int(max(min(n, supply_for(t, gpu), MAX_ORDER_GPUS), 0))


def powered_room_mw(t: LabTurn) -> np.ndarray:
    """MW of built, powered halls at each site (S,) that installed GPUs leave free."""
    p, w = t.params, t.world
    return np.maximum(compute.usable_mw(w)[0, t.lab] - compute.installed_mw(p, w)[0, t.lab], 0.0)


def empty_powered_mw(t: LabTurn) -> float:
    """MW of built, powered halls no GPU will fill: their room less the GPUs installed,
    in the warehouse, on order and in this week's book."""
    lab = t.lab
    p, w = t.params, t.world
    room = powered_room_mw(t)
    waiting = float((w.warehouse[0, lab] * p.gpu_kw).sum())
    ordered = float((w.order_count[0, lab] * p.gpu_kw[w.order_gpu[0, lab]]).sum())
    book = t.book
    booked = sum(d.count * float(p.gpu_kw[p.gpu_ids.index(d.gpu)]) for d in book if isinstance(d, BuyGpus))
    return max(float(room.sum()) - (waiting + ordered + booked) / 1000.0, 0.0)


def fits_halls(t: LabTurn, gpu: str) -> int:
    """GPUs of a type that fill the lab's empty powered halls."""
    kw = float(t.params.gpu_kw[t.params.gpu_ids.index(gpu)])
    return int(empty_powered_mw(t) * 1000.0 // kw) if kw > 0 else 0
