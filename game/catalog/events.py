"""The events deck (assets/events.toml): cards with conditions, effects and a text,
validated against the rest of the catalog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from game.catalog.specs import CatalogError, Choice, Date, Flag, Ids, Num, Text, read_toml

if TYPE_CHECKING:
    from game.catalog.records import Catalog

EVENT_LAB_FIELDS = (
    "best_model", "software", "cash", "users", "valuation", "debt", "gpus", "turbine_mw",
    "lead", "share", "runway_weeks",
)  # fmt: skip
EVENT_GAME_FIELDS = ("mood", "market_users")
EVENT_LAB_EFFECTS = ("cash", "users", "software", "staff", "runs", "installed", "turbines", "relationship")
EVENT_GAME_EFFECTS = (
    "mood", "market_users", "price", "supply", "gpu_delay", "outage", "grid", "substation_delay",
)  # fmt: skip
_EFFECT_OPS = {
    "cash": "add", "users": "mul", "software": "add", "staff": "mul", "runs": "mul", "installed": "mul",
    "turbines": "mul", "relationship": "add", "mood": "mul", "market_users": "mul", "price": "mul",
    "supply": "add", "gpu_delay": "add", "outage": "add", "grid": "add", "substation_delay": "add",
}  # fmt: skip
_EFFECT_NEEDS = {
    "turbines": "site", "relationship": "partner", "price": "gpu", "supply": "gpu", "gpu_delay": "gpu",
    "outage": "site", "grid": "site", "substation_delay": "site",
}  # fmt: skip
_EFFECT_RANGES = {
    "cash": (-1e11, 1e11), "users": (0.1, 10), "software": (-1, 1), "staff": (0.1, 10), "runs": (0, 1),
    "installed": (0, 1), "turbines": (0, 1), "relationship": (-1, 1), "mood": (0.1, 10),
    "market_users": (0.1, 10), "price": (0.1, 10), "supply": (0, 1), "gpu_delay": (0, 104),
    "outage": (0, 52), "grid": (0, 10000), "substation_delay": (0, 104),
}  # fmt: skip


@attrs.frozen
class Condition:
    field: str
    op: str
    value: float
    site: str = ""


@attrs.frozen
class Effect:
    what: str
    op: str
    low: float
    high: float
    site: str = ""
    gpu: str = ""
    partner: str = ""


@attrs.frozen
class EventCard:
    id: str
    title: str
    text: str
    scope: str
    labs: tuple[str, ...]
    start: dt.date | None
    until: dt.date | None
    probability: float
    cooldown_weeks: int
    once: bool
    when: tuple[Condition, ...]
    effects: tuple[Effect, ...]
    source: str


_CARD_KEYS = {
    "title", "text", "scope", "labs", "from", "until", "probability", "cooldown_weeks", "once",
    "when", "effects", "source",
}  # fmt: skip


def load_events(path: Path, catalog: Catalog) -> tuple[EventCard, ...]:
    """Read and validate the events deck against the rest of the catalog."""
    data = read_toml(path)
    if not data:
        raise CatalogError(f"{path}: no cards")
    cards = []
    for card_id, table in data.items():
        where = f"{path} [{card_id}]"

        def fail(msg: str, where: str = where) -> CatalogError:
            return CatalogError(f"{where} {msg}")

        if not isinstance(table, dict):
            raise fail(": must be a table")
        for key in table:
            if key not in _CARD_KEYS:
                raise fail(f"{key}: unknown field (known: {', '.join(sorted(_CARD_KEYS))})")
        for key in ("title", "text", "scope", "probability", "effects", "source"):
            if key not in table:
                raise fail(f"{key}: missing")
        try:
            title = Text().parse(table["title"])
            text_ = Text().parse(table["text"])
            source = Text().parse(table["source"])
            scope = Choice(("lab", "game")).parse(table["scope"])
            probability = Num(0, 1, "per week").parse(table["probability"])
            cooldown = int(Num(0, 10_000, "weeks", integer=True).parse(table.get("cooldown_weeks", 0)))
            once = Flag().parse(table.get("once", False))
            start = Date().parse(table["from"]) if "from" in table else None
            until = Date().parse(table["until"]) if "until" in table else None
            labs = Ids().parse(table.get("labs", []))
        except ValueError as err:
            raise fail(str(err)) from None
        for lab in labs:
            if lab not in catalog.lab_ids:
                raise fail(f"labs: unknown lab {lab!r}")
        if scope == "game" and labs:
            raise fail("labs: a game card acts on the market, not on labs")
        conditions = []
        for i, cond in enumerate(table.get("when", [])):
            if not isinstance(cond, list) or len(cond) not in (3, 4):
                raise fail(f"when[{i}]: must be [field, op, value] or [field, op, value, site]")
            field_, op, value = cond[0], cond[1], cond[2]
            allowed: tuple[str, ...] = (
                EVENT_GAME_FIELDS if scope == "game" else EVENT_LAB_FIELDS + EVENT_GAME_FIELDS
            )
            if field_ not in allowed:
                raise fail(f"when[{i}]: unknown field {field_!r} (known: {', '.join(allowed)})")
            if op not in (">=", "<="):
                raise fail(f"when[{i}]: op must be >= or <=, got {op!r}")
            try:
                number = Num(-1e15, 1e15, "").parse(value)
            except ValueError as err:
                raise fail(f"when[{i}]: {err}") from None
            site = cond[3] if len(cond) == 4 else ""
            if site and (field_ != "turbine_mw" or site not in catalog.site_ids):
                raise fail(f"when[{i}]: a site ({site!r}) goes only with turbine_mw and must be a known site")
            conditions.append(Condition(field_, op, number, site))
        effects = []
        items = table["effects"]
        if not isinstance(items, list) or not items:
            raise fail("effects: must be a non-empty list")
        for i, eff in enumerate(items):
            if not isinstance(eff, dict) or "what" not in eff or "value" not in eff:
                raise fail(f"effects[{i}]: must be a table with what, op and value")
            what = eff["what"]
            allowed = EVENT_GAME_EFFECTS if scope == "game" else EVENT_LAB_EFFECTS
            if what not in allowed:
                raise fail(f"effects[{i}]: {what!r} is not a {scope} effect (known: {', '.join(allowed)})")
            op = eff.get("op", _EFFECT_OPS[what])
            if op != _EFFECT_OPS[what]:
                raise fail(f"effects[{i}]: {what} takes op {_EFFECT_OPS[what]!r}, got {op!r}")
            lo_hi = eff["value"] if isinstance(eff["value"], list) else [eff["value"], eff["value"]]
            lo, hi = _EFFECT_RANGES[what]
            try:
                if len(lo_hi) != 2:
                    raise ValueError("must be a number or [low, high]")
                low = Num(lo, hi, "").parse(lo_hi[0])
                high = Num(lo, hi, "").parse(lo_hi[1])
            except ValueError as err:
                raise fail(f"effects[{i}] value: {err}") from None
            if high < low:
                raise fail(f"effects[{i}] value: [low, high] with low above high")
            refs = {"site": catalog.site_ids, "gpu": catalog.gpu_ids, "partner": catalog.partner_ids}
            for key in set(eff) - {"what", "op", "value"}:
                if key not in refs:
                    raise fail(f"effects[{i}]: unknown key {key!r}")
                if eff[key] not in refs[key]:
                    raise fail(f"effects[{i}] {key}: unknown {key} {eff[key]!r}")
            need = _EFFECT_NEEDS.get(what)
            if need and need not in eff:
                raise fail(f"effects[{i}]: {what} needs a {need}")
            effects.append(
                Effect(what, op, low, high, eff.get("site", ""), eff.get("gpu", ""), eff.get("partner", ""))
            )
        cards.append(
            EventCard(
                card_id,
                title,
                text_,
                scope,
                labs,
                start,
                until,
                probability,
                cooldown,
                once,
                tuple(conditions),
                tuple(effects),
                source,
            )  # fmt: skip
        )
    return tuple(cards)
