"""The odds screen: futures played in a worker."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import (
    Select,
    Static,
)
from textual.worker import get_current_worker

from game.tui.screens.decision import DecisionScreen


class ForecastScreen(DecisionScreen):
    """Your odds: futures played by the AI from this week, computed in a worker. Your
    lab is played in the futures by the AI style closest to your recent moves, or by the
    style you pick."""

    TITLE_TEXT = "Forecast: the odds from here (the AI plays every lab in the futures)"
    FUTURES = 400
    HORIZON: int | None = None  # to the end of the game (futures stop when someone wins)
    BINDINGS = [
        *(b for b in DecisionScreen.BINDINGS if not (isinstance(b, Binding) and b.key == "escape")),
        Binding("escape", "leave", "Back", id="back"),
        Binding("r", "run", "Run again", id="forecast-run"),
    ]

    def fields(self) -> ComposeResult:
        s = self.session
        guessed = s.guessed_styles()[s.params.lab_ids[self.lab]]
        options = [(f"as you have played lately (a {guessed})", "")]
        options += [(f"as a {style}", style) for style in s.catalog.style_ids]
        yield Select(options, value="", allow_blank=False, id="as", prompt="Your lab in the futures")
        yield Static("", id="odds")

    def on_mount(self) -> None:
        self.query_one("#confirm").display = False
        self.cancelled = False
        self.result: Any = None  # the last forecast played, even if cut short
        self.action_run()

    @on(Select.Changed, "#as")
    def _restyle(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        self.cancelled = False
        style = self.query_one("#as", Select).value
        lab = self.session.params.lab_ids[self.lab]
        self.futures_styles = {lab: str(style)} if style else {}
        self._progress(0)
        self._compute(dict(self.futures_styles))

    def action_leave(self) -> None:
        self.cancelled = True  # leaving the screen stops its futures
        self.app.pop_screen()

    def on_unmount(self) -> None:
        self.cancelled = True

    def _progress(self, played: int) -> None:
        s = self.session
        weeks = self.HORIZON if self.HORIZON is not None else s.params.last_week + 1 - s.week
        ahead = "to the end of the game" if self.HORIZON is None else f"up to {self.HORIZON} weeks ahead"
        self.query_one("#odds", Static).update(
            f"Playing {self.FUTURES} futures {ahead}: week {played} of at most {weeks}... (esc cancels)"
        )

    @work(thread=True, exclusive=True, group="forecast")
    def _compute(self, styles: dict[str, str]) -> None:
        worker = get_current_worker()  # a newer run (another style) cancels this one
        played = 0

        def stop() -> bool:
            return self.cancelled or worker.is_cancelled

        def week_done() -> bool:  # asked once a week of the futures: stop now?
            nonlocal played
            played += 1
            if played % 10 == 0 and not stop():
                self.app.call_from_thread(self._progress, played)
            return stop()

        fc = self.session.forecast(
            futures=self.FUTURES, weeks=self.HORIZON, styles=styles, should_stop=week_done
        )
        self.result = fc
        if not stop():
            self.app.call_from_thread(self._show, fc)

    def _show(self, fc: Any) -> None:
        s = self.session
        p = s.params
        played_as = s.guessed_styles() | self.futures_styles
        lines = [
            f"{fc.futures} futures, {fc.weeks_played} weeks ahead"
            + (" (cancelled early)" if self.cancelled else ""),
            "played as: " + ", ".join(f"{s.lab_name(i)} {played_as[lab]}" for i, lab in enumerate(p.lab_ids)),
        ]
        for i in range(p.n_labs):
            you = "  <- you" if i == self.lab else ""
            lines.append(f"{s.lab_name(i):<16} wins {fc.win[i]:6.1%} {'█' * round(fc.win[i] * 40)}{you}")
        lines.append(f"{'undecided':<16}      {fc.no_winner:6.1%}")
        lines.append(f"bankruptcy risk for you: {fc.bankrupt[self.lab]:.1%}")
        if fc.agi_weeks.size:
            lines.append("")
            lines.append(f"When AGI lands ({fc.agi_share:.0%} of futures), by quarter:")
            quarters: dict[str, int] = {}
            for week in fc.agi_weeks:
                d = p.date_of(int(week))
                key = f"{d.year} Q{(d.month - 1) // 3 + 1}"
                quarters[key] = quarters.get(key, 0) + 1
            top = max(quarters.values())
            for key, n in quarters.items():
                lines.append(f"  {key}  {'█' * max(1, round(n / top * 40))} {n / fc.futures:.0%}")
        self.query_one("#odds", Static).update("\n".join(lines))
