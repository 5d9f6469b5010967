"""A run planned by its weeks of training: the FLOP today's training compute does in
them (testers worked the FLOP out from the preview's weeks, a guess at a time)."""

from __future__ import annotations

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
