"""Params: what is fixed for a whole batch, as arrays the weekly step indexes.

Built once from the catalog and a scenario's settings (start date, last week, labs, AGI
threshold). Time-varying data (NVIDIA supply, partner capacity, prices) is expanded into
tables with one row per week of the game, so a step looks them up with `table[week]`.
No batch axis: every game of a batch plays the same scenario.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog

SECONDS_PER_WEEK = 7 * 24 * 3600
HOURS_PER_WEEK = 7 * 24
WEEKS_PER_YEAR = 365.25 / 7
RESEARCH_REF_DATE = dt.date(2024, 7, 15)  # the date the rules' and labs' yearly figures are for

# Event cards: the week a card "last fired" before it ever has, and the cooldown of a
# card that fires once (longer than any game, shorter than the distance from NEVER; both
# fit the int16 the state keeps weeks in).
NEVER = -32_000
ONCE = 30_000

# How the compute of a lab is split each week (last axis of World.split).
TRAIN, INFER, RESEARCH = 0, 1, 2


def _step_values(table: tuple[tuple[dt.date, float], ...], days: np.ndarray) -> np.ndarray:
    """A step table's value on each day (days as ordinals): the amount of the table's last
    entry that has started by then, 0 before any has."""
    if not table:
        return np.zeros(len(days))
    starts = np.array([start.toordinal() for start, _ in table])
    amounts = np.array([float(amount) for _, amount in table])
    started = starts[None, :] <= days[:, None]
    last = len(table) - 1 - np.argmax(started[:, ::-1], axis=1)
    return np.where(started.any(axis=1), amounts[last], 0.0)


def quarter_index(day: dt.date) -> int:
    return day.year * 4 + (day.month - 1) // 3


@attrs.frozen(eq=False, repr=False)
class Params:
    """Static, batch-wide data. Shapes: L labs, G GPU types, S sites, P partners,
    V integrators, W+1 weeks (0 .. last_week)."""

    catalog: Catalog
    lab_ids: tuple[str, ...]
    human: np.ndarray  # (L,) bool: labs whose actions come from a person
    start_date: dt.date
    last_week: int
    agi_capability: float  # log10 effective FLOP of a released model that is AGI

    # GPUs (G,)
    gpu_flops: np.ndarray
    gpu_kw: np.ndarray
    gpu_price: np.ndarray
    gpu_mfu: np.ndarray
    gpu_available_week: np.ndarray  # int: first week it can be ordered (may be < 0)
    # weekly tables
    supply_per_quarter: np.ndarray  # (W+1, G) NVIDIA supply for the week's quarter
    quarter: np.ndarray  # (W+1,) int: calendar quarter of each week
    gpu_newer_gen: np.ndarray  # (G, G) bool: [g, h] when h is a newer generation than g (g's price falls as h ships)
    older_gen_pows: np.ndarray  # (G+1,) older_gen_price_factor ** k: a GPU's price factor with k newer generations shipped
    partner_capacity: np.ndarray  # (W+1, P, G) GPUs each partner owns for rent
    research_ref_flops: np.ndarray  # (W+1,) the frontier's research compute that week
    talent_pool: np.ndarray  # (W+1,) researchers the labs compete for
    wage_week: np.ndarray  # (W+1,) USD a week per researcher before scarcity
    api_growth: np.ndarray  # (W+1,) API and enterprise revenue per user against July 2024's
    round_market_usd: np.ndarray  # (W+1,) the largest round investors fund that week, at neutral mood

    # partners (P, G) and (P,)
    partner_price: np.ndarray  # list price per GPU-hour (0 where not offered)
    partner_cost: np.ndarray
    partner_risk: np.ndarray  # (P,) risk appetite
    partner_build: np.ndarray  # (P,) GPUs a week it can build for a deal at a named site
    partner_power_margin: np.ndarray  # (P,)
    partner_patience: np.ndarray  # (P,) offers before it breaks off talks
    partner_exit_penalty: np.ndarray  # (P,)
    partner_ties: np.ndarray  # (P, L) closeness to each lab
    partner_sources: np.ndarray  # (P, P) bool: p may resell q's free capacity
    partner_invests: np.ndarray  # (P, L) bool
    partner_invest_max: np.ndarray  # (P,)
    partner_invest_factor: np.ndarray  # (P,)
    partner_invest_every: np.ndarray  # (P,) weeks between a partner's investments in one lab
    partner_customer_share: np.ndarray  # (P,) share of its pool one lab may hold

    # integrators (V,)
    integrator_lead: np.ndarray
    integrator_markup: np.ndarray
    integrator_capacity: np.ndarray

    # sites (S,)
    site_grid_max: np.ndarray
    site_substation_mw: np.ndarray
    site_substation_weeks: np.ndarray
    site_substation_usd_per_mw: np.ndarray
    site_turbine_max: np.ndarray
    site_turbine_weeks: np.ndarray
    site_turbine_usd_per_mw: np.ndarray
    site_build_usd_per_mw: np.ndarray
    site_build_mw_per_week: np.ndarray
    site_power_usd_per_mwh: np.ndarray

    # events (C,)
    event_start: np.ndarray  # int: first week a card may fire
    event_until: np.ndarray  # int: last week
    event_cooldown: np.ndarray  # int: weeks before it may fire again (once: forever)
    event_labs: np.ndarray  # (C, L) bool: labs a card may hit
    event_probability: np.ndarray  # (C,) weekly chance where it may fire
    event_game: np.ndarray  # (C,) bool: one draw per game (else one per lab)
    event_effects: np.ndarray  # (C,) int: number of effects
    # The cards' conditions by field: (field, site index or -1, (cards, lows), (cards,
    # highs)); a card holds where low <= value <= high for every field it bounds.
    event_bounds: tuple[tuple[str, int, tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]], ...]
    # The same bounds one by one (n,), so a week checks them all at once: the entry of
    # event_bounds whose quantity each reads, its sign (+1 for low <= value, -1 for
    # value <= high, checked as -value >= -high) and signed limit; which card each
    # bounds (n, C) as 0/1, and how many bounds each card has (C,).
    event_bound_row: np.ndarray
    event_bound_sign: np.ndarray
    event_bound_limit: np.ndarray
    event_bound_card: np.ndarray
    event_bound_count: np.ndarray

    # labs (L,)
    lab_sub_price: np.ndarray
    lab_paying_frac: np.ndarray
    lab_api_rate: np.ndarray
    lab_brand: np.ndarray

    @property
    def rules(self):  # noqa: ANN201 - the catalog's Rules record
        return self.catalog.rules

    @property
    def n_labs(self) -> int:
        return len(self.lab_ids)

    @property
    def gpu_ids(self) -> tuple[str, ...]:
        return _catalog_ids(self.catalog, "gpu_ids")

    @property
    def site_ids(self) -> tuple[str, ...]:
        return _catalog_ids(self.catalog, "site_ids")

    @property
    def partner_ids(self) -> tuple[str, ...]:
        return _catalog_ids(self.catalog, "partner_ids")

    @property
    def integrator_ids(self) -> tuple[str, ...]:
        return _catalog_ids(self.catalog, "integrator_ids")

    def __attrs_post_init__(self) -> None:
        # Read-only like the World's arrays: memoised rules key on them by identity.
        for value in attrs.asdict(self, recurse=False).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    def __repr__(self) -> str:
        return f"Params(labs={self.lab_ids}, start={self.start_date}, last_week={self.last_week})"

    def date_of(self, week: int) -> dt.date:
        return self.start_date + dt.timedelta(weeks=int(week))

    def week_of(self, day: dt.date) -> int:
        return math.floor((day - self.start_date).days / 7)


def make_params(
    catalog: Catalog,
    lab_ids: tuple[str, ...],
    start_date: dt.date,
    last_week: int,
    agi_capability: float,
    human: tuple[str, ...] = (),
) -> Params:
    """Expand the catalog into the arrays a batch of this scenario needs."""
    gpus, sites, partners = catalog.gpus, catalog.sites, catalog.partners
    labs = [catalog.lab(lab_id) for lab_id in lab_ids]
    weeks = [start_date + dt.timedelta(weeks=w) for w in range(last_week + 1)]

    def week_of(day: dt.date) -> int:
        return math.floor((day - start_date).days / 7)

    days = np.array([d.toordinal() for d in weeks])
    supply = np.zeros((len(weeks), len(gpus)))
    for gi, g in enumerate(gpus):
        supply[:, gi] = _step_values(g.supply, days)
    # Prices of older GPUs (NVIDIA's and the partners' rents) fall by older_gen_price_factor
    # for each newer generation that has shipped (compute.older_factor: the week it goes on
    # sale, a slip included): a GPU counts as a new generation when it has
    # new_generation_step times the FLOP/s of the last one (H200 is H100's chip).
    factor = catalog.nvidia.older_gen_price_factor
    newer = np.zeros((len(gpus), len(gpus)), bool)
    for gi, g in enumerate(gpus):
        level = g.bf16_tflops
        for other in sorted((o for o in gpus if o.available > g.available), key=lambda o: o.available):
            if other.bf16_tflops >= catalog.nvidia.new_generation_step * level:
                level = other.bf16_tflops
                newer[gi, gpus.index(other)] = True
    pows = np.array([factor**k for k in range(len(gpus) + 1)])

    capacity = np.zeros((len(weeks), len(partners), len(gpus)))
    price = np.zeros((len(partners), len(gpus)))
    cost = np.zeros((len(partners), len(gpus)))
    for pi, p in enumerate(partners):
        for gi, g in enumerate(gpus):
            if g.id in p.capacity:
                capacity[:, pi, gi] = _step_values(p.capacity[g.id], days)
                cost[pi, gi] = p.cost_usd_hour[g.id]
                price[pi, gi] = p.cost_usd_hour[g.id] * (1.0 + p.target_margin)

    research = catalog.rules.research
    years = np.array([(d - RESEARCH_REF_DATE).days / 365.25 for d in weeks])
    ref_flops = research.ref_research_flops * research.frontier_compute_growth_per_year**years
    talent = catalog.rules.talent
    pool = talent.pool * talent.pool_growth_per_year**years
    wage = talent.wage_usd_year / WEEKS_PER_YEAR * talent.wage_growth_per_year**years
    market = catalog.rules.market
    api_growth = np.clip(
        market.api_growth_per_year**years, 1.0 / market.api_growth_max, market.api_growth_max
    )
    fin = catalog.rules.finance
    round_market = np.minimum(
        fin.raise_max_usd * fin.raise_market_growth_per_year**years, fin.raise_max_usd_cap
    )

    def arr(values: list[float], dtype: type = np.float64) -> np.ndarray:
        return np.array(values, dtype=dtype)

    bounds = _event_bounds(catalog)
    return Params(
        catalog=catalog,
        lab_ids=tuple(lab_ids),
        human=np.array([lab_id in human for lab_id in lab_ids], dtype=bool),
        start_date=start_date,
        last_week=last_week,
        agi_capability=float(agi_capability),
        gpu_flops=arr([g.flops for g in gpus]),
        gpu_kw=arr([g.kw_all_in for g in gpus]),
        gpu_price=arr([g.price_usd for g in gpus]),
        gpu_mfu=arr([g.default_mfu for g in gpus]),
        gpu_available_week=arr([week_of(g.available) for g in gpus], np.int64),
        supply_per_quarter=supply,
        quarter=arr([quarter_index(d) for d in weeks], np.int64),
        gpu_newer_gen=newer,
        older_gen_pows=pows,
        partner_capacity=capacity,
        research_ref_flops=ref_flops,
        talent_pool=pool,
        wage_week=wage,
        api_growth=api_growth,
        round_market_usd=round_market,
        partner_price=price,
        partner_cost=cost,
        partner_risk=arr([q.risk_appetite for q in partners]),
        partner_build=arr([q.build_gpus_per_week for q in partners]),
        partner_power_margin=arr([q.power_margin for q in partners]),
        partner_patience=arr([q.patience_rounds for q in partners]),
        partner_exit_penalty=arr([q.exit_penalty for q in partners]),
        partner_ties=np.array([[q.ties.get(lab, 0.0) for lab in lab_ids] for q in partners]).reshape(
            len(partners), len(lab_ids)
        ),
        partner_sources=np.array([[o.id in q.sources for o in partners] for q in partners], dtype=bool),
        partner_invests=np.array(
            [[lab in q.invests_in for lab in lab_ids] for q in partners], dtype=bool
        ).reshape(len(partners), len(lab_ids)),
        partner_invest_max=arr([q.invest_max_usd for q in partners]),
        partner_invest_factor=arr([q.invest_share_factor for q in partners]),
        partner_invest_every=arr([q.invest_every_weeks for q in partners], np.int64),
        partner_customer_share=arr([q.max_customer_share for q in partners]),
        integrator_lead=arr([v.lead_weeks for v in catalog.integrators], np.int64),
        integrator_markup=arr([v.server_markup for v in catalog.integrators]),
        integrator_capacity=arr([v.capacity_gpus_per_week for v in catalog.integrators]),
        site_grid_max=arr([s.grid_max_mw for s in sites]),
        site_substation_mw=arr([s.substation_mw for s in sites]),
        site_substation_weeks=arr([s.substation_weeks for s in sites], np.int64),
        site_substation_usd_per_mw=arr([s.substation_usd_per_mw for s in sites]),
        site_turbine_max=arr([s.turbine_max_mw for s in sites]),
        site_turbine_weeks=arr([s.turbine_weeks for s in sites], np.int64),
        site_turbine_usd_per_mw=arr([s.turbine_usd_per_mw for s in sites]),
        site_build_usd_per_mw=arr([s.build_usd_per_mw for s in sites]),
        site_build_mw_per_week=arr([s.build_mw_per_week for s in sites]),
        site_power_usd_per_mwh=arr([s.power_usd_per_mwh for s in sites]),
        event_start=arr([week_of(c.start) if c.start else -(10**6) for c in catalog.events], np.int64),
        event_until=arr([week_of(c.until) if c.until else 10**6 for c in catalog.events], np.int64),
        event_cooldown=arr([ONCE if c.once else max(c.cooldown_weeks, 1) for c in catalog.events], np.int64),
        event_labs=np.array(
            [[(not c.labs) or lab in c.labs for lab in lab_ids] for c in catalog.events], dtype=bool
        ).reshape(len(catalog.events), len(lab_ids)),
        event_probability=arr([c.probability for c in catalog.events]),
        event_game=np.array([c.scope == "game" for c in catalog.events], dtype=bool),
        event_effects=arr([len(c.effects) for c in catalog.events], np.int64),
        event_bounds=bounds,
        **_bound_tables(bounds, len(catalog.events)),
        lab_sub_price=arr([lab.sub_price_usd_month for lab in labs]),
        lab_paying_frac=arr([lab.paying_frac for lab in labs]),
        lab_api_rate=arr([lab.api_usd_per_user_week for lab in labs]),
        lab_brand=arr([lab.brand for lab in labs]),
    )


def _bound_tables(bounds: tuple[Any, ...], cards: int) -> dict[str, np.ndarray]:
    row, sign, limit, card = [], [], [], []
    for i, (_, _, low, high) in enumerate(bounds):
        for (which, limits), side in ((low, 1.0), (high, -1.0)):
            row += [i] * len(which)
            sign += [side] * len(which)
            limit += [side * float(x) for x in limits]
            card += [int(c) for c in which]
    onehot = np.zeros((len(card), cards))
    onehot[np.arange(len(card)), card] = 1.0
    return {
        "event_bound_row": np.array(row, np.int64),
        "event_bound_sign": np.array(sign),
        "event_bound_limit": np.array(limit),
        "event_bound_card": onehot,
        "event_bound_count": onehot.sum(0),
    }


def _event_bounds(
    catalog: Catalog,
) -> tuple[tuple[str, int, tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]], ...]:
    """The events deck's conditions gathered by field, so a week checks each field's
    bounds with one comparison over the cards that have one."""
    cards = catalog.events
    bounds: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
    for c, card in enumerate(cards):
        for cond in card.when:
            site = catalog.site_ids.index(cond.site) if cond.site else -1
            low, high = bounds.setdefault(
                (cond.field, site), (np.full(len(cards), -np.inf), np.full(len(cards), np.inf))
            )
            if cond.op == ">=":
                low[c] = max(low[c], cond.value)
            else:
                high[c] = min(high[c], cond.value)

    def bounded(limits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cards = np.flatnonzero(np.isfinite(limits))
        return cards, limits[cards]

    return tuple((field, site, bounded(low), bounded(high)) for (field, site), (low, high) in bounds.items())


_IDS: dict[str, tuple[Any, tuple[str, ...]]] = {}  # by kind: the last catalog and its ids


def _catalog_ids(catalog: Any, kind: str) -> tuple[str, ...]:
    """`getattr(catalog, kind)` (a tuple the catalog builds on each read), kept for the last
    catalog asked: a frozen catalog's ids never change, and the rules read them ~20 times
    a week."""
    last = _IDS.get(kind)
    if last is None or last[0] is not catalog:
        last = _IDS[kind] = (catalog, getattr(catalog, kind))
    return last[1]
