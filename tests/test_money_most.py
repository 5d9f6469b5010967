"""The money form's 'the most' (alt+x): the most investors would put in, all that lenders
would lend, or all the debt, by what is chosen; each then books as filled in."""

from __future__ import annotations

from game.play import decisions as dec
from game.play import views
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.format import parse_number
from game.tui.screens.finance import FinanceScreen
from tests.tui_helpers import choose, text, unseen_at_each_size

XAI = 0


def amount(pilot) -> float:
    return parse_number(pilot.app.screen.query_one("#amount").value, "amount", 0, 1e18)


async def test_the_most_fills_the_round_the_loan_and_the_repayment():
    s = Session.new()
    s.decide(XAI, dec.BuyGpus("H100", "dell", 10000), confirmed=True)  # GPUs to borrow against
    s.end_week()
    m = views.money_view(s.turn(XAI))
    assert m.round_ready and m.credit > 1e6
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
        await pilot.press("alt+x")
        await pilot.pause()
        assert m.largest * 0.99 <= amount(pilot) <= m.largest  # rounded down at the digits shown
        assert "the most investors would put in now" in text(pilot, "message")
        assert "investors commit it" in text(pilot, "preview")  # asked as filled in: all of it comes
        assert await unseen_at_each_size(pilot, "most", "amount", "message") == []
        choose(pilot, what="borrow")
        await pilot.pause()
        await pilot.press("alt+x")
        await pilot.pause()
        assert m.credit * 0.99 <= amount(pilot) <= m.credit
        assert "Lenders lend at most" not in text(pilot, "preview")  # not over the limit
        choose(pilot, what="repay")
        await pilot.pause()
        await pilot.press("alt+x")
        await pilot.pause()
        assert "You have no debt" in text(pilot, "message")


async def test_a_repayment_reads_the_debt_left_after_the_weeks_repayments():
    """A tester read "Repay $970M of $5.97B" beside the $5.00B repayment booked already."""
    s = Session.new()
    s.decide(XAI, dec.BuyGpus("H100", "dell", 10000), confirmed=True)
    s.end_week()
    s.decide(XAI, dec.Borrow(500e6), confirmed=True)
    s.end_week()
    s.decide(XAI, dec.Repay(300e6), confirmed=True)
    debt = float(s.world.debt[0, XAI])
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        choose(pilot, what="repay")
        await pilot.pause()
        await pilot.press("alt+x")
        await pilot.pause()
        left = debt - 300e6
        assert left <= amount(pilot) < left + 1e6  # the rest, rounded up to the $1M
        assert "left after this week's $300M repayment" in text(pilot, "preview")
        assert "if you borrow it all after this week's orders" in text(pilot, "money-state")
