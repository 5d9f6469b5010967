"""Actions as programs write them: one JSON object per decision, `{"kind": ..., field: value}`,
read into the player's own decision records (game/play/decisions.py) or an offer to a
partner, and the JSON Schema of every kind, generated from those records.

Parsing checks only the shape (a known kind, known fields, the right JSON types, ids that
exist); whether the game takes the action is the decision's own check and the session's,
exactly as for a person (`Session.decide`, `Session.offer`). Every error names the field.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from game import saves
from game.catalog import Catalog
from game.play.decisions import Decision

PROTOCOL = 1  # the JSON-lines protocol's version (hello's "protocol")
CONFIRM = "confirm"  # an action's optional flag: go ahead although it leaves little runway


@attrs.frozen
class Offer:
    """An offer to a partner: a round of talks now (the partner answers at once, the week
    does not advance), as `Session.offer` hears it. A rental names a GPU, a count, a first
    week, a term and a price per GPU-hour (a site to build at, or a contract slot to
    amend); an investment ask names `invest` (USD) and the `share` of revenue offered."""

    partner: str
    gpu: str | None = None
    count: int | None = None
    start: int | None = None  # first week (absolute game week; now if earlier)
    weeks: int | None = None
    price: float | None = None  # USD per GPU-hour
    site: str | None = None
    contract: int | None = None
    invest: float | None = None  # USD
    share: float | None = None  # of revenue
    kind: Any = attrs.field(default="offer", init=False, repr=False)

    def terms(self) -> dict[str, Any]:
        """The offer as `Session.offer` takes it (the fields given)."""
        return {
            f.name: v
            for f in attrs.fields(Offer)
            if f.name != "kind" and (v := getattr(self, f.name)) is not None
        }

    def record(self) -> saves.Offer:
        """The offer as the game hears and logs it (the fields not given at their defaults)."""
        return saves.Offer(**self.terms())


# What each kind does, in a line, for the schema (units are the fields' own: GPUs, MW, FLOP, USD).
DESCRIPTIONS = {
    "order": "Buy `count` GPUs of type `gpu` from NVIDIA, built into servers by integrator `vendor`.",
    "halls": "Start building `mw` MW of datacenter halls at `site` (paid as they are built).",
    "turbines": "Order `mw` MW of gas turbines at `site`, within its permits.",
    "substation": "Pay for a grid substation upgrade at `site`.",
    "run": "Start a pretraining run with a compute budget of `flop` FLOP.",
    "exit": "Leave rental contract number `slot` early (a penalty applies).",
    "raise": "Ask investors for up to `usd` USD (a round closes weeks later).",
    "borrow": "Borrow `usd` USD against your GPUs.",
    "repay": "Repay `usd` USD of debt.",
    "split": "Set the compute split: shares for training, inference and research (scaled to 100).",
    "staff": "Set the people budget to `usd_week` USD a week.",
    "cancel_halls": "Stop building the halls under construction at `site` (what is built stays; the rest is never paid).",
    "pause_halls": "Pause construction at `site` (progress kept; nothing built or paid until resumed).",
    "resume_halls": "Resume construction paused at `site`.",
    "sell": "Sell `count` GPUs of type `gpu` at the used-market price (the warehouse's first).",
    "sublet": "Hand rental contract `slot` back for the partner to re-let; pay the shortfall at once.",
    "offer": "Make an offer to `partner` now: a rental (gpu, count, start week, weeks, price per "
    "GPU-hour, optional site or contract) or an investment ask (invest USD for a revenue share).",
}


def decision_kinds() -> dict[str, type]:
    """Every action kind and its record: the player's decisions (each record of
    game/play/decisions.py with a kind), then offers."""
    from game.play import decisions, exits

    kinds: dict[str, type] = {}
    for module in (decisions, exits):
        for value in vars(module).values():
            if isinstance(value, type) and attrs.has(value) and issubclass(value, Decision) and value.kind:
                kinds[value.kind] = value
    kinds["offer"] = Offer
    return kinds


class ActionError(ValueError):
    """An action the game cannot read; the message starts with the field's path."""


_JSON_TYPES = {"str": "string", "int": "integer", "float": "number"}
_IDS = {"gpu": "gpu_ids", "vendor": "integrator_ids", "site": "site_ids", "partner": "partner_ids"}
_OPTIONAL = " | None"


def _fields(cls: type) -> list[tuple[str, str, bool]]:
    """(name, JSON type, required) for each field of a record, in order."""
    out = []
    for f in attrs.fields(cls):
        if f.name == "kind":
            continue
        hint = str(f.type)
        out.append((f.name, _JSON_TYPES[hint.removesuffix(_OPTIONAL)], not hint.endswith(_OPTIONAL)))
    return out


def parse_action(obj: Any, catalog: Catalog, where: str = "action") -> tuple[Decision | Offer, bool]:
    """An action object read into its record, and whether it asks to go ahead on little
    runway (`"confirm": true`). Raises ActionError naming the field."""
    if not isinstance(obj, dict):
        raise ActionError(f'{where}: must be an object with a "kind"')
    kinds = decision_kinds()
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in kinds:
        raise ActionError(f"{where}.kind: must be one of {', '.join(sorted(kinds))} (got {_short(kind)})")
    cls = kinds[kind]
    fields = _fields(cls)
    known = {name for name, _, _ in fields} | {"kind", CONFIRM}
    for key in obj:
        if key not in known:
            raise ActionError(
                f"{where}.{str(key)[:40]}: not a field of {kind!r} (fields: {', '.join(n for n, _, _ in fields)})"
            )
    confirm = obj.get(CONFIRM, False)
    if not isinstance(confirm, bool):
        raise ActionError(f"{where}.{CONFIRM}: must be true or false")
    values: dict[str, Any] = {}
    for name, kind_of, required in fields:
        if name not in obj or obj[name] is None:
            if required:
                raise ActionError(
                    f"{where}.{name}: missing ({kind!r} needs {', '.join(n for n, _, r in fields if r)})"
                )
            continue
        values[name] = _value(obj[name], kind_of, f"{where}.{name}")
        ids = _IDS.get(name)
        if ids is not None and values[name] not in getattr(catalog, ids):
            raise ActionError(
                f"{where}.{name}: unknown {name} {_short(values[name])} (one of {', '.join(getattr(catalog, ids))})"
            )
    return cls(**values), confirm


def _value(value: Any, kind_of: str, where: str) -> Any:
    if kind_of == "string":
        if not isinstance(value, str):
            raise ActionError(f"{where}: must be a string")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ActionError(f"{where}: must be a number")
    if kind_of == "integer":
        if isinstance(value, float):
            if not (math.isfinite(value) and value.is_integer()):
                raise ActionError(f"{where}: must be a whole number")
            value = int(value)
        if abs(value) > 2**53:
            raise ActionError(f"{where}: out of range")
        return int(value)
    try:
        number = float(value)
    except OverflowError:
        raise ActionError(f"{where}: out of range") from None
    if not math.isfinite(number):
        raise ActionError(f"{where}: must be a finite number")
    return number


def _short(value: Any, most: int = 30) -> str:
    text = repr(value)
    return text if len(text) <= most else text[: most - 3] + "..."


def schema(catalog: Catalog) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one action: one object shape per kind, from the
    fields of its record (ids listed from the catalog)."""
    shapes = []
    for kind, cls in decision_kinds().items():
        props: dict[str, Any] = {"kind": {"const": kind}}
        for name, kind_of, _ in _fields(cls):
            prop: dict[str, Any] = {"type": kind_of}
            if name in _IDS:
                prop["enum"] = list(getattr(catalog, _IDS[name]))
            props[name] = prop
        props[CONFIRM] = {"type": "boolean", "description": "go ahead although it leaves little runway"}
        shapes.append(
            {
                "title": kind,
                "description": DESCRIPTIONS.get(kind, cls.__name__),
                "type": "object",
                "properties": props,
                "required": ["kind", *(n for n, _, r in _fields(cls) if r)],
                "additionalProperties": False,
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"agi-race/action/{PROTOCOL}",
        "title": "An action of the AGI Race agent protocol",
        "oneOf": shapes,
    }
