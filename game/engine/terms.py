"""What partners ask for their GPUs: list prices that fall with each newer generation,
discounts for a long commitment and a close relationship, the week's small moves, and
how fast a partner builds at a lab's site. The deals' evaluation (deals.py) and the AI
(procurement.py) both read these; the rule lives here once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import compute, ops, rng
from game.engine.params import Params

State = Any


def list_price(p: Params, s: State, partner: np.ndarray, gpu: np.ndarray) -> np.ndarray:
    """A partner's list price per GPU-hour this week (B, L): its price for the GPU, lower
    for each newer generation that has shipped (NVIDIA's older-generation factor, P5)."""
    return p.partner_price[partner, gpu] * ops.along(compute.older_factor(p, s), gpu)


def partner_cost(p: Params, s: State, partner: np.ndarray, gpu: np.ndarray) -> np.ndarray:
    """A partner's cost per GPU-hour this week (B, L), falling with its list price."""
    return p.partner_cost[partner, gpu] * ops.along(compute.older_factor(p, s), gpu)


def term_discount(p: Params, weeks: np.ndarray) -> np.ndarray:
    """The share off the list price a partner gives for a longer commitment (B, L)."""
    d = p.rules.deals
    years = np.asarray(weeks) / 52.0
    return d.long_term_discount * ops.clip((years - 1.0) / max(d.long_term_years - 1.0, 1e-9), 0.0, 1.0)


def build_rate(p: Params, partner: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """GPUs a week a partner builds at a lab's site for a deal of this term (B, L): a
    longer commitment finances a faster build (Stargate-style)."""
    years = np.maximum(np.asarray(weeks) / 52.0, 1.0)
    return p.partner_build[partner] * (1.0 + p.rules.deals.build_speed_per_year * (years - 1.0))


def investment(
    p: Params, s: State, partner: np.ndarray, asked: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """What a partner would put into each lab this week (B, L) for what share of the lab's
    revenue: the amount asked (or, by default, the most), up to its cap in this market
    (cap x mood); the share pays for the money at the lab's value (M8's terms). Zero for
    a lab the partner does not invest in."""
    labs = np.arange(s.cash.shape[1])[None, :]
    cap = p.partner_invest_max[partner] * s.mood[:, None] * p.partner_invests[partner, labs]
    granted = cap if asked is None else np.minimum(asked, cap)
    share = p.partner_invest_factor[partner] * granted / np.maximum(s.valuation + granted, 1.0)
    return granted, ops.clip(share, 0.0, 0.9)


def investment_open(p: Params, s: State, partner: np.ndarray) -> np.ndarray:
    """Whether each lab may ask the partner to invest this week and be heard (B, L): the
    partner invests in it, its last investment was long enough ago, the lab has a model,
    and the partner still has patience and the relationship holds (deals.evaluate's
    rules; it says which failed)."""
    labs = np.arange(s.cash.shape[1])[None, :]
    due = s.week[:, None] - s.last_invest_week >= p.partner_invest_every[partner]
    patient = ops.pick(s.patience, partner) > 0
    listens = closeness(p, s, partner) >= p.rules.deals.worst_relationship
    return p.partner_invests[partner, labs] & due & (s.best_model > 0) & patient & listens


def asking_price(
    p: Params, s: State, partner: np.ndarray, gpu: np.ndarray, weeks: np.ndarray | None = None
) -> np.ndarray:
    """What each partner asks a lab per GPU-hour this week (B, L): list price, less a
    discount for a close partner and for a long term, moved by a small weekly draw;
    never below cost."""
    d = p.rules.deals
    B, L = s.cash.shape
    close = closeness(p, s, partner)
    noise = rng.uniform(rng.game_week(s), rng.DEALS, (L, len(p.partner_ids)))
    draw = ops.pick(noise, partner)
    long_term = 0.0 if weeks is None else term_discount(p, weeks)
    ask = (
        list_price(p, s, partner, gpu)
        * (1 - d.relationship_discount * close)
        * (1 - long_term)
        * (1 + d.price_noise * (2 * draw - 1))
    )
    return np.maximum(ask, partner_cost(p, s, partner, gpu) * 1.01)


def closeness(p: Params, s: State, partner: np.ndarray) -> np.ndarray:
    """How close each lab is to the partner it names (B, L): the relationship plus the
    partner's ties to the lab, -1 to 1."""
    rel = ops.pick(s.relationship, partner)
    ties = p.partner_ties[partner, np.arange(s.cash.shape[1])[None, :]]
    return ops.clip(rel + ties, -1.0, 1.0)


def pool_utilisation(
    p: Params, s: State, partner: np.ndarray, gpu: np.ndarray, count: np.ndarray, row: np.ndarray
) -> np.ndarray:
    """How much of a partner's pool of a GPU type would be spoken for with `count` more
    rented from it (B, L), 0 to 1: what the labs and outside customers hold, at week row
    `row` (B, L). A pool of nothing is full."""
    cap = p.partner_capacity[row, partner, gpu]
    held = compute.partner_rented(p, s)[np.arange(s.cash.shape[0])[:, None], partner, gpu]
    used = held + compute.outside_held(p, cap) + np.maximum(count, 0)
    return np.where(cap > 0, ops.clip(used / np.maximum(cap, 1e-9), 0.0, 1.0), 1.0)


def utilisation_markup(p: Params, utilisation: np.ndarray) -> np.ndarray:
    """The factor on a partner's price at a utilisation of its pool: 1 up to
    `utilisation_knee`, rising in a straight line to 1 + `utilisation_premium` when the
    pool is full (never lower for a fuller pool)."""
    d = p.rules.deals
    over = (np.asarray(utilisation, np.float64) - d.utilisation_knee) / max(1.0 - d.utilisation_knee, 1e-9)
    return 1.0 + d.utilisation_premium * ops.clip(over, 0.0, 1.0)
