"""The decisions a player queues for the week: the order book.

Each decision is a typed record that says what it is, checks itself against the engine's
own rules (the functions the weekly step uses: what is on sale, supply left, permit room,
a round's readiness, credit) and writes itself into the week's Actions. Decisions of one
kind add up (two orders, two hall builds at one site); settings (the compute split, the
people budget) replace the week's earlier setting, and the book says so. Nothing here
decides what the week does: the engine does, in `turn.step`.
"""

from __future__ import annotations

import abc
import math
from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

import attrs
import numpy as np

from game.engine import compute, economy
from game.engine.limits import (
    MAX_ACTION_USD,
    MAX_BUILD_MW,
    MAX_INVEST_USD,
    MAX_OFFER_GPUS,
    MAX_ORDER_GPUS,
    MAX_PRICE_USD_HOUR,
    MAX_RUN_WEEKS,
    MAX_STAFF_USD_WEEK,
    MAX_TERM_WEEKS,
    MAX_TURBINE_MW,
)
from game.engine.params import Params
from game.engine.state import World
from game.engine.training import MAX_RUN_FLOP
from game.play.words import decisions as say

# The limits are the one table's (game/engine/limits.py), re-exported for the forms: the
# screens import no engine module.
__all__ = [
    "MAX_ACTION_USD", "MAX_BUILD_MW", "MAX_INVEST_USD", "MAX_OFFER_GPUS", "MAX_ORDER_GPUS", "MAX_PRICE_USD_HOUR", "MAX_RUN_FLOP", "MAX_RUN_WEEKS",
    "MAX_STAFF_USD_WEEK", "MAX_TERM_WEEKS", "MAX_TURBINE_MW",
    "Borrow", "BuildHalls", "BuyGpus", "Decision", "LeaveContract", "OrderTurbines", "RaiseRound", "Refused",
    "Repay", "SetSplit", "SetStaff", "StartRun", "UpgradeSubstation", "book_actions", "last_of",
]  # fmt: skip


class Refused(ValueError):
    """A decision the game will not take; the message says why (nothing changed)."""


def _index(ids: tuple[str, ...], value: str, thing: str) -> int:
    """`value`'s place in `ids`; `thing` names it (a key of words.decisions.THINGS)."""
    if value not in ids:
        raise Refused(say.unknown(thing, value))
    return ids.index(value)


def _amount(value: float, quantity: str, lo: float, hi: float) -> float:
    """`value` if it is a number from `lo` to `hi`; `quantity` names it (a key of
    words.decisions.QUANTITIES)."""
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise Refused(say.not_a_number(quantity))
    if not lo <= value <= hi:
        raise Refused(say.out_of_range(quantity, lo, hi))
    return float(value)


@attrs.frozen
class Decision(abc.ABC):
    """One entry of the week's book for one lab."""

    kind: ClassVar[str] = ""
    setting: ClassVar[bool] = False  # a setting replaces the week's earlier one of its kind

    @abc.abstractmethod
    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        """Raise Refused if the engine would not take this decision on top of `book`."""

    @abc.abstractmethod
    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        """Add this decision to the week's action arrays (B = 1)."""

    def label(self, p: Params) -> str:
        """What it is, in a few words, for the book."""
        return self.kind


@attrs.frozen
class BuyGpus(Decision):
    gpu: str
    vendor: str
    count: int
    kind: ClassVar[str] = "order"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        g = _index(p.gpu_ids, self.gpu, "gpu")
        _index(p.integrator_ids, self.vendor, "integrator")
        if not isinstance(self.count, int) or not 1 <= self.count <= MAX_ORDER_GPUS:
            raise Refused(say.whole_count(MAX_ORDER_GPUS))
        if not compute.on_sale(p, w)[0, g]:
            raise Refused(say.not_on_sale(self.gpu, p.date_of(int(compute.on_sale_week(p, w)[0, g]))))
        if compute.supply_left(p, w)[0, g] < 1:
            raise Refused(say.no_supply(self.gpu))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["order_count"][0, lab, p.integrator_ids.index(self.vendor), p.gpu_ids.index(self.gpu)] += self.count

    def label(self, p: Params) -> str:
        vendor = p.catalog.integrators[p.integrator_ids.index(self.vendor)].name
        return say.buy(self.count, self.gpu, vendor)


def _site(p: Params, site: str) -> str:
    """A site's short name: 'Memphis', not 'Memphis, Tennessee (Colossus)'."""
    return p.catalog.sites[p.site_ids.index(site)].name.split(",")[0]


@attrs.frozen
class BuildHalls(Decision):
    site: str
    mw: float
    kind: ClassVar[str] = "halls"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _index(p.site_ids, self.site, "site")
        _amount(self.mw, "mw", 1, MAX_BUILD_MW)

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["build_mw"][0, lab, p.site_ids.index(self.site)] += self.mw

    def label(self, p: Params) -> str:
        return say.halls(self.mw, _site(p, self.site))


@attrs.frozen
class OrderTurbines(Decision):
    site: str
    mw: float
    kind: ClassVar[str] = "turbines"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        s = _index(p.site_ids, self.site, "site")
        _amount(self.mw, "mw", 1, MAX_TURBINE_MW)
        queued = sum(d.mw for d in book if isinstance(d, OrderTurbines) and d.site == self.site)
        room = float(compute.turbine_room(p, w)[0, s]) - queued
        if self.mw > room + 1e-9:
            raise Refused(say.permit_room(p.catalog.sites[s].name, room))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["turbine_mw"][0, lab, p.site_ids.index(self.site)] += self.mw

    def label(self, p: Params) -> str:
        return say.turbines(self.mw, _site(p, self.site))


@attrs.frozen
class UpgradeSubstation(Decision):
    site: str
    kind: ClassVar[str] = "substation"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        s = _index(p.site_ids, self.site, "site")
        name = p.catalog.sites[s].name
        if any(isinstance(d, UpgradeSubstation) and d.site == self.site for d in book):
            raise Refused(say.upgrade_booked(name))
        if w.substation_left[0, s] > 0:
            raise Refused(say.upgrade_under_way(name, int(w.substation_left[0, s])))
        if w.grid_mw[0, s] >= p.site_grid_max[s]:
            raise Refused(say.grid_at_max(name, float(p.site_grid_max[s])))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["substation"][0, lab, p.site_ids.index(self.site)] = True

    def label(self, p: Params) -> str:
        return say.substation(_site(p, self.site))


@attrs.frozen
class StartRun(Decision):
    flop: float
    kind: ClassVar[str] = "run"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        lo = p.rules.training.min_run_flop
        _amount(self.flop, "run_flop", lo, MAX_RUN_FLOP)
        queued = sum(isinstance(d, StartRun) for d in book)
        if int((w.run_phase[0, lab] == 0).sum()) <= queued:
            raise Refused(say.run_slots_busy())

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        k = int(np.argmin(a["start_flop"][0, lab] > 0))
        a["start_flop"][0, lab, k] = self.flop

    def label(self, p: Params) -> str:
        return say.run(self.flop)


@attrs.frozen
class LeaveContract(Decision):
    slot: int
    kind: ClassVar[str] = "exit"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        K = w.contract_partner.shape[-1]
        if (
            not isinstance(self.slot, int)
            or not 0 <= self.slot < K
            or w.contract_partner[0, lab, self.slot] < 0
        ):
            raise Refused(say.no_contract(self.slot))
        if any(isinstance(d, LeaveContract) and d.slot == self.slot for d in book):
            raise Refused(say.leaving_booked(self.slot))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["exit"][0, lab, self.slot] = True

    def label(self, p: Params) -> str:
        return say.leave(self.slot)


@attrs.frozen
class RaiseRound(Decision):
    usd: float
    kind: ClassVar[str] = "raise"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _amount(self.usd, "usd", 1e6, MAX_ACTION_USD)
        if any(isinstance(d, RaiseRound) for d in book):
            raise Refused(say.round_booked())
        if not economy.round_ready(p, w)[0, lab]:
            week = int(economy.next_round_week(p, w)[0, lab])
            raise Refused(say.round_not_yet(p.date_of(week), week - int(w.week[0])))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["raise_usd"][0, lab] = self.usd

    def label(self, p: Params) -> str:
        return say.raise_round(self.usd)


@attrs.frozen
class Borrow(Decision):
    usd: float
    kind: ClassVar[str] = "borrow"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _amount(self.usd, "usd", 1e6, MAX_ACTION_USD)
        queued = sum(d.usd for d in book if isinstance(d, Borrow))
        room = float(economy.credit_headroom(p, w)[0, lab]) - queued
        if self.usd > room:
            raise Refused(say.lend_room(room))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["borrow_usd"][0, lab] += self.usd

    def label(self, p: Params) -> str:
        return say.borrow(self.usd)


@attrs.frozen
class Repay(Decision):
    usd: float
    kind: ClassVar[str] = "repay"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _amount(self.usd, "usd", 1e6, MAX_ACTION_USD)
        if w.debt[0, lab] <= 0:
            raise Refused(say.no_debt())

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["repay_usd"][0, lab] += self.usd

    def label(self, p: Params) -> str:
        return say.repay(self.usd)


@attrs.frozen
class SetSplit(Decision):
    training: float
    inference: float
    research: float
    kind: ClassVar[str] = "split"
    setting: ClassVar[bool] = True

    @property
    def shares(self) -> np.ndarray:
        raw = np.array([self.training, self.inference, self.research], dtype=float)
        return raw / raw.sum()

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        raw = [self.training, self.inference, self.research]
        for x in raw:
            _amount(x, "share", 0, 100)
        if sum(raw) <= 0:
            raise Refused(say.shares_all_zero())
        if not any(isinstance(d, SetSplit) for d in book) and np.allclose(
            self.shares, w.split[0, lab], atol=5e-4
        ):
            t, i, r = self.shares
            raise Refused(say.split_already(t, i, r))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["split"][0, lab] = self.shares

    def label(self, p: Params) -> str:
        t, i, r = self.shares
        return say.split(t, i, r, self.training + self.inference + self.research)  # the form's words


@attrs.frozen
class SetStaff(Decision):
    usd_week: float
    kind: ClassVar[str] = "staff"
    setting: ClassVar[bool] = True

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _amount(self.usd_week, "staff_usd_week", 0, MAX_STAFF_USD_WEEK)
        if (
            not any(isinstance(d, SetStaff) for d in book)
            and abs(self.usd_week - float(w.staff_usd_week[0, lab])) < 1.0
        ):
            raise Refused(say.staff_already(self.usd_week))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["staff_usd_week"][0, lab] = self.usd_week

    def label(self, p: Params) -> str:
        return say.staff(self.usd_week)


D = TypeVar("D", bound="Decision")


def last_of(book: Sequence[Decision], kind: type[D]) -> D | None:
    """The week's booked setting of a kind (the last one stands), or None."""
    return next((d for d in reversed(book) if isinstance(d, kind)), None)


def book_actions(w: World, books: dict[int, list[Decision]]) -> tuple[Any, np.ndarray]:
    """The week's Actions (B = 1) for the labs that have a book, and which labs those are
    (L,) bool. A lab with an empty book is idle (it decided nothing), not AI-played."""
    from game.engine.actions import Actions

    a = Actions.idle(w)
    fields = {f.name: getattr(a, f.name).copy() for f in attrs.fields(Actions)}
    covered = np.zeros(w.cash.shape[1], bool)
    for lab, book in books.items():
        covered[lab] = True
        for decision in book:
            decision.write(fields, w.params, lab)
    return Actions(**fields), covered
