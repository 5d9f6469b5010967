"""Money: users and revenue, running costs, funding rounds, debt, valuation, bankruptcy.

Cash only moves through `Ledger.pay` / `Ledger.receive`, which record each amount under
its flow name, so every week's change in cash equals the sum of its itemised flows.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from game.engine import codes, compute, limits, memo, ops, research, rng
from game.engine.actions import amount
from game.engine.compute import book_value, contract_active, power_draw
from game.engine.params import HOURS_PER_WEEK, WEEKS_PER_YEAR, Params
from game.engine.state import END_AGI

State = Any

# Every cash flow the ledger records: its id (what `Ledger.pay`/`receive` are called with)
# and the name a player reads for it. One table, so a flow can't exist without its name.
FLOW_NAMES: dict[str, str] = {
    "subscriptions": "subscriptions",
    "api": "API",
    "equity": "equity raised",
    "investment": "partner investment",
    "borrowed": "borrowed",
    "gpus": "GPUs bought",
    "halls": "halls built",
    "power_equipment": "turbines, substations",
    "electricity": "electricity",
    "rent": "GPU rent",
    "staff": "people",
    "hiring": "recruiting, severance",
    "interest": "interest",
    "partner_share": "revenue share",
    "exit_penalty": "exit penalties",
    "events": "events",
    "repaid": "debt repaid",
    "gpu_sales": "GPUs sold",
    "sublet": "sublet shortfall",
}
FLOWS = tuple(FLOW_NAMES)
FLOW_INDEX = {name: i for i, name in enumerate(FLOWS)}


class Ledger:
    """Itemised cash flows of one week, (B, L, len(FLOWS)), signed (+ in, - out)."""

    def __init__(self, s: State) -> None:
        self.s = s
        self.flows = np.zeros((*s.cash.shape, len(FLOWS)))

    def receive(self, kind: str, amount: np.ndarray) -> None:
        self.s.cash = self.s.cash + amount
        self.flows[..., FLOW_INDEX[kind]] += amount

    def pay(self, kind: str, amount: np.ndarray) -> None:
        self.s.cash = self.s.cash - amount
        self.flows[..., FLOW_INDEX[kind]] -= amount


def credit_headroom(p: Params, s: State) -> np.ndarray:
    """How much more a lab can borrow against its GPUs (B, L)."""
    limit = p.rules.finance.loan_to_value * book_value(p, s)
    return np.maximum(limit - s.debt, 0.0) * (~s.bankrupt)


@memo.derived
def leverage(p: Params, s: State) -> np.ndarray:
    """Debt over the book value of the lab's GPUs (B, L); 0 without debt."""
    book = book_value(p, s)
    return np.where(s.debt > 0, s.debt / np.maximum(book, 1.0), 0.0)


def in_breach(p: Params, s: State) -> np.ndarray:
    """Labs whose debt is over the covenant's share of their GPUs' value (B, L)."""
    return (s.debt > 0) & (leverage(p, s) > p.rules.finance.covenant_ltv) & ~s.bankrupt


def interest_rate(p: Params, s: State) -> np.ndarray:
    """The yearly rate each lab pays on its debt (B, L): a base rate plus a spread that
    grows with leverage, plus a penalty while a covenant is breached."""
    f = p.rules.finance
    rate = f.interest_rate + f.interest_per_leverage * np.minimum(leverage(p, s), 2.0)
    return rate + np.where(in_breach(p, s), f.covenant_penalty_rate, 0.0)


@memo.derived
def interest_per_week(p: Params, s: State) -> np.ndarray:
    return s.debt * interest_rate(p, s) / WEEKS_PER_YEAR


@memo.derived
def rent_per_week(s: State) -> np.ndarray:
    """USD a week of GPU rent (B, L)."""
    # (times the mask, not np.where's 0.0: a finite count times price, or a zero, summed
    # from 0.0: the same total, several times faster in a large batch)
    hours = s.contract_count * s.contract_price * contract_active(s)
    return ops.total(hours) * HOURS_PER_WEEK


@memo.derived
def electricity_per_week(p: Params, s: State) -> np.ndarray:
    grid, turbine = power_draw(p, s)
    usd = grid * p.site_power_usd_per_mwh + turbine * p.rules.finance.turbine_usd_per_mwh
    return ops.total(usd) * HOURS_PER_WEEK


@memo.derived
def building_per_week(p: Params, s: State) -> np.ndarray:
    """What the halls under construction cost this week (B, L): each site's weekly pace
    of its MW still to build, at its price (nothing at a paused site: exits.py)."""
    going = np.minimum(s.hall_building, p.site_build_mw_per_week) * ~s.hall_paused
    return ops.total(going * p.site_build_usd_per_mw)


def running_costs(p: Params, s: State) -> np.ndarray:
    """Weekly costs that recur whatever the lab decides (B, L): power, rent, people,
    interest. Halls under construction add to this while they are built (not while their
    site is paused: exits.py)."""
    interest = interest_per_week(p, s)
    building = building_per_week(p, s)
    total = electricity_per_week(p, s) + rent_per_week(s) + research.payroll(p, s) + interest + building
    return total * (~s.bankrupt)


def net_burn(p: Params, s: State) -> np.ndarray:
    """Cash out a week less cash in (B, L): running costs, less revenue after the
    investors' share of it (negative when the lab earns more than it spends)."""
    return running_costs(p, s) - s.revenue_fast * (1.0 - s.revenue_share)


def runway_weeks(p: Params, s: State) -> np.ndarray:
    """Weeks until cash (and credit) run out at this week's burn (B, L); inf if none."""
    burn = net_burn(p, s)
    money = np.maximum(s.cash, 0.0) + credit_headroom(p, s)
    return np.where(burn > 0, money / np.maximum(burn, 1e-9), np.inf)


# ----------------------------------------------------------------------- decisions
def borrow_and_repay(p: Params, s: State, a: Any, ledger: Ledger, refuse: Any, alive: np.ndarray) -> None:
    want = amount(a.borrow_usd, limits.MAX_ACTION_USD) * alive
    back = amount(a.repay_usd, limits.MAX_ACTION_USD) * alive
    if not np.count_nonzero(want > 0) and not np.count_nonzero(back > 0):
        return
    room = credit_headroom(p, s)
    refuse(want > room + 1e-6, codes.BORROW_LIMIT)
    got = np.minimum(want, room)
    ledger.receive("borrowed", got)
    s.debt = s.debt + got
    back = np.minimum(back, np.minimum(s.debt, np.maximum(s.cash, 0.0)))
    ledger.pay("repaid", back)
    s.debt = s.debt - back


def next_round_week(p: Params, s: State) -> np.ndarray:
    """The first week investors will hear each lab's next round (B, L): the cooldown after
    the last round started, and not before a round under way has closed."""
    cooled = s.last_raise_week.astype(np.int64) + p.rules.finance.raise_cooldown_weeks
    return np.where(s.round_usd > 0, np.maximum(cooled, s.round_close.astype(np.int64) + 1), cooled)


def round_ready(p: Params, s: State) -> np.ndarray:
    """Labs investors will hear this week (B, L)."""
    return (s.week[:, None] >= next_round_week(p, s)) & (s.round_usd <= 0) & ~s.bankrupt


def round_cap(p: Params, s: State) -> np.ndarray:
    """The most a round started this week can raise (B, L) (see `round_terms`)."""
    return round_terms(p, s).largest


def enforce_covenants(p: Params, s: State, ledger: Ledger) -> np.ndarray:
    """Lenders sweep cash from a lab in breach of its covenant until its debt is back
    within it: each week a share of its cash, at most the excess. Returns the labs in
    breach (B, L)."""
    f = p.rules.finance
    breach = in_breach(p, s)
    if not np.count_nonzero(breach):
        return breach
    excess = s.debt - f.covenant_ltv * book_value(p, s)
    sweep = np.where(breach, np.minimum(excess, np.maximum(s.cash, 0.0) * f.covenant_sweep), 0.0)
    ledger.pay("repaid", sweep)
    s.debt = s.debt - sweep
    return breach


@attrs.frozen(eq=False)
class RoundTerms:
    """What investors would offer each lab this week (B, L), before it asks."""

    ready: np.ndarray  # bool: no round under way and the cooldown has passed
    pre_money: np.ndarray  # USD
    largest: np.ndarray  # USD: the most they would put in
    down: np.ndarray  # bool: priced below the last round's post-money
    traction: np.ndarray  # multiplier on the round's size from revenue growth and momentum

    def close_weeks(self, p: Params, usd: np.ndarray) -> np.ndarray:
        """Weeks a round of `usd` takes to close (B, L)."""
        f = p.rules.finance
        return np.ceil(f.round_close_weeks + f.round_close_weeks_per_10b * np.asarray(usd) / 1e10).astype(
            np.int64
        )

    def cash_in_weeks(self, p: Params, usd: np.ndarray) -> np.ndarray:
        """Weeks from the week a round is asked for until its cash is in hand (B, L): it is
        agreed in this week's step and closes in the step `close_weeks` later."""
        return self.close_weeks(p, usd) + 1


def round_terms(p: Params, s: State) -> RoundTerms:
    """Investors' terms this week. They price the lab near its valuation (a weekly draw
    spreads it), at most `step_up_max` times the last round's post-money; a lab worth
    less than that gets a down round, at a discount. The round's size is a share of the
    pre-money scaled by traction (revenue growth and how far the value has moved since
    the last round), and at most what the market funds that week (`raise_max_usd`,
    growing each year up to `raise_max_usd_cap`, x mood)."""
    f = p.rules.finance
    z = rng.normal(rng.game_week(s), rng.FUNDING, (s.cash.shape[1],))
    fair = np.maximum(s.valuation * (1.0 + f.raise_noise * ops.clip(z, -2.5, 2.5)), 1.0)
    last = np.maximum(s.last_post, 1.0)
    down = fair < last
    pre = np.where(down, fair * (1.0 - f.down_round_discount), np.minimum(fair, last * f.step_up_max))
    growth = ops.clip(s.revenue_fast / np.maximum(s.revenue_slow, 1.0), 0.5, 2.0)
    momentum = ops.clip(fair / last, 0.25, 4.0)
    traction = ops.clip(np.sqrt(growth * momentum), f.traction_min, f.traction_max)
    market = p.round_market_usd[compute.week_row(p, s)] * s.mood  # (B,)
    largest = np.minimum(f.raise_max_fraction * traction * pre, market[:, None])
    return RoundTerms(round_ready(p, s), pre, np.where(s.bankrupt, 0.0, largest), down, traction)


def open_rounds(p: Params, s: State, a: Any, refuse: Any, alive: np.ndarray) -> np.ndarray:
    """Start the rounds labs ask for: the terms are fixed now, the money comes when the
    round closes (`close_rounds`). Returns the amount committed (B, L)."""
    ask = amount(a.raise_usd, limits.MAX_ACTION_USD) * alive
    asked = ask > 0
    if not np.count_nonzero(asked):
        return np.zeros(s.cash.shape)
    # The terms in the games where a lab asks (every value below is read where it asks).
    rows = np.flatnonzero(ops.anyof(asked))
    some = round_terms(p, s if len(rows) == len(asked) else ops.Games(s, rows))
    ready, largest, pre_money = np.zeros(asked.shape, bool), np.zeros(asked.shape), np.zeros(asked.shape)
    ready[rows], largest[rows], pre_money[rows] = some.ready, some.largest, some.pre_money
    refuse(asked & (s.round_usd > 0), codes.RAISE_UNDER_WAY)
    refuse(asked & ~ready & (s.round_usd <= 0), codes.RAISE_TOO_SOON)
    go = asked & ready
    size = np.where(go, np.minimum(ask, largest), 0.0)
    go = go & (size > 0)
    s.round_usd = np.where(go, size, s.round_usd)
    s.round_pre = np.where(go, pre_money, s.round_pre)
    s.round_basis = np.where(go, fundamental_value(p, s), s.round_basis)
    s.round_close = np.where(go, s.week[:, None] + some.close_weeks(p, size), s.round_close)
    s.last_raise_week = np.where(go, s.week[:, None], s.last_raise_week)
    return np.where(go, size, 0.0)


def diluted(share: Any, pre_money: Any, raised: Any) -> Any:
    """The founders' share after a round of `raised` at `pre_money` (arrays or floats)."""
    return share * pre_money / (pre_money + raised)


def close_rounds(
    p: Params, s: State, ledger: Ledger, alive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rounds due this week close: the cash comes in and dilutes the founders at the
    agreed pre-money. If the lab's value on its merits (`fundamental_value`) has fallen
    `round_walk_away` below what it was when the round was agreed, the investors walk
    away and nothing comes in. After a down round some
    researchers leave (their options sank). Returns (raised, down round, fell through)
    (B, L)."""
    due = (s.round_usd > 0) & (s.round_close <= s.week[:, None])
    none = np.zeros(s.cash.shape, bool)
    if not np.count_nonzero(due):
        return np.zeros(s.cash.shape), none, none
    f = p.rules.finance
    pre = np.maximum(s.round_pre, 1.0)
    walked = due & alive & (fundamental_value(p, s) < s.round_basis * (1.0 - f.round_walk_away))
    got = np.where(due & alive & ~walked, s.round_usd, 0.0)
    ledger.receive("equity", got)
    s.founder_share = np.where(got > 0, diluted(s.founder_share, pre, got), s.founder_share)
    down = (got > 0) & (pre < s.last_post)
    s.last_post = np.where(got > 0, pre + got, s.last_post)
    keep = np.where(down, 1.0 - f.down_round_attrition, 1.0).astype(np.float32)  # the fields' own type
    s.staff = s.staff * keep
    s.staff_ramped = s.staff_ramped * keep
    s.round_usd = np.where(due, 0.0, s.round_usd)
    s.round_pre = np.where(due, 0.0, s.round_pre)  # round_close keeps the week it closed
    s.round_basis = np.where(due, 0.0, s.round_basis)
    return got, down, walked


# ------------------------------------------------------------------- weekly order
def market(p: Params, s: State, inference_flops: np.ndarray) -> np.ndarray:
    """Grow the market and move users toward the labs with the best models and enough
    inference to serve them. Returns the served share of each lab's users (B, L)."""
    m = p.rules.market
    rate = np.log(m.users_growth_per_year) / WEEKS_PER_YEAR
    s.market_users = s.market_users * (1.0 + rate * (1.0 - s.market_users / m.users_max))

    need = s.users * m.inference_flops_per_user
    served = np.where(need > 0, ops.clip(inference_flops / np.maximum(need, 1e-9), 0.0, 1.0), 1.0)
    has_model = (s.best_model > 0) & ~s.bankrupt
    top = ops.most(np.where(has_model, s.best_model, -np.inf), -1, True)
    gap = np.where(has_model, s.best_model - np.where(np.isfinite(top), top, 0.0), 0.0)
    pull = p.lab_brand * np.exp(m.share_per_oom * gap) * served**m.service_exponent * has_model
    total = ops.total(pull, -1, True)
    target = np.where(total > 0, s.market_users[:, None] * pull / np.maximum(total, 1e-300), 0.0)
    s.users = s.users + m.share_speed_per_week * (target - s.users)
    return served


def revenue_run_rate(p: Params, users: np.ndarray, week: np.ndarray) -> np.ndarray:
    """Weekly revenue (B, L) that `users` (B, L) pay in `week` (B,), all of them served:
    subscriptions plus API and enterprise revenue per user."""
    f = p.rules.finance
    row = ops.clip(week, 0, p.last_week)
    per_user = (
        p.lab_paying_frac * p.lab_sub_price / f.weeks_per_month + p.lab_api_rate * p.api_growth[row][:, None]
    )
    return users * per_user


def operate(p: Params, s: State, served: np.ndarray, ledger: Ledger) -> np.ndarray:
    """A week of revenue and running costs. Returns revenue (B, L)."""
    f = p.rules.finance
    alive = ~s.bankrupt
    subs = s.users * p.lab_paying_frac * p.lab_sub_price / f.weeks_per_month * alive
    api = s.users * served * p.lab_api_rate * p.api_growth[compute.week_row(p, s)][:, None] * alive
    ledger.receive("subscriptions", subs)
    ledger.receive("api", api)
    ledger.pay("electricity", electricity_per_week(p, s) * alive)
    ledger.pay("rent", rent_per_week(s) * alive)
    ledger.pay("staff", research.payroll(p, s) * alive)
    ledger.pay("interest", interest_per_week(p, s) * alive)
    revenue = subs + api
    ledger.pay("partner_share", revenue * s.revenue_share)
    s.revenue_fast = s.revenue_fast + (revenue - s.revenue_fast) / 4.0
    s.revenue_slow = s.revenue_slow + (revenue - s.revenue_slow) / 26.0
    return revenue


def best_rival(best_model: np.ndarray) -> np.ndarray:
    """For each lab (B, L), the best released model of the other labs; -inf if none."""
    L = best_model.shape[1]
    best = np.where(best_model > 0, best_model, -np.inf)
    if L == 1:
        return np.full_like(best, -np.inf)
    leader = best.argmax(1)[:, None] == np.arange(L)  # (B, L): the first best
    top = ops.most(best, 1, True)
    second = ops.most(np.where(leader, -np.inf, best), 1, True)
    return np.where(leader, second, top)


def fundamental_value(p: Params, s: State) -> np.ndarray:
    """What investors think each lab is worth on its merits (B, L): revenue x a
    growth-adjusted multiple, plus the value of its best model (more for the leader, less
    the further a lab is behind it), times mood, plus net assets."""
    f = p.rules.finance
    has_model = s.best_model > 0
    others = best_rival(s.best_model)
    rival = np.where(np.isfinite(others), others, s.best_model - 1.0)
    lead = ops.clip(s.best_model - rival, -1.0, 1.0)
    standing = np.where(lead > 0, 1.0 + f.lead_premium * lead, np.exp(f.behind_discount_per_oom * lead))
    model_value = np.where(
        has_model,
        f.capability_value_usd
        * f.capability_value_per_oom ** (s.best_model - f.capability_value_ref)
        * standing,
        0.0,
    )
    growth = ops.clip(s.revenue_fast / np.maximum(s.revenue_slow, 1.0), 0.5, 2.0)
    revenue_value = f.revenue_multiple * growth * s.revenue_fast * WEEKS_PER_YEAR
    return s.mood[:, None] * (revenue_value + model_value) + s.cash - s.debt


def mark_valuation(p: Params, s: State) -> None:
    """A lab's valuation (B, L): its fundamental value, held up by the price of its last
    round while that is recent: never below the last post-money halved every
    `post_money_half_life_weeks` since that round closed."""
    f = p.rules.finance
    since = np.maximum(s.week[:, None] - s.round_close, 0)
    anchor = s.last_post * 0.5 ** (since / f.post_money_half_life_weeks)
    value = np.maximum(fundamental_value(p, s), anchor)
    s.valuation = np.where(s.bankrupt, 0.0, np.maximum(value, 1e6))


def settle(p: Params, s: State, ledger: Ledger) -> np.ndarray:
    """Cover a negative balance from the credit line; a lab still short is bankrupt.
    Returns the labs that went bankrupt this week (B, L)."""
    short = np.maximum(-s.cash, 0.0) * (~s.bankrupt)
    draw = np.minimum(short, credit_headroom(p, s))
    ledger.receive("borrowed", draw)
    s.debt = s.debt + draw
    broke = ~s.bankrupt & (s.cash < 0)
    s.bankrupt = s.bankrupt | broke
    return broke


SCORE_PARTS = ("AGI win", "weeks early", "your stake")  # score_parts' order


def early_points(p: Params, agi_week: Any) -> Any:
    """Points for reaching AGI in `agi_week` (arrays or ints): `early_share_of_win` of a
    win in proportion to the weeks of the game still left then."""
    r = p.rules.score
    left = np.maximum(p.last_week - np.asarray(agi_week), 0) / max(p.last_week, 1)
    return r.agi_win_points * r.early_share_of_win * left


def stake_points(p: Params, share: Any, value: Any) -> Any:
    """Points for owning `share` of a lab worth `value` USD (arrays or floats): in
    proportion to the share, at most `stake_share_of_win` of a win, with the value
    counted as v / (v + stake_value_ref_usd) (half the points at the reference)."""
    r = p.rules.score
    v = np.maximum(np.asarray(value, dtype=np.float64), 0.0)
    return r.agi_win_points * r.stake_share_of_win * np.asarray(share) * v / (v + r.stake_value_ref_usd)


def score_parts(p: Params, s: State) -> np.ndarray:
    """Points per lab by part (B, L, 3) (DESIGN 3.1), in SCORE_PARTS' order: a win by AGI
    scores `agi_win_points`, plus up to a third of that for how early it came
    (`early_points`); every lab not bankrupt adds its founders' stake (`stake_points`).
    The win outweighs the other parts together, so winning is the point."""
    r = p.rules.score
    L = s.cash.shape[1]
    won_by_agi = (s.end_reason[:, None] == END_AGI) & (s.winner[:, None] == np.arange(L))
    win = np.where(won_by_agi, r.agi_win_points, 0.0)
    weeks = np.where(won_by_agi, early_points(p, s.agi_week)[:, None], 0.0)
    stake = np.where(s.bankrupt, 0.0, stake_points(p, s.founder_share, s.valuation))
    return np.stack([win, weeks, stake], axis=-1)


def score(p: Params, s: State) -> np.ndarray:
    """Points per lab (B, L): the sum of its score_parts."""
    return ops.total(score_parts(p, s))
