"""The words of a review: a binding step's exact terms (game/play/review.py's figures)
as the ReviewScreen shows them, and the same figures the confirmation names."""

from __future__ import annotations

import math

from game.play import market, review
from game.play.words import plural
from game.play.words.numbers import money_down
from game.tui.format import count, day, money, weeks

Review = tuple[str, list[str], str, str]  # title, terms, note, the yes button's words


def rental(t: review.RentalTerms, counter: bool = False, heard: str = "") -> Review:
    """An offer's terms; `counter`: the partner's own terms, which the player accepts by
    sending them back (`heard`: what the partner said, shown first)."""
    where = f"built at your site {t.site}" if t.site else "in their own datacenters"
    if t.amend:
        title = (
            f"Review: accept {t.partner}'s counter to amend your {t.gpu} contract"
            if counter
            else f"Review: amend your {t.gpu} contract with {t.partner}"
        )
        terms = [
            f"+{count(t.added)} {t.gpu} for the rest of the term and +{plural(t.more_weeks, 'week')} at its "
            f"end, at ${t.offered_price:.2f} per GPU-hour for what you add",
            f"The contract becomes {count(t.count)} {t.gpu} until {day(t.end_date)} at ${t.price:.2f}/GPU-hour "
            f"(each GPU at its own price: the weeks already agreed keep theirs), {where}"
            + (
                f"; from {day(t.reprice_date)}, all GPUs at ${t.later_price:.2f}"
                if t.later_price and t.reprice_date
                else ""
            ),
        ]
    else:
        title = f"Review: accept {t.partner}'s counter" if counter else f"Review: offer {t.partner} a rental"
        terms = [
            f"{count(t.count)} {t.gpu} at ${t.price:.2f} per GPU-hour, {where}",
            f"from {day(t.start_date)} to {day(t.end_date)} ({plural(t.end_week - t.start_week, 'week')})",
        ]
    later = (
        f"; {money(market.rental_cost(t.count, t.offered_price, 1))} a week in the "
        f"{plural(t.more_weeks, 'week')} added"
        if t.amend and t.more_weeks > 0 and abs(t.offered_price - t.price) >= 0.005
        else ""
    )  # an extension's weeks at its own price (a play-tester read $101M a week, then paid $211M)
    terms += [
        f"Rent {money(t.usd_week)} a week once it runs{later}: {money(t.total)} over the term",
        f"Leaving it early costs a penalty: {money(t.exit_penalty)} if you left at once",
    ]
    note = (
        "Its own terms: sent back, the contract is signed at once and cannot be undone (only left, "
        "at the penalty)."
        if counter
        else f"If {t.partner} accepts, the contract is signed at once and cannot be undone (only left, at "
        f"the penalty). If it counters or stalls, the round costs 1 of its "
        f"{plural(math.ceil(t.patience), 'offer')} of patience."
    )
    if heard:
        terms.insert(0, heard)
    return title, terms, note, "Accept their terms" if counter else "Send the offer"


def investment(t: review.InvestmentTerms, counter: bool = False, heard: str = "") -> Review:
    title = f"Review: accept {t.partner}'s terms" if counter else f"Review: ask {t.partner} to invest"
    terms = [
        f"{money(t.usd)} comes in this week",
        f"for {t.share:.1%} of your revenue, for the rest of the game",
        f"You would owe investors {t.owed_after:.1%} of your revenue in all",
    ]
    note = (
        f"If {t.partner} accepts, the deal is signed at once and cannot be undone. If it counters, the "
        f"round costs 1 of its {plural(math.ceil(t.patience), 'offer')} of patience."
    )
    if heard:
        terms.insert(0, heard)
    return title, terms, note, "Accept their terms" if counter else "Ask"


def loan(t: review.LoanTerms) -> Review:
    terms = [
        f"+{money(t.usd)} this week; your debt becomes {money(t.debt_after)}",
        f"at {t.rate:.1%} a year (the rate at the leverage it leaves, {t.leverage_after:.0%})",
        f"Interest {money(t.interest_week)} a week on all your debt",
        *(
            [
                f"When {t.next_gen or 'a new generation'} ships ({day(t.next_gen_date)}) your GPUs are worth less: "
                f"leverage {t.leverage_next_gen:.0%}"
                + (", over the covenant" if t.leverage_next_gen > t.covenant else ", under the covenant")
            ]
            if t.next_gen_date
            else []
        ),
        f"Past {t.covenant:.0%} leverage (the covenant) lenders sweep cash each week and charge more; "
        "leverage rises as your GPUs lose value and when a new GPU generation ships",
    ]
    note = (
        "It goes in this week's orders: b cancels it until the week ends. Repaying later costs nothing extra."
    )
    return f"Review: borrow {money(t.usd)} against your GPUs", terms, note, "Add to the orders"


def round_(t: review.RoundTerms) -> Review:
    down = " (a down round: below your last round)" if t.down else ""
    terms = [
        f"Investors commit {money(t.usd)}"
        + (f" (you asked {money(t.asked)})" if t.asked > t.usd + 5e5 else ""),
        f"at {money(t.pre_money)} pre-money{down}, post-money {money(t.post_money)}",
        f"Your share goes from {t.share_before:.1%} to {t.share_after:.1%}",
        f"The cash comes on {day(t.cash_date)} (in {plural(t.cash_weeks, 'week')})",
        f"If your value on its merits ({money(t.merits)} today, not the pre-money) falls {t.walk_away:.0%}"
        f" before then, under {money_down(t.merits * (1 - t.walk_away))}, the investors walk away",
    ]
    if t.runway_without < t.cash_weeks:  # the lab must last until the cash comes
        terms.append(
            f"Your cash and credit last about {weeks(t.runway_without)} without it: they run out "
            "before its cash comes in (a smaller round closes sooner)"
        )
    note = "It goes in this week's orders: b cancels it until the week ends; once the week ends it is agreed."
    return "Review: raise a round", terms, note, "Add to the orders"
