"""Software efficiency: how much more a FLOP buys each week (algorithmic progress).

Grows at the baseline rate (rules.research.baseline_growth_per_year) for a lab whose
research compute keeps pace with the frontier's and whose people budget is the
reference, faster or slower with more or less of either, and faster still as the lab's
best model gets closer to AGI (AI-assisted research: the race accelerates).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine.compute import week_row
from game.engine.params import WEEKS_PER_YEAR, Params

State = Any


def ai_speedup(p: Params, best_model: np.ndarray) -> np.ndarray:
    """Multiplier on research from the lab's own best model (1 = no help)."""
    r = p.rules.research
    span = max(p.agi_capability - r.ai_rnd_start_capability, 1e-9)
    progress = np.clip((best_model - r.ai_rnd_start_capability) / span, 0.0, 1.0)
    return 1.0 + (r.ai_rnd_max_speedup - 1.0) * progress**2


def growth_per_week(p: Params, s: State, research_flops: np.ndarray) -> np.ndarray:
    """log10 software gain this week (B, L)."""
    r = p.rules.research
    ref = p.research_ref_flops[week_row(p, s)][:, None]
    compute_term = np.clip((research_flops / ref) ** r.research_exponent, 0.0, 4.0)
    staff_term = np.clip(
        (np.maximum(s.staff_usd_week, 0.0) / r.ref_staff_usd_week) ** r.staff_exponent, 0.0, 3.0
    )
    base = np.log10(r.baseline_growth_per_year) / WEEKS_PER_YEAR
    return base * compute_term * staff_term * ai_speedup(p, s.best_model) * (~s.bankrupt)
