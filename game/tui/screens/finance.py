"""Finance: raise a round, borrow against your GPUs or repay; last week's P&L."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from game.play import decisions, views
from game.tui.format import day, money, parse_number, weeks
from game.tui.screens.base import FormScreen
from game.tui.widgets.form import choice, number, row

WHAT = [("Equity round", "raise"), ("Loan against GPUs", "borrow"), ("Repay debt", "repay")]


class FinanceScreen(FormScreen):
    TITLE_TEXT = "Finance: raise a round, borrow or repay"

    def info(self) -> ComposeResult:
        yield Static(id="money-state", markup=False)
        yield DataTable(id="pnl", cursor_type="none", zebra_stripes=True, show_cursor=False)

    def fields(self) -> ComposeResult:
        yield row("What", choice("what", WHAT, value="raise"))
        yield row("Amount (USD)", number("amount", "5B"), "5B, 500M, 2e9")

    def on_mount(self) -> None:
        self.query_one("#pnl", DataTable).add_columns("last week", "in", "out")
        super().on_mount()

    def refresh_view(self) -> None:
        s, lab = self.session, self.lab
        v = views.lab_view(s, lab)
        rate = s.params.rules.finance.interest_rate
        ready = "now" if v.next_round <= v.date else f"from {day(v.next_round)}"
        self.show(
            "money-state",
            f"Cash {money(v.cash)} · debt {money(v.debt)} · burn {money(v.burn)}/wk · runway {weeks(v.runway)}\n"
            f"Valuation {money(v.valuation)}; your share {v.share:.1%}. Investors hear a round {ready}, up to "
            f"{money(v.round_cap)}. Lenders offer {money(v.credit)} at {rate:.0%} a year.",
        )
        table = self.query_one("#pnl", DataTable)
        table.clear()
        flows = views.last_week_flows(s, lab)
        for name, amount in flows:
            table.add_row(name, money(amount) if amount > 0 else "", money(-amount) if amount < 0 else "")
        table.display = bool(flows)  # no week played yet: no P&L
        super().refresh_view()

    def _amount(self) -> float:
        return parse_number(self.text("amount"), "amount", 1e6, decisions.MAX_USD, unit="$")

    def decision(self) -> decisions.Decision:
        what = self.value("what")
        if what == "borrow":
            return decisions.Borrow(self._amount())
        if what == "repay":
            return decisions.Repay(self._amount())
        return decisions.RaiseRound(self._amount())

    def preview(self) -> str:
        v = views.lab_view(self.session, self.lab)
        amount, what = self._amount(), self.value("what")
        if what == "raise":
            got = min(amount, v.round_cap)
            return (
                f"Asking {money(amount)}: investors put in up to {money(got)} at about {money(v.valuation)} "
                f"pre-money (post-money about {money(v.valuation + got)}); your share goes from {v.share:.1%} "
                f"to about {v.share * v.valuation / (v.valuation + got):.1%}. Investors' price is set when "
                "the round is made, a few percent either way."
            )
        if what == "borrow":
            rate = self.session.params.rules.finance.interest_rate
            return (
                f"Lenders will lend up to {money(v.credit)} against your GPUs. {money(amount)} at {rate:.0%} a year: "
                f"{money(views.interest_per_week(self.session, amount))} a week in interest."
            )
        return f"Repay {money(min(amount, v.debt))} of {money(v.debt)}."
