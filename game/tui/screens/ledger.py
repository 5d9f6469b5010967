"""The ledger: the lab's money over the game (cash, revenue and costs by kind, a row
each) and the runway projection as its commitments play out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.play import risk
from game.play.history import ledger
from game.tui import bindings
from game.tui.format import money
from game.tui.screens.base import GameScreen, plain, styled
from game.tui.widgets.charts import FlowChart


class LedgerScreen(GameScreen):
    BINDINGS = bindings.FORM

    def body(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static(
                styled("[b]Ledger[/b]: your money week by week (each row on its own scale)"),
                classes="form-title",
            )
            yield FlowChart([], money, levels=("cash",), id="ledger-chart")
            yield Static(id="ledger-note", markup=False)
            yield Static(styled("\n[b]Runway projection[/b]: cash and credit as your commitments play out"))
            yield FlowChart([], money, totals=False, levels=("cash+credit",), id="projection-chart")
            yield Static(id="projection-note", markup=False)
            yield Static(id="totals", markup=False)

    def refresh_view(self) -> None:
        s, lab = self.session, self.lab
        book = ledger(s.history, lab)
        rows: list[tuple[str, list[float | None]]] = [("cash", list(book.cash))]
        rows += [
            (f"{name} {'in' if name in ('revenue', 'funding') else 'out'}", list(v))
            for name, v in book.groups.items()
        ]
        self.query_one("#ledger-chart", FlowChart).show([r for r in rows if any(r[1])])
        first = book.weeks[0] if book.weeks else s.week
        note = f"Weeks {first}-{s.week}; last week and the total (Σ) at the right."
        if book.recorded < len(book.weeks) - 1:
            note += " Flows are kept from the week this game was loaded; cash goes back to its start."
        self.show("ledger-note", note)
        proj = risk.projection(self.turn)
        self.query_one("#projection-chart", FlowChart).show([("cash+credit", list(proj.money[:104]))])
        said = [
            f"Runway {risk.runway_text(proj.weeks)} at today's revenue and running costs: halls under "
            "construction are paid as they are built, rentals until their contracts end"
        ]
        if proj.round_counted > 0:
            health = risk.round_health(self.turn)
            said.append(
                f"; the {money(proj.round_counted)} round under way counts from {health.closes:%d %b %Y}"
                if health
                else ""
            )
        self.show("projection-note", "".join(said) + ". New orders, rounds and deals change it.")
        totals = [styled("\n[b]Over the recorded weeks[/b]")] + [
            plain(f"{name:<24} {money(v) if v > 0 else '':>10} {money(-v) if v < 0 else '':>10}")
            for name, v in book.totals
        ]
        self.query_one("#totals", Static).update(Content("\n").join(totals))
