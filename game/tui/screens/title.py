"""The title screen: a new game or a saved one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

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
    Label,
    Select,
    Static,
)

from game.catalog import Catalog
from game.play.session import Refused, Session
from game.tui.format import parse_number
from game.tui.screens.help import HelpScreen

if TYPE_CHECKING:
    from game.tui.app import AgiRaceApp


# ---------------------------------------------------------------------- title
class TitleScreen(Screen):
    """New game (scenario, lab, rival difficulty, seed) or load a save."""

    BINDINGS = [
        Binding("ctrl+n", "new", "New game", id="new-game"),
        Binding("ctrl+q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(
        self, catalog: Catalog, scenarios: list[tuple[str, str, str]], saves: list[tuple[str, str]]
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.scenarios = scenarios  # (name, title, description)
        self.saves = saves  # (label, path)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="title"):
            yield Static(
                "[b]AGI RACE[/b]  buy GPUs, build power, strike deals, train models, reach AGI first",
                id="banner",
            )
            yield Label("Scenario")
            yield Select(
                [(title, name) for name, title, _ in self.scenarios],
                value=self.scenarios[0][0],
                id="scenario",
                allow_blank=False,
            )
            yield Static(self.scenarios[0][2], id="description")
            yield Label("Your lab")
            yield Select(
                [("xAI", "xai"), ("OpenAI", "openai"), ("Both (two players, hot seat)", "both")],
                value="xai",
                id="lab",
                allow_blank=False,
            )
            yield Label("Rival difficulty")
            yield Select(
                [(d.title(), d) for d in self.catalog.difficulty_ids],
                value="normal",
                id="difficulty",
                allow_blank=False,
            )
            yield Label("Seed (optional)")
            yield Input(placeholder="the scenario's own", id="seed", type="integer")
            yield Static("", id="title-error", classes="error")
            with Horizontal(id="title-buttons"):
                yield Button("New game", id="new", variant="primary")
                yield Button("How to play", id="how")
                yield Button("Quit", id="quit")
            yield Label("Load a save")
            if self.saves:
                yield Select(
                    [(label, path) for label, path in self.saves], id="load-choice", prompt="choose a save"
                )
                yield Button("Load", id="load")
            else:
                yield Static("(no saves yet)")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new", Button).focus()

    @on(Select.Changed, "#scenario")
    def _describe(self, event: Select.Changed) -> None:
        for name, _, description in self.scenarios:
            if name == event.value:
                self.query_one("#description", Static).update(description)

    def action_new(self) -> None:
        self._new()

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        scenario = self.query_one("#scenario", Select).value
        lab = self.query_one("#lab", Select).value
        difficulty = self.query_one("#difficulty", Select).value
        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(parse_number(seed_text, "seed", 0, 2**63 - 1, integer=True)) if seed_text else None
            humans = ("xai", "openai") if lab == "both" else (str(lab),)
            session = Session.new(
                str(scenario), humans=humans, difficulty=str(difficulty), seed=seed, catalog=self.catalog
            )
        except (Refused, ValueError) as err:
            self.query_one("#title-error", Static).update(str(err))
            return
        cast("AgiRaceApp", self.app).start(session)

    @on(Button.Pressed, "#how")
    def _how(self) -> None:
        self.app.push_screen(HelpScreen())

    @on(Button.Pressed, "#load")
    def _load(self) -> None:
        choice = self.query_one("#load-choice", Select).value
        if choice is Select.NULL:
            self.query_one("#title-error", Static).update("choose a save to load")
            return
        cast("AgiRaceApp", self.app).load_game(Path(str(choice)), self.query_one("#title-error", Static))

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()
