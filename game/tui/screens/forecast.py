"""The odds: futures played by the AI from this week (your lab plays its week as booked,
then the AI plays it in the style closest to your recent moves, or the one you pick).
A first estimate comes from a small wave of futures, then waves twice as large sharpen
it on worker processes, each shown with its 95% interval, until every lab's is within
+-2 points or 2,000 futures are played. A what-if plays a variant of your week on the
same futures and shows the difference it makes. Leaving the screen stops the futures
and their processes."""

from __future__ import annotations

import concurrent.futures as cf
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Select, Static
from textual.worker import get_current_worker

from game.batch.futures import FuturesPool
from game.play import market, risk, views
from game.play import odds as play_odds
from game.play.decisions import RaiseRound, Refused
from game.play.words import odds as say_odds
from game.tui import bindings, bounds
from game.tui.ahead import waited
from game.tui.messages import ForecastProgress
from game.tui.screens.base import GameScreen, error, styled
from game.tui.widgets.form import choice, number, rebound, row

# What each AI style does (assets/policies.toml), so "OpenAI partner" says what it means.
STYLES = {
    "builder": "buys GPUs and builds its own halls",
    "partner": "rents from clouds first",
    "incumbent": "buys and rents at a steady pace",
}
AMOUNTS = {"buy": "10k", "run": "1e26", "raise": "1B"}  # what the amount field starts at
RUNWAY_CONTRAST = 0.1  # from this bankruptcy share the odds say why the runway reads otherwise


def article(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


class OddsWave(Message):
    """A wave of the odds' futures is played (`odds`: engine.odds.Odds)."""

    def __init__(self, odds: Any, run: int) -> None:
        super().__init__()
        self.odds = odds
        self.run = run


class WhatIfWave(Message):
    """A wave of a what-if is played (`what_if`: engine.odds.WhatIf)."""

    def __init__(self, what_if: Any, words: str) -> None:
        super().__init__()
        self.what_if = what_if
        self.words = words


class ForecastScreen(GameScreen):
    BINDINGS = bindings.FORECAST
    FUTURES = play_odds.FUTURES  # at most this many futures...
    TARGET = play_odds.TARGET  # ...or fewer once every lab's 95% interval is within +-TARGET
    FIRST_WAVE = play_odds.FIRST_WAVE
    WORKERS = 2  # processes for the waves after the first
    HORIZON: int | None = None  # to the end of the game (futures stop when someone wins)

    def body(self) -> ComposeResult:
        s = self.session
        guessed = s.guessed_styles()[s.params.lab_ids[self.lab]]
        options = [(f"as you have played lately ({article(guessed)})", "")]
        options += [(f"as {article(style)}", style) for style in s.catalog.style_ids]
        with VerticalScroll(classes="form"):
            yield Static(
                styled("[b]The odds from here[/b]: your week as booked, then the AI plays every lab"),
                classes="form-title",
            )
            yield choice("as", options, value="", prompt="Your lab in the futures")
            yield row("What if (w)", choice("whatif", self._variants(), prompt="a change to your week"))
            yield row(
                "Amount",
                number("amount", bounds.WHAT_IF["buy"], "", "GPUs, FLOP or $"),
                "GPUs, a run's FLOP, a round's $",
            )
            yield Static("", id="whatif-result", markup=False)
            yield Static("", id="odds", markup=False)

    def _variants(self) -> list[tuple[str, str]]:
        """The what-ifs on offer: an order of each GPU on sale, a run started now, a round
        (or skipping the booked one), and the week without each booked decision."""
        s, p = self.session, self.session.params
        options = [
            (f"you also buy {r.id} GPUs", f"buy:{r.id}") for r in market.market_rows(self.turn) if r.on_sale
        ]
        options.append(("you start a run now (FLOP)", "run"))
        book = s.book(self.lab)
        if not any(isinstance(d, RaiseRound) for d in book):
            options.append(("you also raise a round ($)", "raise"))
        for k, d in enumerate(book):
            words = "you skip the round" if isinstance(d, RaiseRound) else f"without: {d.label(p)}"
            options.append((words, f"drop:{k}"))
        return options

    def on_mount(self) -> None:
        self.cancelled = False
        self.result: Any = None  # the last forecast shown (every whole wave so far)
        self.odds: Any = None  # the last odds shown (engine.odds.Odds)
        self.finished = threading.Event()  # set when a run of futures has ended (played or stopped)
        self.closed = threading.Event()  # set when the worker processes have exited
        self.closed.set()
        self.pool: FuturesPool | None = None
        self.start: play_odds.Start | None = None
        self.ahead: cf.Future[Any] | None = None  # the first wave, if the app played it ahead
        self.runs = 0
        self.style: Any = None  # the style the last run played the player's lab as
        super().on_mount()
        self.action_run()

    @on(Select.Changed, "#as")
    def _restyle(self, event: Select.Changed) -> None:
        if event.value != self.style:  # (the select's first value, as it mounts, is the run started)
            self.action_run()

    @on(Input.Submitted, "#amount")
    def _amount_entered(self) -> None:
        self.action_what_if()

    @on(Select.Changed, "#whatif")
    def _whatif_kind(self, event: Select.Changed) -> None:
        kind = str(event.value).split(":")[0]
        field = self.query_one("#amount", Input)
        if kind in bounds.WHAT_IF:
            rebound(field, bounds.WHAT_IF[kind])
        with self.prevent(Input.Changed):
            field.value = AMOUNTS.get(kind, "")
        if kind in AMOUNTS and self.is_mounted:  # its amount next: typed over, Enter plays it
            field.focus()
            field.select_all()
            self.show("whatif-result", "Type the amount, then Enter plays the what-if on the same futures.")

    @on(Input.Changed, "#amount")
    def _amount_typed(self, event: Input.Changed) -> None:
        """What is wrong with the amount as it is typed (the what-if would refuse it)."""
        result = event.validation_result
        wrong = result.failure_descriptions[0] if result is not None and result.failure_descriptions else ""
        self.show("whatif-result", error(wrong) if wrong else "")

    def _new_pool(self) -> FuturesPool:
        """A fresh pool for a new run; the old one's futures stop and its processes exit."""
        self._stop_pool()
        self.pool = FuturesPool(self.WORKERS)
        self.closed.clear()
        return self.pool

    def _stop_pool(self) -> None:
        pool, self.pool = self.pool, None
        if pool is None:
            return
        pool.stop()  # never waits: the processes stop within a week of their futures
        closed = self.closed

        def close() -> None:
            pool.shutdown(wait=True)
            closed.set()

        threading.Thread(target=close, name="odds-pool", daemon=True).start()

    def action_run(self) -> None:
        self.cancelled = False
        self.finished.clear()
        self.runs += 1
        style = self.style = self.query_one("#as", Select).value
        lab = self.session.params.lab_ids[self.lab]
        styles = {lab: str(style)} if style else {}
        self.start = play_odds.Start.of(self.session, self.lab, styles)
        self.ahead = self._played_ahead(self.start)
        self.odds = self.result = None
        self.show("whatif-result", "")
        self._progress(0)
        self._compute(self.start, self._new_pool(), self.runs)

    def _played_ahead(self, start: play_odds.Start) -> cf.Future[Any] | None:
        """The first wave of `start` if the app played it ahead (game/tui/ahead.py); the
        app plays ahead from now on, since the player asks for odds."""
        ahead = getattr(self.app, "odds_ahead", None)
        if ahead is None:
            return None
        ahead.asked = True
        same = self.HORIZON is None and self.FIRST_WAVE == ahead.first_wave
        return ahead.take(start) if same else None

    def action_leave(self) -> None:
        self._stop()
        self.dismiss()

    def on_unmount(self) -> None:
        self._stop()

    def _stop(self) -> None:
        self.cancelled = True  # leaving the screen stops its futures
        self._stop_pool()

    def _horizon(self) -> str:
        return "to the end of the game" if self.HORIZON is None else f"up to {self.HORIZON} weeks ahead"

    def _progress(self, played: int) -> None:
        s = self.session
        weeks = self.HORIZON if self.HORIZON is not None else s.params.last_week + 1 - s.week
        self.show(
            "odds",
            f"A first estimate: {min(self.FIRST_WAVE, self.FUTURES)} futures {self._horizon()}, "
            f"week {played} of at most {weeks}... (esc leaves)",
        )

    def on_forecast_progress(self, message: ForecastProgress) -> None:
        if not self.cancelled and self.odds is None:
            self._progress(message.weeks)

    def _stopper(self) -> Callable[[], bool]:
        worker = get_current_worker()  # a newer run (another style) cancels this one

        def stop() -> bool:
            return self.cancelled or worker.is_cancelled

        return stop

    @work(thread=True, exclusive=True, group="forecast")
    def _compute(self, start: play_odds.Start, pool: FuturesPool, run: int) -> None:
        stop = self._stopper()
        played = 0

        def week_done() -> bool:  # heard each week of the first wave: stop now?
            nonlocal played
            played += 1
            if played % 10 == 0 and not stop():
                self.post_message(ForecastProgress(played))
            return stop()

        try:
            waves = play_odds.odds(
                start, self.TARGET, self.FUTURES, self.FIRST_WAVE, self.HORIZON, executor=pool,
                workers=pool.workers, should_stop=week_done,
                ahead=None if self.ahead is None else partial(waited, self.ahead, stop),
            )  # fmt: skip
            for odds in waves:
                if stop():
                    break
                self.result = odds.forecast
                self.post_message(OddsWave(odds, run))
                if not odds.last and not pool.started:
                    pool.warm()  # the next waves go to the processes: start them now
        except (cf.CancelledError, BrokenProcessPool, RuntimeError):
            if not stop():  # a pool stopped by leaving; anything else is a failure
                raise
        finally:
            self.finished.set()

    def on_odds_wave(self, message: OddsWave) -> None:
        if self.cancelled or message.run != self.runs:
            return
        self.odds = message.odds
        self.show("odds", "\n".join(self._lines(message.odds)))

    def _lines(self, odds: Any) -> list[str]:
        fc, s = odds.forecast, self.session
        p = s.params
        played_as = dict(self.start.played_as if self.start is not None else s.guessed_styles())
        for other in s.humans:  # another player's style is read from their private log: not shown
            if other != p.lab_ids[self.lab]:
                played_as[other] = "as they have played"
        half = odds.half_width() * 100
        if not odds.last:
            state = f"sharpening: every lab within +-{half:.1f} points so far, more futures coming"
        elif odds.why == "target":
            state = f"every lab within +-{half:.1f} points"
        else:
            state = f"every lab within +-{half:.1f} points ({odds.why})"
        booked = len(self.start.book or ()) if self.start is not None else 0
        styles = [st for st in STYLES if st in played_as.values()]
        lines = [
            f"{fc.futures:,} futures, {fc.weeks_played} weeks ahead: {state}",
            f"your week as booked ({booked} decision{'s' if booked != 1 else ''}); played as: "
            + ", ".join(f"{s.lab_name(i)} {played_as[lab]}" for i, lab in enumerate(p.lab_ids))
            + (f" ({'; '.join(f'{st}: {STYLES[st]}' for st in styles)})" if styles else ""),
        ]
        # one column for the names and one for the bands, as wide as the widest
        spans = [f"({odds.low[i]:.0%}-{odds.high[i]:.0%})" for i in range(p.n_labs)]
        wide = max(len("still racing"), *(len(s.lab_name(i)) for i in range(p.n_labs)))
        band = max(len(x) for x in spans)
        for i in range(p.n_labs):
            you = " <- you" if i == self.lab else ""
            lines.append(
                f"{s.lab_name(i):<{wide}} wins {fc.win[i]:6.1%} {spans[i]:<{band}} {'█' * round(fc.win[i] * 20)}{you}"
            )
        if fc.no_winner >= 0.0005:  # futures the forecast stopped before they were decided
            stop = p.date_of(s.week + fc.weeks_played)
            lines.append(
                f"{'still racing':<{wide}}      {fc.no_winner:6.1%} on {stop:%d %b %Y}, when the forecast stops"
            )
        broke = float(fc.bankrupt[self.lab])
        style = played_as[p.lab_ids[self.lab]]
        style = style if style.startswith("as ") else f"as {article(style)}"
        stop = f"{p.date_of(s.week + fc.weeks_played):%d %b %Y}"  # as "still racing" says it
        runway = self._runway() if broke >= RUNWAY_CONTRAST else None
        lines.append(say_odds.bankruptcy(broke, stop, style, runway))
        if fc.on_points >= 0.005:
            lines.append(
                f"In {fc.on_points:.0%} of futures nobody reaches AGI: the best model wins on points."
            )
        if fc.agi_weeks.size:
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
        return lines

    def _runway(self) -> str:
        """The runway in the dashboard's words: after this week's orders if any (the odds
        play the week as booked)."""
        t = self.turn
        if t.book:
            return f"{risk.runway_text(risk.runway_weeks(t, t.preview.world))} after orders"
        credit = " with credit" if views.lab_view(t).credit >= 1e6 else ""
        return f"{risk.runway_text(risk.runway_weeks(t))}{credit}"

    # ---------------------------------------------------------------- what-if
    def action_what_if(self) -> None:
        choices = self.query_one("#whatif", Select)
        if choices.value is Select.BLANK or choices.value is Select.NULL:  # none picked: the list opens
            choices.focus()
            choices.action_show_overlay()
            self.show("whatif-result", "Pick a what-if (arrows, Enter), then w plays it on the same futures.")
            return
        try:
            variant = self._variant()
        except Refused as why:
            self.show("whatif-result", error(str(why)))
            return
        if self.start is None:
            return
        known = self.odds.forecast if self.odds is not None else None
        self.workers.cancel_group(self, "forecast")  # the odds so far stay; the what-if plays
        if self.odds is None or not self.odds.last:
            shown = self._lines(self.odds) if self.odds is not None else []
            self.show("odds", "\n".join([*shown, "The odds stopped for the what-if: r plays them again."]))
        pool = self._new_pool()  # the odds' futures still playing stop with the old one
        self.show("whatif-result", f"What if {variant.words}: playing the same futures...")
        self._compare(self.start, variant, known, pool)

    def _variant(self) -> play_odds.Variant:
        value = self.query_one("#whatif", Select).value
        if value is Select.BLANK or value is Select.NULL:
            raise Refused("pick a what-if first")
        kind, _, arg = str(value).partition(":")
        s, p = self.session, self.session.params
        start = self.start
        if start is None:
            raise Refused("the odds are not ready")
        text = self.query_one("#amount", Input).value.strip()
        if kind in bounds.WHAT_IF:
            bounds.WHAT_IF[kind].parse(text)  # the words the field says while typing
        if kind == "drop":
            return play_odds.Variant.without(start.book or (), int(arg), p)
        if kind == "buy":
            return play_odds.Variant.also(play_odds.parse_decision(f"buy {text} {arg}", p), p)
        if kind in ("run", "raise"):
            return play_odds.Variant.also(play_odds.parse_decision(f"{kind} {text}", p), p)
        raise Refused(f"unknown what-if {value!r} for {s.lab_name(self.lab)}")

    @work(thread=True, exclusive=True, group="whatif")
    def _compare(
        self, start: play_odds.Start, variant: play_odds.Variant, known: Any, pool: FuturesPool
    ) -> None:
        stop = self._stopper()
        try:
            waves = play_odds.what_if(
                start, variant, self.TARGET, self.FUTURES, self.FIRST_WAVE, self.HORIZON, executor=pool,
                workers=pool.workers, should_stop=stop, known=known,
            )  # fmt: skip
            for w in waves:
                if stop():
                    break
                self.post_message(WhatIfWave(w, variant.words))
        except Refused as why:
            self.post_message(WhatIfWave(None, str(why)))
        except (cf.CancelledError, BrokenProcessPool, RuntimeError):
            if not stop():
                raise

    def on_what_if_wave(self, message: WhatIfWave) -> None:
        if self.cancelled:
            return
        w = message.what_if
        if w is None:
            self.show("whatif-result", error(message.words))
            return
        name = self.session.lab_name(self.lab)
        more = "" if w.last else ", sharpening..."
        self.show(
            "whatif-result",
            f"What if {message.words}: {name} wins {w.book_win:.1%} -> {w.variant_win:.1%}, "
            f"{w.difference * 100:+.1f} points (95%: {w.low * 100:+.1f} to {w.high * 100:+.1f}) "
            f"on the same {w.futures:,} futures{more}"
            + (
                f"; two separate forecasts would say +-{w.independent_half_width * 100:.1f}."
                if w.independent_half_width > 0
                else "."
            ),
        )
