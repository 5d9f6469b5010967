"""The week's book of a lab, as the session keeps it: what a dry run of it tells
(`Preview`), a partner's answer to one offer (`OfferReply`), and the constants of the
admission rule every decision passes (game/play/session.py, Session._admit)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs

from game.engine import codes, economy, limits
from game.engine.params import Params
from game.engine.state import CONTRACT_SLOTS, World
from game.play.decisions import Decision, Refused
from game.play.words import session as say
from game.saves import Offer

ADDS_UP = ("order", "halls", "turbines", "borrow", "repay")  # kinds where two alike are one larger
RUNWAY_WARNING_WEEKS = 8  # a decision that takes the runway below this asks first
# Codes that mean a decision would change nothing (the others cut it down).
HARD = (
    codes.ORDER_NOT_ON_SALE | codes.ORDER_NO_SLOT | codes.RAISE_TOO_SOON | codes.RUN_NO_SLOT
    | codes.RUN_TOO_SMALL | codes.SUBSTATION_BUSY | codes.BORROW_LIMIT | codes.BAD_INDEX
)  # fmt: skip


class Confirm(Refused):
    """A decision the player must confirm (`decide(..., confirmed=True)`); the message
    is the question."""


class LowRunway(Confirm):
    """A decision that would leave less than RUNWAY_WARNING_WEEKS of runway."""


class OverCovenant(Confirm):
    """A decision that takes the lab's debt over the covenant's share of its GPUs' value
    (a sale of GPUs the loans are secured on): the lenders then sweep cash every week."""


class SameAgain(Confirm):
    """A run the week's book holds already (a second Enter on the training form): two
    runs of one size are a choice, not a key pressed twice."""


def ask(p: Params, lab: int, decision: Decision, before: Preview, after: Preview) -> None:
    """The questions a decision the checks admitted asks before it is booked, from the
    dry runs of the book without it and with it: raises OverCovenant when it takes the
    debt over the covenant, LowRunway when it takes the runway under RUNWAY_WARNING_WEEKS
    or under the weeks until the round under way pays (a tester's order left 9 weeks with
    the round's cash 12 weeks out, unasked; a loan is not asked: the runway counts credit,
    so a loan moves it by its interest)."""
    f = p.rules.finance
    lev_before = float(economy.leverage(p, before.world)[0, lab])
    lev_after = float(economy.leverage(p, after.world)[0, lab])
    if lev_after > f.covenant_ltv and lev_after > lev_before + 1e-9:
        raise OverCovenant(
            say.over_covenant(decision.label(p), lev_before, lev_after, f.covenant_ltv, f.covenant_sweep)
        )
    shorter = decision.kind != "borrow" and after.runway_weeks < before.runway_weeks - 1e-9
    if shorter and after.runway_weeks < RUNWAY_WARNING_WEEKS:
        raise LowRunway(say.low_runway(decision.label(p), after.runway_weeks, after.cash_after))
    w = after.world  # a round under way (or booked this week) pays when it closes: before it?
    closes_in = float(w.round_close[0, lab] - w.week[0]) if w.round_usd[0, lab] > 0 else 0.0
    if shorter and after.runway_weeks < closes_in:
        raise LowRunway(say.runway_before_round(decision.label(p), after.runway_weeks, closes_in, after.cash_after))


@attrs.frozen
class Preview:
    """What a lab's book does this week, from a dry run of the week's decisions with the
    other labs idle (so it reveals nothing of theirs), before revenue, running costs and
    events, on other random numbers than the week's (so it reveals no draw)."""

    spend: float  # net cash the decisions themselves move this week (negative: they cost money)
    cash_after: float  # cash once they and the week's hall building are paid
    runway_weeks: float  # weeks of cash and credit at the burn they leave
    refused: int  # codes.* bits of what the engine would refuse or cut
    world: World = attrs.field(repr=False)  # the state after the dry run
    building: float = 0.0  # USD paid this week for halls already under construction
    closing: float = 0.0  # USD a round already under way brings in this week


@attrs.frozen
class OfferReply:
    """A partner's answer to one offer: accept, counter, stall or reject, its words, and
    the terms a counter names (a rental's GPUs and price; an investment's amount and the
    share of revenue it wants)."""

    answer: str
    words: str
    count: int
    price: float  # USD per GPU-hour
    share: float  # of revenue
    invest: float  # USD


# An offer's numbers and their bounds (game/engine/limits.py: what the save schema reads).
OFFER_BOUNDS = (
    ("count", 0, limits.MAX_OFFER_GPUS),
    ("weeks", 0, limits.MAX_TERM_WEEKS),
    ("price", 0, limits.MAX_PRICE_USD_HOUR),
    ("invest", 0, limits.MAX_INVEST_USD),
    ("share", 0, 1.0),
    ("contract", -1, CONTRACT_SLOTS - 1),
)


def check_offer(p: Params, week: int, offer: Offer) -> None:
    """An offer a partner can hear and the game can save: known ids, numbers within the
    limits the save schema reads, a start no later than the longest term ahead. Raises
    Refused naming the field."""
    known = {"partner": p.partner_ids, "gpu": p.gpu_ids, "site": p.site_ids}
    for key, ids in known.items():
        value = getattr(offer, key)
        if (value or key == "partner") and value not in ids:
            raise Refused(say.offer_unknown(key, value))
    bounds = (*OFFER_BOUNDS, ("start", 0, week + limits.MAX_TERM_WEEKS))
    for key, lo, hi in bounds:
        value = getattr(offer, key)
        if not isinstance(value, int | float) or not math.isfinite(value) or not lo <= value <= hi:
            raise Refused(say.offer_out_of_range(key, lo, hi))
        if key in ("count", "weeks", "start", "contract") and value != int(value):
            raise Refused(say.offer_not_whole(key))


def decide_all(session: Any, lab: int, decisions: Sequence[Decision], confirmed: bool = False) -> list[str]:
    """Add several decisions to a session's book for `lab`, all or none (one order split
    between integrators): each through `Session.decide`, on top of those before it. If one
    is refused or asks to be confirmed, the book is as it was and the error goes up."""
    kept = session.book(lab)
    try:
        return [session.decide(lab, d, confirmed=confirmed) for d in decisions]
    except BaseException:
        session.books[lab] = kept
        raise
