"""The base of the decision screens: a form that hands one kind of decision to the session."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Select,
    Static,
)

from game.play.session import Refused, Session

if TYPE_CHECKING:
    from game.tui.app import AgiRaceApp


# ------------------------------------------------------------------ decisions
class DecisionScreen(Screen):
    """A form that hands one kind of decision to the session."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("ctrl+s", "app.save", "Save", id="save"),
    ]
    TITLE_TEXT = ""

    @property
    def session(self) -> Session:
        session = cast("AgiRaceApp", self.app).session
        assert session is not None  # decision screens open only in a game
        return session

    @property
    def lab(self) -> int:
        return cast("AgiRaceApp", self.app).player

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="form"):
            yield Static(f"[b]{self.TITLE_TEXT}[/b]", classes="form-title")
            yield from self.fields()
            yield Static("", id="preview")
            yield Static("", id="message")
            with Horizontal(classes="buttons"):
                yield Button("Confirm", id="confirm", variant="primary")
                yield Button("Back", id="back")
        yield Footer()

    def fields(self) -> ComposeResult:
        yield from ()

    def decide(self) -> str:
        raise Refused("nothing to decide here")

    def preview(self) -> str:
        return ""

    def on_mount(self) -> None:
        self._update_preview()

    def _update_preview(self) -> None:
        try:
            text = self.preview()
        except Refused as err:
            text = f"[red]{err}[/red]"
        self.query_one("#preview", Static).update(text)

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self._update_preview()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted)
    def _confirm(self) -> None:
        message = self.query_one("#message", Static)
        try:
            text = self.decide()
        except Refused as err:
            message.update(f"[red]{err}[/red]")
            message.add_class("error")
            return
        message.update(text)
        message.remove_class("error")
        self.app.notify(text)

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.app.pop_screen()

    def value(self, widget_id: str) -> Any:
        widget: Any = self.query_one(f"#{widget_id}")  # an Input or a Select
        return widget.value
