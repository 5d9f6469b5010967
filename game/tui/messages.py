"""Messages the game's workers and screens post (attributes down, messages up)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class ForecastProgress(Message):
    """The odds screen's futures have played `weeks` weeks."""

    def __init__(self, weeks: int) -> None:
        super().__init__()
        self.weeks = weeks


class ForecastDone(Message):
    """The futures are played (or were stopped early)."""

    def __init__(self, forecast: Any, cancelled: bool) -> None:
        super().__init__()
        self.forecast = forecast
        self.cancelled = cancelled


class FastForwardDone(Message):
    """Fast-forward stopped; `reason` says why (for the player)."""

    def __init__(self, weeks: int, reason: str) -> None:
        super().__init__()
        self.weeks = weeks
        self.reason = reason


class StartGame(Message):
    """The title screen made a session: play it."""

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session


class SaveDone(Message):
    """A save written by a worker (ctrl+s, an autosave, save-and-quit): where it went, or
    the one line that says why it was not written (`path` None; the last save stays)."""

    def __init__(
        self, session: Any, copy: Any, path: Any, error: str, autosave: bool, then_quit: bool
    ) -> None:
        super().__init__()
        self.session = session  # the game that was saved (the app may be on another by now)
        self.copy = copy  # the snapshot that was written
        self.path = path
        self.error = error
        self.autosave = autosave
        self.then_quit = then_quit


class AgentDone(Message):
    """The agent process answered for its lab's week (`result`: the game with its
    decisions), or is gone (`gone` says why); `note` is for the news."""

    def __init__(self, session: Any, result: Any, note: str | None, gone: str | None) -> None:
        super().__init__()
        self.session = session  # the game it was asked about (the app may be on another by now)
        self.result = result
        self.note = note
        self.gone = gone
