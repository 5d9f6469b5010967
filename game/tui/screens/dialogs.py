"""Modal dialogs: a yes/no question, the review of a binding step, quitting with unsaved
play, and the hand-over between two players."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
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


class ReviewScreen(ModalScreen[bool]):
    """The exact terms of a binding step (an offer a partner may sign at once, a loan, a
    round), what binds and what can still be undone; yes takes the step, no changes
    nothing."""

    BINDINGS = bindings.CONFIRM
    DEFAULT_CSS = """
    ReviewScreen { align: center middle; }
    ReviewScreen #dialog { border: thick $warning; width: 72; }
    ReviewScreen #review-terms { margin: 1 0; }
    """

    def __init__(self, title: str, terms: list[str], note: str, yes: str, enter_sends: bool = True) -> None:
        super().__init__()
        self.title_text, self.terms, self.note, self.yes = title, terms, note, yes
        self.enter_sends = enter_sends

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.from_markup("[b]$t[/b]", t=self.title_text), id="review-title")
            yield Static("\n".join(f"  {t}" for t in self.terms), id="review-terms", markup=False)
            yield Static(self.note, id="review-note", markup=False)
            with Horizontal(classes="buttons"):
                yes = Button(f"{self.yes} (y)", id="yes", variant="warning", compact=True)
                # A step that cannot be undone (a partner signs at once) takes y or a click:
                # its button never takes the focus, so no arrow or tab puts enter on it (a
                # play-tester pressed up, then enter, and sent an offer).
                yes.can_focus = self.enter_sends
                yield yes
                yield Button("Back (n)", id="no", variant="primary", compact=True)

    def on_mount(self) -> None:
        # enter, pressed twice out of habit, goes back and sends nothing
        self.query_one("#yes" if self.enter_sends else "#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class QuitScreen(ModalScreen[str]):
    """Quit ("quit"), leave for the title screen ("title"), or stay (""); when quitting
    would lose play (`lost`: what, in words), save and quit ("save") too. Asked even when
    nothing would be lost: after a save, q left the game at once, with no way to the title
    screen to load another."""

    BINDINGS = bindings.QUIT
    DEFAULT_CSS = """
    QuitScreen #dialog { width: 72; }
    QuitScreen .buttons Button { min-width: 10; }
    """  # four buttons on one line at 80 columns

    def __init__(self, lost: list[str]) -> None:
        super().__init__()
        self.question = (
            f"Quitting loses {' and '.join(lost)}. Quit anyway?"
            if lost
            else "Your game is saved. Quit, or go to the title screen to load or start another?"
        )
        self.can_save = bool(lost)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                if self.can_save:
                    yield Button("Save and quit (s)", id="save-quit", variant="primary", compact=True)
                yield Button("Quit (y)", id="quit", variant="error", compact=True)
                yield Button("Title (t)", id="title", compact=True)
                yield Button("Back (n)", id="stay", compact=True)

    @on(Button.Pressed, "#save-quit")
    def action_save_quit(self) -> None:
        if self.can_save:
            self.dismiss("save")

    @on(Button.Pressed, "#quit")
    def action_quit(self) -> None:
        self.dismiss("quit")

    @on(Button.Pressed, "#title")
    def action_title(self) -> None:
        self.dismiss("title")

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
