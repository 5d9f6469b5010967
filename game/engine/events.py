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

from game.catalog import EventCard
from game.engine import compute, economy, rng
from game.engine.params import Params

State = Any


def lab_fields(p: Params, s: State, needed: set[str] | None = None) -> dict[str, np.ndarray]:
    """The quantities card conditions read, per lab (B, L); only the `needed` ones are
    computed (all of them by default)."""
    B, L = s.cash.shape

    def lead() -> np.ndarray:
        best = np.where(s.best_model > 0, s.best_model, -np.inf)
        rival = economy.best_rival(s.best_model)
        both = np.isfinite(rival) & np.isfinite(best)
        return np.where(both, np.nan_to_num(best) - np.nan_to_num(rival), 0.0)

    fields = {
        "best_model": lambda: s.best_model,
        "software": lambda: s.software,
        "cash": lambda: s.cash,
        "users": lambda: s.users,
        "valuation": lambda: s.valuation,
        "debt": lambda: s.debt,
        "gpus": lambda: compute.fleet(p, s).sum(-1),
        "turbine_mw": lambda: s.turbine_mw.sum(-1),
        "lead": lead,
        "share": lambda: s.users / np.maximum(s.users.sum(1, keepdims=True), 1.0),
        "runway_weeks": lambda: np.minimum(economy.runway_weeks(p, s), 1e6),
        "mood": lambda: np.broadcast_to(s.mood[:, None], (B, L)),
        "market_users": lambda: np.broadcast_to(s.market_users[:, None], (B, L)),
    }
    return {name: make() for name, make in fields.items() if needed is None or name in needed}


def _eligible(p: Params, s: State, card: EventCard, c: int, fields: dict[str, np.ndarray]) -> np.ndarray:
    B, L = s.cash.shape
    ok = np.ones((B, L), bool)
    week = s.week[:, None]
    ok &= week >= p.event_start[c]
    ok &= week <= p.event_until[c]
    ok &= p.event_labs[c][None, :]
    for cond in card.when:
        if cond.field == "turbine_mw" and cond.site:
            value = s.turbine_mw[..., p.site_ids.index(cond.site)]
        else:
            value = fields[cond.field]
        ok &= (value >= cond.value) if cond.op == ">=" else (value <= cond.value)
    return ok


def eligible(p: Params, s: State) -> np.ndarray:
    """Where each card's window, labs and conditions hold (B, L, C), judged on the state
    the week starts from (what the players saw)."""
    cards = p.catalog.events
    if not cards:
        return np.zeros((*s.cash.shape, 0), bool)
    needed = {
        cond.field for card in cards for cond in card.when if not (cond.field == "turbine_mw" and cond.site)
    }
    fields = lab_fields(p, s, needed)
    return np.stack([_eligible(p, s, card, c, fields) for c, card in enumerate(cards)], axis=-1)


def apply(
    p: Params, s: State, alive: np.ndarray, ledger: economy.Ledger, ok_at_start: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw and apply every card where `ok_at_start` (from `eligible`) holds. Returns
    fired (B, L, C) bool, the first effect's value (B, L, C), and GPUs destroyed
    (B, L, G)."""
    B, L = s.cash.shape
    cards = p.catalog.events
    C = len(cards)
    fired = np.zeros((B, L, C), bool)
    values = np.zeros((B, L, C))
    lost = np.zeros(s.warehouse.shape, np.int64)
    if C == 0:
        return fired, values, lost
    draw = rng.uniform(s.seed, s.game, s.week, rng.EVENTS, (L, C))
    last = s.event_last.copy()
    running = ~s.done[:, None]
    for c, card in enumerate(cards):
        ok = ok_at_start[..., c]
        ready = (s.week[:, None] - last[..., c]) >= p.event_cooldown[c]
        if card.scope == "game":  # one draw per game (lab 0's lane), for every lab
            fire = np.broadcast_to(
                ok[:, :1] & ready[:, :1] & (draw[:, :1, c] < card.probability) & running, (B, L)
            )
        else:
            fire = ok & ready & alive & (draw[..., c] < card.probability)
        if not fire.any():
            continue
        fired[..., c] = fire
        last[..., c] = np.where(fire, s.week[:, None], last[..., c])
        # Sizes are drawn only for cards that fired somewhere; each card has its own
        # stream, so a game's draws never depend on the rest of the batch.
        size = rng.uniform(s.seed, s.game, s.week, rng.EVENT_SIZES + c, (L, len(card.effects)))
        for e, effect in enumerate(card.effects):
            value = effect.low + (effect.high - effect.low) * size[:, :, e]
            if effect.what in ("gpu_delay", "outage", "substation_delay"):
                value = np.round(value)
            if e == 0:
                values[..., c] = np.where(fire, value, 0.0)
            if card.scope == "game":
                _apply_game(p, s, effect, fire[:, 0], value[:, 0])
            else:
                lost += _apply_lab(p, s, effect, fire, value, ledger)
    s.event_last = last
    return fired, values, lost


def _apply_lab(
    p: Params, s: State, effect: Any, fire: np.ndarray, value: np.ndarray, ledger: economy.Ledger
) -> np.ndarray:
    lost = np.zeros(s.warehouse.shape, np.int64)
    what = effect.what
    if what == "cash":
        ledger.receive("events", np.where(fire, value, 0.0))
    elif what == "users":
        s.users = np.where(fire, s.users * value, s.users)
    elif what == "software":
        s.software = np.where(fire, s.software + value, s.software)
    elif what == "staff":
        s.staff_usd_week = np.where(fire, s.staff_usd_week * value, s.staff_usd_week)
    elif what == "runs":
        from game.engine.state import RUN_PRETRAIN

        hit = fire[..., None] & (s.run_phase == RUN_PRETRAIN)
        s.run_done = np.where(hit, s.run_done * value[..., None], s.run_done)
    elif what == "installed":
        keep = np.floor(s.installed * value[..., None, None]).astype(np.int64)
        if effect.site:
            at = np.arange(s.installed.shape[2]) == p.site_ids.index(effect.site)
            keep = np.where(at[None, None, :, None], keep, s.installed)
        keep = np.where(fire[..., None, None], keep, s.installed)
        lost = (s.installed - keep).sum(2)
        s.installed = keep
    elif what == "turbines":
        site = p.site_ids.index(effect.site)
        scale = np.where(fire, value, 1.0)
        s.turbine_mw = s.turbine_mw.copy()
        s.turbine_mw[..., site] = s.turbine_mw[..., site] * scale
    elif what == "relationship":
        k = p.partner_ids.index(effect.partner)
        rel = s.relationship.copy()
        rel[..., k] = np.clip(np.where(fire, rel[..., k] + value, rel[..., k]), -1.0, 1.0)
        s.relationship = rel
    return lost


def _apply_game(p: Params, s: State, effect: Any, fire: np.ndarray, value: np.ndarray) -> None:
    what = effect.what
    if what == "mood":
        s.mood = np.where(fire, s.mood * value, s.mood)
    elif what == "market_users":
        s.market_users = np.where(fire, s.market_users * value, s.market_users)
    elif what == "price":
        g = p.gpu_ids.index(effect.gpu)
        nv = p.catalog.nvidia
        mult = s.price_mult.copy()
        mult[:, g] = np.where(fire, np.clip(mult[:, g] * value, 0.1, nv.max_price_factor * 2), mult[:, g])
        s.price_mult = mult
    elif what == "supply":
        g = p.gpu_ids.index(effect.gpu)
        supply = p.supply_per_quarter[compute.week_row(p, s), g]
        taken = s.nvidia_ordered.copy()
        taken[:, g] = np.where(fire, np.minimum(taken[:, g] + value * supply, supply), taken[:, g])
        s.nvidia_ordered = taken
    elif what == "gpu_delay":
        g = p.gpu_ids.index(effect.gpu)
        delay = s.gpu_delay.copy()
        delay[:, g] = np.where(fire, delay[:, g] + value.astype(np.int64), delay[:, g])
        s.gpu_delay = delay
    elif what == "outage":
        site = p.site_ids.index(effect.site)
        out = s.outage_left.copy()
        out[:, site] = np.where(fire, np.maximum(out[:, site], value.astype(np.int64)), out[:, site])
        s.outage_left = out
    elif what == "grid":
        site = p.site_ids.index(effect.site)
        grid = s.grid_mw.copy()
        grid[:, site] = np.where(
            fire, np.clip(grid[:, site] + value, 0.0, p.site_grid_max[site]), grid[:, site]
        )
        s.grid_mw = grid
    elif what == "substation_delay":
        site = p.site_ids.index(effect.site)
        left = s.substation_left.copy()
        busy = left[:, site] > 0
        left[:, site] = np.where(fire & busy, left[:, site] + value.astype(np.int64), left[:, site])
        s.substation_left = left
