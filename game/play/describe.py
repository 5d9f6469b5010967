"""What a decision will do, in the words the player reads when it goes into the book:
its cost, when it arrives or finishes, what it leaves (the engine's figures)."""

from __future__ import annotations

import math

import numpy as np

from game.engine import compute, deals, economy
from game.play import decisions as dec
from game.play.decisions import Decision
from game.play.desk import LabTurn
from game.play.runs import capability_band
from game.play.words import money, plural


def describe(t: LabTurn, d: Decision, cost: float) -> str:
    """The confirmation of `d` (already in `lab`'s book); `cost` is what it moves in cash
    this week."""
    lab = t.lab
    p, w = t.params, t.world
    text = d.label(p)
    if isinstance(d, dec.BuyGpus):
        from game.play.market import order_quote, supply_for

        arrive = order_quote(t, d.gpu, d.vendor, 0).arrive_date  # the book holds it already
        text += f" for {money(cost)}: delivered around {arrive:%d %b %Y}"
        short = -supply_for(t, d.gpu)  # the book holds it already
        if short > 0:
            text += f". Your orders ask NVIDIA for {short:,.0f} more than this quarter has left: you may get fewer"
    elif isinstance(d, dec.BuildHalls):
        from game.play.market import hall_plan

        plan = hall_plan(t, d.site, 0.0)  # the book holds it already
        text += (
            f": all your halls there finished in ~{plan.weeks:.0f} weeks; {money(d.mw * plan.usd_per_mw)} "
            f"paid as built (up to {money(plan.weekly)} a week at the site's pace)"
        )
    elif isinstance(d, dec.OrderTurbines):
        s = p.site_ids.index(d.site)
        text += f" for {money(cost)}: running in {plural(int(p.site_turbine_weeks[s]), 'week')}"
        pending = float(w.turbine_pending[0, lab, s])
        if pending and int(w.turbine_left[0, lab, s]) < int(p.site_turbine_weeks[s]):
            text += f"; the {pending:,.0f} MW already on their way start with them (a site's turbines run together)"
    elif isinstance(d, dec.UpgradeSubstation):
        s = p.site_ids.index(d.site)
        add = float(compute.substation_gain(p, w.grid_mw[0])[s])
        text += f": +{add:,.0f} MW of grid for you in {plural(int(p.site_substation_weeks[s]), 'week')}, {money(cost)}"
    elif isinstance(d, dec.StartRun):
        from game.play.views import run_plan

        eta, cap, _ = run_plan(t, d.flop, booked=True)
        lo, hi = capability_band(p, cap)
        when = "never at today's compute" if math.isinf(eta) else f"~{eta:,.0f} weeks at today's compute"
        text += (
            f": {when}, then {p.rules.training.post_training_weeks} weeks of post-training; capability "
            f"{lo:.2f}-{hi:.2f} (9 in 10 runs; {cap:.2f} expected)"
        )
        if cap <= float(w.best_model[0, lab]):
            text += f", no better than your best model ({float(w.best_model[0, lab]):.2f})"
    elif isinstance(d, dec.LeaveContract):
        partner = t.catalog.partners[int(w.contract_partner[0, lab, d.slot])].name
        penalty = float(deals.exit_penalty(p, w)[0, lab, d.slot])
        text += f" with {partner} this week: penalty {money(penalty)}"
    elif isinstance(d, dec.RaiseRound):
        terms = economy.round_terms(p, w)
        got, pre = min(d.usd, float(terms.largest[0, lab])), float(terms.pre_money[0, lab])
        weeks = int(terms.cash_in_weeks(p, np.array(got)))
        share = float(w.founder_share[0, lab])
        text = (
            f"Raising up to {money(got)} at about {money(pre)} pre-money"
            f"{' (a down round)' if terms.down[0, lab] else ''}, closing in {plural(weeks, 'week')} "
            f"(post-money about {money(pre + got)}): your share goes from {share:.1%} to about "
            f"{economy.diluted(share, pre, got):.1%}. The investors walk away if your value on its merits "
            f"falls {p.rules.finance.round_walk_away:.0%} before then: don't spend the money before it is in"
        )
    elif isinstance(d, dec.Borrow):
        rate = float(economy.interest_rate(p, t.preview.world)[0, lab])
        text += f" (+{money(d.usd)} this week) at about {rate:.1%} a year at the leverage it leaves"
    elif abs(cost) >= 1e5:
        text += f" ({'+' if cost < 0 else '-'}{money(abs(cost))} this week)"
    return text
