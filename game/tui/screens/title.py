"""The title screen: a new game (scenario, lab, rival difficulty, seed) or a saved one.
Fits 80x24 with every button in sight."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static

from game.catalog import Catalog
from game.play.decisions import Refused
from game.play.session import Session
from game.saves import SaveError, user_dir
from game.tui import bindings, bounds
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
                number("seed", bounds.SEED, placeholder="the scenario's own"),
                "a whole number: the same seed, the same game",
            )
            with Horizontal(id="title-buttons", classes="buttons"):
                yield Button("New game", id="new", variant="primary", compact=True)
                yield Button("How to play", id="how", compact=True)
                yield Button("Quit", id="quit", compact=True)
            yield Static("", id="title-error", markup=False)
            with Vertical(id="saves-row"):
                with Horizontal(id="saves-head"):
                    yield Static(styled("[b]Saved games[/b] (newest first)"), id="saves-title")
                    yield Button("Load", id="load", compact=True)
                    yield Button("Delete...", id="delete", variant="error", compact=True)
                yield choice(
                    "load-choice", [(label, path) for label, path in self.saves], prompt="choose a save"
                )
                yield Static(styled("[dim]in $folder[/]", folder=str(user_dir())), id="saves-folder")
            yield Static("No saves yet.", id="no-saves")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#new", Button).focus()
        self._show_saves()

    def _show_saves(self) -> None:
        has = bool(self.saves)
        self.query_one("#saves-row").display = has
        self.query_one("#no-saves").display = not has

    def _chosen(self) -> str | None:
        value = self.query_one("#load-choice", Select).value
        if value is Select.NULL:
            self.query_one("#title-error", Static).update(error("choose a save first"))
            return None
        return str(value)

    def action_saves(self) -> None:
        """The save list from anywhere on the title screen (it took a play-tester ten
        tabs): the newest save chosen and the focus on Load, so Enter loads it (shift+tab
        to the list picks another; choosing one puts the focus back on Load)."""
        if not self.saves:
            self.query_one("#title-error", Static).update(error("no saves yet: start a new game"))
            return
        chooser = self.query_one("#load-choice", Select)
        if chooser.is_blank():  # the newest, ready for Enter on Load (it opened on "choose a save")
            chooser.value = self.saves[0][1]
        load = self.query_one("#load", Button)
        load.focus()
        load.scroll_visible()

    @on(Select.Changed, "#load-choice")
    def _save_chosen(self, event: Select.Changed) -> None:
        if not event.select.is_blank():
            self.query_one("#load", Button).focus()

    def action_delete_save(self) -> None:
        self._delete()

    @on(Button.Pressed, "#delete")
    def _delete(self) -> None:
        from game.tui.screens.dialogs import ConfirmScreen

        path = self._chosen()
        if path is None:
            return
        label = next((label for label, p in self.saves if p == path), Path(path).name)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                Path(path).unlink()
            except OSError as err:
                self.query_one("#title-error", Static).update(
                    error(f"{Path(path).name}: not deleted ({err.strerror})")
                )
                return
            self.saves = [(l, p) for l, p in self.saves if p != path]
            self.query_one("#load-choice", Select).set_options(self.saves)
            self.query_one("#title-error", Static).update(f"Deleted {Path(path).name}.")
            self._show_saves()

        self.app.push_screen(
            ConfirmScreen(f"Delete the save {label}?\nThe file goes; this cannot be undone."), answer
        )

    @on(Select.Changed, "#scenario")
    def _describe(self, event: Select.Changed) -> None:
        for name, _, description in self.scenarios:
            if name == event.value:
                self.query_one("#description", Static).update(description)

    def action_new(self) -> None:
        self._new()

    @on(Input.Changed, "#seed")
    def _seed_typed(self, event: Input.Changed) -> None:
        """What is wrong with the seed as it is typed (a new game would refuse it)."""
        result = event.validation_result
        wrong = result.failure_descriptions[0] if result is not None and result.failure_descriptions else ""
        self.query_one("#title-error", Static).update(error(wrong) if wrong else "")

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        lab = self.query_one("#lab", Select).value
        seed_text = self.query_one("#seed").value.strip()  # type: ignore[attr-defined]
        try:
            seed = int(bounds.SEED.parse(seed_text)) if seed_text else None
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
        choice_ = self._chosen()
        if choice_ is None:
            return
        try:
            session = Session.load(Path(choice_), self.catalog)
        except SaveError as err:
            self.query_one("#title-error", Static).update(error(str(err)))
            return
        self.post_message(StartGame(session))

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()
