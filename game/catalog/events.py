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


@attrs.frozen
class EffectKind:
    """What an event effect does, in one row: the cards it fits (a lab's or the game's),
    how its value applies, what it must name, the range of its value, and its meaning in
    words (for people who write cards: the deck's errors and the README)."""

    scope: str  # "lab" or "game"
    op: str  # "add" or "mul"
    low: float
    high: float
    meaning: str
    needs: str = ""  # "site", "gpu" or "partner": the field it must name


EFFECTS = {
    "cash": EffectKind("lab", "add", -1e11, 1e11, "USD added to (or taken from) the lab's cash"),
    "users": EffectKind("lab", "mul", 0.1, 10, "the lab's users multiplied"),
    "software": EffectKind("lab", "add", -1, 1, "orders of magnitude added to the lab's software efficiency"),
    "staff": EffectKind("lab", "mul", 0.1, 10, "the lab's researchers multiplied (leavers go back to the pool)"),
    "runs": EffectKind("lab", "mul", 0, 1, "the progress of the lab's runs in pretraining multiplied"),
    "installed": EffectKind("lab", "mul", 0, 1, "the lab's installed GPUs multiplied, at one site if it names one (the rest are lost)"),
    "turbines": EffectKind("lab", "mul", 0, 1, "the lab's gas turbines at a site multiplied", "site"),
    "relationship": EffectKind("lab", "add", -1, 1, "added to the lab's relationship with a partner", "partner"),
    "rented": EffectKind("lab", "mul", 0, 1, "the share of its rented GPUs a partner (one, if named) still delivers"),
    "mood": EffectKind("game", "mul", 0.1, 10, "investors' mood multiplied (valuations follow)"),
    "market_users": EffectKind("game", "mul", 0.1, 10, "the market's users multiplied"),
    "price": EffectKind("game", "mul", 0.1, 10, "a GPU's server price multiplied", "gpu"),
    "supply": EffectKind("game", "add", 0, 1, "a share of a GPU's quarterly supply taken off the market", "gpu"),
    "gpu_delay": EffectKind("game", "add", 0, 104, "weeks added to a GPU's deliveries", "gpu"),
    "outage": EffectKind("game", "add", 0, 52, "weeks a site's grid is down (the longest outage stands)", "site"),
    "grid": EffectKind("game", "add", 0, 10000, "MW added to a site's grid, up to its maximum", "site"),
    "substation_delay": EffectKind("game", "add", 0, 104, "weeks added to a substation upgrade under way at a site", "site"),
}
EVENT_LAB_EFFECTS = tuple(k for k, e in EFFECTS.items() if e.scope == "lab")
EVENT_GAME_EFFECTS = tuple(k for k, e in EFFECTS.items() if e.scope == "game")


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
    what: str = _field(Choice(tuple(EFFECTS)))
    value: tuple[float, float] = _field(Span())
    op: str = _field(Choice(("add", "mul")), default="")
    site: str = _field(Ref("site"), default="")
    gpu: str = _field(Ref("gpu"), default="")
    partner: str = _field(Ref("partner"), default="")

    def __attrs_post_init__(self) -> None:
        kind = EFFECTS[self.what]
        if not self.op:
            object.__setattr__(self, "op", kind.op)
        if self.op != kind.op:
            raise ValueError(f"op: {self.what} takes op {kind.op!r}, got {self.op!r}")
        lo, hi = kind.low, kind.high
        if not (lo <= self.value[0] and self.value[1] <= hi):
            raise ValueError(
                f"value: must be between {lo:g} and {hi:g} for {self.what}, got {list(self.value)}"
            )
        if kind.needs and not getattr(self, kind.needs):
            raise ValueError(f"{self.what} needs a {kind.needs} ({kind.meaning})")

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
