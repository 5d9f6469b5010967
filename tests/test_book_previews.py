"""The ways out's previews agree with their outcome, as every decision's do
(tests/test_previews.py): a play-tester read 'Sell 12,000 H100 (used): +$75.0M' and the
book and the news said $98.2M. A week that starts a quarter sets NVIDIA's new price
before the sale, and the preview read last quarter's."""

from __future__ import annotations

import inspect

import attrs
import numpy as np
import pytest

from game.engine import compute, economy
from game.play import exits
from game.play.session import Session
from game.play.words import money

XAI = 0
CHECKED = {"SellGpus", "Sublet", "PauseHalls", "ResumeHalls", "CancelHalls"}


def _flow(report, kind: str) -> float:
    return float(report.flows[0, XAI, economy.FLOW_INDEX[kind]])


def _to_a_quarter_whose_price_moves(s: Session) -> None:
    """Play on to a week that starts a quarter, with last quarter's requests at twice
    NVIDIA's supply (its price follows them up)."""
    while not compute.week_price_mult(s.params, s.world)[0][0, 0]:
        s.end_week()
    supply = s.params.supply_per_quarter[s.week - 1]
    s.world = attrs.evolve(s.world, nvidia_requested=2.0 * supply[None, :])
    new_quarter, mult = compute.week_price_mult(s.params, s.world)
    assert new_quarter[0, 0] and mult[0, 0] > s.world.price_mult[0, 0]


def test_every_way_out_has_a_check():
    kinds = {n for n, c in inspect.getmembers(exits, inspect.isclass) if issubclass(c, exits.Decision)}
    assert kinds - {"Decision"} == CHECKED


def test_a_sales_preview_is_what_the_week_pays_even_as_a_quarter_turns():
    s = Session.new(seed=5)
    _to_a_quarter_whose_price_moves(s)
    d = exits.SellGpus("H100", 2_000)
    said = exits.preview(s.turn(XAI), d)
    s.decide(XAI, d, confirmed=True)
    report = s.end_week()
    assert f"+{money(_flow(report, 'gpu_sales'))} (" in said, said


def test_a_sublets_preview_is_what_the_week_charges():
    s = Session.new(seed=5)
    k = int(np.flatnonzero(s.world.contract_partner[0, XAI] >= 0)[0])
    said = exits.preview(s.turn(XAI), exits.Sublet(k))
    s.decide(XAI, exits.Sublet(k), confirmed=True)
    report = s.end_week()
    assert f"you pay {money(-_flow(report, 'sublet'))} now" in said, said
    assert s.world.contract_partner[0, XAI, k] < 0


def test_pausing_saves_what_the_preview_says_and_stopping_keeps_what_is_built():
    s = Session.new(seed=5)  # xAI builds halls at Memphis in July 2024
    site = s.params.site_ids.index("memphis")
    building, built = float(s.world.hall_building[0, XAI, site]), float(s.world.hall_mw[0, XAI, site])
    assert building > 0
    said = exits.preview(s.turn(XAI), exits.PauseHalls("memphis"))
    assert f": {building:,.0f} MW left to build wait" in said
    booked = s.decide(XAI, exits.PauseHalls("memphis"), confirmed=True)
    assert "saves $" in booked and "(+$" not in booked, booked  # cash kept, not cash coming in
    report = s.end_week()
    assert _flow(report, "halls") == 0.0 and s.world.hall_building[0, XAI, site] == building
    said = exits.preview(s.turn(XAI), exits.ResumeHalls("memphis"))
    assert f": {building:,.0f} MW left to build" in said
    said = exits.preview(s.turn(XAI), exits.CancelHalls("memphis"))
    assert f"Sunk: the {built:,.0f} MW built there" in said
    s.decide(XAI, exits.CancelHalls("memphis"), confirmed=True)
    s.end_week()
    assert s.world.hall_building[0, XAI, site] == 0 and s.world.hall_mw[0, XAI, site] == built


def test_a_sale_says_the_market_price_it_differs_from_and_the_credit_it_costs():
    """A tester read $35.0k on the sell screen and $50.8k in the market for one GPU, and
    saw the runway fall after a sale: the preview names both prices, and when lenders
    lend more against a GPU than it fetches used, the credit the sale takes."""
    from game.play.words import describe

    said = describe.sell(1_000, 10e3, 30e3, 0, 45e3, 0.5)
    assert "$10.0k each used" in said and "$30.0k this week, $45.0k in a server as the market lists it" in said
    assert "lowers what they would lend by up to $15.0M" in said
    assert "lend" not in describe.sell(1_000, 20e3, 30e3, 0, 45e3, 0.5)  # the sale brings more than it takes


def test_an_order_that_runs_the_cash_out_before_the_round_pays_asks_first():
    """A tester's GB200 order left 9 weeks of runway with his round's cash 11 weeks out,
    and nothing asked (the question came only under 8 weeks): out of cash and credit
    before a round closes, the lab is bankrupt. The save is his, in week 64."""
    from pathlib import Path

    from game.play.book import LowRunway
    from game.play.decisions import BuyGpus
    from game.play.session import Session

    s = Session.load(Path(__file__).parent / "data" / "round-closing-week-64.toml")
    (buy,) = [d for d in s.book(0) if isinstance(d, BuyGpus)]
    s.cancel(0, s.book(0).index(buy))
    big = BuyGpus("GB200", "dell", 45_000)
    after = s.preview(0, [*s.book(0), big])
    w = after.world
    assert 8 <= after.runway_weeks < float(w.round_close[0, 0] - w.week[0])
    with pytest.raises(LowRunway, match="your round's cash comes in 11 weeks"):
        s.decide(0, big)
    assert big not in s.book(0)
    s.decide(0, buy)  # 30,000 leave the cash to last until it pays: no question
    assert buy in s.book(0)
