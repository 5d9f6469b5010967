"""The events deck (assets/events.toml): cards with conditions, effects and a text, read
as records by the same schema as the rest of the catalog and checked against it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from game.catalog.schema import Items, Schema
from game.catalog.specs import (
    CatalogError,
    Choice,
    Num,
    Problem,
    Ref,
    Refs,
    _field,
    date,
    flag,
    num,
    read_toml,
)
from game.catalog.specs import text as words

EVENT_LAB_FIELDS = (
    "best_model", "software", "cash", "users", "valuation", "debt", "gpus", "turbine_mw",
    "lead", "share", "runway_weeks", "runs_training", "owned_gpus", "rented_gpus", "staff",
)  # fmt: skip
EVENT_GAME_FIELDS = ("mood", "market_users", "substation_weeks")
EVENT_SITE_FIELDS = ("turbine_mw", "substation_weeks")  # fields that may name a site (a fourth item)
EVENT_LAB_EFFECTS = (
    "cash", "users", "software", "staff", "runs", "installed", "turbines", "relationship", "rented",
)  # fmt: skip
EVENT_GAME_EFFECTS = (
    "mood", "market_users", "price", "supply", "gpu_delay", "outage", "grid", "substation_delay",
)  # fmt: skip
_EFFECT_OPS = {
    "cash": "add", "users": "mul", "software": "add", "staff": "mul", "runs": "mul", "installed": "mul",
    "turbines": "mul", "relationship": "add", "mood": "mul", "market_users": "mul", "price": "mul",
    "supply": "add", "gpu_delay": "add", "outage": "add", "grid": "add", "substation_delay": "add",
    "rented": "mul",
}  # fmt: skip
_EFFECT_NEEDS = {
    "turbines": "site", "relationship": "partner", "price": "gpu", "supply": "gpu", "gpu_delay": "gpu",
    "outage": "site", "grid": "site", "substation_delay": "site",
}  # fmt: skip
_EFFECT_RANGES = {
    "cash": (-1e11, 1e11), "users": (0.1, 10), "software": (-1, 1), "staff": (0.1, 10), "runs": (0, 1),
    "installed": (0, 1), "turbines": (0, 1), "relationship": (-1, 1), "mood": (0.1, 10),
    "market_users": (0.1, 10), "price": (0.1, 10), "supply": (0, 1), "gpu_delay": (0, 104),
    "outage": (0, 52), "grid": (0, 10000), "substation_delay": (0, 104), "rented": (0, 1),
}  # fmt: skip


@attrs.frozen
class Condition:
    field: str
    op: str
    value: float
    site: str = ""


@attrs.frozen
class When:
    """Conditions as the deck writes them: [[field, op, value], ...], a site as a fourth
    item for turbine_mw (optional) and substation_weeks (required)."""

    def parse(self, value: Any, schema: Any = None) -> tuple[Condition, ...]:
        if not isinstance(value, list):
            raise ValueError("must be a list of [field, op, value] conditions")
        out = []
        for i, cond in enumerate(value):
            try:
                out.append(self._one(cond, schema))
            except ValueError as err:
                raise Problem(str(err), ((i, False),)) from None
        return tuple(out)

    def _one(self, cond: Any, schema: Any) -> Condition:
        if not isinstance(cond, list) or len(cond) not in (3, 4):
            raise ValueError("must be [field, op, value] or [field, op, value, site]")
        field_, op, value = cond[0], cond[1], cond[2]
        allowed = EVENT_LAB_FIELDS + EVENT_GAME_FIELDS
        if field_ not in allowed:
            raise ValueError(f"unknown field {field_!r} (known: {', '.join(allowed)})")
        if op not in (">=", "<="):
            raise ValueError(f"op must be >= or <=, got {op!r}")
        number = Num(-1e15, 1e15, "").parse(value)
        site = cond[3] if len(cond) == 4 else ""
        if site:
            Ref("site").parse(site, schema)
            if field_ not in EVENT_SITE_FIELDS:
                raise ValueError(f"a site ({site!r}) goes only with {' or '.join(EVENT_SITE_FIELDS)}")
        elif field_ == "substation_weeks":
            raise ValueError("substation_weeks needs a site (a fourth item)")
        return Condition(field_, op, number, site)

    def dump(self, value: Any, schema: Any = None) -> Any:
        return [[c.field, c.op, c.value, *([c.site] if c.site else [])] for c in value]


@attrs.frozen
class Span:
    """A number, or [low, high] to draw from."""

    def parse(self, value: Any, schema: Any = None) -> tuple[float, float]:
        pair = value if isinstance(value, list) else [value, value]
        if len(pair) != 2:
            raise ValueError("must be a number or [low, high]")
        low, high = (Num(-1e15, 1e15, "").parse(x) for x in pair)
        if high < low:
            raise ValueError("[low, high] with low above high")
        return low, high

    def dump(self, value: Any, schema: Any = None) -> Any:
        return value[0] if value[0] == value[1] else list(value)


@attrs.frozen
class Effect:
    what: str = _field(Choice(tuple(_EFFECT_OPS)))
    value: tuple[float, float] = _field(Span())
    op: str = _field(Choice(("add", "mul")), default="")
    site: str = _field(Ref("site"), default="")
    gpu: str = _field(Ref("gpu"), default="")
    partner: str = _field(Ref("partner"), default="")

    def __attrs_post_init__(self) -> None:
        if not self.op:
            object.__setattr__(self, "op", _EFFECT_OPS[self.what])
        if self.op != _EFFECT_OPS[self.what]:
            raise ValueError(f"op: {self.what} takes op {_EFFECT_OPS[self.what]!r}, got {self.op!r}")
        lo, hi = _EFFECT_RANGES[self.what]
        if not (lo <= self.value[0] and self.value[1] <= hi):
            raise ValueError(
                f"value: must be between {lo:g} and {hi:g} for {self.what}, got {list(self.value)}"
            )
        need = _EFFECT_NEEDS.get(self.what)
        if need and not getattr(self, need):
            raise ValueError(f"{self.what} needs a {need}")

    @property
    def low(self) -> float:
        return self.value[0]

    @property
    def high(self) -> float:
        return self.value[1]


@attrs.frozen
class EventCard:
    id: str
    title: str = words()
    text: str = words()
    scope: str = _field(Choice(("lab", "game")))
    labs: tuple[str, ...] = _field(Refs("lab"), default=())
    start: dt.date | None = date(default=None, key="from")
    until: dt.date | None = date(default=None)
    probability: float = num(0, 1, "per week")
    cooldown_weeks: int = num(0, 10_000, "weeks", integer=True, default=0)
    once: bool = flag(default=False)
    when: tuple[Condition, ...] = _field(When(), default=())
    effects: tuple[Effect, ...] = _field(Items(Effect, limit=16, least=1))
    source: str = words()

    def __attrs_post_init__(self) -> None:
        if self.scope == "game" and self.labs:
            raise ValueError("labs: a game card acts on the market, not on labs")
        for i, cond in enumerate(self.when):
            if self.scope == "game" and cond.field not in EVENT_GAME_FIELDS:
                raise ValueError(f"when[{i}]: a game card reads only {', '.join(EVENT_GAME_FIELDS)}")
        allowed = EVENT_GAME_EFFECTS if self.scope == "game" else EVENT_LAB_EFFECTS
        for i, eff in enumerate(self.effects):
            if eff.what not in allowed:
                raise ValueError(
                    f"effects[{i}]: {eff.what!r} is not a {self.scope} effect (known: {', '.join(allowed)})"
                )


def load_events(path: Path, schema: Schema) -> tuple[EventCard, ...]:
    """Read and validate the events deck against the rest of the catalog: `schema`
    knows its ids (lab, site, gpu, partner)."""
    data = read_toml(path)
    if not data:
        raise CatalogError(f"{path}: no cards")
    return tuple(
        schema.entry(EventCard, card_id, table, str(path), sourced=False) for card_id, table in data.items()
    )
