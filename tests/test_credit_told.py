"""Cash that runs out is covered from the lenders' credit line by the week's step, and the
player is told: the debt grew with no decision of theirs (a play-tester watched debt go
$156M, $732M, $1.88B with no line saying why). A loan the player asked for is not news,
and neither is a rival's draw."""

from __future__ import annotations

import attrs

from game.engine import economy
from game.play import decisions as dec
from game.play import views
from game.play.session import Session
from game.play.words.numbers import money, money_down

XAI, GOOGLE = 0, 2


def _short_of_cash(*labs: int, cash_left: float = 5e6) -> Session:
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    cash = s.world.cash.copy()
    for lab in labs:
        cash[0, lab] = cash_left  # under a week's running costs
    s.world = attrs.evolve(s.world, cash=cash)
    return s


def _told(s: Session) -> list:
    return [n for n in s.news if n.text.startswith("Cash ran out")]


def test_credit_drawn_to_cover_the_week_is_news_with_the_debt_and_what_is_left():
    s = _short_of_cash(XAI)
    assert views.lab_view(s.turn(XAI)).credit > 1e8
    s.end_week()
    debt = float(s.world.debt[0, XAI])
    drawn = float(s.last_report.flows[0, XAI, economy.FLOW_INDEX["borrowed"]])
    assert debt > 1e6 and drawn == debt and not s.world.bankrupt[0, XAI]
    room = float(economy.credit_headroom(s.params, s.world)[0, XAI])
    told = _told(s)
    assert len(told) == 1 and told[0].lab == XAI and told[0].private and told[0].urgent
    assert told[0].text == (
        f"Cash ran out: the lenders' credit line covered {money(drawn)} this week. Debt is now "
        f"{money(debt)}; {money_down(room)} more can be drawn before the lab is bankrupt"
    )


def test_a_loan_asked_for_is_not_news_of_credit_drawn():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    s.decide(XAI, dec.BuyGpus("H100", "dell", 10_000), confirmed=True)
    s.end_week()
    s.decide(XAI, dec.Borrow(2e8), confirmed=True)
    s.end_week()
    assert float(s.world.debt[0, XAI]) >= 2e8 * 0.99
    assert _told(s) == []


def test_a_rivals_draw_is_not_told():
    s = _short_of_cash(GOOGLE, cash_left=-5e8)  # more than its week's revenue short (OpenAI owns no GPUs to borrow on)
    s.end_week()
    assert float(s.world.debt[0, GOOGLE]) > 1e6  # it drew, the AI's lab
    assert _told(s) == []


def test_only_the_week_the_cash_runs_out_stops_fast_forward():
    """The line's draw is news every week it pays, but urgent (`f` stops) only the week the
    cash ran out: a play-tester's `f` stopped on the same news three weeks running."""
    s = _short_of_cash(XAI)
    s.end_week()
    assert [n.urgent for n in _told(s)] == [True]
    assert float(s.world.cash[0, XAI]) < 1e6  # the line paid: no cash at the next week's start
    s.end_week()
    told = _told(s)
    assert len(told) == 2 and told[-1].week > told[0].week  # told again the next week
    assert not told[-1].urgent and told[-1].private
