"""AI players: World -> Actions for the labs they control, vectorised over games and labs.

One decision procedure, parameterised per lab by a style from assets/policies.toml
(builder, partner, incumbent) and a difficulty (easy, normal, hard). The style says
what the lab prefers (buy or rent, how long its runs are, how much runway it keeps);
the difficulty says how well it plays (how often it revisits its plans and how far off
its sizing is). Neither changes the rules.
"""

from __future__ import annotations

import attrs
import numpy as np

from game.catalog import Catalog
from game.engine import compute, economy, rng
from game.engine.actions import Actions, merge
from game.engine.params import TRAIN, Params
from game.engine.state import RUN_PRETRAIN, World

_STYLE_FIELDS = (
    "buy_share",
    "rent_share",
    "rent_weeks",
    "run_weeks",
    "research_share",
    "runway_floor_weeks",
    "capex_share_of_cash",
    "power_headroom",
    "use_turbines",
)
_DIFFICULTY_FIELDS = ("act_probability", "plan_error", "caution_weeks", "price_premium")
MIN_RENTAL = 10_000  # GPUs: smaller rentals are not worth a contract slot


@attrs.frozen(eq=False)
class Controllers:
    """Who plays each lab (L,): the AI style and difficulty, and whether the AI plays it."""

    style: tuple[str, ...]
    difficulty: tuple[str, ...]
    ai: np.ndarray  # (L,) bool
    knobs: dict[str, np.ndarray]  # per-lab arrays (L,) of style and difficulty fields


def make_controllers(
    catalog: Catalog,
    params: Params,
    styles: dict[str, str] | None = None,
    difficulty: str | dict[str, str] = "normal",
    ai_labs: tuple[str, ...] | None = None,
) -> Controllers:
    """Styles default to each lab's own (labs.toml); `ai_labs` defaults to every lab that
    is not human in the params."""
    styles = styles or {}
    chosen = tuple(styles.get(lab, catalog.lab(lab).policy) for lab in params.lab_ids)
    if isinstance(difficulty, str):
        levels = tuple(difficulty for _ in params.lab_ids)
    else:
        levels = tuple(difficulty.get(lab, "normal") for lab in params.lab_ids)
    if ai_labs is None:
        ai = ~params.human
    else:
        ai = np.array([lab in ai_labs for lab in params.lab_ids], dtype=bool)
    knobs = {
        name: np.array([getattr(catalog.style(st), name) for st in chosen], dtype=np.float64)
        for name in _STYLE_FIELDS
    }
    knobs.update(
        {
            name: np.array([getattr(catalog.difficulty(d), name) for d in levels], dtype=np.float64)
            for name in _DIFFICULTY_FIELDS
        }
    )
    return Controllers(chosen, levels, ai, knobs)


def with_knobs(ctl: Controllers, labs: np.ndarray, **knobs: float) -> Controllers:
    """`ctl` with some knobs set to new values for the labs where `labs` (L,) is true (a
    scripted strategy that plays the AI with one lever pushed)."""
    changed = dict(ctl.knobs)
    for name, value in knobs.items():
        changed[name] = np.where(labs, value, ctl.knobs[name])
    return attrs.evolve(ctl, knobs=changed)


def decide(world: World, ctl: Controllers, base: Actions | None = None) -> Actions:
    """Actions for every AI-controlled lab; other labs keep `base` (default: idle)."""
    p = world.params
    s = world
    k = ctl.knobs
    B, L = s.cash.shape
    base = base if base is not None else Actions.idle(world)
    alive = ~s.bankrupt & ~s.done[:, None]
    acts = (rng.uniform(rng.game_week(s), rng.POLICY_ACT, (L,)) < k["act_probability"]) & alive
    z = rng.normal(rng.game_week(s), rng.POLICY_SIZE, (L, 3))
    error = 1.0 + np.clip(k["plan_error"][None, :, None] * z, -0.6, 0.6)  # (B, L, 3)

    peak, useful, n_gpus = compute.lab_flops(p, s)
    costs = economy.running_costs(p, s)
    headroom = economy.credit_headroom(p, s)
    reserve = costs * (k["runway_floor_weeks"] + k["caution_weeks"])
    spendable = np.maximum(s.cash + 0.5 * headroom - reserve, 0.0)
    capex = spendable * k["capex_share_of_cash"]

    # Split: enough inference for the users, the style's research share, the rest trains.
    need = s.users * p.rules.market.inference_flops_per_user * 1.15
    infer = np.where(peak > 0, np.clip(need / np.maximum(peak, 1.0), 0.05, 0.6), 0.3)
    research = np.broadcast_to(k["research_share"], (B, L))
    train = np.maximum(1.0 - infer - research, 0.1)
    split = np.stack([train, infer, research], axis=-1)
    split = split / split.sum(-1, keepdims=True)

    # Training: when no run is going, start one sized for the style's run length on the
    # compute it has now, if it would beat the lab's best model.
    rate, _ = compute.training_rate(split[..., TRAIN] * useful, split[..., TRAIN] * n_gpus, p.rules.training)
    planned = rate * k["run_weeks"] * error[..., 0]
    running = (s.run_phase == RUN_PRETRAIN).any(-1)
    beats = np.log10(np.maximum(planned, 1.0)) + s.software > s.best_model + 0.1
    start = acts & ~running & beats & (planned >= p.rules.training.min_run_flop)
    start_flop = np.where(start, planned, 0.0)

    # Buying: the best FLOP per dollar on sale, as much as the budget and the power plan
    # allow, through the integrator that delivers first.
    eta = p.integrator_lead + s.integrator_backlog / p.integrator_capacity  # (B, V)
    vendor = np.argmin(eta, axis=-1)  # (B,)
    markup = p.integrator_markup[vendor]  # (B,)
    unit = compute.unit_price(p, s) * markup[:, None]  # (B, G)
    row = compute.week_row(p, s)
    on_sale = (s.week[:, None] >= p.gpu_available_week + s.gpu_delay) & (
        p.supply_per_quarter[row] - s.nvidia_ordered > 0
    )
    value = np.where(on_sale, p.gpu_flops * p.gpu_mfu / unit, -1.0)
    best_gpu = np.argmax(value, axis=-1)  # (B,)
    any_on_sale = on_sale.any(-1)
    gpu_unit = unit[np.arange(B), best_gpu][:, None]  # (B, 1)
    gpu_kw = p.gpu_kw[best_gpu][:, None]

    on_order_kw = np.einsum("blo,blo->bl", s.order_count.astype(np.float64), p.gpu_kw[s.order_gpu])
    committed_mw = (
        compute.installed_mw(p, s).sum(-1) + (s.warehouse * p.gpu_kw).sum(-1) / 1000 + on_order_kw / 1000
    )
    planned_mw = (s.hall_mw + s.hall_building).sum(-1)
    room_mw = np.maximum(planned_mw - committed_mw, 0.0)
    buy_budget = capex * k["buy_share"] / 4.0
    count = np.minimum(buy_budget / gpu_unit, room_mw * 1000.0 / gpu_kw) * error[..., 1]
    count = np.where(acts & any_on_sale[:, None], np.floor(np.maximum(count, 0.0)), 0.0)
    order = np.zeros((B, L, len(p.gpu_ids)), np.int64)
    order[np.arange(B)[:, None], np.arange(L)[None, :], best_gpu[:, None]] = count.astype(np.int64)

    # Halls: keep the planned power ahead of GPUs on hand and ~8 weeks of purchases.
    growth_mw = buy_budget * 8.0 / gpu_unit * gpu_kw / 1000.0
    desired_mw = (committed_mw + growth_mw) * k["power_headroom"]
    deficit = np.maximum(desired_mw - planned_mw, 0.0) * (k["buy_share"] > 0)
    others_halls = (s.hall_mw + s.hall_building).sum(1, keepdims=True) - (s.hall_mw + s.hall_building)
    site_room = p.site_grid_max - others_halls - (s.hall_mw + s.hall_building)  # (B, L, S)
    site_room = site_room + np.where(k["use_turbines"][None, :, None] > 0, p.site_turbine_max, 0.0)
    mine = (s.hall_mw + s.hall_building) > 0
    score = site_room + np.where(mine, 1000.0, 0.0)
    site = np.argmax(np.where(site_room > 1.0, score, -np.inf), axis=-1)  # (B, L)
    build_weeks_cap = p.site_build_mw_per_week[site] * 8.0
    affordable_mw = capex * k["buy_share"] / p.site_build_usd_per_mw[site]
    build_amount = np.minimum(np.minimum(deficit, build_weeks_cap), affordable_mw)
    build_amount = np.where(acts & (build_amount >= 1.0), build_amount, 0.0)
    S = len(p.site_ids)
    build = (np.arange(S) == site[..., None]) * build_amount[..., None]

    # Power: where halls outgrow the lab's power, order turbines (if the style uses
    # them) and a substation upgrade.
    halls = s.hall_mw + s.hall_building + build
    free_grid = np.maximum(s.grid_mw - s.grid_alloc.sum(1), 0.0)[:, None, :]
    short = halls - (s.grid_alloc + s.turbine_mw + s.turbine_pending) - free_grid
    short = np.where(acts[..., None], np.maximum(short, 0.0), 0.0)
    turbines = np.where(k["use_turbines"][None, :, None] > 0, short, 0.0)
    substation = (short > 0) & (s.grid_mw < p.site_grid_max)[:, None, :]

    # Renting: the best FLOP per dollar among partners with room, for the style's term.
    free = compute.partner_free(p, s)  # (B, P, G)
    rent_value = np.where(
        (free >= MIN_RENTAL) & (p.partner_price > 0),
        p.gpu_flops * p.gpu_mfu / np.where(p.partner_price > 0, p.partner_price, 1.0),
        -1.0,
    ).reshape(B, -1)
    pick = np.argmax(rent_value, axis=-1)  # (B,)
    G = len(p.gpu_ids)
    rent_partner, rent_gpu = pick // G, pick % G
    price = p.partner_price[rent_partner, rent_gpu][:, None]
    # When NVIDIA's quarter is spoken for, the money that could not buy GPUs rents them.
    shipping = s.week[:, None] >= p.gpu_available_week + s.gpu_delay  # (B, G)
    newest = np.argmax(np.where(shipping, p.gpu_flops * p.gpu_mfu / unit, -1.0), axis=-1)  # (B,)
    wanted = np.minimum(
        buy_budget / unit[np.arange(B), newest][:, None], room_mw * 1000.0 / p.gpu_kw[newest][:, None]
    )
    remaining = np.maximum(p.supply_per_quarter[row] - s.nvidia_ordered, 0.0)[np.arange(B), newest][:, None]
    unmet = np.where(wanted >= 1.0, np.clip(1.0 - remaining / np.maximum(wanted, 1.0), 0.0, 1.0), 0.0)
    rent_budget = capex * (k["rent_share"] + k["buy_share"] * unmet)
    # The budget pays for a year of rent, whatever the term.
    rent_count = rent_budget / np.maximum(price * 168.0 * 52.0, 1e-9) * error[..., 2]
    rent_count = np.minimum(rent_count, free[np.arange(B), rent_partner, rent_gpu][:, None])
    renting = acts & (rent_value.max(-1)[:, None] > 0) & (rent_count >= MIN_RENTAL)
    # The offer: the partner's last counter if it made one, else its list price times
    # the difficulty's premium (an easy AI overpays, a hard one haggles).
    countered = s.last_counter[np.arange(B)[:, None], np.arange(L)[None, :], rent_partner[:, None]]
    offer_price = price * np.where(countered > 0, countered, k["price_premium"])
    renting = renting & (s.contract_partner < 0).any(-1)

    # Money: raise when runway runs short (or cash is below the reserve), borrow a
    # little against GPUs when cash dips.
    net_burn = np.maximum(costs - s.revenue_fast, 1.0)
    runway = (s.cash + headroom) / net_burn
    ready = (s.week[:, None] - s.last_raise_week) >= p.rules.finance.raise_cooldown_weeks
    raising = acts & ready & ((runway < k["runway_floor_weeks"] + k["caution_weeks"]) | (s.cash < reserve))
    f = p.rules.finance
    raise_usd = np.where(
        raising, np.minimum(s.valuation * f.raise_max_fraction, f.raise_max_usd * s.mood[:, None]), 0.0
    )
    borrow = np.where(alive & (s.cash < 0.5 * reserve), np.minimum(0.95 * headroom, reserve - s.cash), 0.0)

    chosen = Actions(
        order_count=order[:, :, None, :]
        * (np.arange(len(p.integrator_ids)) == vendor[:, None])[:, None, :, None],
        build_mw=build,
        turbine_mw=turbines,
        substation=substation,
        split=np.where(alive[..., None], split, -1.0),
        start_flop=np.concatenate([start_flop[..., None], np.zeros((B, L, s.run_phase.shape[-1] - 1))], -1),
        offer_partner=np.where(renting, rent_partner[:, None], -1),
        offer_gpu=np.broadcast_to(rent_gpu[:, None], (B, L)).copy(),
        offer_count=np.where(renting, np.floor(rent_count), 0).astype(np.int64),
        offer_start=np.broadcast_to(s.week[:, None], (B, L)).copy(),
        offer_weeks=np.broadcast_to(k["rent_weeks"].astype(np.int64), (B, L)).copy(),
        offer_price=offer_price,
        offer_site=np.full((B, L), -1),
        offer_invest=np.zeros((B, L)),
        offer_share=np.zeros((B, L)),
        offer_contract=np.full((B, L), -1),
        exit=np.zeros(s.contract_partner.shape, bool),
        raise_usd=raise_usd,
        borrow_usd=np.maximum(borrow, 0.0),
        repay_usd=np.zeros((B, L)),
        staff_usd_week=np.full((B, L), -1.0),
    )
    return merge(np.broadcast_to(ctl.ai, (B, L)), chosen, base)
