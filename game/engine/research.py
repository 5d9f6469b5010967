"""Research: the people labs hire, and the software efficiency they and the lab's
research compute produce (algorithmic progress).

People. Researchers come from one pool the labs share (rules.talent.pool, growing each
year). A lab's people budget (`staff_usd_week`, the player's lever) sets how many it
aims for at today's wage; it hires toward that at a limited rate (a share of the people
still free, shared between the labs hiring that week, and at most a few percent of its
own staff a week), pays a recruiting cost per hire, and a new hire reaches full
productivity over `ramp_weeks` (`staff_ramped`). Wages rise with time and with how much
of the pool the labs have hired, so one lab hiring hard makes people dearer for all.
Cutting the budget lays people off (with severance) once payroll runs over it.

Software. Each week a lab's software efficiency (log10) grows at the baseline rate times
its research effort raised to `returns` (below 1: doubling every input less than doubles
progress), where effort = (research compute / the frontier's) ^ w x (ramped people /
reference) ^ (1 - w): compute and people are both needed. Ideas get harder to find as
software advances. Labs behind the best software in their game catch up faster
(distillation, papers, people who move), and a lab's own best model speeds its research
as it nears AGI.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import memo, ops
from game.engine.compute import week_row
from game.engine.params import WEEKS_PER_YEAR, Params

State = Any


def _f64(x: np.ndarray) -> np.ndarray:
    """A float32 state field in float64: a rule computes in one precision whatever a batch
    did to the field earlier in the step (same game, same numbers, in any batch)."""
    return np.asarray(x, dtype=np.float64)


# ------------------------------------------------------------------------ people
@memo.derived
def wage(p: Params, s: State) -> np.ndarray:
    """USD a week per researcher in each game (B,): the year's wage, dearer as the labs
    hire more of the pool."""
    row = week_row(p, s)
    hired = ops.total(np.where(s.bankrupt, 0.0, _f64(s.staff))) / p.talent_pool[row]
    return p.wage_week[row] * (1.0 + p.rules.talent.scarcity_premium * ops.clip(hired, 0.0, 1.0) ** 2)


def payroll(p: Params, s: State) -> np.ndarray:
    """USD a week each lab pays its researchers (B, L)."""
    return _f64(s.staff) * wage(p, s)[:, None] * (~s.bankrupt)


def staff_for_budget(p: Params, budget: np.ndarray, week: int) -> np.ndarray:
    """Researchers (L,) that people budgets (L,) buy at the start of a game in `week`:
    the wage with the scarcity those same hires make (a fixed point, found by iteration)."""
    row = int(ops.clip(week, 0, p.last_week))
    t = p.rules.talent
    staff = np.asarray(budget, dtype=np.float64) / p.wage_week[row]
    for _ in range(20):
        hired = min(staff.sum() / p.talent_pool[row], 1.0)
        staff = budget / (p.wage_week[row] * (1.0 + t.scarcity_premium * hired**2))
    return staff


def layoffs(p: Params, s: State, budget: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The researchers a people budget of `budget` USD a week lays off this week, and
    their severance (B, L): payroll over the budget by more than the slack lays people
    off down to what it pays for, each with `severance_weeks` of pay."""
    t = p.rules.talent
    pay = wage(p, s)[:, None]
    target = np.maximum(budget, 0.0) / pay
    staff = _f64(s.staff)
    laid_off = np.where(staff > target * (1.0 + t.layoff_slack), staff - target, 0.0)
    return laid_off, laid_off * pay * t.severance_weeks


def hire(p: Params, s: State, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A week of hiring toward each lab's budget and of new hires ramping up. Returns
    (hired, laid off, their cost in recruiting and severance) (B, L); the caller pays."""
    t = p.rules.talent
    pay = wage(p, s)[:, None]
    target = np.maximum(s.staff_usd_week, 0.0) / pay
    row = week_row(p, s)
    staff, ramped = _f64(s.staff), _f64(s.staff_ramped)
    free = np.maximum(p.talent_pool[row] - ops.total(np.where(s.bankrupt, 0.0, staff)), 0.0)  # (B,)
    room = np.maximum(t.max_growth_per_week * staff, t.min_hires_per_week)
    want = ops.clip(target - staff, 0.0, room) * alive
    asked = ops.total(want)
    share = np.where(asked > 0, np.minimum(1.0, t.hire_share_per_week * free / np.maximum(asked, 1e-9)), 0.0)
    hired = want * share[:, None]
    laid_off = np.where(alive, layoffs(p, s, s.staff_usd_week)[0], 0.0)
    after = staff + hired - laid_off
    ramped = np.minimum(ramped + (after - ramped) / t.ramp_weeks, after)
    s.staff = np.where(s.bankrupt, 0.0, after)
    s.staff_ramped = np.where(s.bankrupt, 0.0, np.maximum(ramped, 0.0))
    cost = hired * pay * WEEKS_PER_YEAR * t.hire_cost_years + laid_off * pay * t.severance_weeks
    return hired, laid_off, cost


# ---------------------------------------------------------------------- software
def ai_speedup(p: Params, best_model: np.ndarray) -> np.ndarray:
    """Multiplier on research from the lab's own best model (1 = no help). Measured
    against the scenario's published AGI capability, never a game's hidden threshold."""
    r = p.rules.research
    span = max(p.agi_capability - r.ai_rnd_start_capability, 1e-9)
    progress = ops.clip((best_model - r.ai_rnd_start_capability) / span, 0.0, 1.0)
    return 1.0 + (r.ai_rnd_max_speedup - 1.0) * progress**2


def effort(p: Params, s: State, research_flops: np.ndarray) -> np.ndarray:
    """Research effort (B, L) relative to the reference lab's: 1 at the frontier's
    research compute and the reference staff."""
    r = p.rules.research
    ref = p.research_ref_flops[week_row(p, s)][:, None]
    compute = np.maximum(research_flops, 0.0) / ref
    people = np.maximum(_f64(s.staff_ramped), 0.0) / r.ref_researchers
    return np.minimum(compute**r.compute_weight * people ** (1.0 - r.compute_weight), r.max_effort)


def catch_up(p: Params, s: State) -> np.ndarray:
    """Multiplier on the research of labs behind the best software in their game (B, L)."""
    r = p.rules.research
    standing = np.where(s.bankrupt, -np.inf, s.software)
    gap = ops.clip(ops.most(standing, -1, True) - s.software, 0.0, r.catch_up_max_gap)
    return 1.0 + r.catch_up_per_oom * gap


def harder(p: Params, software: np.ndarray) -> np.ndarray:
    """Ideas get harder to find (B, L): research at a higher software level gains less, 1
    at the reference level of July 2024 and half as much `ideas_half_oom` orders of
    magnitude past it... then less still."""
    r = p.rules.research
    return (1.0 + r.ideas_ref_software / r.ideas_half_oom) / (
        1.0 + np.maximum(software, 0.0) / r.ideas_half_oom
    )


def growth_per_week(p: Params, s: State, research_flops: np.ndarray) -> np.ndarray:
    """log10 software gain this week (B, L)."""
    r = p.rules.research
    base = np.log10(r.baseline_growth_per_year) / WEEKS_PER_YEAR
    gain = base * effort(p, s, research_flops) ** r.returns * catch_up(p, s) * ai_speedup(p, s.best_model)
    return gain * harder(p, s.software) * (~s.bankrupt)
