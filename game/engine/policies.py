"""AI players: World -> Actions for the labs they control, vectorised over games and labs.

One decision procedure, parameterised per lab by a style from assets/policies.toml
(builder, partner, incumbent) and a difficulty (easy, normal, hard); the constants every
AI shares are policies.toml's [common]. Every AI decides every week:

- money: a reserve of `runway_floor_weeks` (+ caution) of costs; above it, a share of the
  money (cash, rounds closing, part of the credit line) goes to compute each week; a
  round is asked for when the runway left would not cover the reserve and the weeks a
  round takes to close; it borrows when cash falls under the reserve;
- compute: the style's share of that budget buys GPUs (and the halls and power they
  need), the rest rents; contracts about to end are extended;
- people and research: the research share and the people budget move from the style's
  habits toward the best mix the AI can work out for its compute (`mix_skill`);
- training: a new run when none is training, sized for the style's run length.

The style says what the lab prefers; the difficulty says how well it plays: how late it
reacts, how far off its sizing is, how optimistic its forecasts are, how close it gets to
the best mix of people and research, how much of its compute it lets its users take from
training, and how it haggles. Neither changes the rules.
"""

from __future__ import annotations

from typing import Any, cast

import attrs
import numpy as np

from game.catalog import Catalog
from game.engine import compute, economy, exits, ops, procurement, research, rng
from game.engine.actions import Actions, merge
from game.engine.params import HOURS_PER_WEEK, TRAIN, WEEKS_PER_YEAR, Params
from game.engine.state import RUN_POST, RUN_PRETRAIN, World

_STYLE_FIELDS = (
    "buy_share",
    "rent_share",
    "rent_weeks",
    "run_weeks",
    "research_share",
    "runway_floor_weeks",
    "capex_share_of_cash",
    "debt_share",
    "power_headroom",
    "use_turbines",
)
SQRT3 = 3**0.5  # a uniform draw on [-1, 1] times this has a standard deviation of 1
NOT_SINCE = 10**6  # weeks since an event that has not happened

_DIFFICULTY_FIELDS = (
    "reaction_lag_weeks",
    "plan_error",
    "forecast_error",
    "mix_skill",
    "foresight",
    "price_premium",
    "asks_investors",
    "caution_weeks",
    "inference_share_max",
)


@attrs.frozen(eq=False)
class Controllers:
    """Who plays each lab (L,): the AI style and difficulty, and whether the AI plays it.
    The knobs may also be per game (B, L) (the tournament plays cells side by side)."""

    style: tuple[str, ...]
    difficulty: tuple[str, ...]
    ai: np.ndarray  # (L,) bool
    knobs: dict[str, np.ndarray]  # per-lab arrays (L,) (or (B, L)) of style and difficulty fields


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
    knobs["default_staff_usd_week"] = np.array([catalog.lab(lab).staff_usd_week for lab in params.lab_ids])
    return Controllers(chosen, levels, ai, knobs)


def with_knobs(ctl: Controllers, labs: np.ndarray, **knobs: float) -> Controllers:
    """`ctl` with some knobs set to new values for the labs where `labs` (L,) is true (a
    scripted strategy that plays the AI with one lever pushed)."""
    changed = dict(ctl.knobs)
    for name, value in knobs.items():
        changed[name] = np.where(labs, value, ctl.knobs[name])
    return attrs.evolve(ctl, knobs=changed)


# ------------------------------------------------------------------------ pieces
def _money(
    p: Params, s: World, k: dict[str, np.ndarray], pace: np.ndarray, misjudged: np.ndarray
) -> dict[str, np.ndarray]:
    """The money plan (B, L): costs, the reserve, what can be spent on compute this week,
    and the runway the AI believes it has (`misjudged` (B, L): how far off its reading of
    its own money is this week). A round under way counts toward the reserve, never
    toward spending: its cash is not there before it closes, and the AI keeps the costs
    until it closes plus its `caution_weeks` (investors can walk away)."""
    costs = economy.running_costs(p, s)
    headroom = economy.credit_headroom(p, s)
    floor = k["runway_floor_weeks"] + k["caution_weeks"]
    reserve = costs * floor
    to_close = np.maximum(s.round_close - s.week[:, None], 0) * (s.round_usd > 0)
    keep = np.maximum(
        reserve - s.round_usd,
        costs * (np.maximum(to_close, p.catalog.ai.min_reserve_weeks) + k["caution_weeks"]),
    )
    at_hand = s.cash + k["debt_share"] * headroom
    capex = np.maximum(at_hand * misjudged - keep, 0.0) * k["capex_share_of_cash"] * pace
    burn = np.maximum(economy.net_burn(p, s), 1.0)
    return {
        "costs": costs,
        "headroom": headroom,
        "floor": floor,  # (L,) or (B, L): it broadcasts where it is read
        "reserve": reserve,
        "capex": np.minimum(capex, np.maximum(s.cash, 0.0)),
        "runway": (at_hand + s.round_usd) * misjudged / burn,
        "burn": burn,
    }


def _flops_price(p: Params, s: World) -> np.ndarray:
    """What a FLOP/s of compute costs a week (B,): the best GPU on sale's price spread over
    its life (`gpu_life_years`) plus its power (the AI's yardstick for research compute)."""
    c = p.catalog.ai
    unit = compute.unit_price(p, s)  # (B, G)
    on_sale = compute.on_sale(p, s)
    power = p.gpu_kw * p.rules.finance.reference_power_usd_per_mwh * HOURS_PER_WEEK / 1000.0
    weekly = (unit / (c.gpu_life_years * WEEKS_PER_YEAR) + power) / (p.gpu_flops * p.gpu_mfu)
    return ops.least(np.where(on_sale, weekly, np.inf))


def _mix(
    p: Params, s: World, c: Any, k: dict[str, np.ndarray], peak: np.ndarray, infer: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Research share and people budget (B, L): from the style's habits toward the best
    mix for the lab's compute, as far as its `mix_skill` goes.

    The best research share balances a year of faster software (research effort grows
    as research compute ^ (returns x compute_weight)) against a smaller next run (whose
    capability grows as log10 of its training compute); the best people budget spends on
    people what research compute costs, times (1 - w) / w (the effort's exponents), and
    never less than the lab's habit (people laid off cost severance and a ramp to hire
    back: the hard OpenAI that cut two thirds of its researchers lost to the normal one)."""
    r = p.rules.research
    gain = research.growth_per_week(p, s, s.split[..., 2] * peak)  # log10 a week
    x = c.research_horizon_weeks * gain * r.returns * r.compute_weight * np.log(10.0)
    best_share = ops.clip((1.0 - infer) * x / (1.0 + x), c.research_share_min, c.research_share_max)
    share = k["research_share"] + k["mix_skill"] * (best_share - k["research_share"])
    row = compute.week_row(p, s)
    habit = k["default_staff_usd_week"] * (p.wage_week[row] / p.wage_week[0])[:, None]
    compute_cost = share * peak * _flops_price(p, s)[:, None]
    best_budget = np.maximum(compute_cost * (1.0 - r.compute_weight) / max(r.compute_weight, 1e-9), habit)
    budget = habit + k["mix_skill"] * (best_budget - habit)
    return share, np.maximum(budget, 0.0)


# ------------------------------------------------------------------------ decide
def decide(world: World, ctl: Controllers, base: Actions | None = None) -> Actions:
    """Actions for every AI-controlled lab; other labs keep `base` (default: idle)."""
    p = world.params
    s = world
    k = ctl.knobs
    c = p.catalog.ai
    B, L = s.cash.shape
    alive = ~s.bankrupt & ~s.done[:, None]
    lag = k["reaction_lag_weeks"]
    pace = 1.0 / (1.0 + lag / c.lag_weeks_per_step)  # (L,)

    peak, useful, n_gpus = compute.lab_flops(p, s)
    # Errors: uniform draws with the difficulty's spread as their standard deviation.
    z = (2.0 * rng.uniform(rng.game_week(s), rng.POLICY_SIZE, (L, 6)) - 1.0) * SQRT3
    error = 1.0 + ops.clip(
        k["plan_error"][..., None] * z[..., :5], -c.error_clip, c.error_clip
    )  # (B, L, 5)
    misjudged = 1.0 + ops.clip(k["forecast_error"] * z[..., 5], -c.error_clip, c.error_clip)  # (B, L)
    money = _money(p, s, k, pace, misjudged)
    capex = money["capex"]

    # Split: enough inference for the users (at most the difficulty's share), research as
    # the mix says, the rest trains.
    need = s.users * p.rules.market.inference_flops_per_user * c.inference_margin
    infer = np.where(
        peak > 0,
        ops.clip(need / np.maximum(peak, 1.0), c.inference_share_min, k["inference_share_max"]),
        c.inference_share_default,
    )
    research_share, staff_budget = _mix(p, s, c, k, peak, infer)
    train = np.maximum(1.0 - infer - research_share, c.training_share_min)
    split = np.concatenate([train[..., None], infer[..., None], research_share[..., None]], -1)  # np.stack, fewer layers
    split = split / ops.total(split, -1, True)

    start_flop = _runs(p, s, c, k, split, useful, n_gpus, error[..., 0], lag)
    # Compute: the style's shares of the budget; what NVIDIA cannot sell this quarter is
    # rented instead, and what no partner can rent out is bought instead.
    shop = procurement.shop(p, s, c, k)
    unsold = procurement.cannot_buy(p, s, k, shop, capex * k["buy_share"])
    rent_budget = capex * (k["rent_share"] + k["buy_share"] * unsold)
    offer, unrented = procurement.rentals(p, s, c, k, money, rent_budget, error[..., 2], alive)
    offer["offer_price"] = procurement.offer_price(p, s, k, offer, error[..., 4])
    # A skilled AI asks its investor partner (Microsoft) instead, the weeks it may.
    invest = procurement.investment(p, s, k, alive)
    asking = invest["asking"]
    if np.count_nonzero(asking):
        offer = {
            **{name: np.where(asking, 0, value) for name, value in offer.items()},
            "offer_partner": np.where(asking, invest["partner"], offer["offer_partner"]),
            "offer_contract": np.where(asking, -1, offer["offer_contract"]),
            "offer_site": np.where(asking, -1, offer["offer_site"]),
            "offer_invest": invest["invest"],
            "offer_share": invest["share"],
        }
    buy_budget = capex * (k["buy_share"] + k["rent_share"] * unrented)
    order = procurement.purchases(p, s, shop, buy_budget, error[..., 1])
    build, turbines, substation = procurement.power(p, s, c, k, buy_budget, shop, alive)

    # Money: a round when the runway left would not cover the reserve and the weeks a
    # round takes to close (a slow AI notices later), or when investors offer a round
    # that is large beside its cash (growth money; never a down round by choice).
    terms = economy.round_terms(p, s)
    closing = terms.close_weeks(p, terms.largest)
    short = (money["runway"] < money["floor"] + closing - lag) | (s.cash < money["reserve"])
    growth = ~terms.down & (terms.largest >= c.raise_over_cash * np.maximum(s.cash, 0.0))
    raising = alive & terms.ready & (short | growth)
    raise_usd = np.where(raising, terms.largest * error[..., 3], 0.0)
    dip = alive & (s.cash < c.borrow_below_reserve * money["reserve"])
    borrow = np.where(dip, np.minimum(c.borrow_share * money["headroom"], money["reserve"] - s.cash), 0.0)

    # A way out: halls under construction pause while the runway is below half the
    # style's floor (a round under way counts), and resume once it is back above it.
    tight, easy = money["runway"] < 0.5 * money["floor"], money["runway"] >= money["floor"]
    pause = (alive & tight)[..., None] & (s.hall_building > 0) & ~s.hall_paused
    hall_pause = np.where(pause, 1, np.where(s.hall_paused & (alive & easy)[..., None], -1, 0))

    hall_cancel, sell_gpus, sublet = _last_resorts(p, s, c, money, alive)

    vendor = shop["vendor"]
    chosen = Actions(
        order_count=order[:, :, None, :]
        * (np.arange(len(p.integrator_ids)) == vendor[:, None])[:, None, :, None],
        build_mw=build,
        turbine_mw=turbines,
        substation=substation,
        split=np.where(alive[..., None], split, -1.0),
        start_flop=np.concatenate([start_flop[..., None], np.zeros((B, L, s.run_phase.shape[-1] - 1))], -1),
        exit=np.zeros(s.contract_partner.shape, bool),
        raise_usd=raise_usd,
        borrow_usd=np.maximum(borrow, 0.0),
        repay_usd=np.zeros((B, L)),
        staff_usd_week=np.where(alive, staff_budget, -1.0),
        **offer,
        hall_cancel=hall_cancel,
        hall_pause=hall_pause,
        sell_gpus=sell_gpus,
        sublet=sublet,
    )
    if ctl.ai.all():  # every lab is the AI's (a forecast's futures): nothing to merge
        return chosen
    return merge(np.broadcast_to(ctl.ai, (B, L)), chosen, base if base is not None else Actions.idle(world))


def _last_resorts(
    p: Params, s: World, c: Any, money: dict[str, np.ndarray], alive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ways out an AI takes in a week its runway (its own reading: cash, part of its
    credit and a round under way, at this week's net burn) is under `distress_runway_weeks`:
    it stops its builds under way, sublets the contracts a partner re-lets at a small
    loss (the shortfall at most `sublet_cost_weeks` of their rent), and sells GPUs on the
    used market until its cash and credit cover `distress_cover_weeks` of net burn: GPUs
    waiting in the warehouse first (they earn nothing), then installed ones, the oldest
    type first. A round under way counts as money, as it does for the AI's spending: an
    AI does not sell to bridge the weeks before a round closes (tried: that saves nine in
    ten of xAI's bankruptcies and moves the default race from 47/45% to 54/38%; the
    balance would have to be tuned again). Returns hall_cancel (B, L, S), sell_gpus
    (B, L, G) and sublet (B, L, K)."""
    at_hand = np.maximum(s.cash, 0.0) + money["headroom"]
    dire = alive & (money["runway"] < c.distress_runway_weeks)
    if not np.count_nonzero(dire):
        return (
            np.zeros(s.hall_mw.shape, bool),
            np.zeros(s.warehouse.shape, np.int64),
            np.zeros(s.contract_partner.shape, bool),
        )
    games = ops.anyof(dire)
    if not games.all():  # only the games with a lab in distress: the others take no way out
        rows = np.flatnonzero(games)
        some = {k: money[k][rows] for k in ("headroom", "runway", "burn")}
        parts = _last_resorts(p, cast(World, ops.Games(s, rows)), c, some, alive[rows])
        out = (np.zeros(s.hall_mw.shape, bool), np.zeros(s.warehouse.shape, np.int64), np.zeros(s.contract_partner.shape, bool))
        for whole, part in zip(out, parts, strict=True):
            whole[rows] = part
        return out
    cancel = dire[..., None] & (s.hall_building > 0)

    rent = s.contract_price * s.contract_count * HOURS_PER_WEEK  # USD a week (B, L, K)
    cost = exits.sublet_cost(p, s)
    sublet = dire[..., None] & (s.contract_partner >= 0) & (cost <= c.sublet_cost_weeks * rent)
    sublet &= s.contract_end > s.week[:, None, None]  # a contract ending this week has nothing to save

    need = np.where(dire, money["burn"] * c.distress_cover_weeks - at_hand, 0.0)
    need = need + ops.total(cost * sublet)
    price = exits.used_price(p, s)[:, None, :]  # (B, 1, G)
    oldest = np.argsort(p.gpu_available_week, kind="stable")
    sell = np.zeros(s.warehouse.shape, np.int64)
    for stock in (s.warehouse, compute.owned_gpus(s) - s.warehouse):
        value = (stock * price)[..., oldest]
        before = np.cumsum(value, -1) - value
        take = np.clip(need[..., None] - before, 0.0, value)
        count = np.minimum(np.ceil(take / np.maximum(price[..., oldest], 1.0)), stock[..., oldest])
        sell[..., oldest] += count.astype(np.int64)
        need = need - ops.total(count * price[..., oldest])
    return cancel, sell, sublet


def _runs(
    p: Params,
    s: World,
    c: Any,
    k: dict[str, np.ndarray],
    split: np.ndarray,
    useful: np.ndarray,
    n_gpus: np.ndarray,
    error: np.ndarray,
    lag: np.ndarray,
) -> np.ndarray:
    """A new run (B, L) when none is training and the last finished pretraining at least
    `lag` weeks ago: the style's run length on the compute the lab has now, plus (as far
    as its `foresight` goes) the GPUs it knows will arrive during the run, if it would
    beat the lab's best model."""
    running = ops.anyof(s.run_phase == RUN_PRETRAIN)
    post = p.rules.training.post_training_weeks
    since = post - s.run_post_left.astype(np.int64)  # int16 in the state: widen before the sentinel
    in_post = ops.least(np.where(s.run_phase == RUN_POST, since, NOT_SINCE))  # weeks since it finished
    may = ~s.bankrupt & ~running & (in_post >= lag)
    if not np.count_nonzero(may):  # nobody could start a run this week
        return np.zeros(s.cash.shape)
    rate, _ = compute.training_rate(split[..., TRAIN] * useful, split[..., TRAIN] * n_gpus, p.rules.training)
    planned = rate * k["run_weeks"] * error
    if np.count_nonzero(k["foresight"] > 0):
        horizon = s.week[:, None, None] + k["run_weeks"][..., None]
        per_gpu = p.gpu_flops * p.gpu_mfu
        due = np.where(s.order_arrive <= horizon, s.order_count, 0).astype(np.float64)
        arriving = ops.einsum("blo,blo->bl", due, per_gpu[s.order_gpu])
        starting = (
            (s.contract_partner >= 0)
            & (s.contract_start > s.week[:, None, None])
            & (s.contract_start <= horizon)
        )
        soon = np.where(starting, s.contract_count, 0).astype(np.float64)
        arriving = arriving + ops.einsum("blk,blk->bl", soon, per_gpu[s.contract_gpu]) + s.warehouse @ per_gpu
        planned = planned * (1.0 + k["foresight"] * c.arrival_weight * arriving / np.maximum(useful, 1.0))
    beats = np.log10(np.maximum(planned, 1.0)) + s.software > s.best_model + c.release_margin_oom
    start = may & beats & (planned >= p.rules.training.min_run_flop)
    return np.where(start, planned, 0.0)
