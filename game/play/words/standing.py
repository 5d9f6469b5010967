"""Standing orders in words: what an order is (its label in the list), what it would do
(its preview), why one is refused, and what it did at the start of a week (the news),
from play/standing.py's figures."""

from __future__ import annotations

import datetime as dt

from game.play.words.numbers import day, money, money_down, plural


# ------------------------------------------------------------------ what an order is
def run_label(flop: float, booked: bool = False) -> str:
    if booked:
        return f"Next run: {flop:.2e} FLOP, in this week's orders (done once the week is played)"
    return f"Next run: {flop:.2e} FLOP when the current one ends"


def runs_label(weeks: int) -> str:
    return f"Runs back to back, each sized to pretrain in about {plural(weeks, 'week')} when it starts"


def raise_label() -> str:
    return "Raise the most investors offer, each time they will hear a round"


def renew_label(contract: int, gpu: str, partner: str, weeks: int, max_price: float) -> str:
    """`weeks` 0: the term the contract had; `max_price` 0: the list price."""
    term = plural(weeks, "week") if weeks else "its term"
    cap = f", at most ${max_price:,.2f}/GPU-hour" if max_price else ", at the list price"
    return f"Renew contract {contract} ({gpu} with {partner}) at its end for {term}{cap}"


def fill_label(gpu: str, vendor: str) -> str:
    return f"Fill powered halls with {gpu} via {vendor}"


def set_order(label: str, replaced: bool) -> str:
    """An order set; `replaced`: it takes the place of one of its kind."""
    return f"Standing order: {label}" + (" (replaces the earlier one)" if replaced else "")


def cancelled(label: str) -> str:
    return f"Cancelled standing order: {label}"


# ------------------------------------------------------------------ why not
def no_order(number: int) -> str:
    """`number` counts from 1, as the list shows it."""
    return f"there is no standing order number {number}"


def unknown_kind(kind: str) -> str:
    return f"unknown standing order {kind!r}"


def renewal_weeks(most: int) -> str:
    return f"a renewal adds 1 to {most} weeks (empty: the term it had)"


def renewal_price(most: float) -> str:
    return f"a renewal's price is at most ${most:,.0f} per GPU-hour (empty: the list price)"


def runs_weeks(most: int) -> str:
    return f"a run takes 1 to {most} weeks of pretraining"


def run_budget(lo: float, hi: float) -> str:
    return f"a run's compute budget must be between {lo:.0e} and {hi:.0e} FLOP"


# ------------------------------------------------------------------ what it did this week
def news(said: str) -> str:
    """A week's note of one order: what it did, or why it waits."""
    return f"Standing order: {said}"


def run_booked(said: str) -> str:
    """`said`: what the decision the order put in the book will do."""
    return f"{said} (in this week's orders; cancel it there)"


def runs_no_better(flop: float, capability: float, best: float) -> str:
    """A run back to back that would release no better than the lab's best model."""
    return (
        f"a {flop:.2e} FLOP run would release at about {capability:.2f}, no better than your best model "
        f"({best:.2f}): it starts when your training compute makes one better (more GPUs, more of the split "
        "to training, or longer runs)"
    )


def raise_waits(why: str) -> str:
    return f"the round waits: {why}"


def run_waits(why: str) -> str:
    return f"the next run waits: {why}"


def renewal_lapses(contract: int) -> str:
    return f"contract {contract} has ended; its renewal lapses"


def renewal_waits(contract: int, why: str) -> str:
    return f"renewing contract {contract} waits: {why}"


def renewal_dear(partner: str, full: float, ask: float, most: float) -> str:
    """Why a renewal makes no offer: the partner's pool is so full it would ask over the
    order's most (or the list price, without one); no patience is spent."""
    return (
        f"{partner}'s pool is {full:.0%} spoken for and it would ask about ${ask:,.2f} per GPU-hour, over "
        f"your ${most:,.2f}; no offer made, no patience spent (raise the order's most to renew at that)"
    )


def renewed(contract: int, weeks: int, price: float) -> str:
    return f"contract {contract} renewed for {plural(weeks, 'week')} at ${price:,.2f} per GPU-hour"


def renewal_answered(contract: int, left: int, price: float, listed: float, answer: str) -> str:
    """The partner's `answer` to a renewal `left` weeks before the end, at `price` (under
    the `listed` price when the order's most is below it)."""
    below = (
        f" (your most, ${price:,.2f}, is under its list price of ${listed:,.2f})" if price < listed else ""
    )
    return f"renewing contract {contract} ({plural(left, 'week')} left){below}: {answer}"


def fill_keeps(reserve: float, weeks: int) -> str:
    """Why a fill order waits: the cash it keeps, `weeks` of running costs."""
    return f"it keeps {money(reserve)} in cash ({weeks} weeks of running costs)"


def fill_spares(spare: int, slots: int) -> str:
    """Why a fill order waits: it leaves the last `spare` of the `slots` order slots free."""
    return f"it leaves the last {spare} of your {slots} order slots for your own orders"


def fill_waits(want: int, gpu: str, why: str, each: float | None = None) -> str:
    """A fill order that waits for money or supply (`each`: a GPU's price) or that the
    game refused (`why` its refusal, without its question)."""
    text = f"filling {plural(want, 'GPU')} of {fill_waiting(gpu)}: {why}"
    return text if each is None else f"{text} ({money(each)} each)"


def fill_waiting(gpu: str) -> str:
    """What every wait of a fill order for `gpu` says (news of a week it waited)."""
    return f"hall room with {gpu} waits"


def fill_booked(said: str, count: int, want: int) -> str:
    return f"{said} (fills {count:,} of {want:,}; in this week's orders, cancel it there)"


# ------------------------------------------------------------------ what it would do
def run_preview(flop: float, busy: bool, capability: float) -> str:
    """`busy`: a run is in pretraining now."""
    when = "when the run in pretraining ends" if busy else "at the start of next week"
    return (
        f"Starts a {flop:.2e} FLOP run {when} (capability about {capability:.2f} at today's software), once"
    )


def runs_preview(weeks: int, flop: float, busy: bool, capability: float) -> str:
    """`flop`: the run today's training compute would pretrain in `weeks`."""
    when = "when the run in pretraining ends" if busy else "at the start of next week"
    return (
        f"Starts a run {when}, and another each time one ends, each the FLOP the training compute of its "
        f"start does in {plural(weeks, 'week')}: {flop:.2e} FLOP today (capability about {capability:.2f} at "
        "today's software; more GPUs, bigger runs). It stands until cancelled"
    )


def raise_preview(usd: float, pre_money: float, weeks: int, next_round: dt.date | None, closing: bool) -> str:
    """`next_round`: when investors will hear one (None: now); `closing`: one is under way."""
    when = (
        "once the round under way has closed and investors will hear the next"
        if closing
        else f"from {day(next_round)}, when investors will hear one"
        if next_round is not None
        else "at the start of next week"
    )
    return (
        f"Books a round of the most investors offer {when} (today: {money_down(usd)} at {money(pre_money)} "
        f"pre-money, closing in {plural(weeks, 'week')}), and again after each one closes. Each round "
        "dilutes you; it goes in the week's orders, where b cancels it. It stands until cancelled"
    )


def renew_preview(
    contract: int, end: dt.date, before: int, weeks: int, price: float, listed: float, max_price: float
) -> str:
    """A renewal offered from `before` weeks ahead of `end`, for `weeks` more at `price`
    (`listed` the list price today, `max_price` the order's most, 0: none)."""
    at = (
        f"${price:,.2f} per GPU-hour, your most (the list is ${listed:,.2f} today: the partner may counter)"
        if price < listed
        else f"the list price (${listed:,.2f} per GPU-hour today"
        + (f"; never more than ${max_price:,.2f})" if max_price else ")")
    )
    return (
        f"Contract {contract} ends on {day(end)}; from {plural(before, 'week')} before, the game "
        f"offers {plural(weeks, 'more week')} at {at} each week until the partner accepts"
    )


def fill_preview(gpu: str, reserve_weeks: int, room: int, each: float, spare: int = 0) -> str:
    """`spare`: the order slots it leaves for the player's own orders."""
    keeps = f" and the last {spare} order slots for your own orders" if spare else ""
    return (
        f"Orders {gpu} as powered hall room appears, with the cash above {reserve_weeks} weeks of "
        f"running costs{keeps}; room now: {room:,} GPUs ({money(room * each)} at {money(each)} each)"
    )
