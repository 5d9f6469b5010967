"""Standing orders: decisions a player sets once and the game takes for them at the start
of each week, until cancelled.

- `run`: start the next training run (of a FLOP budget) when no run is pretraining, that
  is when the current one ends. It fires once and is done.
- `runs`: runs back to back: whenever no run is pretraining, start one of the FLOP the
  lab's training compute does in `weeks` weeks at that moment (bigger as the fleet grows).
  It stands until cancelled; it and `run` replace each other.
- `renew`: renew a rental contract at its end, for the weeks the player names (or the term
  it had), at its partner's list price of the day, or at most the price the player names
  (an offer at that price when the list is above it: the partner may counter, and the
  order tries again the next week, saying so). From RENEW_WEEKS before the end, an
  amendment goes to the partner each week until it is accepted; it stands for every later
  end too. If the contract ends (or its slot holds another contract) the order lapses.
- `raise`: a round of the most investors offer, each time they will hear one and none is
  under way (the money screen's `the most`, every time). It stands until cancelled.
- `fill`: as hall MW comes online with power, order GPUs of one type through one
  integrator to fill it (MW not already taken by installed GPUs, the warehouse's and
  those on order). It stands until cancelled.

A standing order becomes an ordinary decision (in the week's book, where the player sees
and may cancel it) or an offer, through the same checks as the player's own: the money,
NVIDIA's supply, power, run slots, and the runway warning (a standing order never takes
the runway below it: it waits instead). A refused order says why in the news and stays
(a `run` tries again next week, a `fill` when there is room and money); only a `renew`
whose contract is gone lapses. The orders are saved with the game (a save's
`[[standing]]`); games without a person (headless, the AI, forecasts) have none.

The session calls `fire` at the start of each week, once the week has been played (not
while it is: a decision then is refused).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

import attrs
import numpy as np

from game.engine import compute, terms
from game.engine.limits import MAX_PRICE_USD_HOUR, MAX_RUN_WEEKS, MAX_TERM_WEEKS
from game.engine.params import Params
from game.engine.state import RUN_PRETRAIN, World
from game.engine.training import MAX_RUN_FLOP
from game.play import market
from game.play.book import OfferReply, Preview
from game.play.decisions import BuyGpus, Decision, RaiseRound, Refused, StartRun
from game.play.desk import LabTurn
from game.play.filling import FILL_MIN_GPUS as FILL_MIN_GPUS  # the tests and screens read them here
from game.play.filling import FILL_RESERVE_WEEKS as FILL_RESERVE_WEEKS
from game.play.filling import FILL_SPARE_SLOTS as FILL_SPARE_SLOTS
from game.play.filling import Fill as Fill
from game.play.filling import fill_now as fill_now
from game.play.filling import room as _room
from game.play.news import NOTE, NewsItem
from game.play.runs import flop_for_weeks
from game.play.views import money_view
from game.play.words import decisions as why_not
from game.play.words import session as turn_say
from game.play.words import standing as say
from game.saves import Offer, Standing


class Session(Protocol):
    """What standing orders need of the game that carries them (game/play/session.py's
    Session; named here, not imported, so that the session can fire them)."""

    scenario: Any
    catalog: Any
    news: list[NewsItem]

    @property
    def world(self) -> World: ...
    @property
    def params(self) -> Params: ...
    @property
    def week(self) -> int: ...
    @property
    def over(self) -> bool: ...
    @property
    def human_labs(self) -> list[int]: ...
    def lab_name(self, index: int) -> str: ...
    def book(self, lab: int) -> list[Decision]: ...
    def preview(self, lab: int, book: list[Decision] | None = None) -> Preview: ...
    def turn(self, lab: int) -> LabTurn: ...
    def decide(self, lab: int, decision: Decision, confirmed: bool = False) -> str: ...
    def offer(self, lab: int, offer: Offer) -> OfferReply: ...


RENEW_WEEKS = 4  # a renewal is offered from this many weeks before the contract ends
KINDS = ("run", "renew", "fill", "runs", "raise")


@attrs.frozen
class StandingOrder:
    lab: int
    kind: str
    flop: float = 0.0
    contract: int = -1
    partner: str = ""
    gpu: str = ""
    vendor: str = ""
    weeks: int = 0  # a renewal's weeks (0: the term the contract had)
    max_price: float = 0.0  # the most a renewal offers per GPU-hour (0: the list price)
    placed: int = -1  # the week it last put a decision in the book (-1: never)

    def label(self, session: Session) -> str:
        p = session.params
        if self.kind == "run":
            return say.run_label(self.flop, booked=self.placed >= 0)  # (a run books once)
        if self.kind == "runs":
            return say.runs_label(self.weeks)
        if self.kind == "raise":
            return say.raise_label()
        if self.kind == "renew":
            name = session.catalog.partners[p.partner_ids.index(self.partner)].name
            return say.renew_label(self.contract, self.gpu, name, self.weeks, self.max_price)
        vendor = p.catalog.integrators[p.integrator_ids.index(self.vendor)].name
        return say.fill_label(self.gpu, vendor)

    def record(self, session: Session) -> Standing:
        """The order as a save's [[standing]] record."""
        return Standing(
            lab=session.params.lab_ids[self.lab], kind=self.kind, flop=self.flop, contract=self.contract,
            partner=self.partner, gpu=self.gpu, vendor=self.vendor, weeks=self.weeks, max_price=self.max_price, placed=self.placed,
        )  # fmt: skip


# ------------------------------------------------------------------ the list
def orders(session: Session, lab: int | None = None) -> list[StandingOrder]:
    """The game's standing orders (of one lab if given), in the order they were set."""
    ids = session.params.lab_ids
    out = []
    for r in session.scenario.standing:
        o = StandingOrder(
            lab=ids.index(r.lab), kind=r.kind, flop=float(r.flop), contract=int(r.contract), partner=r.partner,
            gpu=r.gpu, vendor=r.vendor, weeks=int(r.weeks), max_price=float(r.max_price),
            placed=int(r.placed),
        )  # fmt: skip
        if lab is None or o.lab == lab:
            out.append(o)
    return out


def _store(session: Session, kept: list[StandingOrder]) -> None:
    session.scenario = attrs.evolve(session.scenario, standing=tuple(o.record(session) for o in kept))


def run_order(session: Session, lab: int, flop: float) -> StandingOrder:
    return StandingOrder(lab, "run", flop=float(flop))


def runs_order(session: Session, lab: int, weeks: int) -> StandingOrder:
    """Runs back to back, each sized to pretrain in `weeks` at the compute of its start."""
    if not (isinstance(weeks, int) and 1 <= weeks <= MAX_RUN_WEEKS):
        raise Refused(say.runs_weeks(MAX_RUN_WEEKS))
    return StandingOrder(lab, "runs", weeks=weeks)


def runs_flop(session: Session, lab: int, weeks: int) -> float:
    """The FLOP of a run the lab's training compute now pretrains in `weeks` (beside the
    runs under way), within the budgets a run may have."""
    p = session.params
    flop = flop_for_weeks(p, session.world, lab, weeks)
    return float(min(max(flop, p.rules.training.min_run_flop), MAX_RUN_FLOP))


def renew_order(
    session: Session, lab: int, slot: int, weeks: int = 0, max_price: float = 0.0
) -> StandingOrder:
    """A standing renewal of the lab's contract in `slot` (its partner and GPU named, so a
    later contract in the same slot is not renewed by mistake) for `weeks` (0: the term it
    had), at the list price or at most `max_price` per GPU-hour (0: whatever the list is)."""
    w, p = session.world, session.params
    K = w.contract_partner.shape[-1]
    if not 0 <= slot < K or w.contract_partner[0, lab, slot] < 0:
        raise Refused(why_not.no_contract(slot))
    if not 0 <= weeks <= MAX_TERM_WEEKS:
        raise Refused(say.renewal_weeks(MAX_TERM_WEEKS))
    if not (math.isfinite(max_price) and 0 <= max_price <= MAX_PRICE_USD_HOUR):
        raise Refused(say.renewal_price(MAX_PRICE_USD_HOUR))
    partner = p.partner_ids[int(w.contract_partner[0, lab, slot])]
    gpu = p.gpu_ids[int(w.contract_gpu[0, lab, slot])]
    # the term it has now, fixed with the order: each renewal then adds the same weeks
    weeks = weeks or min(
        max(int(w.contract_end[0, lab, slot] - w.contract_start[0, lab, slot]), 1), MAX_TERM_WEEKS
    )
    return StandingOrder(
        lab, "renew", contract=slot, partner=partner, gpu=gpu, weeks=int(weeks), max_price=max_price
    )


def renewal_terms(session: Session | LabTurn, o: StandingOrder) -> tuple[int, float, float]:
    """A renewal's weeks, the price it offers and the partner's list price today: the list
    price unless the order's most is below it. (An order saved before renewals named their
    weeks renews for the contract's whole term so far.)"""
    p, w, k = session.params, session.world, o.contract
    g, partner = int(w.contract_gpu[0, o.lab, k]), int(w.contract_partner[0, o.lab, k])
    listed = float(terms.list_price(p, w, np.array([[partner]]), np.array([[g]]))[0, 0])
    term = int(w.contract_end[0, o.lab, k]) - int(w.contract_start[0, o.lab, k])
    weeks = int(min(max(o.weeks or term, 1), MAX_TERM_WEEKS))
    price = min(listed, o.max_price) if o.max_price else listed
    return weeks, price, listed


def fill_order(session: Session, lab: int, gpu: str, vendor: str) -> StandingOrder:
    return StandingOrder(lab, "fill", gpu=gpu, vendor=vendor)


def add(session: Session, order: StandingOrder) -> str:
    """Set a standing order (for a lab a person plays); one of each kind per lab, one
    renewal per contract: a new one replaces the old, and the answer says so."""
    p = session.params
    if session.over:
        raise Refused(turn_say.game_over())
    if order.lab not in session.human_labs:
        raise Refused(turn_say.not_yours(session.lab_name(order.lab)))
    if order.kind == "run":
        lo = p.rules.training.min_run_flop
        if not (math.isfinite(order.flop) and lo <= order.flop <= MAX_RUN_FLOP):
            raise Refused(say.run_budget(lo, MAX_RUN_FLOP))
    elif order.kind == "raise":
        pass  # the most investors offer, whatever it is then
    elif order.kind == "runs":
        if not 1 <= order.weeks <= MAX_RUN_WEEKS:
            raise Refused(say.runs_weeks(MAX_RUN_WEEKS))
    elif order.kind == "fill":
        if order.gpu not in p.gpu_ids:
            raise Refused(why_not.unknown("gpu", order.gpu))
        if order.vendor not in p.integrator_ids:
            raise Refused(why_not.unknown("integrator", order.vendor))
    elif order.kind != "renew":
        raise Refused(say.unknown_kind(order.kind))
    mine = orders(session)
    runs = ("run", "runs")  # the next run and runs back to back replace each other
    same = [
        o for o in mine if o.lab == order.lab and (o.kind == order.kind or {o.kind, order.kind} <= set(runs))
    ]
    if order.kind == "renew":
        same = [o for o in same if o.contract == order.contract]
    _store(session, [o for o in mine if o not in same] + [order])
    return say.set_order(order.label(session), bool(same))


def cancel(session: Session, lab: int, index: int) -> str:
    """Cancel the lab's standing order number `index` (0-based, in `orders(session, lab)`)."""
    mine = orders(session, lab)
    if not 0 <= index < len(mine):
        raise Refused(say.no_order(index + 1))
    gone = mine[index]
    everyone = orders(session)
    everyone.remove(gone)
    _store(session, everyone)
    return say.cancelled(gone.label(session))


# ------------------------------------------------------------------ each week
def fire(session: Session, rebook: bool = False) -> list[NewsItem]:
    """Turn the standing orders into this week's decisions and offers (the start of a
    week: the session calls it when a week has been played). Returns the news of what
    they did and of every refusal.

    An order that puts a decision in the book is marked with the week (`placed`); a run
    order stays, so marked, until that week is played. A save holds none of its week's
    decisions, so a loaded game fires again (`rebook`) just the orders that had booked
    one that week: the game goes on as if it had not been saved (a run order's run was
    lost with the save before, and the order with it)."""
    if session.over:
        return []
    news: list[NewsItem] = []
    kept: list[StandingOrder] = []
    for o in orders(session):
        if o.lab not in session.human_labs or (rebook and o.placed != session.week):
            kept.append(o)
            continue
        if o.kind == "run" and 0 <= o.placed < session.week:
            continue  # its run was booked in a week now played: done
        before = len(session.book(o.lab))
        stays, said, urgent = _FIRE[o.kind](session, o)
        booked = len(session.book(o.lab)) > before
        if said:
            news.append(NewsItem(session.week, say.news(said), NOTE, o.lab, private=True, urgent=urgent))
        if stays or (booked and o.kind == "run"):  # a run booked is kept, marked, until its week is played
            kept.append(attrs.evolve(o, placed=session.week) if booked else o)
    _store(session, kept)
    return news


# Each kind fires as (it stays, what it said, the player is needed now). Only a renewal's
# trouble needs the player now (a contract is about to end); the rest is in the book and
# the news log, and never stops a fast-forward.
Fired = tuple[bool, str, bool]


def _run(session: Session, o: StandingOrder) -> Fired:
    w = session.world
    if (w.run_phase[0, o.lab] == RUN_PRETRAIN).any():
        return True, "", False
    return _book(session, o, StartRun(o.flop), say.run_waits, stays=False)


def _book(session: Session, o: StandingOrder, d: Decision, waits: Callable[[str], str], stays: bool = True) -> Fired:
    """`d` in the order's lab's book (confirmed: the order was), or why it waits."""
    try:
        said = session.decide(o.lab, d, confirmed=True)
    except Refused as why:
        return True, waits(str(why)), False
    return stays, say.run_booked(said), False


def _runs(session: Session, o: StandingOrder) -> Fired:
    """Runs back to back: a run of the order's weeks whenever none is pretraining."""
    w = session.world
    if (w.run_phase[0, o.lab] == RUN_PRETRAIN).any() or any(d.kind == "run" for d in session.book(o.lab)):
        return True, "", False
    flop = runs_flop(session, o.lab, o.weeks)
    t = session.turn(o.lab)
    if t.capability_of(flop) <= float(w.best_model[0, o.lab]):  # a tester's run shipped below his best
        why = say.runs_no_better(flop, t.capability_of(flop), float(w.best_model[0, o.lab]))
        return True, _once(session, o, say.run_waits(why), say.run_waits("")), False
    return _book(session, o, StartRun(flop), say.run_waits)


def _raise(session: Session, o: StandingOrder) -> Fired:
    """A round of the most investors offer, when they will hear one and none is under way."""
    m = money_view(session.turn(o.lab))
    if not m.round_ready or m.closing > 0 or m.largest < 1e6 or any(d.kind == "raise" for d in session.book(o.lab)):
        return True, "", False
    return _book(session, o, RaiseRound(m.largest), say.raise_waits)


def renewal_offer(t: LabTurn, o: StandingOrder, weeks: int, price: float, listed: float) -> tuple[float, str]:
    """The price a renewal offers this week, or why it waits. A pool spoken for past its
    knee asks more than the list: a renewal offers that much when its most allows, and
    otherwise waits without an offer (a counter every week spent the partner's patience
    and the renewal lapsed unnoticed). The contract-ending alert reads it too."""
    c = market.crowding(t, o.partner, o.gpu, 0, t.week, weeks)
    ask = math.ceil(c.price * (1 + c.swing) * 100) / 100  # the most the week's draw makes it
    if c.factor <= 1.005 or ask <= price + 1e-9:
        return price, ""
    if o.max_price and ask <= o.max_price:
        return ask, ""
    name = t.catalog.partners[t.params.partner_ids.index(o.partner)].name
    return price, say.renewal_dear(name, c.full, c.price, o.max_price or listed)


def renewal_waits(t: LabTurn, slot: int) -> str:
    """Why the lab's standing renewal of the contract in `slot` would wait this week ("":
    it would offer, or there is none)."""
    record = next((r for r in t.standing if r.kind == "renew" and r.contract == slot), None)
    if record is None:
        return ""
    o = StandingOrder(
        t.lab, "renew", contract=slot, partner=record.partner, gpu=record.gpu, weeks=int(record.weeks),
        max_price=float(record.max_price),
    )  # fmt: skip
    return renewal_offer(t, o, *renewal_terms(t, o))[1]


def _renew(session: Session, o: StandingOrder) -> Fired:
    p, w, k = session.params, session.world, o.contract
    partner = int(w.contract_partner[0, o.lab, k])
    if (
        partner < 0
        or p.partner_ids[partner] != o.partner
        or p.gpu_ids[int(w.contract_gpu[0, o.lab, k])] != o.gpu
    ):
        return False, say.renewal_lapses(k), True
    end = int(w.contract_end[0, o.lab, k])
    if end - session.week > RENEW_WEEKS:
        return True, "", False
    weeks, price, listed = renewal_terms(session, o)
    price, why = renewal_offer(session.turn(o.lab), o, weeks, price, listed)
    if why:
        return True, _once(session, o, say.renewal_waits(k, why), say.renewal_waits(k, "")), True
    offer = Offer(partner=o.partner, gpu=o.gpu, count=0, start=session.week, weeks=weeks, price=round(price, 4),
                  contract=k)  # fmt: skip
    try:
        reply = session.offer(o.lab, offer)
    except Refused as why:
        return True, say.renewal_waits(k, str(why)), True
    if reply.answer == "accept":
        return True, say.renewed(k, weeks, price), False
    left = max(end - session.week, 0)
    return True, say.renewal_answered(k, left, price, listed, reply.words), True


def fill_room(session: Session, lab: int, gpu: str) -> int:
    """GPUs of `gpu` that would fill the lab's powered hall room (filling.room)."""
    return _room(session.turn(lab), gpu)


def _fill(session: Session, o: StandingOrder) -> Fired:
    f = fill_now(session.turn(o.lab), o.gpu, o.vendor)
    if f.room < FILL_MIN_GPUS:
        return True, "", False
    if f.why:
        return True, _once(session, o, say.fill_waits(f.room, o.gpu, f.why, f.each)), False
    try:
        said = session.decide(o.lab, BuyGpus(o.gpu, o.vendor, f.count))
    except Refused as refused:
        return True, _once(session, o, say.fill_waits(f.room, o.gpu, turn_say.unasked(str(refused)))), False
    return True, say.fill_booked(said, f.count, f.room), False


def _once(session: Session, o: StandingOrder, waits: str, mark: str = "") -> str:
    """A fill order's (or a renewal's) wait is news the first week it waits after the
    order was placed, not every week after (the orders screen says how it stands): a
    play-tester's summaries filled with it. `mark`: what its news line starts with."""
    mark = mark or say.fill_waiting(o.gpu)
    for n in reversed(session.news):
        if n.week <= o.placed:
            break
        if n.lab == o.lab and mark in n.text:
            return ""
    return waits


_FIRE = {"run": _run, "renew": _renew, "fill": _fill, "runs": _runs, "raise": _raise}


def describe(session: Session, o: StandingOrder) -> str:
    """What a standing order would do if the week started now (a preview)."""
    p, w, lab = session.params, session.world, o.lab
    if o.kind == "run":
        busy = bool((w.run_phase[0, lab] == RUN_PRETRAIN).any())
        return say.run_preview(o.flop, busy, session.turn(lab).capability_of(o.flop))
    if o.kind == "raise":
        m = money_view(session.turn(lab))
        return say.raise_preview(m.largest, m.pre_money, m.close_weeks, None if m.round_ready else m.next_round, m.closing > 0)
    if o.kind == "runs":
        busy = bool((w.run_phase[0, lab] == RUN_PRETRAIN).any())
        flop = runs_flop(session, lab, o.weeks)
        return say.runs_preview(o.weeks, flop, busy, session.turn(lab).capability_of(flop))
    if o.kind == "renew":
        end = p.date_of(int(w.contract_end[0, lab, o.contract]))
        weeks, price, listed = renewal_terms(session, o)
        return say.renew_preview(o.contract, end, RENEW_WEEKS, weeks, price, listed, o.max_price)
    g, v = p.gpu_ids.index(o.gpu), p.integrator_ids.index(o.vendor)
    room = fill_room(session, lab, o.gpu)
    each = float(compute.week_server_price(p, w)[0, v, g])
    return say.fill_preview(o.gpu, FILL_RESERVE_WEEKS, room, each, FILL_SPARE_SLOTS)
