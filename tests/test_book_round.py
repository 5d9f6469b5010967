"""A round under way counts in the runway from the week it closes, so a play-tester read
'runway over 3 years' while the round's investors were 2% from walking away, and
'7 weeks' once they had. The dashboard now also says what the runway is if the round
falls through."""

from __future__ import annotations

import attrs
import pytest

from game.engine import economy
from game.play import decisions as dec
from game.play import risk, views
from game.play.session import Session

XAI = 0


def short_of_cash_with_a_round() -> Session:
    s = Session.new(seed=5)
    s.decide(XAI, dec.RaiseRound(views.money_view(s.turn(XAI)).largest), confirmed=True)
    s.end_week()
    assert s.world.round_usd[0, XAI] > 0  # under way, closing later
    burn = float(economy.net_burn(s.params, s.world)[0, XAI])
    head = float(economy.credit_headroom(s.params, s.world)[0, XAI])
    cash, debt = s.world.cash.copy(), s.world.debt.copy()
    cash[0, XAI], debt[0, XAI] = 9 * burn, 0.98 * head + float(debt[0, XAI])  # the round closes first
    s.world = attrs.evolve(s.world, cash=cash, debt=debt)
    return s


def test_the_runway_without_the_round_is_shorter_and_said():
    s = short_of_cash_with_a_round()
    bare = risk.runway_without_round(s.turn(XAI))
    assert bare is not None and bare < risk.runway_weeks(s.turn(XAI))


def test_no_round_no_second_runway():
    s = Session.new(seed=5)
    assert risk.runway_without_round(s.turn(XAI)) is None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_dashboard_says_the_runway_if_the_round_falls_through(size):
    from game.tui.app import AgiRaceApp

    s = short_of_cash_with_a_round()
    bare = risk.runway_text(risk.runway_without_round(s.turn(XAI)))
    app = AgiRaceApp(session=s)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        status = str(app.screen.query_one("#status").render()).replace("\n", " ")
        assert f"({bare} if the round falls through)" in status, status
