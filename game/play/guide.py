"""The first-game guide: the next sensible step for a new player, and why, read from
the lab's state each week (the first weeks of a player's first game)."""

from __future__ import annotations

import attrs

from game.play.desk import LabTurn
from game.play.intel import unpowered_alert
from game.play.views import lab_view

GUIDE_WEEKS = 16  # the guide speaks during the first weeks of a game


@attrs.frozen
class Step:
    key: str  # the key that does it
    what: str
    why: str


def next_step(t: LabTurn) -> Step | None:
    if t.over or t.week >= t.start_week + GUIDE_WEEKS:
        return None
    v = lab_view(t)
    book = t.book
    kinds = {d.kind for d in book}
    training = any(r.phase == "training" for r in v.runs)
    if not training and "run" not in kinds:
        return Step(
            "t",
            "plan a training run (t): your training compute is idle until a run uses it.",
            "Your training compute does nothing until a run uses it. A run your fleet finishes in "
            "10-20 weeks keeps the releases coming; a bigger one later beats a rival's model.",
        )
    short = [s for s in v.sites if s.unpowered_halls_mw >= 1 and unpowered_alert(s).severity != "information"]
    coming = sum(s.turbines_pending_mw + s.grid_coming_mw - s.unpowered_halls_mw for s in v.sites)
    if short or v.warehouse_mw > max(coming, 0.0) + 1e-6:
        return Step(
            "s",
            "give your GPUs power (s): they wait in the warehouse until a powered hall has room.",
            "Delivered GPUs wait in the warehouse until a hall with power has room. Halls take "
            "weeks to build; gas turbines are fast but capped by permits; substations are slow.",
        )
    if v.runway < 26 and "raise" not in kinds:
        ready = v.next_round <= v.date
        return Step(
            "c",
            "raise money (c): your runway is short."
            if ready
            else f"borrow (c) or cut costs: your runway is short and investors wait until {v.next_round:%d %b %Y}.",
            f"At this burn your cash and credit last {v.runway:,.0f} weeks. A round dilutes you; "
            "a loan costs interest. Running out of both ends the game.",
        )
    talked = bool(t.talks)  # offers made to partners this week
    if not any(s.hall_mw or s.building_mw for s in v.sites) and "halls" not in kinds and not talked:
        return Step(
            "d",
            "rent more compute (d), or build halls (s) before you buy GPUs: you have no halls.",
            "GPUs you buy need powered halls of your own, which take months. Partners rent GPUs "
            "in their datacenters within weeks, at a price per GPU-hour that falls as newer chips ship.",
        )
    if v.on_order == 0 and "order" not in kinds:
        return Step(
            "m",
            "order GPUs (m): they take weeks to arrive, then need powered halls.",
            "GPUs arrive after the integrator's lead time and queue, and need powered halls. "
            "Compare FLOP/s per dollar and per MW: the dearest chip is not always the best buy.",
        )
    if not book:
        return Step(
            "n",
            "end the week (n), or fast-forward (f) until something needs you.",
            "Fast-forward stops when something needs you: a release, a delivery, an alert. "
            "The odds screen (o) shows who wins if everyone plays on as now.",
        )
    return Step(
        "n",
        "your decisions are in the order book (b); end the week (n).",
        "Every decision of the week shows in the order book with its cost; cancel any before the week ends.",
    )
