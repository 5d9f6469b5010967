"""What the screens show, as typed, frozen records built from a session: the screens
receive these and never read the engine's arrays themselves. Every figure is computed
by the engine's own rules (compute, economy, deals, training); a view only selects and
names them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from game.engine import compute, deals, economy
from game.engine.params import HOURS_PER_WEEK, TRAIN, Params
from game.engine.state import RUN_POST, RUN_PRETRAIN, World
from game.engine.training import capability

if TYPE_CHECKING:
    from game.play.session import Session

GPT4_CAPABILITY = 25.3  # log10 effective FLOP of GPT-4 (calibration: T1), the AGI bar's zero


def run_eta_weeks(p: Params, w: World, lab: int, flop_left: float) -> float:
    """Weeks a lab's training share of today's compute needs for `flop_left` more FLOP,
    shared with the runs it already has under way (the engine's training rate)."""
    _, useful, n = compute.lab_flops(p, w)
    share = w.split[0, lab, TRAIN]
    rate, _ = compute.training_rate(share * useful[0, lab], share * n[0, lab], p.rules.training)
    active = max(int((w.run_phase[0, lab] == RUN_PRETRAIN).sum()), 1)
    per_run = float(rate) / active
    return flop_left / per_run if per_run > 0 else math.inf


def agi_progress(p: Params, cap: float) -> float:
    """How far from GPT-4 to the AGI threshold a capability is, 0..1."""
    return float(np.clip((cap - GPT4_CAPABILITY) / (p.agi_capability - GPT4_CAPABILITY), 0.0, 1.0))


@attrs.frozen
class RunView:
    phase: str  # "training" or "post-training"
    flop: float
    progress: float  # 0..1 of pretraining
    capability: float
    eta_weeks: float | None  # pretraining weeks left at today's compute
    post_weeks_left: int | None


@attrs.frozen
class SiteView:
    id: str
    name: str
    hall_mw: float  # built
    building_mw: float
    power_mw: float  # grid share (when up) plus turbines
    used_mw: float  # drawn by powered GPUs
    unpowered_halls_mw: float  # built halls with no power behind them
    dark_mw: float  # installed GPUs that lost their power
    turbines_mw: float
    turbines_pending_mw: float
    gpus: int  # installed

    @property
    def short_name(self) -> str:
        return self.name.split(",")[0]


@attrs.frozen
class OrderView:
    gpu: str
    vendor: str
    count: int
    arrive_week: int
    arrive_date: dt.date


@attrs.frozen
class ContractView:
    slot: int
    partner: str
    gpu: str
    count: int
    price: float  # USD per GPU-hour
    start_date: dt.date
    end_date: dt.date
    weeks_left: int
    usd_week: float
    exit_penalty: float


@attrs.frozen
class BookLine:
    index: int
    label: str
    cost: float  # what it moves in cash this week (positive: it costs)


@attrs.frozen
class LabView:
    index: int
    name: str
    date: dt.date
    week: int
    cash: float
    pending: float  # cash this week's decisions commit (positive: they cost)
    debt: float
    burn: float  # USD a week: running costs less revenue
    revenue: float  # USD a week
    runway: float  # weeks
    valuation: float
    share: float  # the founders' share
    users: float
    compute: dict[str, float]  # FLOP/s by use
    gpus: float  # working, owned and rented
    warehouse: int  # delivered, waiting for powered halls
    warehouse_mw: float
    on_order: int
    best_model: float
    software: float
    agi_progress: float
    agi_capability: float
    next_round: dt.date  # the first week investors hear a round
    round_cap: float
    credit: float  # what lenders would still lend
    split: tuple[float, float, float]  # training, inference, research shares
    staff_usd_week: float
    runs: tuple[RunView, ...]
    sites: tuple[SiteView, ...]


def lab_view(session: Session, lab: int) -> LabView:
    p, w = session.params, session.world
    peak, _, n = compute.lab_flops(p, w)
    costs = float(economy.running_costs(p, w)[0, lab])
    split = w.split[0, lab]
    runs = []
    for k in range(w.run_phase.shape[-1]):
        phase = int(w.run_phase[0, lab, k])
        if phase == 0:
            continue
        flop, done = float(w.run_flop[0, lab, k]), float(w.run_done[0, lab, k])
        runs.append(
            RunView(
                "training" if phase == RUN_PRETRAIN else "post-training",
                flop,
                done / flop if flop else 1.0,
                float(capability(flop, w.run_software[0, lab, k])),
                run_eta_weeks(p, w, lab, flop - done) if phase == RUN_PRETRAIN else None,
                int(w.run_post_left[0, lab, k]) if phase == RUN_POST else None,
            )
        )
    warehouse_mw = float((w.warehouse[0, lab] * p.gpu_kw).sum() / 1000.0)
    book = session.book(lab)
    pending = -session.preview(lab).spend if book else 0.0
    return LabView(
        index=lab,
        name=session.lab_name(lab),
        date=session.date,
        week=session.week,
        cash=float(w.cash[0, lab]),
        pending=pending,
        debt=float(w.debt[0, lab]),
        burn=costs - float(w.revenue_fast[0, lab]),
        revenue=float(w.revenue_fast[0, lab]),
        runway=float(economy.runway_weeks(p, w)[0, lab]),
        valuation=float(w.valuation[0, lab]),
        share=float(w.founder_share[0, lab]),
        users=float(w.users[0, lab]),
        compute={name: float(peak[0, lab] * split[i]) for i, name in enumerate(("training", "inference", "research"))},
        gpus=float(n[0, lab]),
        warehouse=int(w.warehouse[0, lab].sum()),
        warehouse_mw=warehouse_mw,
        on_order=int(w.order_count[0, lab].sum()),
        best_model=float(w.best_model[0, lab]),
        software=float(w.software[0, lab]),
        agi_progress=agi_progress(p, float(w.best_model[0, lab])),
        agi_capability=float(p.agi_capability),
        next_round=p.date_of(max(int(economy.next_round_week(p, w)[0, lab]), session.week)),
        round_cap=float(economy.round_cap(p, w)[0, lab]),
        credit=float(economy.credit_headroom(p, w)[0, lab]),
        split=(float(split[0]), float(split[1]), float(split[2])),
        staff_usd_week=float(w.staff_usd_week[0, lab]),
        runs=tuple(runs),
        sites=site_views(session, lab),
    )


def site_views(session: Session, lab: int) -> tuple[SiteView, ...]:
    """The lab's sites: those where it has halls, building, turbines or GPUs."""
    p, w = session.params, session.world
    installed = compute.installed_mw(p, w)[0, lab]
    powered = compute.powered_fraction(p, w)[0, lab]
    power = compute.power_mw(w)[0, lab]
    out = []
    for s, site in enumerate(session.catalog.sites):
        halls, building = float(w.hall_mw[0, lab, s]), float(w.hall_building[0, lab, s])
        turbines, pending = float(w.turbine_mw[0, lab, s]), float(w.turbine_pending[0, lab, s])
        gpus = int(w.installed[0, lab, s].sum())
        if not (halls or building or turbines or pending or gpus):
            continue
        out.append(
            SiteView(
                id=site.id,
                name=site.name,
                hall_mw=halls,
                building_mw=building,
                power_mw=float(power[s]),
                used_mw=float(installed[s] * powered[s]),
                unpowered_halls_mw=max(halls - float(power[s]), 0.0),
                dark_mw=float(installed[s] * (1.0 - powered[s])) if installed[s] > 0 else 0.0,
                turbines_mw=turbines,
                turbines_pending_mw=pending,
                gpus=gpus,
            )
        )
    return tuple(out)


def orders_view(session: Session, lab: int) -> tuple[OrderView, ...]:
    """GPUs on order, soonest first."""
    p, w = session.params, session.world
    out = [
        OrderView(
            p.gpu_ids[int(w.order_gpu[0, lab, k])],
            session.catalog.integrators[int(w.order_vendor[0, lab, k])].name,
            int(w.order_count[0, lab, k]),
            int(w.order_arrive[0, lab, k]),
            p.date_of(int(w.order_arrive[0, lab, k])),
        )
        for k in range(w.order_count.shape[-1])
        if w.order_count[0, lab, k] > 0
    ]
    return tuple(sorted(out, key=lambda o: o.arrive_week))


def contracts_view(session: Session, lab: int) -> tuple[ContractView, ...]:
    p, w = session.params, session.world
    penalty = deals.exit_penalty(p, w)[0, lab]
    out = []
    for k in range(w.contract_partner.shape[-1]):
        if w.contract_partner[0, lab, k] < 0:
            continue
        count, price = int(w.contract_count[0, lab, k]), float(w.contract_price[0, lab, k])
        start, end = int(w.contract_start[0, lab, k]), int(w.contract_end[0, lab, k])
        out.append(
            ContractView(
                slot=k,
                partner=session.catalog.partners[int(w.contract_partner[0, lab, k])].name,
                gpu=p.gpu_ids[int(w.contract_gpu[0, lab, k])],
                count=count,
                price=price,
                start_date=p.date_of(start),
                end_date=p.date_of(end),
                weeks_left=max(end - session.week, 0),
                usd_week=count * price * HOURS_PER_WEEK,
                exit_penalty=float(penalty[k]),
            )
        )
    return tuple(out)


def book_view(session: Session, lab: int) -> tuple[BookLine, ...]:
    """This week's decisions with what each moves in cash (each measured on top of the
    ones before it, by a dry run of the week)."""
    book = session.book(lab)
    lines = []
    for i, d in enumerate(book):
        cost = session.preview(lab, book[:i]).spend - session.preview(lab, book[: i + 1]).spend
        lines.append(BookLine(i, d.label(session.params), cost))
    return tuple(lines)


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


def market_rows(session: Session) -> tuple[GpuRow, ...]:
    p, w = session.params, session.world
    price = compute.server_price(p, w)[0].min(0)  # (G,)
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
        for i, g in enumerate(session.catalog.gpus)
    )


def order_quote(session: Session, gpu: str, vendor: str, count: int) -> dict[str, Any]:
    """What an order would cost and need, before it is made: price per GPU in servers,
    the total, MW of powered halls it needs and when it would arrive."""
    p, w = session.params, session.world
    v, g = p.integrator_ids.index(vendor), p.gpu_ids.index(gpu)
    unit = float(compute.server_price(p, w)[0, v, g])
    queued = np.zeros((1, 1, len(p.integrator_ids)))
    queued[0, 0, v] = count
    arrive = session.week + int(compute.integrator_wait(p, w, queued)[0, 0, v])
    return {
        "unit": unit,
        "total": unit * count,
        "mw": count * float(p.gpu_kw[g]) / 1000.0,
        "arrive_week": arrive,
        "arrive_date": p.date_of(arrive),
        "lead_weeks": int(p.integrator_lead[v]),
        "queue_weeks": arrive - session.week - int(p.integrator_lead[v]),
    }


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
    substation_usd: float
    substation_weeks: int
    power_usd_per_mwh: float
    yours: SiteView | None


def site_rows(session: Session, lab: int) -> tuple[SiteRow, ...]:
    """Every site, with what it offers any lab and what the lab has there."""
    p, w = session.params, session.world
    free = deals.site_free_mw(p, w)[0]
    room = compute.turbine_room(p, w)[0]
    mine = {v.id: v for v in site_views(session, lab)}
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
            substation_mw=float(min(p.site_substation_mw[s], p.site_grid_max[s] - w.grid_mw[0, s])),
            substation_usd=float(p.site_substation_mw[s] * p.site_substation_usd_per_mw[s]),
            substation_weeks=int(p.site_substation_weeks[s]),
            power_usd_per_mwh=float(p.site_power_usd_per_mwh[s]),
            yours=mine.get(site.id),
        )
        for s, site in enumerate(session.catalog.sites)
    )


def chinchilla_flop(p: Params, params_n: float) -> float:
    """Compute budget of a compute-optimal run of N parameters (the engine's rule)."""
    from game.engine.training import chinchilla_flop as rule

    return float(rule(params_n, p))


FLOW_NAMES = {
    "subscriptions": "subscriptions", "api": "API", "equity": "equity raised", "investment": "partner investment",
    "borrowed": "borrowed", "gpus": "GPUs bought", "halls": "halls built", "power_equipment": "turbines, substations",
    "electricity": "electricity", "rent": "GPU rent", "staff": "people", "interest": "interest",
    "partner_share": "revenue share", "exit_penalty": "exit penalties", "events": "events", "repaid": "debt repaid",
}  # fmt: skip


def last_week_flows(session: Session, lab: int) -> tuple[tuple[str, float], ...]:
    """Last week's cash flows by kind (signed: + in, - out), the ones that moved."""
    report = session.last_report
    if report is None:
        return ()
    flows = report.flows[0, lab]
    out = [(FLOW_NAMES[k], float(flows[i])) for i, k in enumerate(economy.FLOWS) if abs(flows[i]) >= 1e5]
    out.append(("net", float(flows.sum())))
    return tuple(out)


@attrs.frozen
class PartnerView:
    id: str
    name: str
    relationship: float  # -1..1
    patience: float  # offers it will still hear


def partner_views(session: Session, lab: int) -> tuple[PartnerView, ...]:
    w = session.world
    return tuple(
        PartnerView(q.id, q.name, float(w.relationship[0, lab, k]), float(w.patience[0, lab, k]))
        for k, q in enumerate(session.catalog.partners)
    )


def run_plan(session: Session, lab: int, flop: float) -> tuple[float, float]:
    """A run of `flop` started now: weeks of pretraining at today's compute, and the
    capability it would release at."""
    return run_eta_weeks(session.params, session.world, lab, flop), session.capability_of(lab, flop)


def list_price(session: Session, partner: str, gpu: str) -> float:
    """A partner's list price per GPU-hour for a GPU type (0: it does not rent it out)."""
    p = session.params
    return float(p.partner_price[p.partner_ids.index(partner), p.gpu_ids.index(gpu)])


def rental_cost(count: int, price: float, weeks: int) -> float:
    """What renting `count` GPUs at `price` per GPU-hour for `weeks` weeks costs in all."""
    return count * price * HOURS_PER_WEEK * weeks
