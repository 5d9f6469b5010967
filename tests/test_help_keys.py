"""The help lists the keys as Textual's key panel does: the dashboard's bindings after the
player's keymap, readable at 80x24."""

from __future__ import annotations

import pytest
from rich.console import Console

from game.play.session import Session
from game.tui import bindings
from game.tui.app import AgiRaceApp
from game.tui.screens import HelpScreen
from tests.tui_helpers import SIZES, unseen_at_each_size


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


def key_panel(pilot) -> list[str]:
    """The rows of the help's key panel, as plain text (key, then what it does)."""
    table = pilot.app.screen.query_one("#keys").query_one("BindingsTable")
    console = Console(width=200, color_system=None)
    with console.capture() as shown:
        console.print(table.render())
    return [" ".join(line.split()) for line in shown.get().splitlines() if line.strip()]


async def test_the_help_lists_every_dashboard_key_with_what_it_does():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = key_panel(pilot)
        assert "On the dashboard" in rows
        for b in bindings.HQ:
            assert any(r.endswith(b.tooltip or b.description) for r in rows), b.id  # type: ignore[union-attr]
        assert "n End the week (hot seat: end your turn)" in rows
        assert "$ e Money over the game: cash, revenue, costs by kind; the runway projection" in rows
        assert "esc Back" in rows  # the help's own key, from the same panel
        page = app.screen.query_one("#help")
        for width, height in SIZES:  # how far it scrolls depends on the terminal's height
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            await pilot.press("end")  # the panel scrolls with the prose: its last rows come into sight
            await pilot.pause()
            assert page.max_scroll_y > 0 and page.scroll_y == page.max_scroll_y, height
            assert page.region.bottom <= height - 1  # above the footer
        await pilot.press("n")  # listed, not run: the help is no place to end a week
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.session.week == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_remapped_in_keymap_toml_work_and_the_help_shows_the_new_keys(home):
    """keymap.toml moves keys: the help names the new ones (and not the old), the dashboard
    takes them, and a line naming no binding is told, not a crash."""
    (home / "keymap.toml").write_text('end-week = "space"\nmarket = "u"\nno-such-binding = "x"\n')
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        rows = key_panel(pilot)
        assert "space End the week (hot seat: end your turn)" in rows
        assert "u Buy GPUs: the market" in rows
        assert not any(r.startswith("n End the week") or r.startswith("m Buy GPUs") for r in rows)
        await pilot.press("escape")
        await pilot.press("u")  # and the dashboard takes the key the help names
        await pilot.pause()
        assert type(app.screen).__name__ == "MarketScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("space")
        assert app.session.week == 1
        assert any("no-such-binding" in str(n.message) for n in app._notifications)  # told, not crashed


async def test_the_dashboards_hints_follow_a_keymap_change():
    """The hints in the dashboard's texts are written in the keys Textual binds now: a
    keymap changed while playing moves them too."""
    session = Session.new()
    session.end_week()  # week 2: the last run is in post-training, no run under way
    session.end_week()
    app = AgiRaceApp(session=session)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "(t: plan one)" in str(screen.query_one("#alerts").render())
        app.update_keymap({"training": "u"})
        screen.refresh_view()
        await pilot.pause()
        alerts = str(screen.query_one("#alerts").render())
        assert "(u: plan one)" in alerts and "(t: plan one)" not in alerts
        assert await unseen_at_each_size(pilot, "alerts") == []
        await pilot.press("u")
        await pilot.pause()
        assert type(app.screen).__name__ == "TrainingScreen"
