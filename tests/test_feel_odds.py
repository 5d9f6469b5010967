"""The odds' bankruptcy figure says what it counts (the futures in which the lab runs out
of cash and credit before AGI or the forecast's last week, with the AI playing it after
the week as booked) and, when it is high, why the dashboard's runway reads otherwise,
with the dashboard's own runway words."""

from __future__ import annotations

import re

from game.play import decisions as dec
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import ForecastScreen, forecast
from tests.tui_helpers import SIZES, text, unseen_at_each_size


async def test_the_bankruptcy_odds_say_what_they_count_beside_the_dashboards_runway(monkeypatch):
    monkeypatch.setattr(ForecastScreen, "FUTURES", 12)
    monkeypatch.setattr(ForecastScreen, "HORIZON", 8)
    monkeypatch.setattr(ForecastScreen, "WORKERS", 1)
    monkeypatch.setattr(forecast, "RUNWAY_CONTRAST", 0.0)  # at any share: 8 weeks bankrupt none
    s = Session.new(humans=("xai",), seed=1)
    s.decide(0, dec.BuyGpus("H100", "dell", 20_000), confirmed=True)
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        status = text(pilot, "status").splitlines()[0]
        runway = re.search(r"runway (.+)$", status)
        assert runway and runway[1].endswith("after orders"), status
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ForecastScreen)
        flat = " ".join(text(pilot, "odds").split())
        weeks = int(re.search(r"futures, (\d+) weeks ahead", flat)[1])  # type: ignore[index]
        stop = s.params.date_of(s.week + weeks)  # the date the "still racing" line gives
        share = re.search(
            r"bankruptcy for you: ([\d.]+)% of futures \(it ends the game\): in that share of them your lab "
            rf"runs out of cash and credit before AGI or {stop:%d %b %Y} \(the forecast's end\), played by the "
            r"AI as a builder "
            r"after your week as booked\.",
            flat,
        )
        assert share, flat
        assert abs(float(share[1]) / 100 - app.screen.odds.forecast.bankrupt[0]) < 0.0006
        assert f"Your runway ({runway[1]}) counts only what you have committed today" in flat
        assert await unseen_at_each_size(pilot, "odds") == []
