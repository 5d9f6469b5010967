"""The odds: futures played by the AI from this week, in a worker that posts its
progress and its result as messages. Your lab is played in the futures by the AI style
closest to your recent moves, or by the style you pick. Leaving the screen stops them."""

from __future__ import annotations

import threading
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Select, Static
from textual.worker import get_current_worker

from game.tui import bindings
from game.tui.messages import ForecastDone, ForecastProgress
from game.tui.screens.base import GameScreen, styled
from game.tui.widgets.form import choice


def article(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


class ForecastScreen(GameScreen):
    BINDINGS = bindings.FORECAST
    FUTURES = 400
    HORIZON: int | None = None  # to the end of the game (futures stop when someone wins)

    def body(self) -> ComposeResult:
        s = self.session
        guessed = s.guessed_styles()[s.params.lab_ids[self.lab]]
        options = [(f"as you have played lately ({article(guessed)})", "")]
        options += [(f"as {article(style)}", style) for style in s.catalog.style_ids]
        with VerticalScroll(classes="form"):
            yield Static(
                styled("[b]The odds from here[/b]: the AI plays every lab in the futures"),
                classes="form-title",
            )
            yield choice("as", options, value="", prompt="Your lab in the futures")
            yield Static("", id="odds", markup=False)

    def on_mount(self) -> None:
        self.cancelled = False
        self.result: Any = None  # the last forecast played, even if cut short
        self.finished = threading.Event()  # set when a run of futures has ended (played or stopped)
        super().on_mount()
        self.action_run()

    @on(Select.Changed, "#as")
    def _restyle(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        self.cancelled = False
        self.finished.clear()
        style = self.query_one("#as", Select).value
        lab = self.session.params.lab_ids[self.lab]
        self.futures_styles = {lab: str(style)} if style else {}
        self._progress(0)
        self._compute(dict(self.futures_styles))

    def action_leave(self) -> None:
        self.cancelled = True  # leaving the screen stops its futures
        self.dismiss()

    def on_unmount(self) -> None:
        self.cancelled = True

    def _progress(self, played: int) -> None:
        s = self.session
        weeks = self.HORIZON if self.HORIZON is not None else s.params.last_week + 1 - s.week
        ahead = "to the end of the game" if self.HORIZON is None else f"up to {self.HORIZON} weeks ahead"
        self.show(
            "odds",
            f"Playing {self.FUTURES} futures {ahead}: week {played} of at most {weeks}... (esc cancels)",
        )

    def on_forecast_progress(self, message: ForecastProgress) -> None:
        if not self.cancelled:
            self._progress(message.weeks)

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
                self.post_message(ForecastProgress(played))
            return stop()

        try:
            fc = self.session.forecast(
                futures=self.FUTURES, weeks=self.HORIZON, styles=styles, should_stop=week_done
            )
            self.result = fc
            if not worker.is_cancelled:
                self.post_message(ForecastDone(fc, stop()))
        finally:
            self.finished.set()

    def on_forecast_done(self, message: ForecastDone) -> None:
        if message.cancelled:
            return
        fc, s = message.forecast, self.session
        p = s.params
        played_as = s.guessed_styles() | self.futures_styles
        for other in s.humans:  # another player's style is read from their private log: not shown
            if other != p.lab_ids[self.lab]:
                played_as[other] = "as they have played"
        lines = [
            f"{fc.futures} futures, {fc.weeks_played} weeks ahead",
            "played as: " + ", ".join(f"{s.lab_name(i)} {played_as[lab]}" for i, lab in enumerate(p.lab_ids)),
        ]
        for i in range(p.n_labs):
            you = "  <- you" if i == self.lab else ""
            lines.append(f"{s.lab_name(i):<16} wins {fc.win[i]:6.1%} {'█' * round(fc.win[i] * 30)}{you}")
        if fc.no_winner >= 0.0005:  # futures the forecast stopped before they were decided
            stop = p.date_of(s.week + fc.weeks_played)
            lines.append(
                f"{'still racing':<16}      {fc.no_winner:6.1%} on {stop:%d %b %Y}, when the forecast stops"
            )
        lines.append(f"bankruptcy risk for you: {fc.bankrupt[self.lab]:.1%} (your bankruptcy ends the game)")
        if fc.on_points >= 0.005:
            lines.append(
                f"In {fc.on_points:.0%} of futures nobody reaches AGI: the best model at the end wins on points."
            )
        if fc.agi_weeks.size:
            lines.append("")
            lines.append(f"When AGI lands ({fc.agi_share:.0%} of futures), by quarter:")
            quarters: dict[str, int] = {}
            for week in fc.agi_weeks:
                d = p.date_of(int(week))
                key = f"{d.year} Q{(d.month - 1) // 3 + 1}"
                quarters[key] = quarters.get(key, 0) + 1
            top = max(quarters.values())
            for key, n in sorted(quarters.items()):
                share = n / fc.futures
                label = f"{share:.0%}" if f"{share:.0%}" != "0%" else "<1%"  # a bar is never "0%"
                lines.append(f"  {key}  {'█' * max(1, round(n / top * 30))} {label}")
        self.show("odds", "\n".join(lines))
