"""Finance: raise a round, borrow against your GPUs or repay; last week's P&L."""

from __future__ import annotations

import math

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, DataTable, Static

from game.play import decisions, intel, review, risk, views
from game.play.decisions import Refused
from game.play.desk import LabTurn
from game.play.words import alerts as say_alerts
from game.play.words.numbers import money_down
from game.tui import bindings, bounds
from game.tui.format import day, money, weeks
from game.tui.screens import reviews
from game.tui.screens.base import FormScreen, styled
from game.tui.screens.dialogs import ReviewScreen
from game.tui.widgets.form import FieldKeys, choice, field_keys, keys_hint, number, preset_key, row


def risk_lines(t: LabTurn) -> Content:
    """The round's health and the covenant, each with its one-line forecast."""
    lines = []
    health = risk.round_health(t)
    if health is not None:
        mark = "$error" if health.margin < 0 else "$warning" if health.at_risk else "$success"
        lines.append(styled(f"[b]Round:[/b] [{mark}]$t[/]", t=health.forecast(money)))
        rivals = intel.round_rivals(t)
        if rivals:
            lines.append(styled("[$warning]$t.[/]", t=say_alerts.round_rival(rivals, health.usd, health.closes, health.margin)))
    cov = risk.covenant_health(t)
    mark = "$error" if cov.in_breach else "$warning" if cov.at_risk else "$success"
    lines.append(styled(f"[b]Covenant:[/b] [{mark}]$t[/]", t=cov.forecast(money)))
    return Content("\n").join(lines)


WHAT = [("Equity round", "raise"), ("Loan against GPUs", "borrow"), ("Repay debt", "repay")]


class FinanceScreen(FieldKeys, FormScreen):
    TITLE_TEXT = "Finance: raise a round, borrow or repay"
    CONFIRM = "Review and add to this week's orders"
    BINDINGS = [*field_keys({"w": "what", "a": "amount"}), preset_key("x", "most", "the most")]
    SAYS_DROPPED = True

    def info(self) -> ComposeResult:
        yield Static(id="money-state", markup=False)
        yield Static(id="risk", markup=False)

    def after(self) -> ComposeResult:
        # below the form: at 80x24 the P&L above it kept the form's answer below the fold
        yield DataTable(id="pnl", cursor_type="none", zebra_stripes=True, show_cursor=False)

    def fields(self) -> ComposeResult:
        yield keys_hint()
        yield row("What", choice("what", WHAT, value="raise"), key="w")
        most = Button("the most (alt+x)", id="most", compact=True)
        yield row(
            "Amount (USD)", number("amount", bounds.LOAN_USD, "5B"), "5B, 500M, 2e9", key="a", extras=(most,)
        )

    def action_most(self) -> None:
        """Amount: the most investors would put in, lenders would lend, or the debt to repay."""
        v, m = views.lab_view(self.turn), views.money_view(self.turn)
        what = self.value("what")
        if what == "raise":
            usd = m.largest if m.round_ready and m.closing <= 0 else 0.0
            why, none = "the most investors would put in now", "Investors hear no round now (see above)"
        elif what == "borrow":
            usd, why, none = m.credit, "all lenders would lend now", "Lenders will lend no more now"
        else:
            booked = sum(d.usd for d in self.session.book(self.lab) if isinstance(d, decisions.Repay))
            usd, why, none = v.debt - booked, "all your debt", "You have no debt"
            if booked > 0:
                why, none = "the debt left after this week's repayment", "This week's repayment takes all your debt"
        if usd < 1e6:
            self.say(none, failed=True)
            return
        # a limit rounded down (more is refused); a debt rounded up to the $1M (all of it goes)
        text = money_down(usd) if what != "repay" else f"${math.ceil(usd / 1e6 - 1e-9):,}M".replace(",", "")
        self.fill(amount=text.removeprefix("$"))
        self.hold_message()
        self.say(f"{text}: {why}")

    @on(Button.Pressed, "#most")
    def _most_pressed(self) -> None:
        self.action_most()

    def on_mount(self) -> None:
        self.query_one("#pnl", DataTable).add_columns(
            f"last week's P&L (ledger: {bindings.key_for('ledger')} on the dashboard)", "in", "out"
        )
        super().on_mount()

    def refresh_view(self) -> None:
        v, m = views.lab_view(self.turn), views.money_view(self.turn)
        if m.closing > 0 and m.closing_date is not None:
            rounds = f"A round of {money(m.closing)} at {money(m.closing_pre)} pre-money closes on {day(m.closing_date)}."
        elif m.round_ready:
            rounds = (
                f"Investors would put in up to {money_down(m.largest)} at {money(m.pre_money)} pre-money"
                f"{' (a down round: below your last round)' if m.down_round else ''}, closing in "
                f"{weeks(m.close_weeks)}."
            )
        else:
            rounds = f"Investors hear your next round from {day(m.next_round)}."
        breach = " Over the covenant: lenders sweep cash each week." if m.in_breach else ""
        lenders = (
            # the rate rises with the leverage a loan leaves: today's figure alone read as the
            # loan's (8.0% here, 14.0% on the review of borrowing it all)
            f"Lenders offer {money_down(m.credit)}: {m.interest_rate:.1%} a year at today's leverage, "
            f"{review.loan_terms(self.turn, m.credit).rate:.1%} if you borrow it all{self._after_book()}"
            if m.credit >= 1e6
            else "Lenders will lend no more now: more GPUs owned, or debt repaid, makes room"
        )
        self.show(
            "money-state",
            f"Cash {money(v.cash)} · debt {money(v.debt)} · burn {money(v.burn)}/wk · runway {risk.runway_text(risk.runway_weeks(self.turn))}\n"
            f"Valuation {money(v.valuation)} (last round's post-money {money(m.last_post)}); your share {v.share:.1%}.\n"
            f"{rounds}\n{lenders} (leverage {m.leverage:.0%}; the covenant is {m.covenant:.0%}).{breach}",
        )
        self.query_one("#risk", Static).update(risk_lines(self.turn))
        table = self.query_one("#pnl", DataTable)
        table.clear()
        flows = views.last_week_flows(self.turn)
        for name, amount in flows:
            table.add_row(name, money(amount) if amount > 0 else "", money(-amount) if amount < 0 else "")
        table.display = bool(flows)  # no week played yet: no P&L
        super().refresh_view()

    def _amount(self) -> float:
        return bounds.LOAN_USD.parse(self.text("amount"))

    def decision(self) -> decisions.Decision:
        what = self.value("what")
        if what == "borrow":
            return decisions.Borrow(self._amount())
        if what == "repay":
            return decisions.Repay(self._amount())
        m = views.money_view(self.turn)
        asked = self._amount()  # investors put in at most their offer: the book says what comes
        return decisions.RaiseRound(min(asked, m.largest) if m.round_ready and m.largest >= 1e6 else asked)

    def confirm(self) -> None:
        """A round or a loan binds once the week ends: its exact terms are reviewed first."""
        s = self.session
        try:
            d = self.decision()
            d.check(s.params, s.world, self.lab, s.book(self.lab))  # refused now: no review, the reason
        except Refused as err:
            self.say(str(err), failed=True)
            return
        if isinstance(d, decisions.Borrow):
            terms = reviews.loan(review.loan_terms(self.turn, d.usd))
        elif isinstance(d, decisions.RaiseRound):
            terms = reviews.round_(review.round_terms(self.turn, d.usd))
        else:  # a repayment: nothing binds that the book cannot cancel
            self.submit(d)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.submit(d)
            else:
                self.say("Not added: nothing changed.")

        self.app.push_screen(ReviewScreen(*terms), answer)

    def preview(self) -> str:
        v, m = views.lab_view(self.turn), views.money_view(self.turn)
        amount, what = self._amount(), self.value("what")
        if what == "raise":
            if m.closing > 0:
                return f"A round is still closing (on {day(m.closing_date or v.date)}); ask again after it."
            if not m.round_ready:
                return f"Investors will hear your next round from {day(m.next_round)}."
            t = review.round_terms(self.turn, amount)
            # The ask, or the most they would put in: "commit up to" the ask read as their
            # most, and the alert's larger figure as a disagreement.
            commit = (
                f"investors commit it (they would put in up to {money_down(m.largest)})"
                if t.usd >= amount
                else f"investors commit up to {money_down(m.largest)}"
            )
            return (
                f"Asking {money(amount)}: {commit} at {money(t.pre_money)} pre-money "
                f"(post-money {money(t.post_money)}); the money comes when the round closes in "
                f"{weeks(t.cash_weeks)}, on {day(t.cash_date)}. Your share goes from {t.share_before:.1%} "
                f"to {t.share_after:.1%}."
            )
        if what == "borrow":
            if amount > m.credit:
                return f"Lenders lend at most {money_down(m.credit)} against your GPUs: ask for that or less."
            loan = review.loan_terms(self.turn, amount)
            return (
                f"Lenders will lend up to {money_down(m.credit)} against your GPUs. {money(amount)} at "
                f"{loan.rate:.1%} a year, the rate at the leverage it leaves ({loan.leverage_after:.0%}): "
                f"{money(loan.interest_week)} a week in interest on {money(loan.debt_after)} of debt."
            )
        booked = sum(d.usd for d in self.session.book(self.lab) if isinstance(d, decisions.Repay))
        if booked > 0:  # a tester read "Repay $970M of $5.97B" beside the $5.00B booked already
            left = max(v.debt - booked, 0.0)
            return (
                f"Repay {money(min(amount, left))} of the {money(left)} left after this week's "
                f"{money(booked)} repayment (debt {money(v.debt)})."
            )
        return f"Repay {money(min(amount, v.debt))} of {money(v.debt)}."

    def _after_book(self) -> str:
        """The rate of borrowing it all is on top of this week's loans and repayments."""
        money_moves = any(isinstance(d, decisions.Borrow | decisions.Repay) for d in self.session.book(self.lab))
        return " after this week's orders" if money_moves else ""
