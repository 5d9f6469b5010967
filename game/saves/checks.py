"""The invariants the engine keeps from week to week, checked on a file's game as the
engine will hold it. A state the engine can reach passes; one it cannot (a contract
listed twice, cash below zero on a lab still in business, ...) is refused here rather
than played from.

Each is the engine's own rule, asked of the engine (compute, the invariants its tests
check every week): a lab that is not bankrupt has cash >= 0 (a week that ends below zero
makes it bankrupt); GPUs are installed only in built halls (a power loss may leave some
unpowered, never more than the halls hold); the labs' grid shares and the partners'
buildings at a site fit its grid; turbines fit the site's permits; a partner's active
rentals fit the GPUs it has this week.
"""

from __future__ import annotations

import numpy as np

from game.catalog import Catalog
from game.engine import compute
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
    active = compute.contract_active(w)[0] & (w.contract_source[0] >= 0)  # (L, K)
    out = np.zeros((len(p.partner_ids), len(p.gpu_ids)))
    np.add.at(out, (w.contract_source[0][active], w.contract_gpu[0][active]), w.contract_count[0][active])
    cap = p.partner_capacity[compute.week_row(p, w)[0]]
    for q, g in zip(*np.nonzero(out > cap + 1e-6), strict=True):
        renter = labs[int(np.nonzero(active & (w.contract_source[0] == q) & (w.contract_gpu[0] == g))[0][0])]
        raise fail(
            f"[labs.{renter}] contracts",
            f"{p.partner_ids[q]} rents out {out[q, g]:,.0f} {p.gpu_ids[g]} in contracts under way but has "
            f"{cap[q, g]:,.0f} this week (a contract listed twice?)",
        )
