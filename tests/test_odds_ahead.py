"""The odds' first wave played ahead (game/tui/ahead.py): once a player has asked for the
odds, the app plays the next position's first wave on a background process, and the
odds screen shows it as it opens. It is the wave the screen would have played itself."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from game.batch.futures import play_range
from game.play import decisions as dec
from game.play import odds as play_odds
from game.play.session import Session
from game.tui.ahead import OddsAhead, key_of
from game.tui.app import AgiRaceApp
from game.tui.screens import ForecastScreen

pytestmark = pytest.mark.slow  # the long tier: `pytest -m slow`

XAI = 0
FIELDS = ("win", "bankrupt", "agi_weeks", "winners")


def same(a, b) -> bool:
    return a.futures == b.futures and all(np.array_equal(getattr(a, f), getattr(b, f)) for f in FIELDS)


def test_a_wave_played_ahead_is_the_wave_the_odds_would_play():
    s = Session.new(seed=5)
    s.decide(XAI, dec.BuyGpus("H100", "dell", 10_000), confirmed=True)
    start = play_odds.Start.of(s, XAI)
    ahead = OddsAhead(first_wave=4, niceness=0)
    try:
        ahead.play(start)
        played = ahead.playing().result()
        here = play_range(start.world, start.controllers, 4, 0, opening=start.opening(start.book))
        assert same(played, here)
        assert ahead.take(start) is not None and ahead.hits == 1
        s.decide(XAI, dec.BuildHalls("memphis", 20), confirmed=True)  # another position
        assert key_of(play_odds.Start.of(s, XAI)) != key_of(start)
        assert ahead.take(play_odds.Start.of(s, XAI)) is None
    finally:
        ahead.close()


async def test_the_odds_screen_opens_on_the_wave_played_ahead(monkeypatch):
    monkeypatch.setattr(ForecastScreen, "TARGET", 1.0)  # the first wave is the last: nothing follows it
    app = AgiRaceApp(session=Session.new(seed=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.odds_ahead.close()
        app.odds_ahead = OddsAhead(niceness=0)
        assert not app.odds_ahead.asked  # nothing is played ahead for a player who never asks
        await pilot.press("o")
        await pilot.pause()
        assert app.odds_ahead.asked
        await pilot.press("escape")
        await pilot.pause()
        app._play_odds_ahead()  # the app's timer (once a second; off in tests), twice: the position is seen,
        assert app.odds_ahead.playing() is None
        app._play_odds_ahead()  # and a second later, the same: it plays ahead
        await asyncio.wrap_future(app.odds_ahead.playing())
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ForecastScreen) and screen.ahead is not None
        played = screen.ahead.result()
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = screen.odds.forecast
        assert screen.odds.last and first.futures == played.futures == screen.FIRST_WAVE and same(first, played)
        await pilot.press("escape")


async def test_nothing_plays_ahead_after_the_app_has_gone():
    import multiprocessing

    app = AgiRaceApp(session=Session.new(seed=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.odds_ahead.close()
        app.odds_ahead = OddsAhead(niceness=0)
        app.odds_ahead.play(play_odds.Start.of(app.session, XAI))
        assert app.odds_ahead.playing() is not None
    assert [p for p in multiprocessing.active_children() if p.name == "odds-ahead"] == []
