"""A second Enter on the training form booked a second run of the same size (a
play-test's two runs of 1e26 FLOP in one week, found only in the order book). A run the
book holds already is booked again only when the player says so."""

from __future__ import annotations

import pytest

from game.play import decisions as dec
from game.play.book import SameAgain
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import ConfirmScreen

XAI = 0


def test_the_same_run_twice_asks_and_a_yes_books_it():
    s = Session.new(seed=5)
    s.decide(XAI, dec.StartRun(1e26))
    with pytest.raises(SameAgain, match="second run of the same size"):
        s.decide(XAI, dec.StartRun(1e26))
    assert s.book(XAI) == [dec.StartRun(1e26)]
    s.decide(XAI, dec.StartRun(2e26))  # another size is another run: no question
    s.cancel(XAI, 1)
    s.decide(XAI, dec.StartRun(1e26), confirmed=True)
    assert s.book(XAI) == [dec.StartRun(1e26), dec.StartRun(1e26)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_second_enter_on_the_training_form_asks_before_a_second_run(size):
    app = AgiRaceApp(session=Session.new(seed=5))
    async with app.run_test(size=size) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.book(XAI) == [dec.StartRun(1e26)]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "second run of the same size" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert app.session.book(XAI) == [dec.StartRun(1e26)]
