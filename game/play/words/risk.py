"""Money risks in words: a round's health against the investors' walk-away line, the
covenant against the lenders' trigger, and the runway (play/risk.py's figures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from game.play.words.numbers import day, money

Fmt = Callable[[float], str]


def round_forecast(
    value: float,
    line: float,
    basis: float,
    walk_away: float,
    margin: float,
    closes: dt.date,
    fmt: Fmt = money,
) -> str:
    """One line: where a round under way stands and what would trip it."""
    if margin < 0:
        return (
            f"Investors walk away if it closes now: the value on its merits is {fmt(value)}, "
            f"under their {fmt(line)} line ({walk_away:.0%} below its {fmt(basis)} when they agreed)."
        )
    return (
        f"Value on its merits {fmt(value)}, {margin:.0%} above the {fmt(line)} walk-away "
        f"line: a fall of more than that before {closes:%d %b} and no money comes in."
    )


def covenant_forecast(
    debt: float,
    collateral: float,
    leverage: float,
    trigger: float,
    sweep: float,
    in_breach: bool,
    next_gen: str,
    next_gen_date: dt.date | None,
    leverage_after: float,
    fmt: Fmt = money,
    lends: float = 0.0,
) -> str:
    """One line: where the covenant stands and what would trip it (the next GPU
    generation, shipping on `next_gen_date`, cuts the GPUs' value); with `lends` (the
    loan-to-value share) what a 10% fall in GPU prices takes from the credit line (a
    quarter's price cut halved a tester's credit overnight, unwarned)."""
    if debt <= 0:
        return f"no debt yet; lenders sweep cash once debt passes {trigger:.0%} of your GPUs' value."
    now = f"Debt {fmt(debt)} is {leverage:.0%} of your GPUs' {fmt(collateral)}; the covenant trips at {trigger:.0%}"
    if in_breach:
        return now + f": tripped, lenders sweep {sweep:.0%} of cash a week until it is back under."
    cut = (
        f" Lenders lend {lends:.0%} of the GPUs' value: GPU prices 10% lower would take "
        f"{fmt(0.1 * lends * collateral)} of what they lend."
        if lends > 0
        else ""
    )
    if next_gen_date is None:
        return now + "." + cut
    after = "over the covenant" if leverage_after > trigger else "still under it"
    gen = next_gen or "a newer generation"  # no GPU launches the week the value is cut
    return now + f". When {gen} ships ({day(next_gen_date)}): {leverage_after:.0%}, {after}." + cut


def round_at_risk(usd: float, closes: dt.date, forecast: str) -> str:
    return f"The {money(usd)} round closing {closes:%d %b} is at risk: {forecast}"


def runway(weeks: float, horizon_weeks: int) -> str:
    """A runway as the screens say it: weeks, or past the projection's horizon."""
    if weeks == float("inf"):
        return f"over {horizon_weeks // 52} years"
    return f"{weeks:,.0f} week{'s' if round(weeks) != 1 else ''}"
