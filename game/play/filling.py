"""What a standing fill order would do this week (play/standing.py fires it; the
empty-halls alert reads it): the GPUs that fill the lab's powered hall room, and how many
it may order now, or why it waits."""

from __future__ import annotations

import math

import attrs

from game.engine import compute, economy
from game.engine.state import ORDER_SLOTS
from game.play import market
from game.play.decisions import BuyGpus
from game.play.desk import LabTurn
from game.play.words import decisions as why_not
from game.play.words import standing as say

FILL_RESERVE_WEEKS = 12  # a fill order keeps this many weeks of running costs in cash
FILL_MIN_GPUS = 1_000  # a fill order buys at least this many at once (it bought single GPUs)
FILL_SPARE_SLOTS = 2  # order slots a fill order leaves for the player's own orders (it took all 8)


def room(t: LabTurn, gpu: str) -> int:
    """GPUs of `gpu` that would fill the lab's powered hall room: the MW its halls can
    run, less what installed GPUs take and what the warehouse's, those on order and those
    in this week's book will."""
    p, w, lab = t.params, t.world, t.lab
    g = p.gpu_ids.index(gpu)
    room_kw = float(market.powered_room_mw(t).sum()) * 1000.0
    waiting_kw = float(w.warehouse[0, lab] @ p.gpu_kw)
    waiting_kw += float((w.order_count[0, lab] * p.gpu_kw[w.order_gpu[0, lab]]).sum())
    booked = sum(d.count * float(p.gpu_kw[p.gpu_ids.index(d.gpu)]) for d in t.book if isinstance(d, BuyGpus))
    return max(int(math.floor((room_kw - waiting_kw - booked) / float(p.gpu_kw[g]) + 1e-9)), 0)


@attrs.frozen
class Fill:
    """What a fill order would do this week: `count` GPUs to order (0: it waits, `why`),
    of the `room` its powered halls leave, at `each` a GPU in servers."""

    count: int
    room: int
    each: float
    why: str = ""
    supply: bool = False  # it waits for NVIDIA's supply: nothing the player can do about it


def fill_now(t: LabTurn, gpu: str, vendor: str) -> Fill:
    """A fill order's week: as many GPUs as the room, the cash above its reserve and
    NVIDIA's supply allow, at least FILL_MIN_GPUS; or why it waits (nothing to say when
    the room is too small for an order). The empty-halls alert reads it too: a
    play-tester's fill order stood still by 258 MW of empty halls, unexplained."""
    p, w = t.params, t.world
    want = room(t, gpu)
    g, v = p.gpu_ids.index(gpu), p.integrator_ids.index(vendor)
    each = float(compute.week_server_price(p, w)[0, v, g])
    if want < FILL_MIN_GPUS:  # the room left is too small for an order: it waits for more halls
        return Fill(0, want, each)
    if market.free_order_slots(t) <= FILL_SPARE_SLOTS:  # the last slots are the player's
        return Fill(0, want, each, say.fill_spares(FILL_SPARE_SLOTS, ORDER_SLOTS))
    # Cash kept in hand: FILL_RESERVE_WEEKS of the lab's running costs (credit does not
    # count: a new GPU generation can cut it overnight).
    reserve = FILL_RESERVE_WEEKS * max(float(economy.net_burn(p, w)[0, t.lab]), 0.0)
    cash = max(t.preview.cash_after - reserve, 0.0)
    supply = int(compute.supply_left(p, w)[0, g])
    count = min(want, int(cash // each) if each > 0 else want, max(supply, 0))
    if count >= FILL_MIN_GPUS:
        return Fill(count, want, each)
    if not compute.on_sale(p, w)[0, g]:  # no supply to speak of: it is not sold yet
        why = why_not.not_on_sale(gpu, p.date_of(int(compute.on_sale_week(p, w)[0, g])))
    elif cash < each * FILL_MIN_GPUS:
        why = say.fill_keeps(reserve, FILL_RESERVE_WEEKS)
    else:
        return Fill(0, want, each, why_not.no_supply(gpu), supply=True)
    return Fill(0, want, each, why)
