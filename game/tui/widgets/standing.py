"""The standing orders of a lab, as rows and as a panel the order book can show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from game.play import standing

if TYPE_CHECKING:
    from game.play.session import Session


def standing_rows(session: Session, lab: int) -> list[str]:
    """Each standing order of the lab, in words, in the order they were set."""
    return [o.label(session) for o in standing.orders(session, lab)]


class StandingPanel(Static):
    """The lab's standing orders in a few lines (p sets and cancels them)."""

    def __init__(self, session: Session, lab: int) -> None:
        super().__init__("", id="standing-panel", markup=False)
        self.session, self.lab = session, lab

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        rows = standing_rows(self.session, self.lab)
        self.update(
            "Standing orders (p): " + "; ".join(rows) if rows else "No standing orders (p sets them)."
        )
