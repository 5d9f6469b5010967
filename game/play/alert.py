"""An alert: something a player should know now, what kind it is and the screen that
deals with it."""

from __future__ import annotations

import attrs

ACTIONABLE, INFORMATIONAL = "actionable", "informational"
GROWN = 2.0  # an alert whose figure grew this many times over is news again


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
    # A figure of the situation that grows as it worsens (MW standing empty): fast-forward
    # to something to act on stops when it has doubled since the week began, not only when
    # the alert is new (a play-tester's 13 weeks ran on while 275 MW of new halls stood empty).
    amount: float = 0.0

    def grew(self, since: float) -> bool:
        """Has the situation doubled since its figure was `since`?"""
        return self.amount > 0 and since > 0 and self.amount >= GROWN * since

    @property
    def actionable(self) -> bool:
        return self.kind == ACTIONABLE
