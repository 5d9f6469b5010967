"""The odds' first wave, played ahead: once a player has asked for the odds in a game,
the app plays the first wave of the next position's odds on a background process while
the player reads the dashboard (a week starts, the book changes and settles), so the
odds screen shows its first estimate as it opens instead of after the seconds the
first wave takes to play to the end of the game.

The wave played ahead is the one the odds screen would play itself (the same start:
the world, the book, the styles guessed for the people's labs; the same numbered
futures, rebuilt from the game's save document on the process), so the odds are the
same whether it was played ahead or not. One process, started at the first ask and kept
for the game, at the lowest priority: it takes a core the player is not using, and a
wave already playing is never stopped (a newer position waits for it, then plays).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App

from game.batch import futures as batch_futures
from game.play import odds as play_odds
from game.play.session import Session

Forecast = Any  # a game.engine.forecast.Forecast (the screens import no engine module)
Key = tuple[int, int, tuple[Any, ...], tuple[tuple[str, str], ...]]


def key_of(start: play_odds.Start) -> Key:
    """What makes a first wave the same: the world (immutable: a week played makes a new
    one), the lab, its book and the styles the AI plays every lab with."""
    return (id(start.world), start.lab, tuple(start.book or ()), tuple(sorted(start.played_as.items())))


def waited(future: cf.Future[Forecast], should_stop: Callable[[], bool]) -> Forecast | None:
    """`future`'s wave once played, hearing `should_stop` (CancelledError if it says so);
    None if it failed (its process died): the odds screen then plays the wave itself."""
    while True:
        try:
            return future.result(timeout=0.05)
        except cf.TimeoutError:
            if should_stop():
                raise cf.CancelledError("the odds were left") from None
        except Exception:
            return None


def _serve(niceness: int, jobs: Any, results: Any) -> None:
    """The process: below everything the player runs, it plays each wave it is sent."""
    try:
        os.nice(niceness)
    except OSError:  # not permitted here: it runs at the app's priority
        pass
    batch_futures._hear(None)  # (the catalog loaded before the first wave)
    while (job := jobs.get()) is not None:
        number, wave = job
        try:
            results.put((number, batch_futures._range(wave), None))
        except Exception as err:  # the odds screen plays the wave itself
            results.put((number, None, f"{type(err).__name__}: {err}"))


class OddsAhead:
    """One process, at most one first wave playing and one waiting; the last played kept.
    `close` ends the process at once (a wave playing is dropped)."""

    def __init__(self, first_wave: int = play_odds.FIRST_WAVE, niceness: int = 19) -> None:
        self.first_wave = first_wave
        self.niceness = niceness  # how far below the app the process runs
        self.asked = False  # the player opened the odds in this game: worth playing ahead
        self.hits = 0  # odds screens that found their first wave played ahead
        self._lock = threading.Lock()
        self._process: Any = None
        self._jobs: Any = None
        self._sent = 0
        self._playing: tuple[Key, cf.Future[Forecast]] | None = None
        self._waiting: tuple[Key, play_odds.Start] | None = None
        self._done: tuple[Key, cf.Future[Forecast]] | None = None
        self._closed = False

    def play(self, start: play_odds.Start) -> None:
        """Play `start`'s first wave ahead (after the wave playing now, if any)."""
        key = key_of(start)
        with self._lock:
            if self._closed or start.spec is None:
                return
            if any(k == key for k, _ in filter(None, (self._playing, self._done))):
                return
            if self._playing is not None:
                self._waiting = (key, start)
                return
            self._send(key, start)

    def _send(self, key: Key, start: play_odds.Start) -> None:
        if self._process is None:
            batch_futures._start_resource_tracker()  # (the terminal app's stderr has no descriptor)
            context = multiprocessing.get_context("spawn")
            self._jobs, results = context.SimpleQueue(), context.SimpleQueue()
            self._process = context.Process(
                target=_serve, args=(self.niceness, self._jobs, results), name="odds-ahead", daemon=True
            )
            self._process.start()
            threading.Thread(target=self._hear, args=(results,), name="odds-ahead", daemon=True).start()
        assert start.spec is not None
        self._sent += 1
        future: cf.Future[Forecast] = cf.Future()
        self._playing = (key, future)
        self._jobs.put((self._sent, (start.spec, self.first_wave, 0, None, None, start.opening(start.book))))

    def _hear(self, results: Any) -> None:
        """The app's side: each wave played (or failed) settles its future."""
        while True:
            try:
                _, forecast, error = results.get()
            except (EOFError, OSError):  # the process is gone (closed)
                return
            with self._lock:
                if self._playing is None:
                    continue
                key, future = self._playing
                self._playing = None
                if error is None:
                    future.set_result(forecast)
                    self._done = (key, future)
                else:
                    future.set_exception(RuntimeError(error))
                waiting, self._waiting = self._waiting, None
                if waiting is not None and not self._closed:
                    self._send(*waiting)

    def take(self, start: play_odds.Start) -> cf.Future[Forecast] | None:
        """The first wave of `start` if it has been played ahead (one still playing, at
        the lowest priority, may take longer than playing it at once: None)."""
        key = key_of(start)
        with self._lock:
            held = self._done
            if held is None or held[0] != key or held[1].cancelled() or held[1].exception() is not None:
                return None
            self.hits += 1
            return held[1]

    def playing(self) -> cf.Future[Forecast] | None:
        """The wave playing ahead now, if any (for tests and benchmarks to wait on)."""
        with self._lock:
            return None if self._playing is None else self._playing[1]

    def close(self) -> None:
        """End the process now (the app is leaving): nothing is left running."""
        with self._lock:
            self._closed, process, self._waiting = True, self._process, None
            playing, self._playing = self._playing, None
        if playing is not None:
            playing[1].cancel()
        if process is not None:
            process.terminate()
            process.join(timeout=5)


class PlayingAhead(App):
    """The app's part: once a second, if the player has asked for the odds in this run
    of the game (one player, between weeks), the position (the week's world, the book)
    is looked at; one that has stayed the same for a second has its first wave played
    ahead. `AGI_RACE_ODDS_AHEAD=0` turns it off (the test suite does)."""

    session: Session | None
    player: int
    fast_forwarding: bool
    people: Callable[[], list[int]]  # the labs people play here (opponent.py)

    def on_mount(self) -> None:
        self.odds_ahead = OddsAhead()
        self._ahead_seen: tuple[Any, ...] = ()
        self._ahead_asked: tuple[Any, ...] = ()
        if os.environ.get("AGI_RACE_ODDS_AHEAD", "1") != "0":
            self.set_interval(1.0, self._play_odds_ahead, name="odds-ahead")

    def _play_odds_ahead(self) -> None:
        s = self.session
        if not self.odds_ahead.asked or s is None or s.over or s.playing or self.fast_forwarding:
            return
        if len(self.people()) != 1:  # hot seat: the odds are each player's own
            return
        lab = self.player
        position = (id(s.world), lab, tuple(s.book(lab)))
        if position == self._ahead_asked:
            return
        if position != self._ahead_seen:  # changed: let it settle for a second
            self._ahead_seen = position
            return
        self._ahead_asked = position
        try:
            self.odds_ahead.play(play_odds.Start.of(s, lab))
        except Exception:  # playing ahead only saves time: the odds screen plays it itself
            self.odds_ahead.asked = False

    def on_unmount(self, event: events.Unmount) -> None:
        self.odds_ahead.close()
