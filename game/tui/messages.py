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
