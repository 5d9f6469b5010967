"""What a decision will do, in the words that follow its label: its cost, when it
arrives or finishes, what it leaves (the engine's figures, from play/describe.py when a
decision goes into the book and play/exits.py's previews)."""

from __future__ import annotations

import datetime as dt
import math

from game.play.words.numbers import day, money, plural


# ------------------------------------------------------------------ confirmations
def bought(cost: float, arrives: dt.date, short: float) -> str:
    """An order's cost and delivery; `short`: GPUs the book asks beyond the quarter's supply."""
    text = f" for {money(cost)}: delivered around {day(arrives)}"
    if short > 0:
        text += (
            f". Your orders ask NVIDIA for {short:,.0f} more than this quarter has left: you may get fewer"
        )
    return text


def halls_built(weeks: float, usd: float, weekly: float) -> str:
    return (
        f": all your halls there finished in ~{weeks:.0f} weeks; {money(usd)} "
        f"paid as built (up to {money(weekly)} a week at the site's pace)"
    )


def turbines_ordered(cost: float, weeks: int, joined_mw: float) -> str:
    """`joined_mw`: turbines already on their way that start with these (0: none)."""
    text = f" for {money(cost)}: running in {plural(weeks, 'week')}"
    if joined_mw:
        text += (
            f"; the {joined_mw:,.0f} MW already on their way start with them (a site's turbines run together)"
        )
    return text


def substation_upgraded(mw: float, weeks: int, cost: float) -> str:
    return f": +{mw:,.0f} MW of grid for you in {plural(weeks, 'week')}, {money(cost)}"


def run_started(
    eta: float, post_weeks: int, low: float, high: float, expected: float, best: float | None
) -> str:
    """`best`: the lab's best model when the run would not beat it (else None)."""
    when = "never at today's compute" if math.isinf(eta) else f"~{eta:,.0f} weeks at today's compute"
    text = (
        f": {when}, then {post_weeks} weeks of post-training; capability "
        f"{low:.2f}-{high:.2f} (9 in 10 runs; {expected:.2f} expected)"
    )
    if best is not None:
        text += f", no better than your best model ({best:.2f})"
    return text


def contract_left(partner: str, penalty: float) -> str:
    return f" with {partner} this week: penalty {money(penalty)}"


def round_raised(
    usd: float, pre_money: float, down: bool, weeks: int, share: float, diluted: float, walk_away: float
) -> str:
    """A round in full: it replaces the label."""
    return (
        f"Raising up to {money(usd)} at about {money(pre_money)} pre-money"
        f"{' (a down round)' if down else ''}, closing in {plural(weeks, 'week')} "
        f"(post-money about {money(pre_money + usd)}): your share goes from {share:.1%} to about "
        f"{diluted:.1%}. The investors walk away if your value on its merits "
        f"falls {walk_away:.0%} before then: don't spend the money before it is in"
    )


def borrowed(usd: float, rate: float) -> str:
    return f" (+{money(usd)} this week) at about {rate:.1%} a year at the leverage it leaves"


def cash_moved(cost: float, spends_less: bool = False) -> str:
    """What a decision moves in cash this week (negative: it brings cash in, or, when it
    `spends_less`, keeps cash the week would have spent: a paused build read as income)."""
    if cost < 0 and spends_less:
        return f" (saves {money(-cost)} this week)"
    return f" ({'+' if cost < 0 else '-'}{money(abs(cost))} this week)"


# ------------------------------------------------------------------ exits' previews
def stop_halls(building_mw: float, built_mw: float, usd_per_mw: float) -> str:
    return (
        f": {building_mw:,.0f} MW not yet built are dropped, saving {money(building_mw * usd_per_mw)}. "
        f"Sunk: the {built_mw:,.0f} MW built there so far stay yours and what they cost "
        f"({money(built_mw * usd_per_mw)}) is not refunded"
    )


def pause_halls(building_mw: float, weekly: float, resume: bool) -> str:
    if resume:
        return f": {building_mw:,.0f} MW left to build, paid as built (up to {money(weekly)} a week)"
    return (
        f": {building_mw:,.0f} MW left to build wait, with their progress kept; "
        f"saves up to {money(weekly)} a week until you resume"
    )


def sell(count: int, each: float, new: float, installed: int, server: float = 0.0, lends: float = 0.0) -> str:
    """`installed`: how many of them leave the halls (the warehouse's go first); `server`:
    a new one in a server (the market's figure); `lends`: the share of the new price
    lenders lend against (a sale below it takes more credit than it brings cash)."""
    in_server = f", {money(server)} in a server as the market lists it" if server > 0 else ""
    text = f": +{money(each * count)} ({money(each)} each used; NVIDIA sells the GPU new at {money(new)} this week{in_server})"
    if lends * new > each:
        text += (
            f"; lenders lend {lends:.0%} of the new price against each GPU you own, so the sale lowers "
            f"what they would lend by up to {money(lends * new * count)}"
        )
    if installed > 0:
        text += f"; {plural(installed, 'installed GPU')} leave your halls and stop computing"
    return text


def sublet(partner: str, weeks_left: int, cost: float, discount: float, penalty: float) -> str:
    return (
        f" ({partner}, {plural(weeks_left, 'week')} left): you pay {money(cost)} now, the gap between your "
        f"price and what {partner}'s other customers pay, {discount:.0%} off its list "
        f"price; leaving instead costs {money(penalty)}. The GPUs stop computing for you this week"
    )


def layoffs(laid_off: float, severance: float) -> str:
    """A people budget below the payroll: who goes this week, and what it costs."""
    return (
        f": lays off {laid_off:,.0f} researchers this week, with {money(severance)} of severance paid "
        "with the week's running costs"
    )
