"""The dashboard's week summary after a load and after talks: its range starts at the
first week played since the load (or the last summary), and its cash ends at the figure
the dashboard shows (a deal signed between weeks moves it)."""

from __future__ import annotations

from game.play.session import Session
from game.saves import Offer
from game.tui.app import AgiRaceApp
from game.tui.format import money
from game.tui.screens.hq import SUMMARY_CHROME, SUMMARY_LINES
from tests.tui_helpers import text, unseen_at_each_size


async def test_a_loaded_game_summarises_only_the_weeks_played_since_the_load(tmp_path):
    first = Session.new(humans=("xai",), seed=3)
    first.end_week()  # week 0 was played before the save: not news to the loaded game
    app = AgiRaceApp(session=Session.load(first.save(tmp_path / "week1.toml")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.session
        assert session.week == 1
        await pilot.press("n")
        await pilot.pause()
        summary = text(pilot, "summary")
        assert summary.startswith(("Week 1 (22 Jul 2024)", "Week 1: quiet")), summary  # a quiet week: one line
        for _ in range(3):  # weeks played at once (a fast-forward tells of them together)
            session.end_week()
        await pilot.press("n")
        await pilot.pause()
        summary = text(pilot, "summary")
        assert summary.startswith(("Weeks 2-5 (29 Jul 2024 to 19 Aug 2024)", "Weeks 2-5: quiet")), summary
        assert await unseen_at_each_size(pilot, "summary") == []


async def test_the_summary_cash_is_the_dashboard_cash_after_a_deal_between_weeks():
    session = Session.new("2025-01-stargate", humans=("openai",), seed=1)
    lab = session.lab_index("openai")
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        reply = session.offer(lab, Offer(partner="microsoft", invest=1e9, share=0.01))
        assert reply.answer == "accept"  # $1B in hand at once, before the next week
        app.screen.refresh_view()
        await pilot.pause()
        cash = money(float(session.world.cash[0, lab]))
        assert text(pilot, "status").startswith(f"Cash {cash}")
        assert f"-> {cash} · compute" in text(pilot, "summary")
        assert await unseen_at_each_size(pilot, "summary", "status") == []


async def test_a_quiet_week_is_one_line_and_a_week_with_news_lists_it():
    session = Session.new(humans=("xai",), seed=3)
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = {"quiet": 0, "news": 0}
        for _ in range(12):
            await pilot.press("n")
            await pilot.pause()
            week = session.week - 1
            news = [n for n in session.news if n.week == week and n.seen_by(0) and n.lab in (0, None)]
            summary = text(pilot, "summary")
            if news:
                assert summary.startswith(f"Week {week} ("), summary
                # at 80x24 an item takes two lines at most: whole, or its start cut at a word
                # with "…" (the news log has it whole); three items of three lines hid the runs
                items = [line for line in summary.split("\n") if line.startswith("- ")]
                wholes = [f"- {n.text}" for n in news]
                assert items, summary
                for item in items:
                    assert item in wholes or (
                        item.endswith(" …") and any(w.startswith(item[:-2]) for w in wholes)
                    ), summary
                    assert len(item) <= SUMMARY_LINES * (80 - SUMMARY_CHROME), item
                seen["news"] += 1
            else:
                cash = money(float(session.world.cash[0, 0]))
                assert summary.startswith(f"Week {week}: quiet for your lab · cash $"), summary
                assert summary.endswith(f"-> {cash} (w hides this)") and "\n" not in summary, summary
                seen["quiet"] += 1
        assert seen["quiet"] and seen["news"], seen
