"""Ways out of a commitment: stop or pause a hall under construction, sell GPUs on the
used market, sublet rented capacity. Part of the week's decisions (turn.decide), before
the week's orders, so what a sale brings in can pay for them.

- Halls are paid as they are built (compute.build_out), so cancelling the MW still under
  construction refunds nothing already spent (the MW built so far stay, as halls) and
  saves everything not yet built. A paused site keeps its progress and builds nothing,
  and pays nothing, until it is resumed.
- A GPU sells at `used_price`: today's price of its type (NVIDIA's list, its demand
  factor and the older-generation factor), lower with the years since the type launched
  (finance.gpu_depreciation_per_year, floored at exits.used_age_floor), less the dealer's
  spread (exits.used_spread). A lab owns no record of when it bought each GPU: the age
  is the type's. GPUs in the warehouse go first, then installed ones, sites in order.
- A sublet hands a contract back to its partner, who re-lets the GPUs to its outside
  customers at the lower of the contract's price and its list price of the day, less
  exits.sublet_discount. The lab pays the shortfall on the rest of the term at once and
  the contract ends. Unlike leaving (deals.exit_contracts), no penalty and no grudge.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import compute, economy, limits, ops, terms
from game.engine.params import HOURS_PER_WEEK, WEEKS_PER_YEAR, Params
from game.engine.state import EMPTY_CONTRACT

State = Any


def used_price(p: Params, s: State, mult: np.ndarray | None = None) -> np.ndarray:
    """What one GPU of each type fetches on the used market this week (B, G); `mult`:
    NVIDIA's demand factor (default the state's; compute.week_price_mult)."""
    x = p.rules.exits
    age_years = np.maximum(s.week[:, None] - p.gpu_available_week[None, :], 0) / WEEKS_PER_YEAR
    kept = np.maximum((1.0 - p.rules.finance.gpu_depreciation_per_year) ** age_years, x.used_age_floor)
    return compute.unit_price(p, s, mult) * kept * (1.0 - x.used_spread)


def sublet_cost(p: Params, s: State) -> np.ndarray:
    """What subletting each contract this week would cost the lab (B, L, K): the shortfall
    between its price and what the partner's outside customers pay, for the rest of the
    term (0 where re-letting covers it; never negative)."""
    P, G = len(p.partner_ids), len(p.gpu_ids)
    partner = ops.clip(s.contract_partner, 0, P - 1).astype(np.int64)
    gpu = ops.clip(s.contract_gpu, 0, G - 1).astype(np.int64)
    B, L, K = partner.shape
    listed = terms.list_price(p, s, partner.reshape(B, L * K), gpu.reshape(B, L * K)).reshape(B, L, K)
    price = s.contract_price.astype(np.float64)
    resale = np.minimum(price, listed) * (1.0 - p.rules.exits.sublet_discount)
    left = np.maximum(s.contract_end - np.maximum(s.contract_start, s.week[:, None, None]), 0)
    cost = (price - resale) * s.contract_count * HOURS_PER_WEEK * left
    return np.where(s.contract_partner >= 0, np.maximum(cost, 0.0), 0.0)


def sellable(x: np.ndarray, owned: np.ndarray) -> np.ndarray:
    """A sale's GPU counts made safe: whole, within 0 and what the lab owns."""
    return np.minimum(ops.clip(x, 0, limits.MAX_GPUS).astype(np.int64), owned)


def apply(p: Params, s: State, a: Any, ledger: economy.Ledger, alive: np.ndarray) -> np.ndarray:
    """Every lab's ways out this week: halls, sales, sublets. Returns GPUs sold (B, L, G)."""
    _halls(s, a, alive)
    sold = _sell(p, s, a, ledger, alive)
    _sublet(p, s, a, ledger, alive)
    return sold


def _halls(s: State, a: Any, alive: np.ndarray) -> None:
    here = alive[..., None]
    cancel = a.hall_cancel & here
    if np.count_nonzero(cancel):
        s.hall_building = np.where(cancel, 0.0, s.hall_building)
    pause = np.where(here, a.hall_pause, 0)
    if np.count_nonzero(pause) or np.count_nonzero(cancel):
        start = (pause > 0) & (s.hall_building > 0)  # a site with nothing under way has nothing to pause
        paused = np.where(start, True, np.where(pause < 0, False, s.hall_paused))
        s.hall_paused = paused & ~cancel


def _sell(p: Params, s: State, a: Any, ledger: economy.Ledger, alive: np.ndarray) -> np.ndarray:
    n = sellable(a.sell_gpus, compute.owned_gpus(s)) * alive[..., None]  # (B, L, G)
    if not np.count_nonzero(n):
        return n
    from_store = np.minimum(n, s.warehouse)
    rest = n - from_store
    installed = s.installed.astype(np.int64)  # a copy: the state is never changed in place
    rows = np.flatnonzero(rest.any((1, 2)))  # the games that sell installed GPUs
    if len(rows):
        here = installed[rows]
        before = np.cumsum(here, axis=2) - here  # GPUs at earlier sites (n, L, S, G)
        installed[rows] = here - np.clip(rest[rows][:, :, None, :] - before, 0, here)
    s.warehouse = s.warehouse - from_store
    s.installed = installed
    ledger.receive("gpu_sales", ops.einsum("blg,bg->bl", n.astype(np.float64), used_price(p, s)))
    return n


def _sublet(p: Params, s: State, a: Any, ledger: economy.Ledger, alive: np.ndarray) -> None:
    pick = a.sublet & (s.contract_partner >= 0) & alive[..., None]
    if not np.count_nonzero(pick):
        return
    ledger.pay("sublet", ops.total(sublet_cost(p, s) * pick))
    for name, empty in EMPTY_CONTRACT.items():
        setattr(s, name, np.where(pick, empty, getattr(s, name)))
