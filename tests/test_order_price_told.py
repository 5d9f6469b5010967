"""An order's preview is what the week charges, even in a week that starts a quarter
(the step moves NVIDIA's price before the orders: a play-tester read '$508M for 10,000
GB200' and was charged $566M), and an order refused for cash names its whole cost (it
named the cash left: 'Buy 20,000 B200 via Dell costs $466M' for a $1.01B order)."""

from __future__ import annotations

import pytest

from game.engine import compute, economy
from game.play import market
from game.play.decisions import BuyGpus, Refused
from game.play.session import Session
from game.play.words import money
from tests.test_book_previews import _to_a_quarter_whose_price_moves

XAI = 0


def test_an_orders_quote_is_what_the_week_charges_as_a_quarter_turns():
    s = Session.new(seed=5)
    _to_a_quarter_whose_price_moves(s)
    quote = market.order_quote(s.turn(XAI), "H100", "dell", 1_000)
    assert quote.unit > float(compute.server_price(s.params, s.world)[0, 0, s.params.gpu_ids.index("H100")])
    s.decide(XAI, BuyGpus("H100", "dell", 1_000), confirmed=True)
    report = s.end_week()
    paid = -float(report.flows[0, XAI, economy.FLOW_INDEX["gpus"]])
    assert paid == pytest.approx(quote.total)


def test_an_order_refused_for_cash_names_its_whole_cost():
    s = Session.new(seed=5)
    t = s.turn(XAI)
    unit = market.order_quote(t, "H100", "dell", 1).unit
    count = int(2 * t.preview.cash_after / unit)
    with pytest.raises(Refused) as refused:
        s.decide(XAI, BuyGpus("H100", "dell", count))
    said = str(refused.value)
    assert (
        f"costs {money(count * unit)}; after this week's other decisions you have {money(t.preview.cash_after)}"
        in said
    )
    credit = float(economy.credit_headroom(s.params, t.preview.world)[0, XAI])  # orders are paid in cash
    assert (
        credit > 1e6
        and f"(lenders would lend up to {money(credit)}: borrow first on the Money screen)" in said
    )
