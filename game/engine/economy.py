"""Money: users and revenue, running costs, funding rounds, debt, valuation, bankruptcy.

Cash only moves through `Ledger.pay` / `Ledger.receive`, which record each amount under
its flow name, so every week's change in cash equals the sum of its itemised flows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import codes, rng
from game.engine.actions import amount
from game.engine.compute import book_value, contract_active, power_draw
from game.engine.params import HOURS_PER_WEEK, WEEKS_PER_YEAR, Params
from game.engine.state import END_AGI

State = Any

FLOWS = (
    "subscriptions",
    "api",
    "equity",
    "investment",
    "borrowed",
    "gpus",
    "halls",
    "power_equipment",
    "electricity",
    "rent",
    "staff",
    "interest",
    "partner_share",
    "exit_penalty",
    "events",
    "repaid",
)
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


def rent_per_week(s: State) -> np.ndarray:
    """USD a week of GPU rent (B, L)."""
    hours = np.where(contract_active(s), s.contract_count * s.contract_price, 0.0)
    return hours.sum(-1) * HOURS_PER_WEEK


def electricity_per_week(p: Params, s: State) -> np.ndarray:
    grid, turbine = power_draw(p, s)
    usd = grid * p.site_power_usd_per_mwh + turbine * p.rules.finance.turbine_usd_per_mwh
    return usd.sum(-1) * HOURS_PER_WEEK


def running_costs(p: Params, s: State) -> np.ndarray:
    """Weekly costs that recur whatever the lab decides (B, L): power, rent, people,
    interest. Halls under construction add to this while they are built."""
    interest = s.debt * p.rules.finance.interest_rate / WEEKS_PER_YEAR
    building = (np.minimum(s.hall_building, p.site_build_mw_per_week) * p.site_build_usd_per_mw).sum(-1)
    total = electricity_per_week(p, s) + rent_per_week(s) + s.staff_usd_week + interest + building
    return total * (~s.bankrupt)


def runway_weeks(p: Params, s: State) -> np.ndarray:
    """Weeks until cash (and credit) run out at this week's burn (B, L); inf if none."""
    burn = running_costs(p, s) - s.revenue_fast
    money = np.maximum(s.cash, 0.0) + credit_headroom(p, s)
    return np.where(burn > 0, money / np.maximum(burn, 1e-9), np.inf)


# ----------------------------------------------------------------------- decisions
def borrow_and_repay(p: Params, s: State, a: Any, ledger: Ledger, refuse: Any, alive: np.ndarray) -> None:
    want = amount(a.borrow_usd, 1e15) * alive
    back = amount(a.repay_usd, 1e15) * alive
    if not (want > 0).any() and not (back > 0).any():
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
    """The first week investors will hear each lab's next round (B, L)."""
    return s.last_raise_week.astype(np.int64) + p.rules.finance.raise_cooldown_weeks


def round_ready(p: Params, s: State) -> np.ndarray:
    """Labs investors will hear this week (B, L)."""
    return s.week[:, None] >= next_round_week(p, s)


def round_cap(p: Params, s: State, pre_money: np.ndarray | None = None) -> np.ndarray:
    """The most a round can raise (B, L): a share of the pre-money valuation (today's
    valuation if none is given), and no more than the market can fund in its mood."""
    f = p.rules.finance
    pre = s.valuation if pre_money is None else pre_money
    return np.minimum(f.raise_max_fraction * pre, f.raise_max_usd * s.mood[:, None])


def raise_rounds(p: Params, s: State, a: Any, ledger: Ledger, refuse: Any, alive: np.ndarray) -> np.ndarray:
    """Funding rounds. Investors set the pre-money near the lab's valuation (a draw
    spreads it); a round is capped at `raise_max_fraction` of it and at what the
    market can fund (`raise_max_usd` x mood), and dilutes the founders. Returns the amount raised (B, L)."""
    f = p.rules.finance
    ask = amount(a.raise_usd, 1e15) * alive
    asked = ask > 0
    if not asked.any():
        return np.zeros(s.cash.shape)
    refuse(asked & ~round_ready(p, s), codes.RAISE_TOO_SOON)
    go = asked & round_ready(p, s)
    z = rng.normal(rng.game_week(s), rng.FUNDING, (s.cash.shape[1],))
    pre = np.maximum(s.valuation * (1.0 + f.raise_noise * np.clip(z, -2.5, 2.5)), 1.0)
    cap = round_cap(p, s, pre)
    raised = np.where(go, np.minimum(ask, cap), 0.0)
    ledger.receive("equity", raised)
    s.founder_share = np.where(go, s.founder_share * pre / (pre + raised), s.founder_share)
    s.valuation = np.where(go, pre + raised, s.valuation)
    s.last_raise_week = np.where(go, s.week[:, None], s.last_raise_week)
    return raised


# ------------------------------------------------------------------- weekly order
def market(p: Params, s: State, inference_flops: np.ndarray) -> np.ndarray:
    """Grow the market and move users toward the labs with the best models and enough
    inference to serve them. Returns the served share of each lab's users (B, L)."""
    m = p.rules.market
    rate = np.log(m.users_growth_per_year) / WEEKS_PER_YEAR
    s.market_users = s.market_users * (1.0 + rate * (1.0 - s.market_users / m.users_max))

    need = s.users * m.inference_flops_per_user
    served = np.where(need > 0, np.clip(inference_flops / np.maximum(need, 1e-9), 0.0, 1.0), 1.0)
    has_model = (s.best_model > 0) & ~s.bankrupt
    top = np.where(has_model, s.best_model, -np.inf).max(-1, keepdims=True)
    gap = np.where(has_model, s.best_model - np.where(np.isfinite(top), top, 0.0), 0.0)
    pull = p.lab_brand * np.exp(m.share_per_oom * gap) * served**m.service_exponent * has_model
    total = pull.sum(-1, keepdims=True)
    target = np.where(total > 0, s.market_users[:, None] * pull / np.maximum(total, 1e-300), 0.0)
    s.users = s.users + m.share_speed_per_week * (target - s.users)
    return served


def operate(p: Params, s: State, served: np.ndarray, ledger: Ledger) -> np.ndarray:
    """A week of revenue and running costs. Returns revenue (B, L)."""
    f = p.rules.finance
    alive = ~s.bankrupt
    subs = s.users * p.lab_paying_frac * p.lab_sub_price / f.weeks_per_month * alive
    api = s.users * served * p.lab_api_rate * alive
    ledger.receive("subscriptions", subs)
    ledger.receive("api", api)
    ledger.pay("electricity", electricity_per_week(p, s) * alive)
    ledger.pay("rent", rent_per_week(s) * alive)
    ledger.pay("staff", np.maximum(s.staff_usd_week, 0.0) * alive)
    ledger.pay("interest", s.debt * f.interest_rate / WEEKS_PER_YEAR * alive)
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
    top2 = np.sort(best, axis=1)[:, -2:]  # (B, 2): second best, best
    leader = np.argmax(best, axis=1)[:, None] == np.arange(L)
    return np.where(leader, top2[:, :1], top2[:, 1:])


def mark_valuation(p: Params, s: State) -> None:
    """What investors think each lab is worth: revenue x a growth-adjusted multiple, plus
    the value of its best model (more for the leader), plus net assets; times mood."""
    f = p.rules.finance
    has_model = s.best_model > 0
    others = best_rival(s.best_model)
    rival = np.where(np.isfinite(others), others, s.best_model - 1.0)
    lead = np.clip(s.best_model - rival, 0.0, 1.0)
    model_value = np.where(
        has_model,
        f.capability_value_usd
        * f.capability_value_per_oom ** (s.best_model - f.capability_value_ref)
        * (1.0 + f.lead_premium * lead),
        0.0,
    )
    growth = np.clip(s.revenue_fast / np.maximum(s.revenue_slow, 1.0), 0.5, 2.0)
    revenue_value = f.revenue_multiple * growth * s.revenue_fast * WEEKS_PER_YEAR
    value = s.mood[:, None] * (revenue_value + model_value) + s.cash - s.debt
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


def score_parts(p: Params, s: State) -> np.ndarray:
    """Points per lab by part (B, L, 3) (DESIGN 3.1): a win by AGI scores `agi_win_points`,
    plus `points_per_week_early` for every week it came before the last week; every lab
    not bankrupt adds `points_per_billion_owned` per $1B of its founders' stake (share x
    valuation)."""
    r = p.rules.score
    L = s.cash.shape[1]
    won_by_agi = (s.end_reason[:, None] == END_AGI) & (s.winner[:, None] == np.arange(L))
    early = np.maximum(p.last_week - s.agi_week, 0)[:, None]
    win = np.where(won_by_agi, r.agi_win_points, 0.0)
    weeks = np.where(won_by_agi, r.points_per_week_early * early, 0.0)
    stake = np.where(s.bankrupt, 0.0, s.founder_share * s.valuation / 1e9 * r.points_per_billion_owned)
    return np.stack([win, weeks, stake], axis=-1)


def score(p: Params, s: State) -> np.ndarray:
    """Points per lab (B, L): the sum of its score_parts."""
    return score_parts(p, s).sum(-1)
