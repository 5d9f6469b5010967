"""The events deck (assets/events.toml), applied to whole batches with masks.

Each week every card draws once per lab (lab cards) or once per game (game cards); it
fires where its date window, labs and conditions hold, its cooldown has run out and the
draw is under its weekly probability. Its effects act on the state arrays where it
fired. The report records which cards fired for which lab and the size of their first
effect, so the game can tell the story with numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import compute, economy, limits, ops, rng
from game.engine.params import Params
from game.engine.state import RUN_PRETRAIN

State = Any


def lab_fields(p: Params, s: State, needed: set[str] | None = None) -> dict[str, np.ndarray]:
    """The quantities card conditions read, per lab (B, L); only the `needed` ones are
    computed (all of them by default)."""
    B, L = s.cash.shape

    def lead() -> np.ndarray:
        best = np.where(s.best_model > 0, s.best_model, -np.inf)
        rival = economy.best_rival(s.best_model)
        both = np.isfinite(rival) & np.isfinite(best)
        return np.where(both, best, 0.0) - np.where(both, rival, 0.0)  # 0 where either is none

    fields = {
        "best_model": lambda: s.best_model,
        "software": lambda: s.software,
        "cash": lambda: s.cash,
        "users": lambda: s.users,
        "valuation": lambda: s.valuation,
        "debt": lambda: s.debt,
        "gpus": lambda: ops.total(compute.fleet(p, s)),
        "turbine_mw": lambda: ops.total(s.turbine_mw),
        "lead": lead,
        "share": lambda: s.users / np.maximum(ops.total(s.users, 1, True), 1.0),
        "runway_weeks": lambda: np.minimum(economy.runway_weeks(p, s), 1e6),
        "runs_training": lambda: ops.total(s.run_phase == RUN_PRETRAIN),
        "owned_gpus": lambda: ops.total(compute.owned_gpus(s)),
        "rented_gpus": lambda: ops.einsum(
            "blk->bl", s.contract_count * compute.contract_active(s)  # (np.where(active, count, 0))
        ),
        "staff": lambda: s.staff,
        "mood": lambda: s.mood[:, None].repeat(L, 1),  # (a C method; np.broadcast_to has Python layers)
        "market_users": lambda: s.market_users[:, None].repeat(L, 1),
    }
    return {name: make() for name, make in fields.items() if needed is None or name in needed}


def eligible(p: Params, s: State) -> np.ndarray:
    """Where each card's window, labs and conditions hold (B, L, C), judged on the state
    the week starts from (what the players saw). The quantities the cards read are
    compared with every card's bounds at once (Params.event_low ... event_no_high)."""
    B, L = s.cash.shape
    week = s.week[:, None]
    window = (week >= p.event_start) & (week <= p.event_until)  # (B, C)
    ok = window[:, None, :] & np.ascontiguousarray(p.event_labs.T)  # (a transposed view broadcasts slowly)
    if ok.shape[-1] == 0:
        return ok
    if not p.event_bounds or not np.count_nonzero(ok):  # no card can fire: no condition to read
        return ok
    needed = {field for field, site, _, _ in p.event_bounds if site < 0}
    fields = lab_fields(p, s, needed)
    # The quantity each bound reads, side by side (B, L, n), against every bound at once (a
    # high bound as -value >= -high: exact, and false for NaN as value <= high is); a card
    # holds where all of its bounds do.
    quantities = [_at_site(s, f, site, L) if site >= 0 else fields[f] for f, site, _, _ in p.event_bounds]
    value = np.stack([quantities[i] for i in p.event_bound_row.tolist()], -1)
    holds = value * p.event_bound_sign >= p.event_bound_limit  # (B, L, n)
    first, second = _card_bounds(p)
    if first is None:  # a card with more than two bounds: count them
        return ok & (holds.astype(np.float64) @ p.event_bound_card == p.event_bound_count)
    # Each card's (at most two) bounds, column n holding for a card without one.
    held = np.concatenate([holds, np.ones((*holds.shape[:2], 1), bool)], -1)
    return ok & held[..., first] & held[..., second]


_bounds: tuple[Any, Any] = (None, (None, None))  # the last bound-to-card table, each card's bound rows


def _card_bounds(p: Params) -> tuple[Any, Any]:
    """Each card's first and second bound rows (C,), n where it has fewer; (None, None)
    if a card has more than two."""
    global _bounds
    card = p.event_bound_card  # (n, C) 0/1
    last = _bounds
    if last[0] is card:
        return last[1]
    n, C = card.shape
    rows = [np.flatnonzero(card[:, c] > 0).tolist() for c in range(C)]
    if any(len(r) > 2 for r in rows):
        found: tuple[Any, Any] = (None, None)
    else:
        found = (np.array([(r + [n, n])[0] for r in rows]), np.array([(r + [n, n])[1] for r in rows]))
    _bounds = (card, found)
    return found


def _at_site(s: State, field: str, site: int, labs: int) -> np.ndarray:
    """A site field's value for each lab (B, L): its turbines there, or the weeks left of
    the substation work there (the same for every lab)."""
    if field == "turbine_mw":
        return s.turbine_mw[..., site]
    return s.substation_left[:, site, None].repeat(labs, 1)


def apply(
    p: Params, s: State, alive: np.ndarray, ledger: economy.Ledger, ok_at_start: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw and apply every card where `ok_at_start` (from `eligible`) holds. Returns
    fired (B, L, C) bool, the first effect's value (B, L, C), and GPUs destroyed
    (B, L, G).

    Only the draws a card could act on are computed (rng.uniform_at gives the same
    numbers as the full table), and effects touch only the games where a card fired."""
    B, L = s.cash.shape
    cards = p.catalog.events
    C = len(cards)
    fired = np.zeros((B, L, C), bool)
    values = np.zeros((B, L, C))
    lost = np.zeros(s.warehouse.shape, np.int64)
    if C == 0:
        return fired, values, lost
    could = ok_at_start & (s.event_last <= s.week[:, None, None] - p.event_cooldown)
    # A lab card draws on its lab's lane; a game card once per game, on lab 0's lane.
    b, lab, c = ops.nonzero(could & alive[..., None] & ~p.event_game)
    gb, gc = ops.nonzero(could[:, 0, :] & ~s.done[:, None] & p.event_game)
    if len(b) + len(gb):
        u = rng.uniform_at(
            rng.game_week(s), rng.EVENTS, np.concatenate([b, gb]), np.concatenate([lab * C + c, gc])
        )
        hit = u < p.event_probability[np.concatenate([c, gc])]
        n = len(b)
        fired[b[hit[:n]], lab[hit[:n]], c[hit[:n]]] = True
        fired[gb[hit[n:]], :, gc[hit[n:]]] = True
    if not (len(b) + len(gb)) or not np.count_nonzero(fired):  # no card fired: nothing changes
        return fired, values, lost
    last = s.event_last.copy()  # (the week written where a card fired: no (B, L, C) where and cast)
    at = ops.nonzero(fired)
    last[at] = s.week[at[0]]
    s.event_last = last
    # Effect sizes only for the games where a card fired, all in one draw: (card, game)
    # pairs grouped by card, each with its L x E lanes on the card's own stream, so a
    # game's draws never depend on the rest of the batch.
    card_of, game_of = ops.nonzero(ops.anyof(fired, 1).T)
    lanes_of = L * p.event_effects[card_of]
    first = np.cumsum(lanes_of) - lanes_of
    pair = np.repeat(np.arange(len(card_of)), lanes_of)
    sizes = rng.uniform_at(
        rng.game_week(s),
        rng.EVENT_SIZES + card_of[pair],
        game_of[pair],
        np.arange(len(pair)) - first[pair],
    )
    bounds = np.searchsorted(card_of, np.arange(C + 1))
    for c in np.unique(card_of):
        card = cards[c]
        lo, hi = bounds[c], bounds[c + 1]
        rows = game_of[lo:hi]
        fire = fired[rows, :, c]  # (n, L)
        E = len(card.effects)
        size = sizes[first[lo] : first[lo] + (hi - lo) * L * E].reshape(hi - lo, L, E)
        for e, effect in enumerate(card.effects):
            value = effect.low + (effect.high - effect.low) * size[:, :, e]
            if effect.what in ("gpu_delay", "outage", "substation_delay"):
                value = np.round(value)
            if card.scope == "game":  # one value for the game, lab 0's draw (n, 1): it broadcasts
                value = value[:, :1]
            if e == 0:
                values[rows, :, c] = np.where(fire, value, 0.0)
            if card.scope == "game":
                _apply_game(p, s, effect, rows, value[:, 0])
            else:
                _apply_lab(p, s, effect, rows, fire, value, ledger, lost)
    return fired, values, lost


def _scatter(full: np.ndarray, rows: np.ndarray, part: np.ndarray) -> np.ndarray:
    """A copy of `full` with `part` in place of `full[rows]` (the state is never changed
    in place)."""
    out = full.copy()
    out[rows] = part
    return out


def _apply_lab(
    p: Params,
    s: State,
    effect: Any,
    rows: np.ndarray,
    fire: np.ndarray,
    value: np.ndarray,
    ledger: economy.Ledger,
    lost: np.ndarray,
) -> None:
    """One effect of a lab card on the games `rows`, for the labs where `fire` (n, L)."""
    what = effect.what
    if what == "cash":
        cash = np.zeros(s.cash.shape)
        cash[rows] = np.where(fire, value, 0.0)
        ledger.receive("events", cash)
    elif what == "users":
        s.users = _scatter(s.users, rows, np.where(fire, s.users[rows] * value, s.users[rows]))
    elif what == "software":
        moved = ops.clip(s.software[rows] + value, -limits.MAX_SOFTWARE, limits.MAX_SOFTWARE)
        s.software = _scatter(s.software, rows, np.where(fire, moved, s.software[rows]))
    elif what == "staff":  # researchers join or leave (to and from the pool)
        staff, ramped = s.staff[rows], s.staff_ramped[rows]
        s.staff = _scatter(s.staff, rows, np.where(fire, staff * value, staff))
        s.staff_ramped = _scatter(
            s.staff_ramped, rows, np.where(fire, np.minimum(ramped * value, s.staff[rows]), ramped)
        )
    elif what == "runs":
        done = s.run_done[rows]
        hit = fire[..., None] & (s.run_phase[rows] == RUN_PRETRAIN)
        s.run_done = _scatter(s.run_done, rows, np.where(hit, done * value[..., None], done))
    elif what == "installed":
        before = s.installed[rows]
        keep = np.floor(before * value[..., None, None]).astype(before.dtype)
        if effect.site:
            at = np.arange(before.shape[2]) == p.site_ids.index(effect.site)
            keep = np.where(at[None, None, :, None], keep, before)
        keep = np.where(fire[..., None, None], keep, before)
        lost[rows] += ops.total(before - keep, 2)
        s.installed = _scatter(s.installed, rows, keep)
    elif what == "turbines":
        site = p.site_ids.index(effect.site)
        turbine = s.turbine_mw.copy()
        turbine[rows, :, site] = turbine[rows, :, site] * np.where(fire, value, 1.0)
        s.turbine_mw = turbine
    elif what == "rented":  # a partner cannot deliver part of what it rents out
        hit = fire[..., None] & (s.contract_partner[rows] >= 0)
        if effect.partner:
            hit &= s.contract_partner[rows] == p.partner_ids.index(effect.partner)
        count = s.contract_count[rows]
        kept = np.where(hit, np.floor(count * value[..., None]), count).astype(count.dtype)
        s.contract_count = _scatter(s.contract_count, rows, kept)
    elif what == "relationship":
        k = p.partner_ids.index(effect.partner)
        rel = s.relationship.copy()
        rel[rows, :, k] = ops.clip(np.where(fire, rel[rows, :, k] + value, rel[rows, :, k]), -1.0, 1.0)
        s.relationship = rel


def _apply_game(p: Params, s: State, effect: Any, rows: np.ndarray, value: np.ndarray) -> None:
    """One effect of a game card on the games `rows` (n,), where it fired."""
    what = effect.what
    if what == "mood":
        s.mood = _scatter(s.mood, rows, s.mood[rows] * value)
    elif what == "market_users":
        s.market_users = _scatter(s.market_users, rows, s.market_users[rows] * value)
    elif what == "price":
        g = p.gpu_ids.index(effect.gpu)
        mult = s.price_mult.copy()
        mult[rows, g] = ops.clip(mult[rows, g] * value, 0.1, p.catalog.nvidia.max_price_factor * 2)
        s.price_mult = mult
    elif what == "supply":
        g = p.gpu_ids.index(effect.gpu)
        supply = p.supply_per_quarter[compute.week_row(p, s)[rows], g]
        taken = s.nvidia_ordered.copy()
        taken[rows, g] = np.minimum(taken[rows, g] + value * supply, supply)
        s.nvidia_ordered = taken
    elif what == "gpu_delay":
        g = p.gpu_ids.index(effect.gpu)
        delay = s.gpu_delay.copy()
        delay[rows, g] = delay[rows, g] + value.astype(delay.dtype)
        s.gpu_delay = delay
    elif what == "outage":
        site = p.site_ids.index(effect.site)
        out = s.outage_left.copy()
        out[rows, site] = np.maximum(out[rows, site], value.astype(out.dtype))
        s.outage_left = out
    elif what == "grid":
        site = p.site_ids.index(effect.site)
        grid = s.grid_mw.copy()
        grid[rows, site] = ops.clip(grid[rows, site] + value, 0.0, p.site_grid_max[site])
        s.grid_mw = grid
    elif what == "substation_delay":
        site = p.site_ids.index(effect.site)
        left = s.substation_left.copy()
        busy = left[rows, site] > 0
        left[rows, site] = np.where(busy, left[rows, site] + value.astype(left.dtype), left[rows, site])
        s.substation_left = left
