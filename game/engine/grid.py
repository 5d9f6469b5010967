"""The grid: substation upgrades are claims on a site's power, paid with a deposit, won
by a seeded draw when labs ask in the same week, and lapsing when no hall draws on them.

A lab that pays for an upgrade claims the MW it adds (grid_alloc), and pays a deposit
of `claim_deposit_usd_per_mw` for every MW of it on top of the upgrade's price. The
deposit is held against the part of the lab's grid claim at the site its halls do not
draw on (halls built or under construction, beyond the lab's turbines); as halls draw on
the claim the deposit comes back. A claim of which part goes unused for
`claim_lapse_weeks` weeks in a row loses that part: the MW go back to the site for any
lab's halls, and the deposit held for them is forfeit. Labs asking for an upgrade at the
same site in the same week get one lot each; a seeded draw picks the one that builds
(never the order of the labs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import codes, ops, rng
from game.engine.params import Params

State = Any

GRID_DRAW = rng.DEALS + 200  # the stream of the draw between labs asking for one upgrade


def substation_cost(p: Params) -> np.ndarray:
    """What one substation upgrade costs at each site (S,), deposit aside."""
    return p.site_substation_mw * p.site_substation_usd_per_mw


def substation_gain(p: Params, grid_mw: np.ndarray) -> np.ndarray:
    """The grid MW an upgrade adds at each site (..., S): its step, up to the site's
    grid maximum."""
    return np.minimum(p.site_substation_mw, p.site_grid_max - grid_mw)


def claim_deposit(p: Params, mw: np.ndarray) -> np.ndarray:
    """The deposit a claim of `mw` MW of grid costs (refunded as halls draw on it)."""
    return np.maximum(np.asarray(mw, np.float64), 0.0) * p.rules.grid.claim_deposit_usd_per_mw


def claim_cost(p: Params, grid_mw: np.ndarray) -> np.ndarray:
    """What a lab pays to order an upgrade at each site now (..., S): the upgrade and the
    deposit on the MW it claims."""
    return substation_cost(p) + claim_deposit(p, substation_gain(p, grid_mw))


def order_substations(p: Params, s: State, want: np.ndarray, pay: Any, refuse: Any) -> None:
    """Start the upgrades asked for (`want` (B, L, S)) at idle sites: among the labs that
    ask and can pay, a seeded draw picks the one that builds and claims it."""
    L = want.shape[1]
    idle = (s.substation_left == 0) & (s.grid_mw < p.site_grid_max - 1e-9)  # (B, S)
    cost = claim_cost(p, s.grid_mw)  # (B, S)
    can_pay = s.cash[..., None] >= cost[:, None, :]
    refuse(ops.anyof(want & ~can_pay), codes.NO_CASH)
    bidding = want & can_pay & idle[:, None, :]
    if not np.count_nonzero(bidding):  # no upgrade starts (most weeks): only the refusals
        refuse(ops.anyof(want & can_pay), codes.SUBSTATION_BUSY)
        s.grid_deposit = s.grid_deposit + 0.0  # what adding no deposit gives (a -0.0 becomes 0.0)
        return
    # The draw between bidders, only in the games with one (a game draws the same numbers
    # in any batch); elsewhere nobody bids and the payer is lab 0, as an argmax gives.
    rows = np.flatnonzero(bidding.any((1, 2)))
    draw = rng.uniform(rng.game_week(s)[rows], GRID_DRAW, (L, want.shape[2]))  # (n, L, S)
    payer = np.zeros(s.grid_mw.shape, np.int64)  # (B, S)
    payer[rows] = np.where(bidding[rows], draw, -1.0).argmax(1)
    started = ops.anyof(bidding, 1)
    start = started[:, None, :] & (np.arange(L)[None, :, None] == payer[:, None, :])
    refuse(ops.anyof(want & can_pay & ~start), codes.SUBSTATION_BUSY)
    deposit = start * claim_deposit(p, substation_gain(p, s.grid_mw))[:, None, :]
    pay("power_equipment", ops.total(start * substation_cost(p)) + ops.total(deposit))
    s.grid_deposit = s.grid_deposit + deposit
    s.substation_left = np.where(started, p.site_substation_weeks, s.substation_left)
    s.substation_payer = np.where(started, payer, s.substation_payer)


def unused_claim(s: State) -> np.ndarray:
    """MW of each lab's grid claim at each site (B, L, S) that no hall of its draws on:
    halls built or under construction, beyond what its turbines power."""
    need = np.maximum(s.hall_mw + s.hall_building - s.turbine_mw, 0.0)
    return np.maximum(s.grid_alloc - need, 0.0)


def pending_claim(p: Params, s: State) -> np.ndarray:
    """MW each lab will claim when the upgrade it paid for lands (B, L, S)."""
    L = s.grid_alloc.shape[1]
    mine = (s.substation_payer[:, None, :] == np.arange(L)[None, :, None]) & (s.substation_left > 0)[
        :, None, :
    ]
    return mine * substation_gain(p, s.grid_mw)[:, None, :]


def lapse_claims(p: Params, s: State, pay: Any) -> np.ndarray:
    """A week of claims: deposits come back as halls draw on the claim; a claim unused
    (in part) for `claim_lapse_weeks` weeks in a row loses the unused part and its
    deposit. Returns the MW that lapsed (B, L, S)."""
    g = p.rules.grid
    unused = unused_claim(s)
    idle = np.where(unused > 1e-6, s.grid_idle + 1, 0)
    lapse = idle >= g.claim_lapse_weeks
    held = np.minimum(s.grid_deposit, claim_deposit(p, unused + pending_claim(p, s)))
    refund = np.where(lapse, 0.0, s.grid_deposit - held)
    pay("power_equipment", -ops.total(refund) * (~s.bankrupt))
    lapsed = np.where(lapse, unused, 0.0)
    s.grid_alloc = s.grid_alloc - lapsed
    s.grid_deposit = np.where(lapse, np.maximum(held - claim_deposit(p, unused), 0.0), held)
    s.grid_idle = np.where(lapse, 0, idle)
    return lapsed
