"""The records a scenario or save file is read into, field by field with what each
accepts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from game.catalog import Choice, Flag, Text, date, num, text
from game.engine.state import (
    END_REASONS,
)

FORMAT = "agi-race"
VERSION = 3
MAX_FILE_BYTES = 5_000_000
USD = 1e13  # the largest amount of money a file may hold
DIFFICULTIES = ("easy", "normal", "hard")


def _opt(spec: Any, default: Any) -> Any:
    return attrs.field(default=default, kw_only=True, metadata={"spec": spec, "optional": True})


# --------------------------------------------------------------------- records
@attrs.frozen
class Meta:
    id: str
    title: str = text()
    description: str = text()
    start_date: dt.date = date()
    last_date: dt.date = date()
    week: int = num(0, 10_000, "weeks", integer=True)
    seed: int = num(0, 2**63 - 1, "", integer=True)
    game: int = num(0, 2**40, "", integer=True, default=0)
    difficulty: str = attrs.field(kw_only=True, metadata={"spec": Choice(DIFFICULTIES)})
    origin: str = _opt(Text(), "")


@attrs.frozen
class WorldStart:
    id: str
    agi_capability: float = num(20, 60, "log10 FLOP")


@attrs.frozen
class MarketStart:
    id: str
    users: float = num(0, 1e11, "weekly users")
    mood: float = num(0.05, 20, "multiplier", default=1.0)


@attrs.frozen
class ResultStart:
    id: str
    end: str = attrs.field(kw_only=True, metadata={"spec": Choice(END_REASONS[1:])})
    winner: str = _opt(Text(), "")
    agi_week: int = num(-1, 10_000, "week", integer=True, default=-1)


@attrs.frozen
class SiteStart:
    id: str
    grid_mw: float = num(0, 1e5, "MW", default=-1.0)
    substation_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)
    substation_payer: str = _opt(Text(), "")
    outage_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)


@attrs.frozen
class LabStart:
    id: str
    cash: float = num(-USD, USD, "USD")
    debt: float = num(0, USD, "USD", default=0.0)
    valuation: float = num(0, USD, "USD")
    founder_share: float = num(0, 1, "fraction")
    users: float = num(0, 1e11, "weekly users")
    software: float = num(-5, 30, "log10 multiplier")
    best_model: float = num(0, 60, "log10 FLOP")
    staff_usd_week: float = num(-1, 1e11, "USD per week", default=-1.0)
    bankrupt: bool = _opt(Flag(), False)
    last_raise_week: int = num(-10_000, 10_000, "week", integer=True, default=-1000)
    revenue_fast: float = num(0, USD, "USD per week", default=0.0)
    revenue_slow: float = num(0, USD, "USD per week", default=0.0)
    revenue_share: float = num(0, 0.9, "fraction", default=0.0)


@attrs.frozen
class LabPartner:
    id: str
    relationship: float = num(-1, 1, "closeness", default=0.0)
    patience: float = num(-1, 100, "offers", default=-1.0)
    last_counter: float = num(0, 100, "multiple of the list price", default=0.0)


@attrs.frozen
class LabSite:
    id: str
    hall_mw: float = num(0, 1e5, "MW", default=0.0)
    hall_building_mw: float = num(0, 1e5, "MW", default=0.0)
    grid_alloc_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_pending_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)


@attrs.frozen
class OrderStart:
    id: str
    slot: int = num(-1, 99, "slot", integer=True, default=-1)
    gpu: str = text()
    count: int = num(1, 1e8, "GPUs", integer=True)
    arrive_week: int = num(-10_000, 10_000, "week", integer=True)
    vendor: str = _opt(Text(), "")


@attrs.frozen
class ContractStart:
    id: str
    slot: int = num(-1, 99, "slot", integer=True, default=-1)
    partner: str = text()
    gpu: str = text()
    count: int = num(1, 1e8, "GPUs", integer=True)
    price_usd_hour: float = num(0, 1000, "USD per GPU-hour")
    start_week: int = num(-10_000, 10_000, "week", integer=True)
    end_week: int = num(-10_000, 10_000, "week", integer=True)
    source: str = _opt(Text(), "")
    site: str = _opt(Text(), "")


@attrs.frozen
class RunStart:
    id: str
    slot: int = num(-1, 99, "slot", integer=True, default=-1)
    name: str = _opt(Text(), "")
    flop: float = num(1, 1e40, "FLOP")
    done_flop: float = num(0, 1e40, "FLOP", default=0.0)
    software: float = num(-5, 30, "log10 multiplier")
    post_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)


@attrs.frozen
class LogEntry:
    id: str
    week: int = num(-10_000, 10_000, "week", integer=True)
    lab: str = text()
    raise_usd: float = num(0, 1e15, "USD", default=0.0)
    borrow_usd: float = num(0, 1e15, "USD", default=0.0)
    repay_usd: float = num(0, 1e15, "USD", default=0.0)
    staff_usd_week: float = num(-1, 1e11, "USD per week", default=-1.0)


@attrs.frozen(eq=False)
class Scenario:
    """A validated scenario or save: its settings, the state of one game, and its log."""

    path: Path
    name: str
    meta: Meta
    lab_ids: tuple[str, ...]
    humans: tuple[str, ...]
    ai: dict[str, str]  # AI style per lab, where the file names one
    world: WorldStart
    market: MarketStart
    market_tables: dict[str, dict[str, float]]  # nvidia_shipped, ... keyed by id
    result: ResultStart | None
    sites: dict[str, SiteStart]
    labs: dict[str, dict[str, Any]]
    log: tuple[dict[str, Any], ...]

    @property
    def last_week(self) -> int:
        return (self.meta.last_date - self.meta.start_date).days // 7

    @property
    def origin(self) -> str:
        """The scenario this game started from (for replay)."""
        return self.meta.origin or self.name

    @property
    def date(self) -> dt.date:
        return self.meta.start_date + dt.timedelta(weeks=self.meta.week)
