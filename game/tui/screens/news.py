"""The news log: every item this player may see, newest first, to scroll through."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.tui import bindings
from game.tui.screens.base import GameScreen, plain, styled


class NewsScreen(GameScreen):
    BINDINGS = bindings.FORM

    def body(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static(styled("[b]News[/b] (newest first)"), classes="form-title")
            yield Static(id="log", markup=False)

    def refresh_view(self) -> None:
        items = [n for n in self.session.news if n.seen_by(self.lab)]
        lines = [
            plain(f"week {n.week} ({self.session.params.date_of(n.week):%d %b %Y}): {n.text}")
            for n in reversed(items)
        ]
        self.query_one("#log", Static).update(Content("\n").join(lines) if lines else plain("No news yet."))
