"""What must hold after every week of every game (DESIGN 7): used by the property
tests and by the long simulation test."""

from __future__ import annotations

import numpy as np

from game.engine import compute
from game.engine.state import World, array_fields
from game.engine.turn import Report


def gpus_accounted(world: World) -> np.ndarray:
    """Every GPU a lab owns or has on order (B, L)."""
    return world.order_count.sum(-1) + world.warehouse.sum(-1) + world.installed.sum((2, 3))


def check_week(before: World, after: World, report: Report) -> None:
    p = after.params
    for name in array_fields():
        value = getattr(after, name)
        if value.dtype.kind == "f":
            assert np.isfinite(value).all(), f"{name} has NaN or inf"
    for name in (
        "warehouse",
        "installed",
        "order_count",
        "contract_count",
        "hall_mw",
        "hall_building",
        "grid_alloc",
        "turbine_mw",
        "turbine_pending",
        "debt",
        "users",
        "market_users",
        "nvidia_ordered",
        "integrator_backlog",
        "run_done",
        "valuation",
        "founder_share",
    ):
        assert (getattr(after, name) >= -1e-6).all(), f"{name} went negative"
    assert (after.founder_share <= 1 + 1e-12).all()
    alive = ~after.bankrupt
    assert (after.cash[alive] >= -1e-3).all(), "a lab that is not bankrupt has negative cash"

    # Money: the change in cash is exactly the itemised flows.
    moved = after.cash - before.cash
    live = ~before.done[:, None]
    assert np.allclose(
        moved[np.broadcast_to(live, moved.shape)],
        report.flows.sum(-1)[np.broadcast_to(live, moved.shape)],
        rtol=1e-9,
        atol=1e-3,
    )

    # GPUs: what was owned or on order, plus this week's orders, is still there.
    lost = report.gpus_lost.sum(-1) + report.gpus_sold.sum(-1)
    assert (gpus_accounted(after) == gpus_accounted(before) + report.ordered.sum(-1) - lost).all()

    # A bankrupt lab neither earns nor pays anything.
    assert (report.flows[before.bankrupt] == 0).all(), "a bankrupt lab's cash moved"

    # Power: GPUs are installed only in halls; installed GPUs never draw more than the lab's halls and power at a site;
    # the site's grid is never over-allocated; turbines stay within the permit limit.
    assert (compute.installed_mw(p, after) <= after.hall_mw + 1e-6).all(), "GPUs installed outside halls"
    drawn = compute.installed_mw(p, after) * compute.powered_fraction(p, after)
    assert (drawn <= compute.usable_mw(after) + 1e-6).all()
    assert (after.grid_alloc.sum(1) + compute.partner_site_mw(p, after) <= after.grid_mw + 1e-6).all()
    assert ((after.turbine_mw + after.turbine_pending).sum(1) <= p.site_turbine_max + 1e-6).all()
    assert (after.grid_mw <= p.site_grid_max + 1e-6).all()

    # Deals: patience and relationships stay in range; a partner is never paid less than
    # its cost for a contract signed this week.
    assert (after.patience >= 0).all() and (np.abs(after.relationship) <= 1 + 1e-12).all()
    new = (after.contract_partner >= 0) & (before.contract_partner < 0)
    partner, gpu = np.maximum(after.contract_partner, 0), after.contract_gpu
    games = np.arange(gpu.shape[0])[:, None, None]
    cost = p.partner_cost[partner, gpu] * compute.older_factor(p, before)[games, gpu]  # deals.partner_cost
    assert (after.contract_price[new] >= cost[new] - 1e-6).all()

    # Supply: NVIDIA never ships more than a quarter's supply; partners never have more
    # GPUs out on active contracts than they own.
    row = compute.week_row(p, before)
    over = (after.nvidia_ordered - p.supply_per_quarter[row])[~before.done]
    assert (over <= 1e-6).all(), f"NVIDIA shipped {over.max():g} GPUs over its supply at week {before.week}"
    active = compute.contract_active(after)
    B, L, K = active.shape
    P, G = len(p.partner_ids), len(p.gpu_ids)
    pooled = active & (after.contract_source >= 0)
    idx = (
        (np.arange(B)[:, None, None] * P + np.maximum(after.contract_source, 0)) * G + after.contract_gpu
    ).ravel()
    out = np.bincount(idx, weights=np.where(pooled, after.contract_count, 0).ravel(), minlength=B * P * G)
    cap = p.partner_capacity[compute.week_row(p, after)]
    assert (out.reshape(B, P, G) <= cap + 1e-6).all()
