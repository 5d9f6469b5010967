"""The runway as the game counts it: cash and credit week by week as a lab's commitments
play out (halls paid as they are built, rentals until their contracts end, a closing
round's cash the week it closes, the lenders' weekly sweep while debt is over the
covenant, at today's GPU values). The dashboard, the order book, the alerts and the
low-runway question before a decision all read this one projection."""

from __future__ import annotations

import attrs
import numpy as np

from game.engine import economy, research
from game.engine.params import HOURS_PER_WEEK, Params
from game.engine.state import World

PROJECTION_WEEKS = 156  # the runway projection's horizon


@attrs.frozen
class Projection:
    """Cash and credit week by week at today's revenue and running costs, as the lab's
    commitments play out: halls under construction are paid as they are built, rentals
    stop when their contracts end (and start when builds come online), a round under way
    brings its cash the week it closes."""

    start_week: int
    money: tuple[float, ...]  # cash plus unused credit at each week's end
    weeks: float  # weeks until it runs out (inf if it never does within the horizon)
    round_counted: float  # USD of a closing round counted in


# A projection is kept in its World's cache of derived values (a World never changes), so
# the dashboard, the alerts and the previews that ask for the same lab's runway of the same
# week compute it once. The entry names a field that no other World holds, so a step never
# carries it over to the next week's World (turn.finished keeps only values whose fields
# are unchanged).
_NOT_CARRIED = (("week", object()),)


def project(
    p: Params, w: World, lab: int, horizon: int = PROJECTION_WEEKS, with_round: bool = True
) -> Projection:
    """Lab `lab`'s money week by week from the world `w` (B = 1); `with_round`: a round
    under way brings its cash the week it closes (else: as if it fell through)."""
    if type(w) is not World:
        return _project(p, w, lab, horizon, with_round)
    key = (project, lab, horizon, with_round)
    hit = w.derived.get(key)
    if hit is not None and hit[0][0] is p:
        return hit[2]
    value = _project(p, w, lab, horizon, with_round)
    w.derived[key] = ((p,), _NOT_CARRIED, value, None, ())
    return value


def _project(p: Params, w: World, lab: int, horizon: int, with_round: bool) -> Projection:
    week = int(w.week[0])
    f = p.rules.finance
    held, debt = max(float(w.cash[0, lab]), 0.0), float(w.debt[0, lab])  # cash in hand; debt
    book = float(economy.book_value(p, w)[0, lab])  # the GPUs' value the loans count (kept)
    limit = f.loan_to_value * book if not w.bankrupt[0, lab] else 0.0
    revenue = float(w.revenue_fast[0, lab]) * (1.0 - float(w.revenue_share[0, lab]))
    # a people budget under the payroll lays people off this week: their severance now,
    # and a smaller payroll after (hiring toward a larger budget is not counted)
    laid_off, severance = (float(x[0, lab]) for x in research.layoffs(p, w, w.staff_usd_week))
    held -= severance
    fixed = float(
        economy.electricity_per_week(p, w)[0, lab]
        + research.payroll(p, w)[0, lab]
        - laid_off * float(research.wage(p, w)[0])
        + economy.interest_per_week(p, w)[0, lab]
    )
    partner, start = w.contract_partner[0, lab], w.contract_start[0, lab]
    end, rent = w.contract_end[0, lab], w.contract_count[0, lab] * w.contract_price[0, lab] * HOURS_PER_WEEK
    building = w.hall_building[0, lab] * ~w.hall_paused[0, lab]  # a paused site builds nothing
    rate, usd_per_mw = p.site_build_mw_per_week, p.site_build_usd_per_mw
    round_usd = float(w.round_usd[0, lab]) if with_round else 0.0
    round_week = int(w.round_close[0, lab]) if round_usd > 0 else -1
    out: list[float] = []
    ran_out = float("inf")
    before = held + max(limit - debt, 0.0)
    for k in range(horizon):
        at = week + k
        done = np.minimum(building, rate)
        building -= done
        active = (partner >= 0) & (start <= at) & (at < end)
        held += revenue - fixed - float(rent[active].sum()) - float((done * usd_per_mw).sum())
        if at == round_week:
            held += round_usd
        if held < 0:  # the credit line covers a negative balance while it lasts
            draw = min(-held, max(limit - debt, 0.0))
            held, debt = held + draw, debt + draw
        if debt > f.covenant_ltv * book:  # in breach: lenders sweep cash toward the covenant
            sweep = min(debt - f.covenant_ltv * book, f.covenant_sweep * max(held, 0.0))
            held, debt = held - sweep, debt - sweep
        cash = held + max(limit - debt, 0.0)  # cash and unused credit
        out.append(cash)
        if cash < 0 and ran_out == float("inf"):  # it lasts part of this week
            ran_out = k + max(before, 0.0) / max(before - cash, 1e-9)
        before = cash
    return Projection(week, tuple(out), ran_out, round_usd)
