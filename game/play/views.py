"""What the screens show, as typed, frozen records built from a session: the screens
receive these and never read the engine's arrays themselves. Every figure is computed
by the engine's own rules (compute, economy, deals, training); a view only selects and
names them.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np

from game.engine import compute, deals, economy
from game.engine.params import HOURS_PER_WEEK, WEEKS_PER_YEAR, Params
from game.engine.state import RUN_POST, RUN_PRETRAIN
from game.engine.training import agi_range, capability
from game.play.desk import LabTurn
from game.play.partners import (  # noqa: F401 (the views' names for them)
    InvestmentTerms,
    PartnerView,
    investment_terms,
    next_investment,
    partner_views,
)
from game.play.runs import (  # noqa: F401 (the views' names for them)
    GPT4_CAPABILITY,
    agi_progress,
    run_eta_weeks,
    run_schedule,
    training_flops,
)
from game.play.runway import project


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
    turbines_weeks: int  # weeks until the pending turbines run
    grid_coming_mw: float  # a substation upgrade the lab paid for, still being built
    grid_weeks: int  # weeks until it is
    gpus: int  # installed
    outage_weeks: int  # weeks the site's grid is still down (storms, heat)

    paused: bool = False  # construction paused (exits.PauseHalls): nothing is built or paid

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
    partner_id: str
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
    arrives: dt.date | None = None  # an order's delivery, with everything else in the book


@attrs.frozen
class LabView:
    index: int
    name: str
    date: dt.date
    week: int
    cash: float
    pending: float  # cash this week's decisions commit (positive: they cost)
    runway_after: float | None  # weeks of runway once this week's decisions are made (None: no book)
    debt: float
    burn: float  # USD a week: running costs less revenue after the investors' share
    revenue: float  # USD a week
    runway: float  # weeks the cash and the unused credit last as commitments play out (runway.py)
    valuation: float
    share: float  # the founders' share
    users: float
    compute: dict[str, float]  # FLOP/s by use
    gpus: float  # working, owned and rented
    warehouse: int  # delivered, waiting for powered halls
    warehouse_mw: float
    dark_mw: float  # installed GPUs without power (an outage, turbines lost)
    on_order: int
    best_model: float
    software: float
    agi_progress: float  # toward the middle of the AGI range
    agi_low: float  # this game's AGI threshold lies somewhere in [agi_low, agi_high]
    agi_high: float
    next_round: dt.date  # the first week investors hear a round
    credit: float  # what lenders would still lend
    split: tuple[float, float, float]  # training, inference, research shares
    staff_usd_week: float
    revenue_share: float  # share of revenue owed to investors (Microsoft's deal)
    runs: tuple[RunView, ...]
    sites: tuple[SiteView, ...]


def lab_view(t: LabTurn) -> LabView:
    lab = t.lab
    p, w = t.params, t.world
    peak, _, n = compute.lab_flops(p, w)
    split = w.split[0, lab]
    runs = []
    going = w.run_phase[0, lab] == RUN_PRETRAIN
    schedule = run_schedule(p, w, lab)
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
                float(schedule[np.flatnonzero(going).tolist().index(k)]) if phase == RUN_PRETRAIN else None,
                int(w.run_post_left[0, lab, k]) if phase == RUN_POST else None,
            )
        )
    warehouse_mw = float((w.warehouse[0, lab] * p.gpu_kw).sum() / 1000.0)
    book = t.book
    pending = -t.preview.spend if book else 0.0
    return LabView(
        index=lab,
        name=t.lab_name(lab),
        date=t.date,
        week=t.week,
        cash=float(w.cash[0, lab]),
        pending=pending,
        runway_after=float(t.preview.runway_weeks) if book else None,
        debt=float(w.debt[0, lab]),
        burn=float(economy.net_burn(p, w)[0, lab]),
        revenue=float(w.revenue_fast[0, lab]),
        runway=project(p, w, lab).weeks,
        valuation=float(w.valuation[0, lab]),
        share=float(w.founder_share[0, lab]),
        users=float(w.users[0, lab]),
        compute={
            name: float(peak[0, lab] * split[i])
            for i, name in enumerate(("training", "inference", "research"))
        },
        gpus=float(n[0, lab]),
        warehouse=int(w.warehouse[0, lab].sum()),
        warehouse_mw=warehouse_mw,
        dark_mw=float(sum(s.dark_mw for s in site_views(t))),
        on_order=int(w.order_count[0, lab].sum()),
        best_model=float(w.best_model[0, lab]),
        software=float(w.software[0, lab]),
        agi_progress=agi_progress(p, float(w.best_model[0, lab])),
        agi_low=agi_range(p)[0],
        agi_high=agi_range(p)[1],
        next_round=p.date_of(max(int(economy.next_round_week(p, w)[0, lab]), t.week)),
        credit=float(economy.credit_headroom(p, w)[0, lab]),
        split=(float(split[0]), float(split[1]), float(split[2])),
        staff_usd_week=float(w.staff_usd_week[0, lab]),
        revenue_share=float(w.revenue_share[0, lab]),
        runs=tuple(runs),
        sites=site_views(t),
    )


def site_views(t: LabTurn) -> tuple[SiteView, ...]:
    """The lab's sites: those where it has halls, building, turbines or GPUs."""
    lab = t.lab
    p, w = t.params, t.world
    installed = compute.installed_mw(p, w)[0, lab]
    powered = compute.powered_fraction(p, w)[0, lab]
    power = compute.power_mw(w)[0, lab]
    gain = compute.substation_gain(p, w.grid_mw[0])
    upgrading = (w.substation_left[0] > 0) & (w.substation_payer[0] == lab)
    out = []
    for s, site in enumerate(t.catalog.sites):
        halls, building = float(w.hall_mw[0, lab, s]), float(w.hall_building[0, lab, s])
        turbines, pending = float(w.turbine_mw[0, lab, s]), float(w.turbine_pending[0, lab, s])
        gpus = int(w.installed[0, lab, s].sum())
        if not (halls or building or turbines or pending or gpus or upgrading[s]):
            continue
        out.append(
            SiteView(
                id=site.id,
                name=site.name,
                hall_mw=halls,
                building_mw=building,
                paused=bool(w.hall_paused[0, lab, s]),
                power_mw=float(power[s]),
                used_mw=float(installed[s] * powered[s]),
                unpowered_halls_mw=max(halls - float(power[s]), 0.0),
                dark_mw=float(installed[s] * (1.0 - powered[s])) if installed[s] > 0 else 0.0,
                turbines_mw=turbines,
                turbines_pending_mw=pending,
                turbines_weeks=int(w.turbine_left[0, lab, s]) if pending else 0,
                grid_coming_mw=float(gain[s]) if upgrading[s] else 0.0,
                grid_weeks=int(w.substation_left[0, s]) if upgrading[s] else 0,
                gpus=gpus,
                outage_weeks=int(w.outage_left[0, s]),
            )
        )
    return tuple(out)


def orders_view(t: LabTurn) -> tuple[OrderView, ...]:
    """GPUs on order, soonest first."""
    lab = t.lab
    p, w = t.params, t.world
    out = [
        OrderView(
            p.gpu_ids[int(w.order_gpu[0, lab, k])],
            t.catalog.integrators[int(w.order_vendor[0, lab, k])].name,
            int(w.order_count[0, lab, k]),
            int(w.order_arrive[0, lab, k]),
            p.date_of(int(w.order_arrive[0, lab, k])),
        )
        for k in range(w.order_count.shape[-1])
        if w.order_count[0, lab, k] > 0
    ]
    return tuple(sorted(out, key=lambda o: o.arrive_week))


def contracts_view(t: LabTurn) -> tuple[ContractView, ...]:
    lab = t.lab
    p, w = t.params, t.world
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
                partner=t.catalog.partners[int(w.contract_partner[0, lab, k])].name,
                partner_id=t.catalog.partners[int(w.contract_partner[0, lab, k])].id,
                gpu=p.gpu_ids[int(w.contract_gpu[0, lab, k])],
                count=count,
                price=price,
                start_date=p.date_of(start),
                end_date=p.date_of(end),
                weeks_left=max(end - t.week, 0),
                usd_week=count * price * HOURS_PER_WEEK,
                exit_penalty=float(penalty[k]),
            )
        )
    return tuple(out)


def book_view(t: LabTurn) -> tuple[BookLine, ...]:
    """This week's decisions with what each moves in cash (each measured on top of the
    ones before it, by a dry run of the week)."""
    lab = t.lab
    from game.play.decisions import BuyGpus, OrderTurbines, UpgradeSubstation

    book = t.book
    p, now = t.params, t.world
    after = t.preview.world  # the orders as the whole book places them
    placed = (after.order_count[0, lab] > 0) & (now.order_count[0, lab] == 0)
    lines = []
    for i, d in enumerate(book):
        cost = t.preview_of(book[:i]).spend - t.preview_of(book[: i + 1]).spend
        arrives = None
        if isinstance(d, BuyGpus):
            v = p.integrator_ids.index(d.vendor)
            weeks = after.order_arrive[0, lab][placed & (after.order_vendor[0, lab] == v)]
            arrives = p.date_of(int(weeks.max())) if weeks.size else None
        elif isinstance(d, OrderTurbines):
            arrives = p.date_of(t.week + int(p.site_turbine_weeks[p.site_ids.index(d.site)]))
        elif isinstance(d, UpgradeSubstation):
            arrives = p.date_of(t.week + int(p.site_substation_weeks[p.site_ids.index(d.site)]))
        lines.append(BookLine(i, d.label(p), cost, arrives))
    return tuple(lines)


def chinchilla_flop(p: Params, params_n: float) -> float:
    """Compute budget of a compute-optimal run of N parameters (the engine's rule)."""
    from game.engine.training import chinchilla_flop as rule

    return float(rule(params_n, p))


def last_week_flows(t: LabTurn) -> tuple[tuple[str, float], ...]:
    """Last week's cash flows by kind (signed: + in, - out), the ones that moved."""
    lab = t.lab
    report = t.last_report
    if report is None:
        return ()
    flows = report.flows[0, lab]
    out = [
        (economy.FLOW_NAMES[k], float(flows[i])) for i, k in enumerate(economy.FLOWS) if abs(flows[i]) >= 1e5
    ]
    out.append(("net", float(flows.sum())))
    return tuple(out)


def run_plan(t: LabTurn, flop: float, booked: bool = False) -> tuple[float, float, float]:
    """A run of `flop` started this week: weeks of pretraining (sharing the training
    compute this week's other decisions leave with the runs under way and the week's other
    new runs, as the engine shares it), the capability it should release at, and the
    spread of that (a run turns out a little better or worse: its noise). `booked`: the
    run is in the book already (its confirmation)."""
    lab = t.lab
    from game.play.decisions import StartRun

    book = t.book
    runs = [d.flop for d in book if isinstance(d, StartRun)]
    world = t.preview_of([d for d in book if not isinstance(d, StartRun)]).world
    planned = tuple(runs) if booked else (*runs, flop)
    schedule = run_schedule(t.params, world, lab, planned)
    at = len(schedule) - len(planned) + (runs.index(flop) if booked else len(runs))
    noise = float(t.params.rules.training.capability_noise)
    return float(schedule[at]), t.capability_of(flop), noise


def interest_per_week(usd: float, rate: float) -> float:
    """A week's interest on `usd` of debt at a yearly `rate`."""
    return usd * rate / WEEKS_PER_YEAR


@attrs.frozen
class MoneyView:
    """What investors and lenders would do for a lab this week (the engine's terms)."""

    round_ready: bool  # investors will hear a round now
    booked_round: bool  # a round is in this week's orders
    next_round: dt.date
    pre_money: float  # USD: investors' price this week
    largest: float  # USD: the most a round would raise now
    down_round: bool  # priced below the last round's post-money
    close_weeks: int  # weeks until the largest round's cash would be in hand
    closing: float  # USD: a round under way (0: none)
    closing_pre: float
    closing_date: dt.date | None
    last_post: float  # the last round's post-money valuation
    debt: float
    credit: float  # what lenders would still lend
    interest_rate: float  # a year, at today's leverage
    leverage: float  # debt over the GPUs' value
    covenant: float  # the leverage past which lenders sweep cash
    in_breach: bool


def round_weeks(t: LabTurn, usd: float) -> int:
    """Weeks until a round of `usd` started now has its cash in hand (the engine's rule)."""
    terms = economy.round_terms(t.params, t.world)
    return int(np.asarray(terms.cash_in_weeks(t.params, np.array(usd))).reshape(-1)[0])


def money_view(t: LabTurn) -> MoneyView:
    lab = t.lab
    p, w = t.params, t.world
    terms = economy.round_terms(p, w)
    closing = float(w.round_usd[0, lab])
    return MoneyView(
        round_ready=bool(terms.ready[0, lab]),
        booked_round=any(d.kind == "raise" for d in t.book),
        next_round=p.date_of(max(int(economy.next_round_week(p, w)[0, lab]), t.week)),
        pre_money=float(terms.pre_money[0, lab]),
        largest=float(terms.largest[0, lab]),
        down_round=bool(terms.down[0, lab]),
        close_weeks=int(terms.cash_in_weeks(p, terms.largest)[0, lab]),
        closing=closing,
        closing_pre=float(w.round_pre[0, lab]),
        closing_date=p.date_of(int(w.round_close[0, lab]) + 1) if closing > 0 else None,  # cash in hand
        last_post=float(w.last_post[0, lab]),
        debt=float(w.debt[0, lab]),
        credit=float(economy.credit_headroom(p, w)[0, lab]),
        interest_rate=float(economy.interest_rate(p, w)[0, lab]),
        leverage=float(economy.leverage(p, w)[0, lab]),
        covenant=float(p.rules.finance.covenant_ltv),
        in_breach=bool(economy.in_breach(p, w)[0, lab]),
    )


@attrs.frozen
class PeopleView:
    """A lab's researchers: one pool every lab hires from."""

    staff: float  # researchers employed
    ramped: float  # at full productivity
    budget: float  # USD a week the lab plans for people (this week's orders, else today's)
    wage: float  # USD a week per researcher this week (dearer as the pool empties)
    payroll: float  # USD a week it pays now
    pool_free: float  # researchers no lab employs
    aim: float  # researchers the budget pays for at this wage (hiring goes toward it)
    laying_off: bool  # staff over the aim by more than the slack: layoffs come (research.hire's rule)
    laid_off: float = 0.0  # researchers the budget lays off this week (research.layoffs)
    severance: float = 0.0  # USD their severance costs this week


def people_view(t: LabTurn) -> PeopleView:
    lab = t.lab
    from game.engine import research
    from game.play.decisions import SetStaff, last_of

    p, w = t.params, t.world
    row = int(np.clip(t.week, 0, p.last_week))
    hired = float(np.where(w.bankrupt[0], 0.0, w.staff[0]).sum())
    booked = last_of(t.book, SetStaff)
    budget = booked.usd_week if booked is not None else float(w.staff_usd_week[0, lab])
    staff, wage = float(w.staff[0, lab]), float(research.wage(p, w)[0])
    aim = budget / wage if wage > 0 else staff
    budgets = np.array(w.staff_usd_week, dtype=np.float64)
    budgets[0, lab] = budget
    laid_off, severance = (float(x[0, lab]) for x in research.layoffs(p, w, budgets))
    free = max(float(p.talent_pool[row]) - hired, 0.0)
    payroll = float(research.payroll(p, w)[0, lab])
    ramped = float(w.staff_ramped[0, lab])
    return PeopleView(staff, ramped, budget, wage, payroll, free, aim, laid_off > 0, laid_off, severance)
