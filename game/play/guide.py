"""The first-game guide: the next sensible step for a new player, and why, read from
the lab's state each week (the first weeks of a player's first game)."""

from __future__ import annotations

import attrs

from game.play.desk import LabTurn
from game.play.intel import unpowered_alert
from game.play.risk import runway_weeks
from game.play.views import lab_view

GUIDE_WEEKS = 16  # the guide speaks during the first weeks of a game


@attrs.frozen
class Step:
    screen: str  # what does it: a dashboard key's id ("training", "finance", "end-week", ...)
    what: str  # the step, without a key (the screens show the key of `screen`)
    because: str  # why now, in a clause
    why: str  # the longer reason


def game_start(t: LabTurn) -> int:
    """The week the game began: before the first decision its log holds and the first
    week of its history (a loaded game's replayed history starts there too), so a save's
    week is not taken for its start."""
    weeks = [t.start_week, t.week]
    weeks += [e.week for e in t.log[:1]]
    weeks += [h.week for h in t.history[:1]]
    return min(weeks)


def next_step(t: LabTurn) -> Step | None:
    if t.over or t.week >= game_start(t) + GUIDE_WEEKS:
        return None
    v = lab_view(t)
    book = t.book
    kinds = {d.kind for d in book}
    training = any(r.phase == "training" for r in v.runs)
    if not training and "run" not in kinds:
        return Step(
            "training",
            "plan a training run",
            "your training compute is idle until a run uses it.",
            "Your training compute does nothing until a run uses it. A run your fleet finishes in "
            "10-20 weeks keeps the releases coming; a bigger one later beats a rival's model.",
        )
    short = [s for s in v.sites if s.unpowered_halls_mw >= 1 and unpowered_alert(s).severity != "information"]
    coming = sum(s.turbines_pending_mw + s.grid_coming_mw - s.unpowered_halls_mw for s in v.sites)
    if short or v.warehouse_mw > max(coming, 0.0) + 1e-6:
        return Step(
            "sites",
            "give your GPUs power",
            "they wait in the warehouse until a powered hall has room.",
            "Delivered GPUs wait in the warehouse until a hall with power has room. Halls take "
            "weeks to build; gas turbines are fast but capped by permits; substations are slow.",
        )
    runway = runway_weeks(t)
    if runway < 26 and "raise" not in kinds:
        ready = v.next_round <= v.date
        return Step(
            "finance",
            "raise money" if ready else "borrow, or cut costs",
            "your runway is short."
            if ready
            else f"your runway is short and investors wait until {v.next_round:%d %b %Y}.",
            f"At this burn your cash and credit last {runway:,.0f} weeks. A round dilutes you; "
            "a loan costs interest. Running out of both ends the game.",
        )
    talked = bool(t.talks)  # offers made to partners this week
    if not any(s.hall_mw or s.building_mw for s in v.sites) and "halls" not in kinds and not talked:
        return Step(
            "deals",
            "rent more compute, or build halls before you buy GPUs",
            "you have no halls.",
            "GPUs you buy need powered halls of your own, which take months. Partners rent GPUs "
            "in their datacenters within weeks, at a price per GPU-hour that falls as newer chips ship.",
        )
    if v.on_order == 0 and "order" not in kinds:
        return Step(
            "market",
            "order GPUs",
            "they take weeks to arrive, then need powered halls.",
            "GPUs arrive after the integrator's lead time and queue, and need powered halls. "
            "Compare FLOP/s per dollar and per MW: the dearest chip is not always the best buy.",
        )
    if not book:
        return Step(
            "end-week",
            "end the week",
            "or fast-forward until something needs you.",
            "Fast-forward stops when something needs you: a release, a delivery, an alert. "
            "The odds screen (o) shows who wins if everyone plays on as now.",
        )
    return Step(
        "end-week",
        "end the week",
        "your decisions are in the order book.",
        "Every decision of the week shows in the order book with its cost; cancel any before the week ends.",
    )
