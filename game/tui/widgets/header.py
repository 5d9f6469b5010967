"""The header: one line with the screen's title and sub-title, built on Textual's public
API (a Static that watches the titles), so that a title set after its screen was
switched away (a busy machine, a quick key) has nothing left to fail on."""

from __future__ import annotations

from textual.dom import NoScreen
from textual.widgets import Static


class GameHeader(Static):
    """The title and sub-title of the screen it sits on (the app's when the screen has
    none), formatted by the app's `format_title`."""

    DEFAULT_CSS = """
    GameHeader {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._show_title, init=False)
            self.watch(owner, "sub_title", self._show_title, init=False)
        self._show_title()

    def _show_title(self) -> None:
        try:
            screen = self.screen
        except NoScreen:  # already taken off its screen
            return
        title = screen.title if screen.title is not None else self.app.title
        sub = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        self.update(self.app.format_title(title, sub))
