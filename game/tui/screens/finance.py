"""Finance: rounds, loans, last week's P&L."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import (
    Input,
    Select,
)

from game.engine import economy
from game.tui.format import money, parse_number
from game.tui.screens.decision import DecisionScreen
from game.tui.widgets.form import row


class FinanceScreen(DecisionScreen):
    TITLE_TEXT = "Finance: raise a round or borrow against your GPUs"

    def fields(self) -> ComposeResult:
        yield row(
            "What",
            Select(
                [("Equity round", "raise"), ("Loan against GPUs", "borrow")],
                value="raise",
                id="what",
                allow_blank=False,
            ),
        )
        yield row("Amount (USD)", Input(value="5e9", id="amount"))

    def preview(self) -> str:

        s = self.session
        w, lab = s.world, self.lab
        f = s.params.rules.finance
        cap = min(f.raise_max_fraction * w.valuation[0, lab], f.raise_max_usd * w.mood[0])
        room = float(economy.credit_headroom(s.params, w)[0, lab])
        text = (
            f"Valuation {money(float(w.valuation[0, lab]))}, your share {w.founder_share[0, lab]:.1%}. "
            f"A round can raise up to {money(cap)}; lenders offer {money(room)} at {f.interest_rate:.0%}."
        )
        report = s.last_report
        if report is not None:
            flows = report.flows[0, lab]
            items = [
                f"{name} {money(float(v))}"
                for name, v in zip(economy.FLOWS, flows, strict=True)
                if abs(v) >= 1e5
            ]
            text += (
                "\nLast week: " + (", ".join(items) or "nothing moved") + f"; net {money(float(flows.sum()))}"
            )
        return text

    def decide(self) -> str:
        amount = parse_number(self.value("amount"), "amount", 1, 1e13)
        if self.value("what") == "borrow":
            return self.session.borrow(self.lab, amount)
        return self.session.raise_round(self.lab, amount)
