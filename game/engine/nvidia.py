"""NVIDIA's side of the market: the week's row in the weekly tables, when each GPU type
goes on sale (its launch plus any slip), its price (list x the quarter's demand factor x
the older-generation factor) and the quarter's supply left.

Functions take `s`, the World or the step's working copy of it, as compute's do.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import memo, ops
from game.engine.params import Params

State = Any


def week_row(p: Params, s: State) -> np.ndarray:
    """Row index into the weekly tables for each game (B,)."""
    return ops.clip(s.week, 0, p.last_week)


def older_factor_at(p: Params, on_sale: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Each GPU type's price factor (B, G) in week `row` (B,), the weeks the types go on
    sale being `on_sale` (B, G): older_gen_price_factor per newer generation on sale."""
    return p.older_gen_pows[(row[:, None] >= on_sale).astype(np.int64) @ p.gpu_newer_gen.T.astype(np.int64)]


@memo.derived
def older_factor(p: Params, s: State) -> np.ndarray:
    """This week's older-generation factor on prices, rents and collateral (B, G)."""
    return older_factor_at(p, on_sale_week(p, s), week_row(p, s))


def unit_price(p: Params, s: State, mult: np.ndarray | None = None) -> np.ndarray:
    """NVIDIA's price per GPU this week (B, G): list x demand (`mult`, default the
    state's) x older-generation factor."""
    mult = s.price_mult if mult is None else mult
    return p.gpu_price[None, :] * mult * older_factor(p, s)


def week_price_mult(p: Params, s: State) -> tuple[np.ndarray, np.ndarray]:
    """Whether the week being played starts a quarter (B, 1), and NVIDIA's demand factor
    on its price for that week (B, 1): at a new quarter it follows last quarter's demand
    (requests over supply), within 1 and the most NVIDIA charges; otherwise it stays. A
    preview at the start of a week reads it as the week's step will set it."""
    row = week_row(p, s)
    prev = ops.clip(s.week - 1, 0, p.last_week)
    new_quarter = (p.quarter[row] != p.quarter[prev])[:, None]
    supply_prev = p.supply_per_quarter[prev]
    pressure = np.where(supply_prev > 0, s.nvidia_requested / np.maximum(supply_prev, 1.0), 1.0)
    nv = p.catalog.nvidia
    target_mult = ops.clip(1.0 + nv.price_demand_slope * (pressure - 1.0), 1.0, nv.max_price_factor)
    return new_quarter, np.where(new_quarter, target_mult, s.price_mult)


def on_sale_week(p: Params, s: State) -> np.ndarray:
    """The first week each GPU type can be ordered (B, G): its launch plus any slip."""
    return p.gpu_available_week[None, :] + s.gpu_delay


def on_sale(p: Params, s: State) -> np.ndarray:
    """GPU types that can be ordered this week (B, G)."""
    return s.week[:, None] >= on_sale_week(p, s)


def supply_left(p: Params, s: State) -> np.ndarray:
    """GPUs NVIDIA can still ship this quarter, by type (B, G)."""
    return np.maximum(p.supply_per_quarter[week_row(p, s)] - s.nvidia_ordered, 0.0)
