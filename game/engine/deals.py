"""Partners and negotiation: one evaluation of offers for humans and AI players alike.

An offer (per lab, as arrays): partner, GPU type, count, start week, term, price per
GPU-hour, and optionally a site the lab wants the partner to build at; or, for a partner
that invests in labs, an investment for a share of revenue. The partner answers from its
own interest: its price (cost, margin, closeness to the lab, a little weekly noise), its
free capacity or how fast it can build, power at the named site, the lab's means against
its exposure, its patience, and the relationship. Answers: accept, counter (the terms it
would take), stall (a reason: not now) or reject.

`negotiate` applies the answers: accepted deals become contracts, patience and the
relationship move. The weekly step calls it with the AI's offers; the game calls it
between weeks for a person's offers (each is logged for replay).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from game.engine import compute, contracts, economy, limits, memo, ops, terms
from game.engine.actions import amount
from game.engine.contracts import exit_contracts as exit_contracts
from game.engine.contracts import exit_penalty as exit_penalty
from game.engine.contracts import slip_builds as slip_builds
from game.engine.params import HOURS_PER_WEEK, Params

State = Any

# answers
NONE, ACCEPT, COUNTER, STALL, REJECT = -1, 0, 1, 2, 3
ANSWERS = ("accept", "counter", "stall", "reject")

# reasons
OK = 0
NOT_OFFERED = 1
PATIENCE = 2
RELATIONSHIP = 3
BELOW_COST = 4
NO_POWER = 5
TOO_FAST = 6
NO_CAPACITY = 7
CREDIT = 8
PRICE = 9
NO_SLOT = 10
NOT_INVESTOR = 11
NO_MODEL = 12
SHARE = 13
NO_CONTRACT = 14
TOO_SOON = 15
CUSTOMER_LIMIT = 16  # the partner rents no more of this GPU to one customer (Answers.customer_cap)
UTILISATION = 17  # its pool is filling: the price rises past utilisation_knee (Answers.utilisation)
REASONS = (
    "ok",
    "not_offered",
    "patience",
    "relationship",
    "below_cost",
    "no_power",
    "too_fast",
    "no_capacity",
    "credit",
    "price",
    "no_slot",
    "not_investor",
    "no_model",
    "share",
    "no_contract",
    "too_soon",
    "customer_limit",
    "utilisation",
)


@attrs.frozen(eq=False)
class Answers:
    """Per lab (B, L): the answer and reason codes, and the terms a counter names."""

    answer: np.ndarray  # int: NONE where no offer was made
    reason: np.ndarray  # int
    count: np.ndarray  # countered (or accepted) terms
    start: np.ndarray
    weeks: np.ndarray
    price: np.ndarray
    share: np.ndarray  # for investment offers: the share of revenue asked
    invest: np.ndarray  # for investment offers: what the partner would put in (its cap in this market)
    required_price: np.ndarray  # what the partner asks per GPU-hour
    earliest_start: np.ndarray  # week it could deliver a build at a site (-1: not a site build)
    need_mw: np.ndarray  # MW the partner wants free at the named site (0 without one)
    free_mw: np.ndarray  # MW free at that site
    cost: np.ndarray  # the partner's cost per GPU-hour
    gpu: np.ndarray  # the GPU type the answer is about (an amended contract's own)
    contract: np.ndarray  # the contract slot an amendment names, -1 for a new contract
    customer_cap: np.ndarray  # the most of this GPU the partner rents one lab from its pool (0: a site build)
    utilisation: np.ndarray  # its pool's utilisation with the GPUs answered for (0: a site build)
    pool: np.ndarray  # the GPUs in that pool (0: a site build), for the words of a counter
    pool_partner: np.ndarray  # whose pool it is: the partner's own, or the one it resells

    @classmethod
    def none(cls, shape: tuple[int, ...]) -> Answers:
        """The answers of a week nobody made an offer (the types `evaluate` gives)."""
        whole = ("count", "start", "weeks", "earliest_start", "gpu", "customer_cap", "pool_partner")
        return cls(
            answer=np.full(shape, NONE, np.int64),
            reason=np.full(shape, OK, np.int64),
            contract=np.full(shape, -1, np.int64),
            **{
                f.name: np.zeros(shape, np.int64 if f.name in whole else np.float64)
                for f in attrs.fields(cls)
                if f.name not in ("answer", "reason", "contract")
            },
        )


def offered_investment(a: Any) -> np.ndarray:
    """The investment each lab asks for (B, L): NaN, negative or infinite asks are none."""
    return np.where(a.offer_invest == np.inf, 0.0, amount(a.offer_invest, limits.MAX_INVEST_USD))


@memo.derived
def site_free_mw(p: Params, s: State) -> np.ndarray:
    """Grid power at each site not held by labs or by partners' buildings (B, S)."""
    return np.maximum(s.grid_mw - ops.total(s.grid_alloc, 1) - compute.partner_site_mw(p, s), 0.0)


def pools(p: Params, s: State, row: np.ndarray, gpu: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every partner's free pool of GPU type `gpu` at week `row` (what outside customers and
    the labs do not hold), each lab's room in it under the partner's limit for one customer
    (less what the lab rents there) and that limit (max_customer_share of the pool): three
    (B, L, P) arrays, for (B, L) `row` and `gpu` (a lab's offer's). No state changes: `evaluate` reads
    it, and so does the deals form's 'all it has free' before an offer is made."""
    B, L = row.shape
    games = np.arange(B)[:, None]
    held = compute.partner_rented(p, s)  # (B, P, G)
    cap_all = p.partner_capacity[row, :, gpu]
    free_all = np.maximum(cap_all - compute.outside_held(p, cap_all) - held[games, :, gpu], 0.0)
    limit_all = np.floor(cap_all * p.partner_customer_share)
    room_all = np.maximum(limit_all - compute.lab_rented(p, s)[games, np.arange(L)[None, :], :, gpu], 0.0)
    return free_all, room_all, limit_all


# A rental's answer and reason by the first of evaluate's checks that holds (the reason of
# a counter is worked out per lab).
_RENTAL_ANSWERS = np.array([REJECT] * 5 + [STALL] * 7 + [COUNTER, ACCEPT], np.int64)
_RENTAL_REASONS = np.array(
    [NO_CONTRACT, NOT_OFFERED, PATIENCE, RELATIONSHIP, BELOW_COST, NO_SLOT, NO_POWER, TOO_FAST, CREDIT, CREDIT,
     CUSTOMER_LIMIT, NO_CAPACITY, -1, OK],
    np.int64,
)  # fmt: skip
_COUNTERED = 12


def evaluate(p: Params, s: State, a: Any) -> Answers:
    """The partners' answers to every lab's offer this week, without changing anything."""
    d = p.rules.deals
    B, L = s.cash.shape
    P, G = len(p.partner_ids), len(p.gpu_ids)
    made = (a.offer_partner >= 0) & ~s.bankrupt & ~s.done[:, None]
    partner = ops.clip(a.offer_partner, 0, P - 1)
    gpu = ops.clip(a.offer_gpu, 0, G - 1)
    count = ops.clip(a.offer_count, 0, limits.MAX_OFFER_GPUS).astype(np.int64)
    price = amount(a.offer_price, limits.MAX_PRICE_USD_HOUR)
    site = np.where(a.offer_site >= 0, ops.clip(a.offer_site, 0, len(p.site_ids) - 1), -1)
    invest = offered_investment(a)
    is_invest = made & (invest > 0)
    rental = made & ~is_invest

    # An amendment names one of the lab's contracts with this partner: it adds GPUs for
    # the rest of the term (count) and/or weeks to the term; GPU type and site are the
    # contract's own.
    amend_slot = getattr(a, "offer_contract", None)
    amend_slot = np.full((B, L), -1) if amend_slot is None else amend_slot
    K = s.contract_partner.shape[-1]
    k = ops.clip(amend_slot, 0, K - 1)
    c_partner = ops.pick(s.contract_partner, k)
    amend = rental & (amend_slot >= 0)
    no_contract = amend & ((amend_slot >= K) | (c_partner < 0) | (c_partner != a.offer_partner))
    c_count = np.where(amend, ops.pick(s.contract_count, k), 0).astype(np.int64)
    c_start = ops.pick(s.contract_start, k).astype(np.int64)
    c_end = ops.pick(s.contract_end, k).astype(np.int64)
    gpu = np.where(amend, ops.pick(s.contract_gpu, k), gpu).astype(np.int64)
    site = np.where(amend, ops.pick(s.contract_site, k), site).astype(np.int64)
    weeks = ops.clip(a.offer_weeks, np.where(amend, 0, 1), limits.MAX_TERM_WEEKS).astype(np.int64)
    start = ops.clip(
        np.maximum(a.offer_start, s.week[:, None]), None, s.week[:, None] + limits.MAX_TERM_WEEKS
    )
    start = start.astype(np.int64)
    start = np.where(amend, np.maximum(c_start, s.week[:, None]), start)
    # An amendment keeps its contract within the limits a contract has.
    count = np.where(amend, np.minimum(count, np.maximum(limits.MAX_GPUS - c_count, 0)), count)
    ahead = np.maximum(s.week[:, None] + limits.MAX_CONTRACT_AHEAD_WEEKS - c_end, 0)
    weeks = np.where(amend, np.minimum(weeks, ahead), weeks)
    remaining = np.where(amend, np.maximum(c_end - start, 0), 0)  # weeks the contract has left
    term = remaining + weeks  # weeks the added GPUs rent for

    patience = ops.pick(s.patience, partner)
    close = terms.closeness(p, s, partner)
    cost = terms.partner_cost(p, s, partner, gpu)
    listed = terms.list_price(p, s, partner, gpu)
    ask = terms.asking_price(p, s, partner, gpu, term)
    # A partner stands by its last counter (kept as a multiple of its list price).
    standing = ops.pick(s.last_counter, partner)
    ask = np.where(standing > 0, np.minimum(ask, np.maximum(standing * listed, cost)), ask)
    lead = start - s.week[:, None]

    # Capacity: the partner's free pool at the start week (what outside customers and the
    # labs do not hold; plus what it resells from its sources for a tied lab) and what it
    # can build by then; or, at a named site, only what it can build there, on the power
    # the site has free. From a pool, no lab gets more than the partner's limit for one
    # customer (max_customer_share of the pool); a larger need is a build to order.
    row = ops.clip(start, 0, p.last_week)
    free_all, room_all, limit_all = pools(p, s, row, gpu)
    own_free = ops.pick(free_all, partner)
    tied = p.partner_ties[partner, np.arange(L)[None, :]] > 0
    sources = p.partner_sources[partner]  # (B, L, P)
    source_free = ops.total(sources * free_all) * tied
    source_room = ops.total(sources * room_all) * tied
    unshared = np.maximum(own_free, source_free)  # before rivals' asks this week
    # Labs asking for the same pool in the same week share it in proportion to their
    # asks (a tied lab's ask to a reseller counts against the pool it resells too).
    at_site = site >= 0
    pooled = rental & ~at_site
    own_room = ops.pick(room_all, partner)
    own_ask = np.minimum(count, own_room)  # an ask past the limit competes for the limit only
    src_ask = np.minimum(count, source_room)
    asks = np.where(pooled, own_ask, 0).astype(np.float64)
    key = (np.arange(B)[:, None] * P + partner) * G + gpu
    demand = np.bincount(key.ravel(), weights=asks.ravel(), minlength=B * P * G).reshape(B, P, G)
    resale = np.where(pooled & tied, src_ask, 0).astype(np.float64)
    resold_demand = np.bincount(key.ravel(), weights=resale.ravel(), minlength=B * P * G).reshape(B, P, G)
    demand_on_pool = demand + ops.einsum("rq,brg->bqg", p.partner_sources.astype(np.float64), resold_demand)
    own_demand = demand[np.arange(B)[:, None], partner, gpu]
    src = p.partner_sources[partner].argmax(-1)
    src_demand = demand_on_pool[np.arange(B)[:, None], src, gpu]
    own_free = own_free * np.minimum(1.0, own_ask / np.maximum(own_demand, np.maximum(own_free, 1.0)))
    source_free = source_free * np.minimum(
        1.0, src_ask / np.maximum(src_demand, np.maximum(source_free, 1.0))
    )

    # A contract draws on one pool: the partner's own, or the one it resells.
    rate = np.maximum(terms.build_rate(p, partner, term), 1e-9)
    build = rate * lead
    available = np.where(
        at_site, build, np.maximum(np.minimum(own_free, own_room), np.minimum(source_free, source_room))
    )
    cut_by_limit = (
        ~at_site
        & (count > np.maximum(own_room, source_room))
        & (np.maximum(own_room, source_room) < unshared)
    )
    earliest = np.where(at_site, s.week[:, None] + np.ceil(count / rate), -1)
    need_mw = count * p.gpu_kw[gpu] / 1000.0 * p.partner_power_margin[partner]
    if np.count_nonzero(at_site):
        free_mw = ops.along(site_free_mw(p, s), np.maximum(site, 0))
    else:
        free_mw = np.zeros((B, L))
    # Labs asking for builds at the same site in the same week share its free power.
    asked_mw = np.where(rental & at_site, need_mw, 0.0)
    S = len(p.site_ids)
    site_key = (np.arange(B)[:, None] * S + np.maximum(site, 0)).ravel()
    site_need = np.bincount(site_key, weights=asked_mw.ravel(), minlength=B * S).reshape(B, S)
    all_need = ops.along(site_need, np.maximum(site, 0))
    power_short = at_site & (all_need > free_mw)

    # Credit: the partner's exposure (its own cost of the deal) against the lab's means.
    means = np.maximum(s.cash, 0) + economy.credit_headroom(p, s) + d.means_valuation_share * s.valuation
    limit = p.partner_risk[partner] * means * (1.0 + np.maximum(close, 0.0))
    per_gpu = np.maximum(cost, 1e-9) * HOURS_PER_WEEK * np.maximum(term, 1)
    extension = np.maximum(cost, 1e-9) * HOURS_PER_WEEK * c_count * weeks  # its own GPUs, for longer
    credit_count = np.floor(np.maximum(limit - extension, 0.0) / per_gpu)
    credit_count = np.where(amend & (count == 0) & (extension <= limit), 0, credit_count)

    slot_free = ops.anyof(s.contract_partner < 0) | amend
    offered = cost > 0
    counter_count = np.minimum(count, np.minimum(np.floor(available), credit_count)).astype(np.int64)
    enough = (counter_count >= np.maximum(d.min_counter_share * count, 1)) | (amend & (count == 0))
    cut_by_credit = credit_count < np.minimum(count, available)

    # Price: a pool filling past utilisation_knee asks more, for the whole deal (at the
    # utilisation it leaves the pool at); a build to order is priced as it is.
    # (of the pool the deal draws on: the partner's own, or the one it resells when its
    # own cannot serve the lab)
    adds = np.where(amend & (count == 0), 0, counter_count)
    resold = tied & ops.anyof(sources) & (np.minimum(own_free, own_room) < adds)
    pool_partner = np.where(resold, src, partner)
    used = terms.pool_utilisation(p, s, pool_partner, gpu, adds, row)
    utilisation = np.where(at_site, 0.0, used)
    base_ask = ask
    ask = np.maximum(ask * terms.utilisation_markup(p, utilisation), cost)

    # A rental's answer is the first of these that holds (the last always does): every
    # check side by side (B, L, n), the first true one by argmax, instead of a pass each.
    short = counter_count < count
    why_short = np.where(cut_by_credit, CREDIT, np.where(cut_by_limit, CUSTOMER_LIMIT, NO_CAPACITY))
    checks = (
        no_contract, ~offered, patience <= 0, close < d.worst_relationship, price < cost,  # rejected
        ~slot_free, power_short, at_site & (count > available), amend & (count == 0) & (extension > limit),
        ~enough & cut_by_credit, ~enough & cut_by_limit, ~enough,  # stalled
        (price < ask) | short, rental,  # countered, accepted
    )  # fmt: skip
    first = np.concatenate([c[..., None] for c in checks], -1).argmax(-1)  # (B, L)
    countered = np.where(short, why_short, np.where(price >= base_ask, UTILISATION, PRICE))
    answer = np.where(rental, _RENTAL_ANSWERS[first], NONE)
    reason = np.where(rental, np.where(first == _COUNTERED, countered, _RENTAL_REASONS[first]), OK)

    # Investment offers: the partner must invest in this lab, the lab must have a model,
    # and the share of revenue must pay for the money.
    offered_share = amount(a.offer_share, 1.0)
    if np.count_nonzero(is_invest):
        has_model = s.best_model > 0
        investor = p.partner_invests[partner, np.arange(L)[None, :]]
        granted, need_share = terms.investment(p, s, partner, invest)
        too_soon = s.week[:, None] - s.last_invest_week < p.partner_invest_every[partner]
        inv = np.full((B, L), NONE, np.int64)
        inv_reason = np.full((B, L), OK, np.int64)
        for mask, ans, why in (
            (~investor, REJECT, NOT_INVESTOR),
            (too_soon, REJECT, TOO_SOON),
            (patience <= 0, REJECT, PATIENCE),
            (close < d.worst_relationship, REJECT, RELATIONSHIP),
            (~has_model, STALL, NO_MODEL),
            ((offered_share < need_share - 1e-12) | (granted < invest), COUNTER, SHARE),
            (np.ones_like(made), ACCEPT, OK),
        ):
            pending = mask & (inv == NONE) & is_invest
            inv[pending] = ans
            inv_reason[pending] = why
        answer = np.where(is_invest, inv, answer)
        reason = np.where(is_invest, inv_reason, reason)
        share = np.where(is_invest, np.maximum(offered_share, need_share), 0.0)
        invested = np.where(is_invest, granted, 0.0)
    else:  # no investment asked: what the lines above give then
        share, invested = np.zeros((B, L)), np.zeros((B, L))

    return Answers(
        answer=answer,
        reason=reason,
        count=np.where(is_invest, 0, np.where(answer == COUNTER, counter_count, count)),
        start=start,
        weeks=weeks,
        price=np.where(is_invest, 0.0, np.maximum(price, ask)),
        share=share,
        invest=invested,
        required_price=ask,
        earliest_start=earliest.astype(np.int64),
        need_mw=np.where(at_site, need_mw, 0.0),
        free_mw=np.where(at_site, free_mw, 0.0),
        cost=cost,
        gpu=gpu,
        contract=np.where(amend, amend_slot, -1).astype(np.int64),
        customer_cap=np.where(at_site | is_invest, 0, ops.pick(limit_all, partner)).astype(np.int64),
        utilisation=np.where(is_invest, 0.0, utilisation),
        pool=np.where(at_site | is_invest, 0.0, p.partner_capacity[row, pool_partner, gpu]),
        pool_partner=pool_partner.astype(np.int64),
    )


def negotiate(p: Params, s: State, a: Any, ledger: economy.Ledger) -> Answers:
    """Answer every offer and apply the answers: sign accepted rentals, take accepted
    investments, spend patience, move relationships."""
    d = p.rules.deals
    B, L = s.cash.shape
    P = len(p.partner_ids)
    asking = ops.anyof((a.offer_partner >= 0) & ~s.bankrupt & ~s.done[:, None])  # (B,)
    if not np.count_nonzero(asking):
        return Answers.none((B, L))
    # Only the games with an offer are evaluated (the others' labs get the answer NONE, the
    # reason OK, as evaluate gives them; a game is answered the same alone or in any batch).
    ans = evaluate(p, s, a) if asking.all() else ops.some_games(evaluate, p, s, a, asking, Answers.none((B, L)))
    made = ans.answer != NONE
    partner = ops.clip(a.offer_partner, 0, P - 1)
    onehot = (np.arange(P) == partner[..., None]) & made[..., None]  # (B, L, P)
    is_invest = made & (offered_investment(a) > 0)

    # Patience and relationship.
    spent = made & (ans.answer != ACCEPT) & (ans.reason != TOO_SOON)  # "not yet" is not a round of talks
    s.patience = np.maximum(s.patience - onehot * spent[..., None], 0.0)
    price = amount(
        a.offer_price, limits.MAX_PRICE_USD_HOUR
    )  # read as the evaluation reads it (replays stay exact)
    lowball = made & ~is_invest & (ans.reason == BELOW_COST)
    pushing = made & ~is_invest & ~lowball & (price < d.push_threshold * ans.required_price)
    accepted = ans.answer == ACCEPT
    delta = np.where(lowball, -d.lowball_penalty, 0.0) + np.where(pushing, -d.push_penalty, 0.0)
    delta = delta + np.where(accepted, d.accept_bonus, 0.0) + np.where(accepted & is_invest, 0.1, 0.0)
    s.relationship = ops.clip(s.relationship + onehot * delta[..., None], -1.0, 1.0)
    countered = made & (ans.answer == COUNTER) & ~is_invest
    ratio = ans.price / np.maximum(terms.list_price(p, s, partner, ans.gpu), 1e-9)
    ratio = np.minimum(ratio, limits.MAX_COUNTER_RATIO)  # only ever lowers an ask it could not change
    ratio = ratio / terms.utilisation_markup(p, ans.utilisation)  # kept without the week's scarcity
    s.last_counter = np.where(onehot & countered[..., None], ratio[..., None], s.last_counter)
    s.last_counter = np.where(onehot & accepted[..., None], 0.0, s.last_counter)

    # Accepted investments.
    money = np.where(accepted & is_invest, offered_investment(a), 0.0)
    ledger.receive("investment", money)
    s.revenue_share = ops.clip(s.revenue_share + np.where(accepted & is_invest, ans.share, 0.0), 0.0, 0.9)
    s.last_invest_week = np.where(accepted & is_invest, s.week[:, None], s.last_invest_week)

    # Accepted amendments change their contract; other accepted rentals become contracts.
    sign = accepted & ~is_invest
    if not np.count_nonzero(sign):
        return ans
    amended = sign & (ans.contract >= 0)
    if np.count_nonzero(amended):
        contracts.amend(s, ans, amended)
    sign = sign & ~amended
    if not np.count_nonzero(sign):
        return ans
    gpu = ans.gpu
    site = np.where(a.offer_site >= 0, a.offer_site, -1)
    held = compute.partner_rented(p, s)
    row = ops.clip(ans.start, 0, p.last_week)
    own_cap = p.partner_capacity[row, partner, gpu]  # (B, L)
    own_free = np.maximum(own_cap - held[np.arange(B)[:, None], partner, gpu], 0.0)
    first_source = p.partner_sources[partner].argmax(-1)  # (B, L)
    has_source = p.partner_sources[partner].any(-1)
    source = np.where(site >= 0, -1, np.where((own_free >= ans.count) | ~has_source, partner, first_source))
    slot, has = compute.first_free_slot(s.contract_partner < 0)
    games, labs = ops.nonzero(sign & has)
    if not len(games):
        return ans
    slots = slot[games, labs]
    for name, value in (
        ("contract_partner", partner),
        ("contract_source", source),
        ("contract_site", site),
        ("contract_gpu", gpu),
        ("contract_count", ans.count),
        ("contract_price", ans.price),
        ("contract_start", ans.start),
        ("contract_end", ans.start + ans.weeks),
    ):
        field = getattr(s, name)
        field = field.astype(np.result_type(field, value))  # a copy: the state is never changed in place
        field[games, labs, slots] = value[games, labs]
        setattr(s, name, field)
    return ans


def recover(p: Params, s: State) -> None:
    """A week passes: each partner hears one more offer, old grudges fade, and extended
    contracts reaching their extension take its price."""
    contracts.reprice(s)
    s.patience = np.minimum(s.patience + 1.0, p.partner_patience)
    heal = p.rules.deals.relationship_recovery_per_week
    s.relationship = np.where(s.relationship < 0, np.minimum(s.relationship + heal, 0.0), s.relationship)
