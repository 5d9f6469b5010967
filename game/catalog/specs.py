"""What a field of a data file accepts: numbers in a range with a unit, text, flags,
choices, dates, step tables, ids of a kind, tables keyed by ids, nested tables and lists
of tables. A record (an attrs class) declares each field with a spec in its metadata
(`num(lo, hi, unit)`, `text()`, ...); `game.catalog.schema.Schema` reads a whole file
into records with those specs (through cattrs) and writes records back.

A spec's `parse(value, schema)` returns the value for the record or raises ValueError
saying what is wrong (`Problem` when the problem is deeper, e.g. at one key of a table);
`dump(value, schema)` is the value for the file. Specs that name ids (`Ref`, `Keyed`,
`Table`, ...) check them against the ids the schema knows for their kind.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs


class CatalogError(ValueError):
    """A data file is wrong; the message names the file, the entry and the field."""


class Problem(ValueError):
    """What is wrong `path` below the value being read: steps of (key or list index,
    whether it names a table of the file)."""

    def __init__(self, message: str, path: tuple[tuple[str | int, bool], ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class KeyNote(str):
    """Noted on an error (a nested record's) raised below one key or list item."""

    key: str | int
    table: bool

    def __new__(cls, key: str | int, table: bool) -> KeyNote:
        note = str.__new__(cls, f"at {key!r}")
        note.key, note.table = key, table
        return note


def _below(key: str | int, err: Exception, table: bool = False) -> Exception:
    """`err`, one key or list item deeper."""
    if isinstance(err, Problem):
        return Problem(err.message, ((key, table), *err.path))
    if isinstance(err, ValueError):
        return Problem(str(err), ((key, table),))
    err.add_note(KeyNote(key, table))
    return err


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --------------------------------------------------------------------------- values
@attrs.frozen
class Num:
    """A number from lo to hi (hi None: no upper bound) in `unit`."""

    lo: float
    hi: float | None
    unit: str
    integer: bool = False

    def parse(self, value: Any, schema: Any = None) -> float | int:
        unit = f" ({self.unit})" if self.unit else ""
        if not _number(value):
            raise ValueError(f"must be a number{unit}, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number, got {value!r}")
        if self.integer and value != int(value):
            raise ValueError(f"must be a whole number{unit}, got {value!r}")
        if self.hi is None and value < self.lo:
            raise ValueError(
                f"must be at least {self.lo:g}{' ' + self.unit if self.unit else ''}, got {value:g}"
            )
        if self.hi is not None and not self.lo <= value <= self.hi:
            raise ValueError(f"must be between {self.lo:g} and {self.hi:g} {self.unit}, got {value:g}")
        return int(value) if self.integer else float(value)

    def dump(self, value: Any, schema: Any = None) -> Any:
        return int(value) if self.integer else value


@attrs.frozen
class Money(Num):
    """An amount of money (float64 in the engine). A save writes it rounded to the dollar
    and keeps the part below the dollar in the record's `sub_dollar` table."""


@attrs.frozen
class Text:
    """Text; `blank` allows the empty string (an optional piece left empty)."""

    blank: bool = False

    def parse(self, value: Any, schema: Any = None) -> str:
        if not isinstance(value, str) or (not self.blank and not value.strip()):
            raise ValueError(f"must be {'' if self.blank else 'non-empty '}text, got {value!r}")
        return value

    def dump(self, value: Any, schema: Any = None) -> Any:
        return value


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


@attrs.frozen
class Word(Text):
    """A plain word: letters, digits, - and _, at most 64 (safe in a file name)."""

    def parse(self, value: Any, schema: Any = None) -> str:
        if not isinstance(value, str) or not _WORD.fullmatch(value):
            raise ValueError(f"must be a plain word (letters, digits, - and _), got {value!r}")
        return value


@attrs.frozen
class Flag:
    def parse(self, value: Any, schema: Any = None) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, got {value!r}")
        return value

    def dump(self, value: Any, schema: Any = None) -> Any:
        return value


@attrs.frozen
class Choice:
    options: tuple[str, ...]

    def parse(self, value: Any, schema: Any = None) -> str:
        if not isinstance(value, str) or value not in self.options:
            raise ValueError(f"must be one of {', '.join(self.options)}; got {value!r}")
        return value

    def dump(self, value: Any, schema: Any = None) -> Any:
        return value


@attrs.frozen
class Date:
    def parse(self, value: Any, schema: Any = None) -> dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValueError(f"must be a date like 2024-07-15, got {value!r}")
        return value

    def dump(self, value: Any, schema: Any = None) -> Any:
        return value


@attrs.frozen
class Steps:
    """A step table: [[date, value], ...] in date order; the value holds from its date."""

    value: Num

    def parse(self, value: Any, schema: Any = None) -> tuple[tuple[dt.date, float], ...]:
        if not isinstance(value, list) or not value:
            raise ValueError("must be a non-empty list of [date, value] pairs")
        out: list[tuple[dt.date, float]] = []
        for i, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError(f"item {i} must be a [date, value] pair, got {pair!r}")
            try:
                day = Date().parse(pair[0])
                amount = float(self.value.parse(pair[1]))
            except ValueError as err:
                raise ValueError(f"item {i}: {err}") from None
            if out and day <= out[-1][0]:
                raise ValueError(f"item {i}: dates must increase, {day} follows {out[-1][0]}")
            out.append((day, amount))
        return tuple(out)

    def dump(self, value: Any, schema: Any = None) -> Any:
        return [[day, amount] for day, amount in value]


@attrs.frozen
class Shares:
    """A fixed number of shares >= 0 (their sum above zero), e.g. a compute split."""

    names: tuple[str, ...]

    def parse(self, value: Any, schema: Any = None) -> tuple[float, ...]:
        n = len(self.names)
        if (
            not isinstance(value, list)
            or len(value) != n
            or not all(_number(x) and math.isfinite(x) and x >= 0 for x in value)
            or sum(value) <= 0
        ):
            count = {2: "two", 3: "three", 4: "four"}.get(n, str(n))
            raise ValueError(f"must be {count} shares >= 0 ({', '.join(self.names)}), got {value!r}")
        return tuple(float(x) for x in value)

    def dump(self, value: Any, schema: Any = None) -> Any:
        return list(value)


@attrs.frozen
class Numbers:
    """A list of at most `limit` numbers, each as `inner` accepts."""

    inner: Num
    limit: int
    what: str

    def parse(self, value: Any, schema: Any = None) -> tuple[Any, ...]:
        if not isinstance(value, list) or len(value) > self.limit:
            raise ValueError(f"must be a list of at most {self.limit} {self.what}, got {value!r}")
        out = []
        for i, item in enumerate(value):
            try:
                out.append(self.inner.parse(item))
            except ValueError as err:
                raise _below(i, err) from None
        return tuple(out)

    def dump(self, value: Any, schema: Any = None) -> Any:
        return [self.inner.dump(x) for x in value]


# ----------------------------------------------------------------- ids and tables
def _known(schema: Any, kind: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(what the ids are called, the ids) of a kind, if the schema knows them."""
    if kind is None or schema is None:
        return None
    return schema.kinds.get(kind)


def _check_id(value: Any, schema: Any, kind: str | None) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be an id (text), got {value!r}")
    known = _known(schema, kind)
    if known is not None and value not in known[1]:
        raise ValueError(f"unknown {known[0]} {value!r} (known: {', '.join(known[1])})")
    return value


@attrs.frozen
class Ref:
    """One id of a kind (a GPU, a site, ...); `blank`: "" for none."""

    kind: str
    blank: bool = False

    def parse(self, value: Any, schema: Any = None) -> str:
        if self.blank and value == "":
            return value
        return _check_id(value, schema, self.kind)

    def dump(self, value: Any, schema: Any = None) -> Any:
        return value


@attrs.frozen
class Refs:
    """A list of ids of a kind, each once (kind None: not checked here)."""

    kind: str | None = None
    unique: bool = True

    def parse(self, value: Any, schema: Any = None) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"must be a list of ids, got {value!r}")
        for i, item in enumerate(value):
            try:
                _check_id(item, schema, self.kind)
            except ValueError as err:
                raise _below(i, err) from None
        if self.unique and len(set(value)) != len(value):
            raise ValueError("an id appears twice")
        return tuple(value)

    def dump(self, value: Any, schema: Any = None) -> Any:
        return list(value)


def _keyed(value: Any, schema: Any, kind: str | None, shape: str, item: Any, table: bool = False) -> dict:
    """A table keyed by ids of `kind`, each value read by `item(value)`."""
    if not isinstance(value, dict):
        raise ValueError(shape)
    out = {}
    for key, entry in value.items():
        try:
            _check_id(key, schema, kind)
            out[key] = item(entry)
        except Exception as err:  # noqa: BLE001 (a nested record's errors, placed)
            raise _below(key, err, table) from None
    return out


@attrs.frozen
class Keyed:
    """A table of values keyed by ids of a kind, like { H100 = 5000 }."""

    kind: str | None
    inner: Any
    example: str = "{ H100 = 1 }"

    def parse(self, value: Any, schema: Any = None) -> dict[str, Any]:
        shape = f"must be a table keyed by {self.kind or 'id'}, like {self.example}"
        return _keyed(value, schema, self.kind, shape, lambda v: self.inner.parse(v, schema))

    def dump(self, value: Any, schema: Any = None) -> Any:
        return {k: self.inner.dump(v, schema) for k, v in value.items()}


@attrs.frozen
class PerGpu:
    """A table keyed by GPU id (only ids from gpus.toml)."""

    inner: Num | Steps

    def parse(self, value: Any, schema: Any = None) -> dict[str, Any]:
        shape = "must be a table keyed by GPU id"
        return _keyed(value, schema, "gpu", shape, lambda v: self.inner.parse(v, schema))

    def dump(self, value: Any, schema: Any = None) -> Any:
        return {k: self.inner.dump(v, schema) for k, v in value.items()}


@attrs.frozen
class Weights:
    """A table of numbers keyed by ids of another file (checked once all are loaded)."""

    value: Num

    def parse(self, value: Any, schema: Any = None) -> dict[str, float]:
        shape = "must be a table like { openai = 0.5 }"
        return _keyed(value, schema, None, shape, lambda v: self.value.parse(v, schema))

    def dump(self, value: Any, schema: Any = None) -> Any:
        return dict(value)


@attrs.frozen
class Ids(Refs):
    """A list of ids of another file (checked once all are loaded)."""

    kind: str | None = None
    unique: bool = False


_SOURCED = (Num, Date, Steps, PerGpu, Weights, Ids)  # catalog figures that need a source


# ---------------------------------------------------------------- declaring fields
def _field(spec: Any, optional: bool = False, default: Any = attrs.NOTHING, **meta: Any) -> Any:
    """A record field read by `spec`; with a default (or `optional`) it may be left
    out. `meta`: more metadata, e.g. key="from" (its name in the file)."""
    if optional or default is not attrs.NOTHING:
        default = None if default is attrs.NOTHING else default
        if isinstance(default, dict | list):
            default = attrs.Factory(type(default))
        return attrs.field(default=default, kw_only=True, metadata={"spec": spec, "optional": True, **meta})
    return attrs.field(kw_only=True, metadata={"spec": spec, **meta})


def num(
    lo: float, hi: float | None, unit: str, integer: bool = False, default: Any = attrs.NOTHING, **meta: Any
) -> Any:
    """A number field; with a default it may be left out."""
    return _field(Num(lo, hi, unit, integer), default=default, **meta)


def money(lo: float, hi: float | None, unit: str = "USD", default: Any = attrs.NOTHING, **meta: Any) -> Any:
    return _field(Money(lo, hi, unit), default=default, **meta)


def text(default: Any = attrs.NOTHING, **meta: Any) -> Any:
    return _field(Text(blank=default == ""), default=default, **meta)


def flag(default: Any = attrs.NOTHING, **meta: Any) -> Any:
    return _field(Flag(), default=default, **meta)


def date(default: Any = attrs.NOTHING, **meta: Any) -> Any:
    return _field(Date(), default=default, **meta)


def steps(lo: float, hi: float, unit: str) -> Any:
    return _field(Steps(Num(lo, hi, unit)))


def per_gpu(inner: Num | Steps) -> Any:
    return _field(PerGpu(inner))


# ------------------------------------------------------------------------- files
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
