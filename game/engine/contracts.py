"""Rental contracts once signed: amendments (more GPUs, more weeks), the later price an
extension brings, leaving early and builds that slip.

An amendment prices what it adds, never what is already owed. GPUs added for the rest
of the term are billed at the agreed price beside the old ones: the contract's price
per GPU-hour becomes the count-weighted mean of the two, so every week's bill is the old
bill plus the new GPUs'. Weeks added at the end are billed at the agreed price from the
week the old term ended (`contract_later_price` from `contract_reprice`): the weeks
before keep their price. Extending a contract that already has a later price blends
the two later prices over the weeks they cover, weighted by GPU-hours (the sum owed for
those weeks is the sum of both agreements); the weeks before the first extension are
untouched.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from game.engine import economy, ops, rng
from game.engine.params import HOURS_PER_WEEK, Params
from game.engine.state import EMPTY_CONTRACT

State = Any


@attrs.frozen
class Amended:
    """A contract's terms once an amendment is signed (arrays of one shape): its GPUs, its
    end, its price now, and its later price from `reprice` (-1: none)."""

    count: np.ndarray
    end: np.ndarray
    price: np.ndarray
    later_price: np.ndarray
    reprice: np.ndarray


def amended_terms(
    count: ArrayLike, price: ArrayLike, end: ArrayLike, reprice: ArrayLike, later: ArrayLike,
    start: ArrayLike, added: ArrayLike, more: ArrayLike, agreed: ArrayLike,
) -> Amended:  # fmt: skip
    """The module's rule for one amendment or many (any shape; no state changes): a
    contract of `count` GPUs at `price` to `end`, with a later price `later` from
    `reprice` (-1: none), starting `start`, gains `added` GPUs for the rest of its term and
    `more` weeks at its end, at `agreed` per GPU-hour for what they add. `amend` applies
    it; the review of an amendment quotes it."""
    old = np.asarray(count, np.float64)
    price, later = np.asarray(price, np.float64), np.asarray(later, np.float64)
    end, reprice = np.asarray(end, np.int64), np.asarray(reprice, np.int64)
    added, more = np.asarray(added, np.float64), np.asarray(more, np.int64)
    agreed, start = np.asarray(agreed, np.float64), np.asarray(start, np.int64)
    total = np.maximum(old + added, 1.0)
    now_price = (old * price + added * agreed) / total
    pending = (reprice >= 0) & (reprice < end)
    # The later weeks: a pending later price (old GPUs at `later`, new ones at `agreed`,
    # from `reprice` to `end`) and the weeks added (all at `agreed`), blended by GPU-hours.
    span = np.maximum(end - np.maximum(reprice, start), 0).astype(np.float64)
    pending_later = (old * later + added * agreed) / total
    blended = (pending_later * span + agreed * more) / np.maximum(span + more, 1e-9)
    new_later = np.where(pending, blended, agreed)
    new_reprice = np.where(pending, reprice, np.where(more > 0, end, -1))
    return Amended(
        count=old + added,
        end=end + more,
        price=now_price,
        later_price=np.where(new_reprice >= 0, new_later, 0.0),
        reprice=new_reprice,
    )


def amend(s: State, ans: Any, amended: np.ndarray) -> None:
    """Apply accepted amendments (`amended` (B, L); `ans` the deals' answers): the
    contract gains `ans.count` GPUs for the rest of its term and `ans.weeks` weeks at its
    end, at `ans.price` for what they add (`amended_terms`)."""
    games, labs = ops.nonzero(amended)
    slots = ans.contract[games, labs]
    at = (games, labs, slots)
    terms = amended_terms(
        s.contract_count[at], s.contract_price[at], s.contract_end[at], s.contract_reprice[at],
        s.contract_later_price[at], ans.start[games, labs], ans.count[games, labs],
        ans.weeks[games, labs], ans.price[games, labs],
    )  # fmt: skip
    updates = (
        ("contract_count", s.contract_count[at] + ans.count[games, labs]),
        ("contract_end", terms.end),
        ("contract_price", terms.price),
        ("contract_later_price", terms.later_price),
        ("contract_reprice", terms.reprice),
    )
    for name, value in updates:
        field = getattr(s, name).copy()
        field[at] = value
        setattr(s, name, field)


def rent_between(
    count: ArrayLike, price: ArrayLike, later: ArrayLike, reprice: ArrayLike, start: ArrayLike,
    end: ArrayLike, week: ArrayLike,
) -> np.ndarray:  # fmt: skip
    """What a contract still bills from `week` to its `end` (any shape): the weeks at its
    price, then those at its later price from `reprice` (-1: none)."""
    count, reprice, end = np.asarray(count), np.asarray(reprice), np.asarray(end)
    now = np.maximum(start, week)
    switch = np.where(reprice >= 0, np.clip(reprice, now, end), end)
    before = np.maximum(switch - now, 0) * np.asarray(price)
    after = np.maximum(end - np.maximum(switch, now), 0) * np.asarray(later)
    return count * (before + after) * HOURS_PER_WEEK


def reprice(s: State) -> None:
    """Contracts whose later price starts this week take it."""
    due = (
        (s.contract_reprice >= 0) & (s.contract_reprice <= s.week[:, None, None]) & (s.contract_partner >= 0)
    )
    if not np.count_nonzero(due):
        return
    s.contract_price = np.where(due, s.contract_later_price, s.contract_price)
    s.contract_later_price = np.where(due, 0.0, s.contract_later_price)
    s.contract_reprice = np.where(due, -1, s.contract_reprice)


def rent_left(s: State) -> np.ndarray:
    """What each contract still bills from this week to its end (B, L, K): the weeks at
    its price, then those at its later price."""
    owed = rent_between(
        s.contract_count, s.contract_price, s.contract_later_price, s.contract_reprice,
        s.contract_start, s.contract_end, s.week[:, None, None],
    )  # fmt: skip
    return np.where(s.contract_partner >= 0, owed, 0.0)


def exit_penalty(p: Params, s: State) -> np.ndarray:
    """What leaving each contract this week would cost (B, L, K): the partner's share of
    the rent still to come."""
    partner = np.maximum(s.contract_partner, 0)
    return np.where(s.contract_partner >= 0, p.partner_exit_penalty[partner] * rent_left(s), 0.0)


def exit_contracts(p: Params, s: State, leave: np.ndarray, ledger: economy.Ledger) -> np.ndarray:
    """Leave contracts early (`leave` (B, L, K): the slots to leave), paying the
    partner's penalty on the value left. Returns the penalty paid (B, L)."""
    pick = leave & (s.contract_partner >= 0) & ~s.bankrupt[..., None]
    if not np.count_nonzero(pick):
        return np.zeros(s.cash.shape)
    partner = np.maximum(s.contract_partner, 0)
    paid = ops.total(exit_penalty(p, s) * pick)
    ledger.pay("exit_penalty", paid)
    P = len(p.partner_ids)
    hurt = (np.arange(P) == partner[..., None]) & pick[..., None]  # (B, L, K, P)
    s.relationship = ops.clip(
        s.relationship - p.rules.deals.exit_relationship_penalty * ops.anyof(hurt, 2), -1.0, 1.0
    )
    for name, empty in EMPTY_CONTRACT.items():
        setattr(s, name, np.where(pick, empty, getattr(s, name)))
    return paid


def slip_builds(p: Params, s: State) -> np.ndarray:
    """Deals built to order at a site slip now and then before they start. Returns the
    slipped contracts (B, L, K)."""
    d = p.rules.deals
    K = s.contract_partner.shape[-1]
    waiting = (s.contract_partner >= 0) & (s.contract_site >= 0) & (s.contract_start > s.week[:, None, None])
    if not np.count_nonzero(waiting):
        return waiting
    # Only the waiting builds' draws (rng.uniform_at: the numbers of the full (L, K) table).
    games, labs, slots = ops.nonzero(waiting)
    u = rng.uniform_at(rng.game_week(s), rng.DEALS + 100, games, labs * K + slots)
    slip = np.zeros(waiting.shape, bool)
    slip[games, labs, slots] = u < d.slip_probability_per_week
    s.contract_start = s.contract_start + slip * d.slip_weeks
    s.contract_end = s.contract_end + slip * d.slip_weeks
    s.contract_reprice = np.where(s.contract_reprice >= 0, s.contract_reprice + slip * d.slip_weeks, -1)
    return slip
