"""An alert: something a player should know now, what kind it is and the screen that
deals with it."""

from __future__ import annotations

import attrs

ACTIONABLE, INFORMATIONAL = "actionable", "informational"


@attrs.frozen
class Alert:
    """Something the player should know now. `screen` names the screen that deals with it
    (an id of the dashboard's keys: "training", "finance", ...; None if none does) and
    `hint` what to do there; the screens show the key for it. Only an actionable alert
    stops fast-forward: an informational one tells of what the player cannot change."""

    key: str  # stable while the situation lasts (fast-forward stops when a new one appears)
    text: str  # without a key: the screens add the key of `screen`
    severity: str  # "error", "warning" or "information"
    kind: str = ACTIONABLE  # ACTIONABLE or INFORMATIONAL
    screen: str | None = None
    hint: str = ""  # what to do on `screen`, if the text does not say it

    @property
    def actionable(self) -> bool:
        return self.kind == ACTIONABLE
