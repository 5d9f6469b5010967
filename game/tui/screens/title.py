"""The title screen: a new game (scenario, lab, rival difficulty, seed) or a saved one.
Fits 80x24 with every button in sight."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Select, Static

from game.catalog import Catalog
from game.play.decisions import Refused
from game.play.session import Session
from game.saves import SaveError
from game.tui import bindings
from game.tui.format import parse_number
from game.tui.messages import StartGame
from game.tui.screens.base import error, styled
from game.tui.screens.help import HelpScreen
from game.tui.widgets.form import choice, number, row
from game.tui.widgets.header import GameHeader

LABS = [("xAI", "xai"), ("OpenAI", "openai"), ("Both (two players, one terminal)", "both")]


class TitleScreen(Screen):
    BINDINGS = bindings.TITLE

    def __init__(
        self,
        catalog: Catalog,
        scenarios: list[tuple[str, str, str]],
        saves: list[tuple[str, str]],
        lab: str = "xai",
        difficulty: str = "normal",
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.scenarios = scenarios  # (name, title, description)
        self.saves = saves  # (label, path)
        # The lab and rival difficulty chosen first (the last game's, after a game over).
        self.lab = lab if lab in {value for _, value in LABS} else "xai"
        self.difficulty = difficulty if difficulty in catalog.difficulty_ids else "normal"

    def compose(self) -> ComposeResult:
        yield GameHeader()
        with VerticalScroll(id="title"):
            yield Static(
                styled("[b]AGI RACE[/b]  buy GPUs, build power, strike deals, train models, reach AGI first"),
                id="banner",
            )
            yield row(
                "Scenario",
                choice(
                    "scenario",
                    [(title, name) for name, title, _ in self.scenarios],
                    value=self.scenarios[0][0],
                ),
            )
            yield Static(self.scenarios[0][2], id="description", markup=False)
            yield row("Your lab", choice("lab", LABS, value=self.lab))
            yield row(
                "Rival",
                choice(
                    "difficulty", [(d.title(), d) for d in self.catalog.difficulty_ids], value=self.difficulty
                ),
            )
            yield row(
                "Seed",
                number("seed", placeholder="the scenario's own"),
                "a whole number: the same seed, the same game",
            )
            with Horizontal(id="title-buttons", classes="buttons"):
                yield Button("New game", id="new", variant="primary", compact=True)
                yield Button("How to play", id="how", compact=True)
                yield Button("Quit", id="quit", compact=True)
            yield Static("", id="title-error", markup=False)
            if self.saves:
                with Horizontal(classes="row"):
                    yield choice(
                        "load-choice", [(label, path) for label, path in self.saves], prompt="load a save"
                    )
                    yield Button("Load", id="load", compact=True)
            else:
                yield Static("No saves yet.")
        yield Footer(compact=True)

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
        lab = self.query_one("#lab", Select).value
        seed_text = self.query_one("#seed").value.strip()  # type: ignore[attr-defined]
        try:
            seed = int(parse_number(seed_text, "seed", 0, 2**63 - 1, integer=True)) if seed_text else None
            session = Session.new(
                str(self.query_one("#scenario", Select).value),
                humans=("xai", "openai") if lab == "both" else (str(lab),),
                difficulty=str(self.query_one("#difficulty", Select).value),
                seed=seed,
                catalog=self.catalog,
            )
        except (Refused, SaveError) as err:
            self.query_one("#title-error", Static).update(error(str(err)))
            return
        self.post_message(StartGame(session))

    @on(Button.Pressed, "#how")
    def _how(self) -> None:
        self.app.push_screen(HelpScreen(self.catalog.rules.score))

    @on(Button.Pressed, "#load")
    def _load(self) -> None:
        choice_ = self.query_one("#load-choice", Select).value
        if choice_ is Select.NULL:
            self.query_one("#title-error", Static).update(error("choose a save to load"))
            return
        try:
            session = Session.load(Path(str(choice_)), self.catalog)
        except SaveError as err:
            self.query_one("#title-error", Static).update(error(str(err)))
            return
        self.post_message(StartGame(session))

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()
