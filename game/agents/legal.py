"""The week's legal actions: a finite list of concrete presets of every kind that the game
would take now, each on its own (several together may not all go through: money).

Each preset passes its decision's own check (`Decision.check`) and the session's
admission rule (`Session._admit`: nothing the engine would refuse outright, no spending
past the cash, runway warnings confirmed), found for all presets at once by one dry run
of the week with a game per preset (the same dry run a session previews a book with).
A preset that would take the runway under the warning line carries `"confirm": true`.
Offers are presets of rentals at the partner's list price and of the investment the
partner would make; the partner answers them (a rejection is an answer, not a refusal).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from game.agents.actions import CONFIRM, Offer
from game.engine import codes, compute, economy, turn
from game.engine.actions import Actions
from game.engine.params import HOURS_PER_WEEK
from game.engine.state import take
from game.play import decisions as d
from game.play.market import list_price
from game.play.runs import training_flops
from game.play.views import investment_terms

if TYPE_CHECKING:
    from game.play.session import Session

ORDER_SHARES = (0.1, 0.3)  # of cash, for GPU orders
HALLS_MW = (50.0, 200.0)
TURBINES_MW = 100.0
RUN_WEEKS = (13, 26)  # a run sized to take this long on today's training compute
RAISE_SHARES = (0.5, 1.0)  # of the largest round investors would take
BORROW_SHARES = (0.5, 1.0)  # of what lenders would lend
REPAY_SHARE = 0.5  # of cash, at most the debt
SPLITS = ((60.0, 30.0, 10.0), (35.0, 55.0, 10.0), (45.0, 30.0, 25.0))  # training, inference, research
STAFF_FACTORS = (0.8, 1.25)
RENT_WEEKS = 52
RENT_SHARE = 0.02  # a rental's weekly cost as a share of cash


def down(x: float, digits: int = 3) -> float:
    """`x` rounded down to `digits` significant digits (a preset stays within its limit)."""
    if x <= 0 or not math.isfinite(x):
        return 0.0
    scale = 10.0 ** (math.floor(math.log10(x)) - digits + 1)
    return math.floor(x / scale) * scale


def candidates(session: Session, lab: int) -> list[d.Decision | Offer]:
    """Presets of every kind for this week, before any check."""
    p, w = session.params, session.world
    cash = max(float(w.cash[0, lab]), 0.0)
    out: list[d.Decision | Offer] = []
    price = compute.week_server_price(p, w)[0]  # (V, G)
    left = compute.supply_left(p, w)[0]
    for g in np.flatnonzero(compute.on_sale(p, w)[0]):
        for v, vendor in enumerate(p.integrator_ids):
            for share in ORDER_SHARES:
                count = int(down(min(share * cash / price[v, g], left[g], d.MAX_ORDER_GPUS), 2))
                if count >= 1:
                    out.append(d.BuyGpus(p.gpu_ids[g], vendor, count))
    mine = [s for s in range(len(p.site_ids)) if w.hall_mw[0, lab, s] + w.hall_building[0, lab, s] > 0]
    sites = [p.site_ids[s] for s in (mine or range(len(p.site_ids)))]
    out += [d.BuildHalls(site, mw) for site in sites for mw in HALLS_MW]
    room = compute.turbine_room(p, w)[0]
    for site in sites:
        mw = math.floor(min(TURBINES_MW, float(room[p.site_ids.index(site)])))
        if mw >= 1:
            out.append(d.OrderTurbines(site, float(mw)))
        out.append(d.UpgradeSubstation(site))
    rate = training_flops(p, w, lab)
    out += [d.StartRun(down(rate * weeks)) for weeks in RUN_WEEKS if rate > 0]
    out += [d.LeaveContract(int(k)) for k in np.flatnonzero(w.contract_partner[0, lab] >= 0)]
    largest = float(economy.round_terms(p, w).largest[0, lab])
    out += [d.RaiseRound(down(largest * f)) for f in RAISE_SHARES if largest * f >= 1e6]
    room_usd = float(economy.credit_headroom(p, w)[0, lab])
    out += [d.Borrow(down(room_usd * f)) for f in BORROW_SHARES if room_usd * f >= 1e6]
    repay = min(float(w.debt[0, lab]), REPAY_SHARE * cash)
    if repay >= 1e6:
        out.append(d.Repay(down(repay)))
    out += [d.SetSplit(*split) for split in SPLITS]
    staff = float(w.staff_usd_week[0, lab])
    out += [d.SetStaff(down(staff * f) if staff > 0 else 1e7) for f in STAFF_FACTORS]
    return out + _offers(session, lab, cash)


def _offers(session: Session, lab: int, cash: float) -> list[d.Decision | Offer]:
    p, w = session.params, session.world
    free = compute.partner_free(p, w)[0]  # (P, G)
    out: list[d.Decision | Offer] = []
    for k, partner in enumerate(p.partner_ids):
        if w.patience[0, lab, k] < 1 or not free[k].any():
            continue
        g = int(np.argmax(free[k]))
        price = list_price(session.turn(lab), partner, p.gpu_ids[g], RENT_WEEKS)[0]
        if price <= 0:
            continue
        count = int(down(min(float(free[k, g]), RENT_SHARE * cash / (price * HOURS_PER_WEEK)), 2))
        if count >= 1:
            out.append(Offer(partner, p.gpu_ids[g], count, session.week, RENT_WEEKS, float(f"{price:.4g}")))
    invest = investment_terms(session.turn(lab))
    if invest is not None and invest.now and invest.usd >= 1e6:
        out.append(Offer(invest.partner, invest=down(invest.usd), share=min(float(invest.share), 1.0)))
    return out


def legal(session: Session, lab: int) -> list[dict[str, Any]]:
    """The week's legal presets as action objects (see the module's docstring)."""
    from game.play.session import HARD, RUNWAY_WARNING_WEEKS

    p, w = session.params, session.world
    checked: list[d.Decision | Offer] = []
    for c in dict.fromkeys(candidates(session, lab)):  # in order, once each
        if isinstance(c, Offer):
            checked.append(c)
            continue
        try:
            c.check(p, w, lab, [])
        except d.Refused:
            continue
        checked.append(c)
    chosen = [c for c in checked if not isinstance(c, Offer)]
    after, refused, runway = _dry_runs(session, lab, chosen)
    out = []
    for c in checked:
        if isinstance(c, Offer):
            out.append(as_json(c))
            continue
        j = chosen.index(c) + 1
        added = int(refused[j]) & ~int(refused[0])
        if added & HARD or added & (codes.ORDER_NO_CASH | codes.NO_CASH) or after[j] < 0 <= after[0]:
            continue
        low = runway[j] < RUNWAY_WARNING_WEEKS and runway[j] < runway[0] - 1e-9
        out.append(as_json(c, confirm=bool(low)))
    return out


def _dry_runs(
    session: Session, lab: int, chosen: list[d.Decision]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cash after, refusals and runway (n + 1,) of the week's decisions for an empty book
    (row 0) and for each decision alone: one dry run, a game per book."""
    w = session.world
    n = len(chosen) + 1
    many = take(w, np.zeros(n, np.int64))
    idle = Actions.idle(many)
    fields = {f.name: getattr(idle, f.name).copy() for f in attrs.fields(Actions)}
    for j, decision in enumerate(chosen, start=1):
        decision.write({k: v[j : j + 1] for k, v in fields.items()}, session.params, lab)
    after, _, refused = turn.dry_run(many, Actions(**fields))
    runway = economy.runway_weeks(session.params, after)[:, lab]
    return after.cash[:, lab], refused[:, lab], runway


def as_json(action: d.Decision | Offer, confirm: bool = False) -> dict[str, Any]:
    """An action record as the protocol writes it: its kind, then its fields."""
    body = action.terms() if isinstance(action, Offer) else attrs.asdict(action)
    out: dict[str, Any] = {"kind": action.kind, **body}
    if confirm:
        out[CONFIRM] = True
    return out
