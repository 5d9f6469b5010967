"""The app's guards of a player's game: saving in a worker (the screen stays live) and
rescuing a game when the app meets an error it did not expect (rescue.py writes the
files). Mixed into AgiRaceApp (game/tui/app.py), whose state they read: the session, the
autosave cadence, the trail of keys and the game before the last key."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App
from textual.worker import WorkerFailed

from game.catalog import Catalog
from game.play.session import Session
from game.play.words import plural
from game.saves import SaveError, describe
from game.tui import rescue
from game.tui.messages import SaveDone
from game.tui.screens import ConfirmScreen


class Saving(App):
    """Saves written in a worker from a snapshot of the game; SaveDone says how it went."""

    session: Session | None
    fast_forwarding: bool
    saving: bool
    autosave_weeks: int

    def tell(self, text: str, title: str = "") -> None:
        """A line for the player (the app says it on the dashboard; here, a notification)."""
        self.notify(text, title=title, markup=False)

    def _autosave_due(self, session: Session) -> bool:
        every = self.autosave_weeks
        return bool(every) and session.week % every == 0 and not session.over

    def action_save(self) -> None:
        self._start_save()

    def _start_save(self, autosave: bool = False, then_quit: bool = False) -> None:
        """Write a save of the game as it is now in a worker; SaveDone says how it went."""
        session = self.session
        if session is None or self.fast_forwarding:  # a week is being played: save after it
            return
        if self.saving and not autosave:
            self.notify("A save is being written; one moment.", timeout=2)
            return
        self.saving = self.saving or not autosave
        self._save_worker(session, session.snapshot(), autosave, then_quit)

    @work(thread=True, group="saves")
    def _save_worker(self, session: Session, copy: Session, autosave: bool, then_quit: bool) -> None:
        self._write_save(session, copy, autosave, then_quit)

    def _write_save(self, session: Session, copy: Session, autosave: bool, then_quit: bool) -> None:
        """Write `copy` (a snapshot of `session`) and post SaveDone. Any error is one line;
        a save that fails leaves the last one as it was (files are replaced atomically)."""
        path, error = None, ""
        try:
            path = copy.autosave() if autosave else copy.save()
        except SaveError as err:
            error = str(err)
        except Exception as err:  # a bug in saving: the game goes on, the player is told
            error = f"the save could not be written ({type(err).__name__}: {err})"
        self.post_message(SaveDone(session, copy, path, error, autosave, then_quit))

    def on_save_done(self, message: SaveDone) -> None:
        session, copy = message.session, message.copy
        if not message.autosave:
            self.saving = False
        if message.error:
            what = (
                "Autosave failed, the game goes on" if message.autosave else "Not saved; your last save stays"
            )
            self.notify(f"{what}: {message.error}", severity="error", markup=False, timeout=8)
            return
        if message.autosave:
            return
        game = self.session
        if game is not None and game is session:  # only the weeks played while it was written are unsaved
            game.unsaved_weeks = max(0, game.week - copy.week)
            if game.week == copy.week:
                game.saved_book = copy.saved_book  # a decision booked while it was written stays unsaved
        pending = sum(len(copy.book(lab)) for lab in copy.human_labs)
        note = f" (with this week's {plural(pending, 'booked decision')})" if pending else ""
        # the file's name (its folder is on the title screen's save list): at 80x24 the whole
        # path wrapped the notice to three lines
        name = message.path.name if message.path is not None else "the save"
        self.tell(f"{name}{note}", title="Saved")
        if message.then_quit and message.path is not None:
            self.quit_after_save(message.path)

    def quit_after_save(self, path: Path) -> None:
        """Save and quit: the save is written; quit (a browser game first delivers it)."""
        self.exit()


KEY_FLIGHT_SECONDS = 0.5  # the longest a key waits for the one typed before it


class Rescuing(App):
    """A crash never costs a week: the game before the failing key is saved, with a report,
    and the next start offers it back."""

    session: Session | None
    catalog: Catalog
    fast_forwarding: bool
    crash: rescue.Crash | None
    trail: deque[str]
    _before: Session | None
    start: Callable[[Session], None]  # AgiRaceApp's: play this game

    _in_flight: events.Key | None = None  # the last key handed to a widget, until it is done
    _flight_since: float = 0.0
    _waiting: deque[events.Key] | None = None  # keys typed behind one still on its way

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            await self._key(event)
            return
        if isinstance(event, events.MouseDown) and not event.is_forwarded:
            self._note_input(event)
        await super().on_event(event)

    async def _key(self, event: events.Key) -> None:
        """Keys act in the order typed. Textual hands a key to the focused widget and takes
        the next one at once, so a key's bindings could run after keys typed later (keys
        typed right after a screen's or a list's key went astray). A key that arrives while
        the one before is still with the widgets waits, with those behind it, in order
        (KEY_FLIGHT_SECONDS at most). Left: the screen stops a key as it hands it back to
        the app, and a key typed in that instant (an Esc a millisecond after Enter) can
        still go first."""
        if event.is_forwarded:  # back from the widgets: its bindings now, then it is done
            await super().on_event(event)
            if self._in_flight is event:
                self._in_flight = None
            await self._drain()
            return
        if self._waiting is None:
            self._waiting = deque()
        self._waiting.append(event)
        await self._drain()

    def _key_busy(self) -> bool:
        """Is the key handed to a widget still on its way (not back, not taken)?"""
        before = self._in_flight
        return (
            before is not None
            and not before._stop_propagation  # (a widget that takes a key stops it: done)
            and time.monotonic() - self._flight_since < KEY_FLIGHT_SECONDS
        )

    async def _drain(self) -> None:
        """The waiting keys, first typed first, while none is on its way; else later."""
        waiting = self._waiting
        while waiting and not self._key_busy():
            event = waiting.popleft()
            self._in_flight = None
            self._note_input(event)
            await super().on_event(event)
            if event.is_forwarded:  # handed to a widget: on its way until it is back or stopped
                self._in_flight, self._flight_since = event, time.monotonic()
        if waiting and not self._drain_due:  # the widgets' turn, then again
            self._drain_due = True
            self.set_timer(0.002, self._drain_later)

    _drain_due = False

    async def _drain_later(self) -> None:
        self._drain_due = False
        await self._drain()

    def _note_input(self, event: events.Key | events.MouseDown) -> None:
        """Before a key or a click does anything: keep it for a crash report, and keep the
        game as it is, for a rescue save if what it does fails."""
        where = type(self.screen_stack[-1]).__name__ if self.screen_stack else "-"
        what = event.key if isinstance(event, events.Key) else f"click at {event.x},{event.y}"
        self.trail.append(f"{where}: {what}")
        session = self.session
        if session is not None and not self.fast_forwarding and not session.playing:
            self._before = session.snapshot()

    def _handle_exception(self, error: Exception) -> None:
        """An exception nobody handled: rescue the game, then let Textual close the app
        with our one message instead of a traceback with local variables. (Textual 8 has
        no public hook for this; every path, handlers, workers and timers alike, calls this
        method: textual#2818.)"""
        if self.crash is not None:  # a second error while closing: the first one tells the story
            return
        cause = error.error if isinstance(error, WorkerFailed) else error
        before = self._before if self._before is not None and self.session is not None else None
        self.crash = rescue.write_rescue([before, self.session], cause, list(self.trail))
        crashed = rescue.Crashed(self.crash)
        crashed.__cause__ = cause
        super()._handle_exception(crashed)  # the exit code is 1; run_test raises it

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Run the app; after a crash, end the process with the app's non-zero code (the
        message with the rescue save and the report is printed by then)."""
        result = super().run(*args, **kwargs)
        if self.crash is not None:
            raise SystemExit(self.return_code or 1)
        return result

    def _offer_rescue(self) -> None:
        """The last game stopped on an error: offer to continue from its rescue save."""
        path = rescue.pending()
        if path is None:
            return
        info = describe(path, self.catalog)
        if info.damaged:
            kept = rescue.settle(path)
            self.notify(f"A rescue save cannot be loaded ({info.problem}); kept as {kept}", markup=False)
            return
        count = rescue.booked(path)
        booked = f", {plural(count, 'decision')} booked" if count else ""
        question = (
            f"Your last game stopped on an error. Continue it from the rescue save "
            f"({info.lab}, week {info.week}{booked})?"
        )
        self.push_screen(ConfirmScreen(question), lambda yes: self._answer_rescue(path, bool(yes)))

    def _answer_rescue(self, path: Path, yes: bool) -> None:
        if not yes:
            kept = rescue.settle(path)
            self.notify(f"The rescue save is kept with your saves (Load): {kept.name}", markup=False)
            return
        try:
            session, note = rescue.restore(path, self.catalog)
        except SaveError as err:
            kept = rescue.settle(path)
            self.notify(f"{err} (kept as {kept.name})", severity="error", markup=False)
            return
        rescue.settle(path)
        self.start(session)
        self.notify(note, markup=False, timeout=6)
