"""Finance: raise a round, borrow against your GPUs or repay; last week's P&L."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from game.play import decisions, risk, views
from game.play.session import Session
from game.tui import bindings
from game.tui.format import day, money, parse_number, weeks
from game.tui.screens.base import FormScreen, styled
from game.tui.widgets.form import choice, number, row


def risk_lines(session: Session, lab: int) -> Content:
    """The round's health and the covenant, each with its one-line forecast."""
    lines = []
    health = risk.round_health(session, lab)
    if health is not None:
        mark = "$error" if health.margin < 0 else "$warning" if health.at_risk else "$success"
        lines.append(styled(f"[b]Round[/b] [{mark}]$t[/]", t=health.forecast(money)))
    cov = risk.covenant_health(session, lab)
    mark = "$error" if cov.in_breach else "$warning" if cov.at_risk else "$success"
    lines.append(styled(f"[b]Covenant[/b] [{mark}]$t[/]", t=cov.forecast(money)))
    return Content("\n").join(lines)


WHAT = [("Equity round", "raise"), ("Loan against GPUs", "borrow"), ("Repay debt", "repay")]


class FinanceScreen(FormScreen):
    TITLE_TEXT = "Finance: raise a round, borrow or repay"

    def info(self) -> ComposeResult:
        yield Static(id="money-state", markup=False)
        yield Static(id="risk", markup=False)
        yield DataTable(id="pnl", cursor_type="none", zebra_stripes=True, show_cursor=False)

    def fields(self) -> ComposeResult:
        yield row("What", choice("what", WHAT, value="raise"))
        yield row("Amount (USD)", number("amount", "5B"), "5B, 500M, 2e9")

    def on_mount(self) -> None:
        self.query_one("#pnl", DataTable).add_columns(
            f"last week's P&L (ledger: {bindings.key_for('ledger')} on the dashboard)", "in", "out"
        )
        super().on_mount()

    def refresh_view(self) -> None:
        s, lab = self.session, self.lab
        v, m = views.lab_view(s, lab), views.money_view(s, lab)
        if m.closing > 0 and m.closing_date is not None:
            rounds = f"A round of {money(m.closing)} at {money(m.closing_pre)} pre-money closes on {day(m.closing_date)}."
        elif m.round_ready:
            rounds = (
                f"Investors would put in up to {money(m.largest)} at {money(m.pre_money)} pre-money"
                f"{' (a down round: below your last round)' if m.down_round else ''}, closing in "
                f"{weeks(m.close_weeks)}."
            )
        else:
            rounds = f"Investors hear your next round from {day(m.next_round)}."
        breach = " Over the covenant: lenders sweep cash each week." if m.in_breach else ""
        self.show(
            "money-state",
            f"Cash {money(v.cash)} · debt {money(v.debt)} · burn {money(v.burn)}/wk · runway {risk.runway_text(risk.runway_weeks(s, lab))}\n"
            f"Valuation {money(v.valuation)} (last round's post-money {money(m.last_post)}); your share {v.share:.1%}.\n"
            f"{rounds}\nLenders offer {money(m.credit)} at {m.interest_rate:.1%} a year (leverage {m.leverage:.0%}; "
            f"the covenant is {m.covenant:.0%}).{breach}",
        )
        self.query_one("#risk", Static).update(risk_lines(s, lab))
        table = self.query_one("#pnl", DataTable)
        table.clear()
        flows = views.last_week_flows(s, lab)
        for name, amount in flows:
            table.add_row(name, money(amount) if amount > 0 else "", money(-amount) if amount < 0 else "")
        table.display = bool(flows)  # no week played yet: no P&L
        super().refresh_view()

    def _amount(self) -> float:
        return parse_number(self.text("amount"), "amount", 1e6, decisions.MAX_ACTION_USD, unit="$")

    def decision(self) -> decisions.Decision:
        what = self.value("what")
        if what == "borrow":
            return decisions.Borrow(self._amount())
        if what == "repay":
            return decisions.Repay(self._amount())
        m = views.money_view(self.session, self.lab)
        asked = self._amount()  # investors put in at most their offer: the book says what comes
        return decisions.RaiseRound(min(asked, m.largest) if m.round_ready and m.largest >= 1e6 else asked)

    def preview(self) -> str:
        v, m = views.lab_view(self.session, self.lab), views.money_view(self.session, self.lab)
        amount, what = self._amount(), self.value("what")
        if what == "raise":
            if m.closing > 0:
                return f"A round is still closing (on {day(m.closing_date or v.date)}); ask again after it."
            if not m.round_ready:
                return f"Investors will hear your next round from {day(m.next_round)}."
            got = min(amount, m.largest)
            after = v.share * m.pre_money / (m.pre_money + got)
            return (
                f"Asking {money(amount)}: investors commit up to {money(got)} at {money(m.pre_money)} pre-money "
                f"(post-money {money(m.pre_money + got)}); the money comes when the round closes in about "
                f"{weeks(views.round_weeks(self.session, self.lab, got))}. Your share goes from {v.share:.1%} "
                f"to {after:.1%}."
            )
        if what == "borrow":
            return (
                f"Lenders will lend up to {money(m.credit)} against your GPUs. {money(amount)} at about "
                f"{m.interest_rate:.1%} a year (more as leverage grows): "
                f"{money(views.interest_per_week(self.session, amount, m.interest_rate))} a week in interest."
            )
        return f"Repay {money(min(amount, v.debt))} of {money(v.debt)}."
