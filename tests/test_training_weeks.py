"""A run planned by its weeks of training: the FLOP today's training compute does in
them (testers worked the FLOP out from the preview's weeks, a guess at a time)."""

from __future__ import annotations

import pytest

from game.play import decisions as dec
from game.play import standing
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens.training import TrainingScreen
from tests.tui_helpers import choose, confirm, fill, text, unseen_at_each_size

XAI = 0


async def test_a_run_planned_by_weeks_books_the_flop_the_compute_does_in_them():
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
        choose(pilot, mode="weeks")
        await pilot.pause()
        assert app.screen.query_one("#amount").value == "13"  # type: ignore[attr-defined]
        said = text(pilot, "preview")
        assert "~13 weeks of training at today's compute" in said, said  # the weeks asked, as the preview counts them
        assert await unseen_at_each_size(pilot, "mode", "amount", "preview") == []
        fill(pilot, amount="200")  # past the longest run: told, nothing booked
        await pilot.pause()
        assert "1 to 104 weeks" in text(pilot, "preview")
        fill(pilot, amount="8")
        await confirm(pilot)
        assert dec.StartRun(standing.runs_flop(s, XAI, 8)) in s.book(XAI)
        choose(pilot, mode="params")
        await pilot.pause()
        assert app.screen.query_one("#amount").value == "2e12"  # type: ignore[attr-defined]


async def test_the_serve_share_says_what_it_serves_and_the_api_revenue_it_brings():
    """A tester cut serving from 40% to 30% and his round nearly walked away on the
    revenue it lost: the split says, as it is typed, the share of compute the lab's users
    need, the share of them it serves and the API revenue that brings (engine.market's rule)."""
    from game.play.runs import serving

    s = Session.new(humans=("openai",))
    app = AgiRaceApp(session=s)
    lab = s.lab_index("openai")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        fill(pilot, infer="30")
        await pilot.pause()
        v = serving(s.params, s.world, lab, 0.30)
        assert v.served < 1
        said = text(pilot, "serving")
        assert f"need {v.need:.0%} of your compute" in said and f"serves {v.served:.0%} of them" in said, said
        assert await unseen_at_each_size(pilot, "serving", "infer") == []
    # the engine serves that share: its API revenue the next week, at the split set
    s2 = Session.new(humans=("openai",))
    v = serving(s2.params, s2.world, lab, 0.30)
    s2.decide(lab, dec.SetSplit(55, 30, 15), confirmed=True)
    r = s2.end_week()
    from game.engine import economy

    api = float(r.flows[0, lab, economy.FLOW_INDEX["api"]])
    assert api == pytest.approx(v.api, rel=0.05)  # users move a little within the week
