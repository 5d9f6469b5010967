"""The invariants the engine keeps from week to week, checked on a file's game as the
engine will hold it. A state the engine can reach passes; one it cannot (a contract
listed twice, cash below zero on a lab still in business, ...) is refused here rather
than played from.

Each is the engine's own rule, asked of the engine (compute, the invariants its tests
check every week): a lab that is not bankrupt has cash >= 0 (a week that ends below zero
makes it bankrupt); GPUs are installed only in built halls (a power loss may leave some
unpowered, never more than the halls hold); the labs' grid shares and the partners'
buildings at a site fit its grid; turbines fit the site's permits; a partner's active
rentals fit the GPUs it has, this week and in every week to come.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.catalog import Catalog
from game.engine import compute
from game.engine.limits import MAX_HALL_MW
from game.engine.params import Params
from game.engine.state import World
from game.saves.files import SaveError
from game.saves.records import Scenario

TOLERANCE_MW = 1e-6  # rounding in sums of power


def check_state(scn: Scenario, catalog: Catalog, where: str) -> None:
    """Raise SaveError naming the place of the first invariant the file's game breaks."""
    from game.saves.world import initial_world, scenario_params

    p = scenario_params(scn, catalog)
    w = initial_world(scn, p, 1)
    labs, sites = p.lab_ids, p.site_ids

    def fail(place: str, problem: str) -> SaveError:
        return SaveError(f"{where} {place}: {problem}")

    for li, lab in enumerate(labs):
        if w.cash[0, li] < 0 and not w.bankrupt[0, li]:
            raise fail(
                f"[labs.{lab}] cash",
                f"{w.cash[0, li]:,.0f} USD is below zero, but the lab is not bankrupt (set bankrupt = true)",
            )
    need = compute.installed_mw(p, w)[0]
    for li, s in zip(*np.nonzero(need > w.hall_mw[0] + TOLERANCE_MW), strict=True):
        raise fail(
            f"[labs.{labs[li]}.sites.{sites[s]}] installed",
            f"{need[li, s]:,.1f} MW of GPUs but only {w.hall_mw[0, li, s]:,.1f} MW of halls",
        )
    held = w.grid_alloc[0].sum(0) + compute.partner_site_mw(p, w)[0]
    for s in np.flatnonzero(held > w.grid_mw[0] + TOLERANCE_MW):
        raise fail(
            f"[sites.{sites[s]}]",
            f"labs and partners' buildings hold {held[s]:g} MW of grid but the site has {w.grid_mw[0, s]:g} MW",
        )
    turbines = (w.turbine_mw[0] + w.turbine_pending[0]).sum(0)
    for s in np.flatnonzero(turbines > p.site_turbine_max + TOLERANCE_MW):
        raise fail(
            f"[sites.{sites[s]}]",
            f"the labs' turbines come to {turbines[s]:g} MW; the permits allow {p.site_turbine_max[s]:g} MW",
        )
    halls = w.hall_mw[0] + w.hall_building[0]
    for li, s in zip(*np.nonzero(halls > MAX_HALL_MW), strict=True):
        raise fail(
            f"[labs.{labs[li]}.sites.{sites[s]}]",
            f"hall_mw and hall_building come to {halls[li, s]:,.0f} MW; a lab may have at most "
            f"{MAX_HALL_MW:,.0f} MW of halls at a site, built and under way",
        )
    _check_rentals(p, w, fail)


def _check_rentals(p: Params, w: World, fail: Any) -> None:
    """A partner's rentals out of its own pool fit the GPUs it has in every week to come,
    not only this one: a contract that starts later counts against the partner's GPUs
    once it starts, and a game the engine plays from here keeps this invariant every
    week (a contract listed twice breaks it the week it starts)."""
    labs = p.lab_ids
    week = int(w.week[0])
    pooled = (w.contract_partner[0] >= 0) & (w.contract_source[0] >= 0)  # (L, K)
    if not pooled.any():
        return
    start, end = w.contract_start[0].astype(np.int64), w.contract_end[0].astype(np.int64)
    last = int(end[pooled].max())
    if last <= week:
        return
    weeks = np.arange(week, last)  # (T,)
    active = pooled & (start <= weeks[:, None, None]) & (weeks[:, None, None] < end)  # (T, L, K)
    P, G = len(p.partner_ids), len(p.gpu_ids)
    pool = np.maximum(w.contract_source[0], 0) * G + w.contract_gpu[0]  # (L, K)
    onehot = np.arange(P * G) == pool[..., None]  # (L, K, P*G)
    weighted = onehot * w.contract_count[0][..., None].astype(np.float64)
    out = np.einsum("tlk,lkq->tq", active.astype(np.float64), weighted).reshape(-1, P, G)
    cap = p.partner_capacity[np.clip(weeks, 0, p.last_week)]  # (T, P, G)
    over = np.argwhere(out > cap + 1e-6)
    if not len(over):
        return
    t, q, g = (int(x) for x in over[0])
    renters = np.nonzero(active[t] & (pool == q * G + g))
    renter = labs[int(renters[0][0])]
    rents = f"{p.partner_ids[q]} rents out {out[t, q, g]:,.0f} {p.gpu_ids[g]}"
    has = f"{cap[t, q, g]:,.0f}"
    raise fail(
        f"[labs.{renter}] contracts",
        (
            f"{rents} in contracts under way but has {has} this week"
            if t == 0
            else f"{rents} from week {week + t}, when a contract starts, but will have {has} then"
        )
        + " (a contract listed twice?)",
    )
