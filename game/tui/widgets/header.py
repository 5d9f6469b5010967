"""The header: Textual's, made safe to leave while it is still setting its title."""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.events import Mount
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class GameHeader(Header):
    """Textual's Header sets its title in a callback that can run after its screen has
    been switched away (a busy machine, a quick key): its children are gone and the
    query raised NoMatches (issue 13, CI). This one lets that title go."""

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # Textual's own handler would register the unsafe callback

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):
                pass

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
