"""The end of the game."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Static,
)

if TYPE_CHECKING:
    from game.tui.app import AgiRaceApp


class GameOverScreen(Screen):
    BINDINGS = [
        Binding("n", "app.new_game", "New game", id="new-game"),
        Binding("q", "app.exit_now", "Quit", id="quit"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.text, id="game-over")
        with Horizontal(classes="buttons"):
            yield Button("New game", id="again", variant="primary")
            yield Button("Quit", id="quit")
        yield Footer()

    @on(Button.Pressed, "#again")
    def _again(self) -> None:
        cast("AgiRaceApp", self.app).action_new_game()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()
