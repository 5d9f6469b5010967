"""Every decision's preview (what its form shows before it is made) agrees with its
outcome (what the engine does when the week is played) to the precision the screen
shows; so do the terms a binding offer's review names and the contract it signs. Each
kind of decision in game/play/decisions.py has its check here: a new kind without one
fails `test_every_decision_kind_has_a_check`."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
import pytest

from game.engine import contracts, economy
from game.play import decisions as dec
from game.play import market, review, views
from game.play.runs import capability_band
from game.play.session import Session
from game.play.words import money
from game.saves import Offer

XAI = 0
SCENARIO = "2024-07-colossus"


def _flow(report, kind: str) -> float:
    return float(report.flows[0, XAI, economy.FLOW_INDEX[kind]])


def _day(s: Session, week: int) -> str:
    return f"{s.params.date_of(week):%d %b %Y}"


def _weeks_until(s: Session, done: Callable[[], bool], most: int = 80) -> int:
    """Weeks played until `done()` holds."""
    for n in range(1, most + 1):
        s.end_week()
        if done():
            return n
    raise AssertionError("never happened")


def check_order(s: Session) -> None:
    q = market.order_quote(s.turn(XAI), "H100", "supermicro", 5000)  # the market screen's preview
    said = s.decide(XAI, dec.BuyGpus("H100", "supermicro", 5000), confirmed=True)
    assert money(q.total) in said and f"{q.arrive_date:%d %b %Y}" in said  # the confirmation
    slots = set(np.flatnonzero(s.world.order_count[0, XAI] > 0))
    report = s.end_week()
    assert money(-_flow(report, "gpus")) == money(q.total)
    new = [k for k in np.flatnonzero(s.world.order_count[0, XAI] > 0) if k not in slots]
    assert [_day(s, int(s.world.order_arrive[0, XAI, k])) for k in new] == [f"{q.arrive_date:%d %b %Y}"]


def check_halls(s: Session) -> None:
    site = "southaven"  # nothing building there
    k = s.params.site_ids.index(site)
    plan = market.hall_plan(s.turn(XAI), site, 40.0)
    s.decide(XAI, dec.BuildHalls(site, 40.0), confirmed=True)
    paid, halls = [], float(s.world.hall_mw[0, XAI, k])

    def finished() -> bool:
        paid.append(s.last_report.flows[0, XAI, economy.FLOW_INDEX["halls"]])
        return float(s.world.hall_building[0, XAI, k]) == 0

    weeks = _weeks_until(s, finished)
    assert weeks == plan.weeks  # "done in ~N weeks"
    assert float(s.world.hall_mw[0, XAI, k]) - halls == pytest.approx(40.0)
    same = Session.new(SCENARIO)  # the same weeks without it: the lab's other halls cost as much
    others = [same.end_week().flows[0, XAI, economy.FLOW_INDEX["halls"]] for _ in range(weeks)]
    assert money(sum(others) - sum(paid)) == money(plan.cost)


def check_turbines(s: Session) -> None:
    site = "dallas"
    k = s.params.site_ids.index(site)
    r = next(x for x in market.site_rows(s.turn(XAI)) if x.id == site)
    s.decide(XAI, dec.OrderTurbines(site, 60.0), confirmed=True)
    report = s.end_week()
    assert money(-_flow(report, "power_equipment")) == money(60.0 * r.turbine_usd_per_mw)
    weeks = 1 + _weeks_until(s, lambda: float(s.world.turbine_mw[0, XAI, k]) >= 60.0)
    assert weeks == r.turbine_weeks


def check_substation(s: Session) -> None:
    site = "southaven"
    k = s.params.site_ids.index(site)
    r = next(x for x in market.site_rows(s.turn(XAI)) if x.id == site)
    grid = float(s.world.grid_mw[0, k])
    s.decide(XAI, dec.UpgradeSubstation(site), confirmed=True)
    report = s.end_week()
    assert money(-_flow(report, "power_equipment")) == money(r.substation_usd)
    weeks = 1 + _weeks_until(s, lambda: float(s.world.grid_mw[0, k]) > grid)
    assert weeks == r.substation_weeks
    assert f"{float(s.world.grid_mw[0, k]) - grid:,.0f}" == f"{r.substation_mw:,.0f}"


def check_run(s: Session) -> None:
    _, cap, _ = views.run_plan(s.turn(XAI), 3e25)  # the training screen's preview
    s.decide(XAI, dec.StartRun(3e25), confirmed=True)
    s.end_week()
    run = next(r for r in views.lab_view(s.turn(XAI)).runs if r.flop == 3e25)
    assert f"{run.capability:.2f}" == f"{cap:.2f}"  # the software level at its start, not after research
    lo, hi = capability_band(s.params, cap)
    assert lo < run.capability < hi


def check_leave(s: Session) -> None:
    c = views.contracts_view(s.turn(XAI))[0]  # the deals screen's table: "leave for"
    s.decide(XAI, dec.LeaveContract(c.slot), confirmed=True)
    report = s.end_week()
    assert money(-_flow(report, "exit_penalty")) == money(c.exit_penalty)
    assert int(s.world.contract_partner[0, XAI, c.slot]) < 0


def check_round(s: Session) -> None:
    t = review.round_terms(s.turn(XAI), 2e9)
    s.decide(XAI, dec.RaiseRound(t.usd), confirmed=True)
    week = s.week
    s.end_week()
    w = s.world
    assert money(float(w.round_usd[0, XAI])) == money(t.usd)
    assert money(float(w.round_pre[0, XAI])) == money(t.pre_money)
    raised = []

    def closed() -> bool:
        raised.append(_flow(s.last_report, "equity"))
        return raised[-1] > 0

    _weeks_until(s, closed)
    assert s.week - 1 == week + t.cash_weeks - 1 and _day(s, s.week) == f"{t.cash_date:%d %b %Y}"
    assert money(raised[-1]) == money(t.usd)
    assert f"{float(s.world.founder_share[0, XAI]):.1%}" == f"{t.share_after:.1%}"


def check_borrow(s: Session) -> None:
    t = review.loan_terms(s.turn(XAI), 5e8)
    said = s.decide(XAI, dec.Borrow(5e8), confirmed=True)
    assert f"{t.rate:.1%}" in said  # the confirmation names the review's rate
    s.end_week()
    w = s.world
    assert money(float(w.debt[0, XAI])) == money(t.debt_after)
    assert f"{float(economy.interest_rate(s.params, w)[0, XAI]):.1%}" == f"{t.rate:.1%}"
    report = s.end_week()
    assert money(-_flow(report, "interest")) == money(t.interest_week)


def check_repay(s: Session) -> None:
    s.decide(XAI, dec.Borrow(5e8), confirmed=True)
    s.end_week()
    debt = float(s.world.debt[0, XAI])
    s.decide(XAI, dec.Repay(2e8), confirmed=True)  # the form: "Repay $200M of $500M"
    s.end_week()
    assert money(debt - float(s.world.debt[0, XAI])) == money(2e8)


def check_split(s: Session) -> None:
    d = dec.SetSplit(50, 30, 20)
    s.decide(XAI, d, confirmed=True)
    s.end_week()
    assert [f"{x:.0%}" for x in s.world.split[0, XAI]] == [f"{x:.0%}" for x in d.shares]


def check_staff(s: Session) -> None:
    s.decide(XAI, dec.SetStaff(3e7), confirmed=True)
    s.end_week()
    assert money(float(s.world.staff_usd_week[0, XAI])) == money(3e7)


CHECKS: dict[type[dec.Decision], Callable[[Session], None]] = {
    dec.BuyGpus: check_order,
    dec.BuildHalls: check_halls,
    dec.OrderTurbines: check_turbines,
    dec.UpgradeSubstation: check_substation,
    dec.StartRun: check_run,
    dec.LeaveContract: check_leave,
    dec.RaiseRound: check_round,
    dec.Borrow: check_borrow,
    dec.Repay: check_repay,
    dec.SetSplit: check_split,
    dec.SetStaff: check_staff,
}


def _kinds() -> set[type]:
    return {
        c
        for _, c in inspect.getmembers(dec, inspect.isclass)
        if issubclass(c, dec.Decision) and c is not dec.Decision and not inspect.isabstract(c)
    }


def test_every_decision_kind_has_a_check():
    assert _kinds() == set(CHECKS), "a decision kind without a preview-against-outcome check"


@pytest.mark.parametrize("kind", sorted(CHECKS, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_a_decisions_preview_is_its_outcome(kind):
    CHECKS[kind](Session.new(SCENARIO))


def test_a_rentals_review_is_the_contract_it_signs():
    s = Session.new(SCENARIO)
    price, discount = market.list_price(s.turn(XAI), "coreweave", "H100", 26)  # Oracle's is full for xAI
    offer = Offer(partner="coreweave", gpu="H100", count=2000, start=s.week + 2, weeks=26,
             price=round(price * 1.2, 2))  # fmt: skip
    t = review.rental_terms(s.turn(XAI), offer)
    before = set(np.flatnonzero(s.world.contract_partner[0, XAI] >= 0))
    assert s.offer(XAI, offer).answer == "accept"
    slot = next(k for k in np.flatnonzero(s.world.contract_partner[0, XAI] >= 0) if k not in before)
    c = next(c for c in views.contracts_view(s.turn(XAI)) if c.slot == slot)
    assert (c.count, f"${c.price:.2f}", c.start_date, c.end_date) == (
        t.count,
        f"${t.price:.2f}",
        t.start_date,
        t.end_date,
    )
    assert (money(c.usd_week), money(c.exit_penalty)) == (money(t.usd_week), money(t.exit_penalty))


def test_an_amendments_review_is_the_contract_it_makes():
    """More GPUs for the rest of the term and more weeks at its end, on a CoreWeave
    contract (Oracle rents xAI no more H100 than it has): the review is what it signs,
    the weeks added at their own later price."""
    s = Session.new(SCENARIO)
    price, _ = market.list_price(s.turn(XAI), "coreweave", "H100", 26)
    new = Offer(partner="coreweave", gpu="H100", count=2000, start=s.week, weeks=26,
           price=round(price * 1.2, 2))  # fmt: skip
    assert s.offer(XAI, new).answer == "accept"
    c0 = next(c for c in views.contracts_view(s.turn(XAI)) if c.partner_id == "coreweave")
    offer = Offer(
        partner=c0.partner_id,
        contract=c0.slot,
        count=1000,
        weeks=10,
        price=round(c0.price * 1.3, 2),
    )
    t = review.rental_terms(s.turn(XAI), offer)
    assert s.offer(XAI, offer).answer == "accept"
    c = next(c for c in views.contracts_view(s.turn(XAI)) if c.slot == c0.slot)
    assert (c.count, f"${c.price:.2f}", c.end_date) == (t.count, f"${t.price:.2f}", t.end_date)
    assert t.later_price == offer.price
    assert (money(c.usd_week), money(c.exit_penalty)) == (money(t.usd_week), money(t.exit_penalty))


def test_a_second_extensions_review_is_the_blend_the_engine_makes():
    """A contract extended twice: the weeks of both extensions share one later price, blended
    by GPU-hours (engine/contracts.py). The review quoted the new offer's price for them and
    so a later price, and a sum owed, the contract would not have."""
    s = Session.new(SCENARIO)
    price, _ = market.list_price(s.turn(XAI), "coreweave", "H100", 26)
    first = Offer(
        partner="coreweave", gpu="H100", count=2000, start=s.week, weeks=26, price=round(price * 1.2, 2)
    )
    assert s.offer(XAI, first).answer == "accept"
    c0 = next(c for c in views.contracts_view(s.turn(XAI)) if c.partner_id == "coreweave")
    for more_price in (1.3, 1.6):  # two extensions at two prices, the second with GPUs too
        offer = Offer(partner="coreweave", contract=c0.slot, count=500 if more_price > 1.5 else 0,
                      weeks=8, price=round(c0.price * more_price, 2))  # fmt: skip
        t = review.rental_terms(s.turn(XAI), offer)
        assert s.offer(XAI, offer).answer == "accept"
    at = (0, XAI, c0.slot)
    w = s.world
    assert t.later_price == pytest.approx(float(w.contract_later_price[at]), rel=1e-6)  # stored as float32
    assert t.later_price != offer.price  # a blend of both extensions' prices
    assert (t.reprice_week, t.end_week, t.count) == (
        int(w.contract_reprice[at]),
        int(w.contract_end[at]),
        int(w.contract_count[at]),
    )
    owed = float(contracts.rent_left(w)[at])
    assert t.total == pytest.approx(owed, rel=1e-6)


def test_an_investments_review_is_the_deal_it_signs():
    import attrs

    s = Session.new(SCENARIO, humans=("openai",))
    lab = s.lab_index("openai")
    p = s.params
    due = int(s.world.last_invest_week[0, lab]) + int(
        p.partner_invest_every[p.partner_ids.index("microsoft")]
    )
    s.world = attrs.evolve(s.world, week=np.full_like(s.world.week, due))
    offered = views.investment_terms(s.turn(lab))
    offer = Offer(partner="microsoft", invest=2e9, share=min(offered.share * 1.5, 0.5))
    t = review.investment_terms(s.turn(lab), offer)
    cash = float(s.world.cash[0, lab])
    assert s.offer(lab, offer).answer == "accept"
    assert money(float(s.world.cash[0, lab]) - cash) == money(t.usd)
    assert f"{float(s.world.revenue_share[0, lab]):.1%}" == f"{t.owed_after:.1%}"
