"""What a decision will do when it goes into the book: its cost, when it arrives or
finishes, what it leaves (the engine's figures; the words are words/describe.py's)."""

from __future__ import annotations

import numpy as np

from game.engine import compute, deals, economy
from game.play import decisions as dec
from game.play.decisions import Decision
from game.play.desk import LabTurn
from game.play.exits import CancelHalls, PauseHalls
from game.play.runs import capability_band
from game.play.words import describe as say


def describe(t: LabTurn, d: Decision, cost: float) -> str:
    """The confirmation of `d` (already in `lab`'s book); `cost` is what it moves in cash
    this week."""
    lab = t.lab
    p, w = t.params, t.world
    text = d.label(p)
    if isinstance(d, dec.BuyGpus):
        from game.play.market import order_quote, supply_for

        arrive = order_quote(t, d.gpu, d.vendor, 0).arrive_date  # the book holds it already
        text += say.bought(cost, arrive, -supply_for(t, d.gpu))
    elif isinstance(d, dec.BuildHalls):
        from game.play.market import hall_plan

        plan = hall_plan(t, d.site, 0.0)  # the book holds it already
        text += say.halls_built(plan.weeks, d.mw * plan.usd_per_mw, plan.weekly)
    elif isinstance(d, dec.OrderTurbines):
        s = p.site_ids.index(d.site)
        pending = float(w.turbine_pending[0, lab, s])
        joined = pending if int(w.turbine_left[0, lab, s]) < int(p.site_turbine_weeks[s]) else 0.0
        text += say.turbines_ordered(cost, int(p.site_turbine_weeks[s]), joined)
    elif isinstance(d, dec.UpgradeSubstation):
        s = p.site_ids.index(d.site)
        add = float(compute.substation_gain(p, w.grid_mw[0])[s])
        text += say.substation_upgraded(add, int(p.site_substation_weeks[s]), cost)
    elif isinstance(d, dec.StartRun):
        from game.play.views import run_plan

        eta, cap, _ = run_plan(t, d.flop, booked=True)
        lo, hi = capability_band(p, cap)
        best = float(w.best_model[0, lab])
        post = p.rules.training.post_training_weeks
        text += say.run_started(eta, post, lo, hi, cap, best if cap <= best else None)
    elif isinstance(d, dec.LeaveContract):
        partner = t.catalog.partners[int(w.contract_partner[0, lab, d.slot])].name
        penalty = float(deals.exit_penalty(p, w)[0, lab, d.slot])
        text += say.contract_left(partner, penalty)
    elif isinstance(d, dec.RaiseRound):
        terms = economy.round_terms(p, w)
        got, pre = min(d.usd, float(terms.largest[0, lab])), float(terms.pre_money[0, lab])
        weeks = int(terms.cash_in_weeks(p, np.array(got)))
        share = float(w.founder_share[0, lab])
        diluted = float(economy.diluted(share, pre, got))
        walk = p.rules.finance.round_walk_away
        text = say.round_raised(got, pre, bool(terms.down[0, lab]), weeks, share, diluted, walk)
    elif isinstance(d, dec.SetStaff):
        from game.play.views import people_view

        people = people_view(t)
        if people.laid_off > 0:
            text += say.layoffs(people.laid_off, people.severance)
    elif isinstance(d, dec.Borrow):
        rate = float(economy.interest_rate(p, t.preview.world)[0, lab])
        text += say.borrowed(d.usd, rate)
    elif abs(cost) >= 1e5:
        text += say.cash_moved(cost, isinstance(d, CancelHalls | PauseHalls))
    return text
