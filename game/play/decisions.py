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
    MAX_ORDER_GPUS,
    MAX_PRICE_USD_HOUR,
    MAX_STAFF_USD_WEEK,
    MAX_TERM_WEEKS,
    MAX_TURBINE_MW,
)
from game.engine.params import Params
from game.engine.state import World
from game.engine.training import MAX_RUN_FLOP
from game.play.words import money

# The limits are the one table's (game/engine/limits.py), re-exported for the forms: the
# screens import no engine module.
__all__ = [
    "MAX_ACTION_USD", "MAX_BUILD_MW", "MAX_INVEST_USD", "MAX_ORDER_GPUS", "MAX_PRICE_USD_HOUR", "MAX_RUN_FLOP",
    "MAX_STAFF_USD_WEEK", "MAX_TERM_WEEKS", "MAX_TURBINE_MW",
    "Borrow", "BuildHalls", "BuyGpus", "Decision", "LeaveContract", "OrderTurbines", "RaiseRound", "Refused",
    "Repay", "SetSplit", "SetStaff", "StartRun", "UpgradeSubstation", "book_actions", "last_of",
]  # fmt: skip


class Refused(ValueError):
    """A decision the game will not take; the message says why (nothing changed)."""


def _date(p: Params, week: int) -> str:
    return f"{p.date_of(int(week)):%d %b %Y}"


def _index(ids: tuple[str, ...], value: str, what: str) -> int:
    if value not in ids:
        raise Refused(f"unknown {what} {value!r}")
    return ids.index(value)


def _amount(value: float, what: str, lo: float, hi: float, unit: str = "") -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise Refused(f"{what} must be a number")
    if not lo <= value <= hi:
        raise Refused(f"{what} must be between {_bound(lo)} and {_bound(hi)}{unit}")
    return float(value)


def _bound(x: float) -> str:
    """A limit as a person writes it: 1,000,000 or 1e+40 for the astronomical."""
    return f"{x:,.0f}" if abs(x) < 1e16 else f"{x:.0e}"


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
        g = _index(p.gpu_ids, self.gpu, "GPU")
        _index(p.integrator_ids, self.vendor, "integrator")
        if not isinstance(self.count, int) or not 1 <= self.count <= MAX_ORDER_GPUS:
            raise Refused(f"the count must be a whole number from 1 to {MAX_ORDER_GPUS:,}")
        if not compute.on_sale(p, w)[0, g]:
            raise Refused(f"{self.gpu} is not on sale until {_date(p, compute.on_sale_week(p, w)[0, g])}")
        if compute.supply_left(p, w)[0, g] < 1:
            raise Refused(f"NVIDIA's {self.gpu} supply for this quarter is spoken for")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["order_count"][0, lab, p.integrator_ids.index(self.vendor), p.gpu_ids.index(self.gpu)] += self.count

    def label(self, p: Params) -> str:
        vendor = p.catalog.integrators[p.integrator_ids.index(self.vendor)].name
        return f"Buy {self.count:,} {self.gpu} via {vendor}"


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
        _amount(self.mw, "megawatts", 1, MAX_BUILD_MW, " MW")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["build_mw"][0, lab, p.site_ids.index(self.site)] += self.mw

    def label(self, p: Params) -> str:
        return f"Build {self.mw:,.0f} MW of halls at {_site(p, self.site)}"


@attrs.frozen
class OrderTurbines(Decision):
    site: str
    mw: float
    kind: ClassVar[str] = "turbines"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        s = _index(p.site_ids, self.site, "site")
        _amount(self.mw, "megawatts", 1, MAX_TURBINE_MW, " MW")
        queued = sum(d.mw for d in book if isinstance(d, OrderTurbines) and d.site == self.site)
        room = float(compute.turbine_room(p, w)[0, s]) - queued
        if self.mw > room + 1e-9:
            raise Refused(f"the permits at {p.catalog.sites[s].name} allow {max(room, 0):,.0f} MW more")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["turbine_mw"][0, lab, p.site_ids.index(self.site)] += self.mw

    def label(self, p: Params) -> str:
        return f"Order {self.mw:,.0f} MW of gas turbines at {_site(p, self.site)}"


@attrs.frozen
class UpgradeSubstation(Decision):
    site: str
    kind: ClassVar[str] = "substation"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        s = _index(p.site_ids, self.site, "site")
        name = p.catalog.sites[s].name
        if any(isinstance(d, UpgradeSubstation) and d.site == self.site for d in book):
            raise Refused(f"an upgrade at {name} is already in this week's orders")
        if w.substation_left[0, s] > 0:
            raise Refused(
                f"an upgrade at {name} is already under way ({int(w.substation_left[0, s])} weeks left)"
            )
        if w.grid_mw[0, s] >= p.site_grid_max[s]:
            raise Refused(f"{name}'s grid is at its maximum ({p.site_grid_max[s]:,.0f} MW)")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["substation"][0, lab, p.site_ids.index(self.site)] = True

    def label(self, p: Params) -> str:
        return f"Substation upgrade at {_site(p, self.site)}"


@attrs.frozen
class StartRun(Decision):
    flop: float
    kind: ClassVar[str] = "run"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        lo = p.rules.training.min_run_flop
        _amount(self.flop, "a run's compute budget", lo, MAX_RUN_FLOP, " FLOP")
        queued = sum(isinstance(d, StartRun) for d in book)
        if int((w.run_phase[0, lab] == 0).sum()) <= queued:
            raise Refused("all run slots are busy; wait for a release")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        k = int(np.argmin(a["start_flop"][0, lab] > 0))
        a["start_flop"][0, lab, k] = self.flop

    def label(self, p: Params) -> str:
        return f"Start a {self.flop:.2e} FLOP run"


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
            raise Refused(f"there is no contract number {self.slot}")
        if any(isinstance(d, LeaveContract) and d.slot == self.slot for d in book):
            raise Refused(f"leaving contract {self.slot} is already in this week's orders")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["exit"][0, lab, self.slot] = True

    def label(self, p: Params) -> str:
        return f"Leave contract {self.slot}"


@attrs.frozen
class RaiseRound(Decision):
    usd: float
    kind: ClassVar[str] = "raise"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _amount(self.usd, "the amount", 1e6, MAX_ACTION_USD, " USD")
        if any(isinstance(d, RaiseRound) for d in book):
            raise Refused("a round is already in this week's orders")
        if not economy.round_ready(p, w)[0, lab]:
            week = int(economy.next_round_week(p, w)[0, lab])
            raise Refused(
                f"investors will hear your next round from {_date(p, week)} (in {week - int(w.week[0])} weeks)"
            )

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["raise_usd"][0, lab] = self.usd

    def label(self, p: Params) -> str:
        return f"Raise up to {money(self.usd)}"


@attrs.frozen
class Borrow(Decision):
    usd: float
    kind: ClassVar[str] = "borrow"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _amount(self.usd, "the amount", 1e6, MAX_ACTION_USD, " USD")
        queued = sum(d.usd for d in book if isinstance(d, Borrow))
        room = float(economy.credit_headroom(p, w)[0, lab]) - queued
        if self.usd > room:
            raise Refused(f"lenders will lend {money(max(room, 0.0))} more against your GPUs")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["borrow_usd"][0, lab] += self.usd

    def label(self, p: Params) -> str:
        return f"Borrow {money(self.usd)} against your GPUs"


@attrs.frozen
class Repay(Decision):
    usd: float
    kind: ClassVar[str] = "repay"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _amount(self.usd, "the amount", 1e6, MAX_ACTION_USD, " USD")
        if w.debt[0, lab] <= 0:
            raise Refused("you have no debt to repay")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["repay_usd"][0, lab] += self.usd

    def label(self, p: Params) -> str:
        return f"Repay {money(self.usd)} of debt"


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
            _amount(x, "a share", 0, 100)
        if sum(raw) <= 0:
            raise Refused("the shares cannot all be zero")
        if not any(isinstance(d, SetSplit) for d in book) and np.allclose(
            self.shares, w.split[0, lab], atol=5e-4
        ):
            t, i, r = self.shares
            raise Refused(f"the split is already {t:.0%} training, {i:.0%} serving, {r:.0%} research")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["split"][0, lab] = self.shares

    def label(self, p: Params) -> str:
        t, i, r = self.shares
        total = self.training + self.inference + self.research
        scaled = f" (your {total:,.0f}% scaled to 100%)" if abs(total - 100) > 0.5 else ""
        return f"Split: train {t:.0%}, serve {i:.0%}, research {r:.0%}{scaled}"  # the form's words


@attrs.frozen
class SetStaff(Decision):
    usd_week: float
    kind: ClassVar[str] = "staff"
    setting: ClassVar[bool] = True

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        _amount(self.usd_week, "the people budget", 0, MAX_STAFF_USD_WEEK, " USD a week")
        if (
            not any(isinstance(d, SetStaff) for d in book)
            and abs(self.usd_week - float(w.staff_usd_week[0, lab])) < 1.0
        ):
            raise Refused(f"the people budget is already {money(self.usd_week)} a week")

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["staff_usd_week"][0, lab] = self.usd_week

    def label(self, p: Params) -> str:
        return f"People budget {money(self.usd_week)} a week"


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
