"""Why fast-forward stops after a week: what a player can act on, not what they cannot."""

from __future__ import annotations

from collections.abc import Collection

from game.play import intel
from game.play.news import EVENT, RAISE, RELEASE, NewsItem
from game.play.session import Session


def stop_reason(
    session: Session,
    news: list[NewsItem],
    seen: dict[int, dict[str, float]],
    humans: list[int],
    first: dict[int, dict[str, float]] | None,
    mode: str,
    acknowledged: Collection[str],
) -> str | None:
    """Why fast-forward stops after this week, or None. `seen`: the alerts' figures as
    the week began; `first`: as this fast-forward first saw each (an alert stops it when
    new, or when its figure has doubled since then: 80 MW of empty halls grew to 428 MW
    over 12 weeks, never doubling in one); `mode`: "news" (`f`) or "act" (`a`);
    `acknowledged`: the urgent alerts the player chose to play on past."""

    def said(lab: int | None, text: str) -> str:
        """The reason, or only whose it is when other players are watching (hot seat)."""
        if lab is None or len(humans) == 1:
            return text
        return f"{session.lab_name(lab)} has something to look at."

    for item in news:  # a round of the player's that closed (cash to spend) or walked away
        if item.kind == RAISE and item.lab in humans:
            return said(item.lab, item.text)
    if mode == "news":
        for item in news:
            if item.kind == RELEASE:
                return item.text
            if item.kind == EVENT and (item.lab is None or item.lab in humans):
                return said(item.lab, item.text)
            if item.private and item.lab in humans and item.urgent:
                return said(item.lab, item.text)
    for lab in humans:  # only what a player can act on stops it: not a rival's run, not an outage
        for alert in intel.alerts(session.turn(lab)):
            since = (first or seen).get(lab, seen[lab]).get(alert.key, seen[lab].get(alert.key, 0.0))
            if alert.actionable and (
                alert.key not in seen[lab]
                or alert.grew(since)
                or (alert.severity == "error" and alert.key not in acknowledged)
            ):
                return said(lab, alert.text)
    return None
