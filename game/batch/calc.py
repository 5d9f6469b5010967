"""The calculators behind `agi-race calc`: a training run's time, energy and cost, and
the power a fleet needs at each site, from the catalog's figures and the engine's rules
(no game is played)."""

from __future__ import annotations

import math
from typing import Any

from game.catalog import Catalog, Gpu
from game.engine.compute import training_rate
from game.engine.params import HOURS_PER_WEEK


def train_figures(catalog: Catalog, g: Gpu, count: int, flop: float, mfu: float) -> dict[str, Any]:
    """A run of `flop` on `count` GPUs of type `g` at `mfu` (the engine's training rate,
    hardware faults included)."""
    rate, hours_lost = training_rate(count * g.flops * mfu, count, catalog.rules.training)
    weeks = flop / float(rate)
    days = weeks * 7.0
    gpu_hours = count * days * 24.0
    mwh = gpu_hours * g.kw_all_in / 1000.0
    return {
        "gpu": g.id,
        "count": count,
        "flop": flop,
        "mfu": mfu,
        "availability": 1.0 - float(hours_lost) / HOURS_PER_WEEK,
        "days": days,
        "gpu_hours": gpu_hours,
        "energy_mwh": mwh,
        "energy_cost_usd": mwh * catalog.rules.finance.reference_power_usd_per_mwh,
        "rent_cost_usd": gpu_hours * g.rent_usd_hour,
        "capability_at_gpt4_software": math.log10(flop),
    }


def power_figures(catalog: Catalog, g: Gpu, count: int) -> dict[str, Any]:
    """The MW `count` GPUs of type `g` draw all-in, and what each site can do for them."""
    mw = count * g.kw_all_in / 1000.0
    sites = [
        {
            "site": s.id,
            "grid_mw": s.grid_mw,
            "grid_max_mw": s.grid_max_mw,
            "fits_grid_today": s.grid_mw >= mw,
            "hall_cost_usd": mw * s.build_usd_per_mw,
            "hall_weeks": math.ceil(mw / s.build_mw_per_week),
        }
        for s in catalog.sites
    ]
    return {"gpu": g.id, "count": count, "kw_per_gpu": g.kw_all_in, "mw": mw, "sites": sites}
