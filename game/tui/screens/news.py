"""The news log: every item this player may see, newest first, to scroll through: the
player's own lab (and the game's news) first, then what every other lab did."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.play.news import NewsItem, is_mine
from game.tui import bindings
from game.tui.screens.base import GameScreen, plain, styled

SHOWN = 200  # items of each part the log lists (the newest)


class NewsScreen(GameScreen):
    BINDINGS = bindings.FORM

    def body(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static(styled("[b]Your lab[/b] (newest first)"), classes="form-title")
            yield Static(id="log", markup=False)
            yield Static(styled("\n[b]Every lab[/b]: rentals, rounds, releases"), classes="form-title")
            yield Static(id="others", markup=False)

    def _lines(self, items: list[NewsItem], empty: str) -> Content:
        date = self.session.params.date_of
        lines = [
            plain(f"week {n.week} ({date(n.week):%d %b %Y}): {n.text}") for n in reversed(items[-SHOWN:])
        ]
        return Content("\n").join(lines) if lines else plain(empty)

    def refresh_view(self) -> None:
        items = [n for n in self.session.news if n.seen_by(self.lab)]
        mine = [n for n in items if is_mine(n, self.lab)]
        others = [n for n in items if not is_mine(n, self.lab)]
        self.query_one("#log", Static).update(self._lines(mine, "No news yet."))
        self.query_one("#others", Static).update(self._lines(others, "No news of other labs yet."))
