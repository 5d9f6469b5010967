"""The first-game guide in words: each next step play/guide.py picks, as what to do,
why now (a clause) and the longer reason."""

from __future__ import annotations

import datetime as dt

Said = tuple[str, str, str]  # what, because, why


def plan_run() -> Said:
    return (
        "plan a training run",
        "your training compute is idle until a run uses it.",
        "Your training compute does nothing until a run uses it. A run your fleet finishes in "
        "10-20 weeks keeps the releases coming; a bigger one later beats a rival's model.",
    )


def power() -> Said:
    return (
        "give your GPUs power",
        "they wait in the warehouse until a powered hall has room.",
        "Delivered GPUs wait in the warehouse until a hall with power has room. Halls take "
        "weeks to build; gas turbines are fast but capped by permits; substations are slow.",
    )


def money(runway_weeks: float, next_round: dt.date | None) -> Said:
    """A short runway; `next_round`: when investors will hear a round (None: now)."""
    return (
        "raise money" if next_round is None else "borrow, or cut costs",
        "your runway is short."
        if next_round is None
        else f"your runway is short and investors wait until {next_round:%d %b %Y}.",
        f"At this burn your cash and credit last {runway_weeks:,.0f} weeks. A round dilutes you; "
        "a loan costs interest. Running out of both ends the game.",
    )


def compute() -> Said:
    return (
        "rent more compute, or build halls before you buy GPUs",
        "you have no halls.",
        "GPUs you buy need powered halls of your own, which take months. Partners rent GPUs "
        "in their datacenters within weeks, at a price per GPU-hour that falls as newer chips ship.",
    )


def order() -> Said:
    return (
        "order GPUs",
        "they take weeks to arrive, then need powered halls.",
        "GPUs arrive after the integrator's lead time and queue, and need powered halls. "
        "Compare FLOP/s per dollar and per MW: the dearest chip is not always the best buy.",
    )


def halls_first() -> Said:
    return (
        "build halls, and the power to run them",
        "your powered halls are full: GPUs ordered now would wait in the warehouse.",
        "Every GPU needs room in a powered hall. Halls take weeks to build at a site's pace; "
        "order the GPUs to arrive as they finish (the market's delivery date says when).",
    )


def money_for_gpus(next_round: dt.date | None) -> Said:
    """No cash for an order of GPUs; `next_round`: when investors will hear a round (None: now)."""
    return (
        "raise money" if next_round is None else "borrow against your GPUs",
        "your cash would not buy an order of GPUs (they are paid when ordered)."
        if next_round is None
        else f"your cash would not buy an order of GPUs, and investors wait until {next_round:%d %b %Y}.",
        "GPUs are paid in cash when ordered; credit pays only after a loan. A round dilutes you; "
        "a loan costs interest.",
    )


def end_week(booked: bool) -> Said:
    """The week is ready to end; `booked`: the player has decisions in the book."""
    if not booked:
        return (
            "end the week",
            "or fast-forward until something needs you.",
            "Fast-forward stops when something needs you: a release, a delivery, an alert. "
            "The odds screen (o) shows who wins if everyone plays on as now.",
        )
    return (
        "end the week",
        "your decisions are in the order book.",
        "Every decision of the week shows in the order book with its cost; cancel any before the week ends.",
    )
