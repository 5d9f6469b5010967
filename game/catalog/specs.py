"""What a field of a data file accepts: numbers in a range with a unit, text, flags,
choices, dates, step tables, tables keyed by ids. Each spec parses one TOML value or
raises ValueError saying what is wrong; `build_record` checks a whole table against an
attrs record whose fields carry specs (in their metadata)."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

import attrs


class CatalogError(ValueError):
    """A data file is wrong; the message names the file, the entry and the field."""


# --------------------------------------------------------------------------- specs
@attrs.frozen
class Num:
    lo: float
    hi: float
    unit: str
    integer: bool = False

    def parse(self, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number ({self.unit}), got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number, got {value!r}")
        if self.integer and value != int(value):
            raise ValueError(f"must be a whole number ({self.unit}), got {value!r}")
        if not self.lo <= value <= self.hi:
            raise ValueError(f"must be between {self.lo:g} and {self.hi:g} {self.unit}, got {value:g}")
        return int(value) if self.integer else float(value)


@attrs.frozen
class Text:
    def parse(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"must be non-empty text, got {value!r}")
        return value


@attrs.frozen
class Flag:
    def parse(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, got {value!r}")
        return value


@attrs.frozen
class Choice:
    options: tuple[str, ...]

    def parse(self, value: Any) -> str:
        if value not in self.options:
            raise ValueError(f"must be one of {', '.join(self.options)}; got {value!r}")
        return value


@attrs.frozen
class Date:
    def parse(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValueError(f"must be a date like 2024-07-15, got {value!r}")
        return value


@attrs.frozen
class Steps:
    """A step table: [[date, value], ...] in date order; the value holds from its date."""

    value: Num

    def parse(self, value: Any) -> tuple[tuple[dt.date, float], ...]:
        if not isinstance(value, list) or not value:
            raise ValueError("must be a non-empty list of [date, value] pairs")
        out: list[tuple[dt.date, float]] = []
        for i, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError(f"item {i} must be a [date, value] pair, got {pair!r}")
            try:
                day = Date().parse(pair[0])
                amount = self.value.parse(pair[1])
            except ValueError as err:
                raise ValueError(f"item {i}: {err}") from None
            if out and day <= out[-1][0]:
                raise ValueError(f"item {i}: dates must increase, {day} follows {out[-1][0]}")
            out.append((day, amount))
        return tuple(out)


def _keyed(value: Any, inner: Any, known: tuple[str, ...], what: str, shape: str) -> dict[str, Any]:
    """A table of `inner` values keyed by ids (checked against `known` when given)."""
    if not isinstance(value, dict):
        raise ValueError(shape)
    out = {}
    for key, item in value.items():
        if known and key not in known:
            raise ValueError(f"unknown {what} {key!r} (known: {', '.join(known)})")
        try:
            out[key] = inner.parse(item)
        except ValueError as err:
            raise ValueError(f"{key}: {err}") from None
    return out


@attrs.frozen
class PerGpu:
    """A table keyed by GPU id (only ids from gpus.toml)."""

    inner: Num | Steps

    def parse(self, value: Any, gpu_ids: tuple[str, ...] = ()) -> dict[str, Any]:
        return _keyed(value, self.inner, gpu_ids, "GPU", "must be a table keyed by GPU id")


@attrs.frozen
class Weights:
    """A table of numbers keyed by ids of another file (checked once all are loaded)."""

    value: Num

    def parse(self, value: Any) -> dict[str, float]:
        return _keyed(value, self.value, (), "id", "must be a table like { openai = 0.5 }")


@attrs.frozen
class Ids:
    """A list of ids of another file (checked once all are loaded)."""

    def parse(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"must be a list of ids, got {value!r}")
        return tuple(value)


def _field(spec: Any, optional: bool = False, default: Any = None) -> Any:
    if optional:
        return attrs.field(default=default, kw_only=True, metadata={"spec": spec, "optional": True})
    return attrs.field(kw_only=True, metadata={"spec": spec})


def num(lo: float, hi: float, unit: str, integer: bool = False, default: float | None = None) -> Any:
    """A number field; with a default it may be left out."""
    return _field(Num(lo, hi, unit, integer), optional=default is not None, default=default)


def text() -> Any:
    return _field(Text())


def flag() -> Any:
    return _field(Flag())


def date() -> Any:
    return _field(Date())


def steps(lo: float, hi: float, unit: str) -> Any:
    return _field(Steps(Num(lo, hi, unit)))


def per_gpu(inner: Num | Steps) -> Any:
    return _field(PerGpu(inner))


_SOURCED = (Num, Date, Steps, PerGpu, Weights, Ids)


def build_record(
    cls: type,
    entry_id: str,
    table: Any,
    where: str,
    gpu_ids: tuple[str, ...] = (),
    *,
    sourced: bool = True,
    nested: tuple[str, ...] = (),
    error: type[ValueError] = CatalogError,
) -> Any:
    """Validate one TOML table against an attrs record's field specs.

    `sourced`: every number needs a `source.<field>` entry. `nested`: keys the caller
    reads itself (sub-tables), passed over here. Problems raise `error`."""
    if not isinstance(table, dict):
        raise error(f"{where} [{entry_id}]: must be a table")
    fields = [f for f in attrs.fields(cls) if "spec" in f.metadata]
    known = {f.name for f in fields}
    sources = table.get("source", {}) if sourced else {}
    if not isinstance(sources, dict):
        raise error(f"{where} [{entry_id}] source: must be a table")
    for key in table:
        if key in nested or (sourced and key == "source"):
            continue
        if key not in known:
            raise error(f"{where} [{entry_id}] {key}: unknown field (known: {', '.join(sorted(known))})")
    for key in sources:
        if key not in known:
            raise error(f"{where} [{entry_id}] source.{key}: names no field")
    values: dict[str, Any] = {}
    for f in fields:
        spec = f.metadata["spec"]
        if f.name not in table:
            if f.metadata.get("optional"):
                continue
            raise error(f"{where} [{entry_id}] {f.name}: missing")
        try:
            if isinstance(spec, PerGpu):
                values[f.name] = spec.parse(table[f.name], gpu_ids)
            else:
                values[f.name] = spec.parse(table[f.name])
        except ValueError as err:
            raise error(f"{where} [{entry_id}] {f.name}: {err}") from None
        if sourced and isinstance(spec, _SOURCED):
            src = sources.get(f.name)
            if not isinstance(src, str) or not src.strip():
                raise error(f"{where} [{entry_id}] {f.name}: no source (add source.{f.name})")
    try:
        return cls(id=entry_id, **values)
    except ValueError as err:
        raise error(f"{where} [{entry_id}] {err}") from None


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise CatalogError(f"{path}: not valid TOML: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogError(f"{path}: cannot read: {err}") from None
