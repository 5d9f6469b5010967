"""The first-game guide: the next sensible step for a new player, and why, read from
the lab's state each week (the first weeks of a player's first game). Its words are
words/guide.py's."""

from __future__ import annotations

import attrs

from game.play.decisions import BuildHalls
from game.play.desk import LabTurn
from game.play.intel import ALERT_MIN_MW, unpowered_alert
from game.play.market import empty_powered_mw, market_rows
from game.play.risk import runway_weeks
from game.play.views import lab_view
from game.play.words import guide as say

GUIDE_WEEKS = 16  # the guide speaks during the first weeks of a game
GUIDE_ORDER_GPUS = 1_000  # the least order of GPUs the guide sends a player to the market for


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
        return Step("training", *say.plan_run())
    short = [
        s for s in v.sites if s.unpowered_halls_mw >= ALERT_MIN_MW and unpowered_alert(s).severity != "information"
    ]
    coming = sum(s.turbines_pending_mw + s.grid_coming_mw - s.unpowered_halls_mw for s in v.sites)
    if short or v.warehouse_mw > max(coming, 0.0) + 1e-6:
        return Step("sites", *say.power())
    runway = runway_weeks(t)
    if runway < 26 and "raise" not in kinds:
        ready = v.next_round <= v.date
        return Step("finance", *say.money(runway, None if ready else v.next_round))
    talked = bool(t.talks)  # offers made to partners this week
    if not any(s.hall_mw or s.building_mw for s in v.sites) and "halls" not in kinds and not talked:
        return Step("deals", *say.compute())
    if v.on_order == 0 and "order" not in kinds:
        building = sum(s.building_mw for s in v.sites) + sum(d.mw for d in book if isinstance(d, BuildHalls))
        if empty_powered_mw(t) < ALERT_MIN_MW and building < ALERT_MIN_MW:  # no room for GPUs coming
            return Step("sites", *say.halls_first())
        if t.preview.cash_after < GUIDE_ORDER_GPUS * min(r.price for r in market_rows(t) if r.on_sale):
            ready = v.next_round <= v.date  # no cash for an order: the money comes first
            return Step("finance", *say.money_for_gpus(None if ready else v.next_round))
        return Step("market", *say.order())
    return Step("end-week", *say.end_week(bool(book)))
