"""Modal dialogs: a yes/no question, quitting with unsaved play, and the hand-over
between two players."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.tui import bindings


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question that returns the answer."""

    BINDINGS = bindings.CONFIRM

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", id="yes", variant="error", compact=True)
                yield Button("No (n)", id="no", variant="primary", compact=True)

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class QuitScreen(ModalScreen[str]):
    """Quitting would lose play: save and quit ("save"), quit ("quit"), or stay ("").
    Save and quit is offered only when a save would keep something (`can_save`: weeks
    ended since the last save; a save never holds this week's decisions)."""

    BINDINGS = bindings.QUIT

    def __init__(self, question: str, can_save: bool = True) -> None:
        super().__init__()
        self.question = question
        self.can_save = can_save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                if self.can_save:
                    yield Button("Save and quit (s)", id="save-quit", variant="primary", compact=True)
                yield Button("Quit (y)", id="quit", variant="error", compact=True)
                yield Button("Back (n)", id="stay", compact=True)

    @on(Button.Pressed, "#save-quit")
    def action_save_quit(self) -> None:
        if self.can_save:
            self.dismiss("save")

    @on(Button.Pressed, "#quit")
    def action_quit(self) -> None:
        self.dismiss("quit")

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        self.dismiss("")


class HandoverScreen(ModalScreen[None]):
    """Two players, one terminal: the screen hides the last player's lab until the next
    one says they are ready. Quit (q) and save (ctrl+s) work here too; neither shows the
    next player's lab."""

    BINDINGS = bindings.HANDOVER

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.text, markup=False)
            yield Button("Ready (enter)", id="ready", variant="primary", compact=True)

    @on(Button.Pressed, "#ready")
    def action_ready(self) -> None:
        self.dismiss(None)
