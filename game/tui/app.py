"""The terminal game: a Textual app around one Session (B = 1)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

import tomli_w
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from game.catalog import Catalog, default_catalog
from game.paths import scenarios_dir
from game.play.session import Session
from game.saves import SaveError, load_scenario, user_dir, write_atomic
from game.tui.screens import (
    ConfirmScreen,
    DealsScreen,
    FinanceScreen,
    ForecastScreen,
    GameOverScreen,
    HelpScreen,
    HQScreen,
    MarketScreen,
    RivalsScreen,
    SitesScreen,
    TitleScreen,
    TrainingScreen,
)

DECISIONS = {
    "market": MarketScreen,
    "sites": SitesScreen,
    "deals": DealsScreen,
    "training": TrainingScreen,
    "finance": FinanceScreen,
    "rivals": RivalsScreen,
    "forecast": ForecastScreen,
    "help": HelpScreen,
}
FAST_FORWARD_LIMIT = 26


class AgiRaceApp(App):
    """AGI Race in the terminal."""

    TITLE = "AGI Race"
    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("ctrl+q", "request_quit", "Quit", id="app-quit", show=False)]

    def __init__(self, session: Session | None = None, catalog: Catalog | None = None) -> None:
        super().__init__()
        self.catalog = catalog or default_catalog()
        self.session: Session | None = session
        self.player = 0
        self.fast_forwarding = False
        self.autosave_every: int | None = None  # None: the session's default

    # --------------------------------------------------------------- screens
    def on_mount(self) -> None:
        if self.session is not None:
            self.start(self.session)
        else:
            self.push_screen(self.title_screen())

    def title_screen(self) -> TitleScreen:
        scenarios = []
        for path in sorted(scenarios_dir().glob("*.toml")):
            try:
                scn = load_scenario(path, self.catalog)
            except SaveError:
                continue
            scenarios.append((path.stem, scn.meta.title, scn.meta.description))
        saves = []
        for folder in (user_dir(), user_dir() / "autosave"):
            files = (
                sorted(folder.glob("*.toml"), key=lambda f: f.stat().st_mtime, reverse=True)
                if folder.is_dir()
                else []
            )
            for path in files[:20]:
                saves.append((self._describe_save(path), str(path)))
        return TitleScreen(self.catalog, scenarios, saves)

    def _describe_save(self, path: Path) -> str:
        """A save's line in the load list: date, week, lab, cash (or that it is damaged)."""
        try:
            scn = load_scenario(path, self.catalog)
        except SaveError:
            return f"{path.stem} (damaged: load it to see why)"
        lab = scn.humans[0] if scn.humans else scn.lab_ids[0]
        cash = scn.labs[lab]["start"].cash
        return f"{path.stem}: {scn.date.isoformat()} (week {scn.meta.week}), {self.catalog.lab(lab).name}, cash ${cash / 1e9:,.1f}B"

    def start(self, session: Session) -> None:
        self.session = session
        if self.autosave_every is not None:
            session.autosave_every = self.autosave_every
        humans = [session.params.lab_ids.index(h) for h in session.humans]
        self.player = humans[0] if humans else 0
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(HQScreen())
        else:
            self.push_screen(HQScreen())
        if session.over:
            self.show_game_over()

    def load_game(self, path: Path, error: Static) -> None:
        try:
            session = Session.load(path, self.catalog)
        except SaveError as err:
            error.update(str(err))
            return
        self.start(session)

    def action_open(self, name: str) -> None:
        if self.session is None or self.session.over:
            return
        self.push_screen(DECISIONS[name]())

    def refresh_hq(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HQScreen):
                screen.refresh_view()

    # ------------------------------------------------------------------ turns
    def action_end_week(self) -> None:
        if self.session is None or self.session.over or self.fast_forwarding:
            return
        humans = [self.session.params.lab_ids.index(h) for h in self.session.humans]
        if len(humans) > 1 and self.player != humans[-1]:
            self.action_next_player()  # hot seat: the next player decides before the week ends
            return
        self._play_week()
        if len(humans) > 1:
            self.player = humans[0]
        self.refresh_hq()

    def _play_week(self) -> None:
        session = self.session
        assert session is not None  # a week is played only in a game
        before = len(session.news)
        session.end_week()
        for _, text in session.news[before:]:
            if session.humans and any(session.lab_name(session.lab_index(h)) in text for h in session.humans):
                self.notify(text, timeout=4)
        if session.over:
            self.show_game_over()

    def action_next_player(self) -> None:
        if self.session is None:
            return
        humans = [self.session.params.lab_ids.index(h) for h in self.session.humans]
        if len(humans) > 1:
            self.player = humans[(humans.index(self.player) + 1) % len(humans)]
            self.notify(f"{self.session.lab_name(self.player)} to play")
            self.refresh_hq()

    def action_fast_forward(self) -> None:
        if self.fast_forwarding:  # pressed again: stop after this week
            self.fast_forwarding = False
            return
        if self.session is None or self.session.over:
            return
        self.fast_forwarding = True
        self.notify("Fast-forwarding until something needs you (f stops)...", timeout=2)
        self._fast_forward()

    @work(thread=True, exclusive=True, group="turns")
    def _fast_forward(self) -> None:
        session = self.session
        assert session is not None  # started only in a game
        try:
            for _ in range(FAST_FORWARD_LIMIT):
                if not self.fast_forwarding or session.over:
                    break
                report = session.end_week()
                lab = self.player
                if (
                    report.released[0].any()
                    or report.events[0, lab].any()
                    or report.delivered[0, lab].sum() > 0
                    or session.snapshot(lab)["runway"] < 12
                ):
                    break
        finally:
            self.fast_forwarding = False
            self.call_from_thread(self._after_fast_forward)

    def _after_fast_forward(self) -> None:
        self.refresh_hq()
        if self.session is not None and self.session.over:
            self.show_game_over()

    def show_game_over(self) -> None:
        session = self.session
        assert session is not None  # a game ended
        scores = session.scores()
        board = record_score(session, scores)
        lines = [f"[b]GAME OVER[/b]  {session.result()}", ""]
        for lab, points in scores.items():
            lines.append(f"{self.catalog.lab(lab).name}: {points:,.0f} points")
        lines += ["", f"[b]Hall of fame[/b] ({session.scenario.origin}, {session.scenario.meta.difficulty})"]
        lines += [f"{i + 1}. {e['lab']} {e['score']:,.0f} - {e['result']}" for i, e in enumerate(board[:5])]
        self.push_screen(GameOverScreen("\n".join(lines)))

    # ------------------------------------------------------------- save, quit
    def action_save(self) -> None:
        if self.session is None:
            return
        try:
            path = self.session.save(self.session.default_save_path())
        except SaveError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(f"Saved to {path}")

    def action_request_quit(self) -> None:
        if self.session is not None and self.session.unsaved_weeks and not self.session.over:
            weeks = self.session.unsaved_weeks

            def answer(quit_: bool | None) -> None:
                if quit_:
                    self.exit()

            self.push_screen(ConfirmScreen(f"{weeks} week(s) are not saved. Quit anyway?"), answer)
            return
        self.exit()

    def action_exit_now(self) -> None:
        self.exit()

    def action_new_game(self) -> None:
        self.session = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(self.title_screen())

    # --------------------------------------------------------- command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.session is None or self.session.over:
            return
        yield SystemCommand("End week", "Play the week", self.action_end_week)
        yield SystemCommand("Fast-forward", "Play weeks until something needs you", self.action_fast_forward)
        for name in DECISIONS:
            yield SystemCommand(name.title(), f"Open the {name} screen", lambda n=name: self.action_open(n))
        yield SystemCommand("Save game", "Save to your saves folder", self.action_save)


def hall_of_fame_path() -> Path:
    return user_dir() / "hall-of-fame.toml"


def record_score(session: Session, scores: dict[str, float]) -> list[dict]:
    """Add the human labs' scores to the local hall of fame; return this scenario and
    difficulty's board, best first."""
    path = hall_of_fame_path()
    try:
        data = tomllib.loads(path.read_text()) if path.exists() else {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        data = {}
    key = f"{session.scenario.origin}:{session.scenario.meta.difficulty}"
    board = [e for e in data.get(key, []) if isinstance(e, dict) and "score" in e]
    for lab in session.humans:
        board.append({"lab": lab, "score": scores[lab], "result": session.result(), "week": session.week})
    board.sort(key=lambda e: -float(e["score"]))
    data[key] = board[:20]
    try:
        write_atomic(path, tomli_w.dumps(data).encode())
    except SaveError:
        pass  # a read-only home folder must not end the game
    return board
