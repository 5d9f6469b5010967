"""The help lists the game's keys, and Textual's own (scrolling, focus, copying, the
palette) only last, under a heading that says whose they are."""

from __future__ import annotations

from rich.console import Console

from game.play.session import Session
from game.tui import bindings
from game.tui.app import AgiRaceApp
from game.tui.screens import HelpScreen
from game.tui.screens.help import HERE, TEXTUAL
from tests.tui_helpers import SIZES


def rows(pilot) -> list[str]:
    table = pilot.app.screen.query_one("#keys").query_one("BindingsTable")
    console = Console(width=200, color_system=None)
    with console.capture() as shown:
        console.print(table.render())
    return [" ".join(line.split()) for line in shown.get().splitlines() if line.strip()]


async def test_the_help_lists_the_games_keys_and_textuals_only_last_under_their_heading():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        page = app.screen.query_one("#help")
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            shown = rows(pilot)
            assert shown[0] == "On the dashboard" and shown.count(TEXTUAL) == 1, shown
            textual = shown.index(TEXTUAL)
            game, theirs = shown[:textual], shown[textual + 1 :]
            for b in bindings.HQ:  # every dashboard key among the game's
                assert any(r.endswith(b.tooltip or b.description) for r in game), b.id  # type: ignore[union-attr]
            assert HERE in game and "esc Back" in game and "^q Quit" in game
            for word in ("Scroll", "Page", "Focus", "Copy", "command palette"):
                assert not [r for r in game if word in r], (word, game)  # not before its heading
                assert [r for r in theirs if word in r], (word, theirs)
            await pilot.press("end")
            await pilot.pause()
            assert page.scroll_y == page.max_scroll_y  # the last group is reached, above the footer
            assert app.screen.query_one("#keys").region.bottom <= height - 1
