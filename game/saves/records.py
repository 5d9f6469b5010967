"""The records a scenario or save file is read into: each field says what the file may
hold (its spec: range, unit, ids) and, with `world=`, which array of the engine's World
it fills. That one declaration drives reading, validation, writing and both directions
between the file and the World (game/saves/world.py): a new per-lab number is one line
in LabState, a new per-site one a line in SiteState or LabSite, and so on.

Other metadata: `absent=` a value that means "as a new game has it" (the catalog's
figure), `omit=` the World value a table leaves out (`None`: leaves none out), `filled=`
(for slot lists) the World array and the value that marks a slot empty.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from game.catalog import Catalog, Choice, Num, Schema, date, flag, num, text
from game.catalog.schema import Items, Record, Table
from game.catalog.specs import (
    Keyed,
    Ref,
    Refs,
    Text,
    Word,
    _field,
    money,
)
from game.engine.limits import (
    MAX_CONTRACT_AHEAD_WEEKS,
    MAX_COUNTER_RATIO,
    MAX_GPUS,
    MAX_HALL_MW,
    MAX_PRICE_USD_HOUR,
    MAX_SITE_MW,
    MAX_SOFTWARE,
    MAX_STAFF,
    MAX_USD,
    MAX_WEEKS,
)
from game.engine.params import NEVER
from game.engine.state import CONTRACT_SLOTS, END_REASONS, ORDER_SLOTS, RUN_SLOTS
from game.engine.training import MAX_RUN_FLOP
from game.saves.entries import SPLIT, WEEK, Booked, LogEntry, Standing, _week

FORMAT = "agi-race"
VERSION = 11
BOOK_VERSION = 11  # files from this version on hold their week's book ([[book]])
# The bounds of the file's numbers are the engine's (game/engine/limits.py): the game
# saves whatever it accepts, and loads only what it can play and save again.
USD = MAX_USD
MAX_NAME = 200  # characters in a name the game may make a file name of (a scenario's origin)
DIFFICULTIES = ("easy", "normal", "hard")


def _weeks(default: Any = 0, **meta: Any) -> Any:
    return num(0, MAX_WEEKS, "weeks", integer=True, default=default, **meta)


def _mw(world: str) -> Any:
    return num(0, MAX_HALL_MW, "MW", default=0.0, world=world)


def _gpus(kind: str, world: str) -> Any:
    return _field(Keyed(kind, Num(0, MAX_GPUS, "GPUs", integer=True)), default={}, world=world)


@attrs.frozen
class Name(Text):
    """A name the game may make a file name of (a scenario's origin): at most `limit`
    characters, none of them a control character."""

    limit: int = MAX_NAME

    def parse(self, value: Any, schema: Any = None) -> str:
        value = super().parse(value, schema)
        if len(value) > self.limit:
            raise ValueError(f"must be at most {self.limit} characters, got {len(value):,}")
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise ValueError(f"must have no control characters, got {value!r}")
        return value


# ------------------------------------------------------------------------ [meta]
@attrs.frozen
class Meta:
    title: str = text()
    description: str = text()
    start_date: dt.date = date()
    last_date: dt.date = date()
    week: int = num(0, MAX_WEEKS, "weeks", integer=True, world="week")
    seed: int = num(0, 2**63 - 1, "", integer=True, world="seed")
    game: int = num(0, 2**40, "", integer=True, default=0, world="game")
    difficulty: str = _field(Choice(DIFFICULTIES))
    origin: str = _field(Name(blank=True), default="")
    game_id: str = _field(Word(), default="")
    labs: tuple[str, ...] = _field(Refs("lab"))
    humans: tuple[str, ...] = _field(Refs("game_lab"), default=())
    ai: dict[str, str] = _field(Keyed("game_lab", Ref("style"), '{ xai = "builder" }'), default={})


@attrs.frozen
class WorldSettings:
    agi_capability: float = num(20, 60, "log10 FLOP")


@attrs.frozen
class Market:
    users: float = num(0, 1e12, "weekly users", world="market_users")
    mood: float = num(0.01, 100, "multiplier", default=1.0, world="mood")
    nvidia_shipped: dict[str, float] = _field(
        Keyed("gpu", Num(0, 1e12, "GPUs")), default={}, world="nvidia_ordered"
    )
    nvidia_requested: dict[str, float] = _field(
        Keyed("gpu", Num(0, 1e12, "GPUs")), default={}, world="nvidia_requested"
    )
    price_factor: dict[str, float] = _field(
        Keyed("gpu", Num(0.01, 100, "multiplier")), default={}, world="price_mult", omit=1.0
    )
    # Absent (a hand-written scenario): the integrators' queues are the orders in flight.
    integrator_backlog: dict[str, float] | None = _field(
        Keyed("integrator", Num(0, 1e12, "GPUs")), default=None, world="integrator_backlog", omit=None
    )
    gpu_delay_weeks: dict[str, int] = _field(
        Keyed("gpu", Num(0, MAX_WEEKS, "weeks", integer=True)), default={}, world="gpu_delay"
    )


@attrs.frozen
class Result:
    """How a finished game ended (the World's done, end_reason, winner, agi_week)."""

    end: str = _field(Choice(END_REASONS[1:]))
    winner: str = _field(Ref("game_lab", blank=True), default="")  # "" or absent: nobody
    agi_week: int = num(-1, MAX_WEEKS, "week", integer=True, default=-1)


@attrs.frozen
class SiteState:
    grid_mw: float | None = num(0, MAX_SITE_MW, "MW", default=None, world="grid_mw")  # absent: the catalog's
    substation_weeks_left: int = _weeks(world="substation_left")
    substation_payer: str = _field(Ref("game_lab"), default="", world="substation_payer")
    outage_weeks_left: int = _weeks(world="outage_left")


# ------------------------------------------------------------------- [labs.<id>]
@attrs.frozen
class LabSite:
    hall_mw: float = _mw("hall_mw")
    hall_building_mw: float = _mw("hall_building")
    grid_alloc_mw: float = num(0, MAX_SITE_MW, "MW", default=0.0, world="grid_alloc")
    turbine_mw: float = num(0, MAX_SITE_MW, "MW", default=0.0, world="turbine_mw")
    turbine_pending_mw: float = num(0, MAX_SITE_MW, "MW", default=0.0, world="turbine_pending")
    turbine_weeks_left: int = _weeks(world="turbine_left")
    installed: dict[str, int] = _gpus("gpu", "installed")
    hall_paused: bool = flag(default=False, world="hall_paused")  # construction paused
    # the part of its grid claim no hall draws on: weeks in a row, and the deposit held for it
    grid_idle_weeks: int = _weeks(world="grid_idle")
    grid_deposit_usd: float = num(0, USD, "USD", default=0.0, world="grid_deposit")


@attrs.frozen
class LabPartner:
    relationship: float = num(-1, 1, "closeness", default=0.0, world="relationship")
    patience: float = num(-1, 100, "offers", default=-1.0, world="patience", absent=-1.0)  # -1: full
    last_counter: float = num(
        0, MAX_COUNTER_RATIO, "multiple of the list price", default=0.0, world="last_counter"
    )


@attrs.frozen
class Order:
    slot: int = num(-1, ORDER_SLOTS - 1, "", integer=True, default=-1)  # -1: the first free one
    gpu: str = _field(Ref("gpu"), world="order_gpu")
    count: int = num(1, MAX_GPUS, "GPUs", integer=True, world="order_count")
    arrive_week: int = _week(world="order_arrive")
    vendor: str = _field(Ref("integrator"), default="", world="order_vendor", absent="")


@attrs.frozen
class Contract:
    slot: int = num(-1, CONTRACT_SLOTS - 1, "", integer=True, default=-1)
    partner: str = _field(Ref("partner"), world="contract_partner")
    gpu: str = _field(Ref("gpu"), world="contract_gpu")
    count: int = num(1, MAX_GPUS, "GPUs", integer=True, world="contract_count")
    price_usd_hour: float = num(0, MAX_PRICE_USD_HOUR, "USD per GPU-hour", world="contract_price")
    start_week: int = _week(world="contract_start")
    end_week: int = num(
        -MAX_WEEKS, MAX_WEEKS + MAX_CONTRACT_AHEAD_WEEKS, "week", integer=True, world="contract_end"
    )
    source: str = _field(Ref("partner"), default="")  # whose free GPUs it holds (default: partner's)
    site: str = _field(Ref("site"), default="", world="contract_site", absent="")  # built there for the lab
    # an extension's price, from the week the term it extends ended (-1: one price throughout)
    later_price_usd_hour: float = num(
        0, MAX_PRICE_USD_HOUR, "USD per GPU-hour", default=0.0, world="contract_later_price"
    )
    reprice_week: int = num(
        -1,
        MAX_WEEKS + MAX_CONTRACT_AHEAD_WEEKS,
        "week",
        integer=True,
        default=-1,
        world="contract_reprice",
        absent=-1,
    )

    def __attrs_post_init__(self) -> None:
        if self.end_week <= self.start_week:
            raise ValueError("end_week: must come after start_week")


@attrs.frozen
class Run:
    slot: int = num(-1, RUN_SLOTS - 1, "", integer=True, default=-1)
    name: str = text(default="")
    flop: float = num(1, MAX_RUN_FLOP, "FLOP", world="run_flop")
    done_flop: float = num(0, MAX_RUN_FLOP, "FLOP", default=0.0, world="run_done")
    software: float = num(-MAX_SOFTWARE, MAX_SOFTWARE, "log10 multiplier", world="run_software")
    post_weeks_left: int = _weeks()  # only for a finished run

    def __attrs_post_init__(self) -> None:
        if self.done_flop > self.flop:
            raise ValueError("done_flop: more than the run's flop")


MONEY_FIELDS = (
    "cash", "debt", "valuation", "revenue_fast", "revenue_slow", "staff_usd_week", "last_post", "round_usd",
    "round_pre", "round_basis",
)  # fmt: skip


@attrs.frozen
class LabState:
    cash: float = money(-USD, USD, world="cash")
    debt: float = money(0, USD, default=0.0, world="debt")
    # A valuation has no upper bound (it grows with capability), nor have the prices of
    # rounds made from it: the last post-money, a round's pre-money and its basis.
    valuation: float = money(0, None, world="valuation")
    founder_share: float = num(0, 1, "fraction", world="founder_share")
    users: float = num(0, 1e12, "weekly users", world="users")
    software: float = num(-MAX_SOFTWARE, MAX_SOFTWARE, "log10 multiplier", world="software")
    best_model: float = num(0, 200, "log10 FLOP", world="best_model")
    staff_usd_week: float = money(-1, USD, "USD per week", default=-1.0, world="staff_usd_week", absent=-1.0)
    # -1: the researchers its people budget buys at the start, all at full productivity
    staff: float = num(-1, MAX_STAFF, "researchers", default=-1.0, world="staff", absent=-1.0)
    staff_ramped: float = num(-1, MAX_STAFF, "researchers", default=-1.0, world="staff_ramped", absent=-1.0)
    bankrupt: bool = flag(default=False, world="bankrupt")
    last_raise_week: int = _week(default=-1000, world="last_raise_week")
    last_invest_week: int = _week(default=-1000, world="last_invest_week")  # a partner invested
    last_post: float = money(-1, None, default=-1.0, world="last_post", absent=-1.0)  # -1: its valuation
    round_usd: float = money(0, USD, default=0.0, world="round_usd")  # a round under way
    round_pre: float = money(0, None, default=0.0, world="round_pre")
    round_basis: float = money(-USD, None, default=0.0, world="round_basis")  # its value when agreed
    round_close_week: int = _week(default=0, world="round_close")  # it closes (or the last one closed)
    # -1: the run-rate its users pay (economy.revenue_run_rate)
    revenue_fast: float = money(-1, USD, "USD per week", default=-1.0, world="revenue_fast", absent=-1.0)
    revenue_slow: float = money(-1, USD, "USD per week", default=-1.0, world="revenue_slow", absent=-1.0)
    revenue_share: float = num(0, 0.9, "fraction", default=0.0, world="revenue_share")
    split: tuple[float, ...] = _field(SPLIT, default=(0.5, 0.4, 0.1), world="split")
    warehouse: dict[str, int] = _gpus("gpu", "warehouse")
    sites: dict[str, LabSite] = _field(Table("site", LabSite), default={})
    partners: dict[str, LabPartner] = _field(Table("partner", LabPartner), default={})
    events: dict[str, int] = _field(Keyed("card", WEEK), default={}, world="event_last", omit=NEVER)
    orders: tuple[Order, ...] = _field(Items(Order, ORDER_SLOTS), default=(), filled=("order_count", 0))
    contracts: tuple[Contract, ...] = _field(
        Items(Contract, CONTRACT_SLOTS), default=(), filled=("contract_partner", -1)
    )
    runs: tuple[Run, ...] = _field(Items(Run, RUN_SLOTS), default=(), filled=("run_phase", 0))
    # The money above is written rounded to the dollar; what is below the dollar is kept
    # here, so a loaded game continues exactly.
    sub_dollar: dict[str, float] = _field(Keyed("money", Num(-0.5, 0.5, "USD")), default={})


# ------------------------------------------------------------------------ a file
@attrs.frozen
class Document:
    """A whole scenario or save file."""

    UNKNOWN = "unknown section"

    format: str = _field(Choice((FORMAT,)))
    version: int = num(VERSION, VERSION, "", integer=True)
    meta: Meta = _field(Record(Meta))
    world: WorldSettings = _field(Record(WorldSettings))
    market: Market = _field(Record(Market))
    result: Result | None = _field(Record(Result), default=None)
    sites: dict[str, SiteState] = _field(Table("site", SiteState), default={})
    labs: dict[str, LabState] = _field(Table("game_lab", LabState))
    log: tuple[LogEntry, ...] = _field(Items(LogEntry, 10_000_000), default=())
    standing: tuple[Standing, ...] = _field(Items(Standing, 1_000), default=())  # version 10
    book: tuple[Booked, ...] = _field(Items(Booked, 1_000), default=())  # version 11


@attrs.frozen(eq=False)
class Scenario:
    """A validated scenario or save: its settings, the state of one game, and its log
    (its entries as the action-log codec makes and reads them, game/saves/log.py)."""

    path: Path
    name: str
    meta: Meta
    humans: tuple[str, ...]
    ai: dict[str, str]  # AI style per lab, where the file names one
    world: WorldSettings
    market: Market
    result: Result | None
    sites: dict[str, SiteState]
    labs: dict[str, LabState]
    log: tuple[LogEntry, ...]
    standing: tuple[Standing, ...] = ()  # the game's standing orders ([[standing]])
    # the humans' decisions booked for the file's week ([[book]]); None: the file is older
    # than books in saves, and its standing orders book their decisions again
    book: tuple[Booked, ...] | None = ()

    @property
    def lab_ids(self) -> tuple[str, ...]:
        return self.meta.labs

    @property
    def last_week(self) -> int:
        return (self.meta.last_date - self.meta.start_date).days // 7

    @property
    def origin(self) -> str:
        """The scenario this game started from (for replay)."""
        return self.meta.origin or self.name

    @property
    def game_id(self) -> str:
        """The game this file belongs to; files written before games had ids: the
        scenario it started from and its seed."""
        return self.meta.game_id or f"{self.origin}-{self.meta.seed}"

    @property
    def date(self) -> dt.date:
        return self.meta.start_date + dt.timedelta(weeks=self.meta.week)


def saves_schema(catalog: Catalog, lab_ids: tuple[str, ...] | None = None) -> Schema:
    """The schema files are read with: the catalog's ids, and the file's own labs."""
    schema = Schema.of(
        gpu=catalog.gpu_ids, site=catalog.site_ids, partner=catalog.partner_ids,
        integrator=catalog.integrator_ids, card=tuple(c.id for c in catalog.events),
        style=catalog.style_ids, lab=catalog.lab_ids,
    ).knowing("money", "money field", MONEY_FIELDS)  # fmt: skip
    return schema if lab_ids is None else schema.knowing("game_lab", "lab in [meta] labs", lab_ids)
