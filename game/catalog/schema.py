"""The one way a data file is read into records and written back: a cattrs Converter
whose hooks come from the specs each record field declares (game.catalog.specs). The
catalog, the events deck, scenarios and saves and the hall of fame all go through it.

Reading is strict: unknown keys, missing fields, wrong types and values out of range are
refused, and the first problem becomes one line naming the file, the place in it and
what is wrong, e.g. `saves/x.toml [labs.xai] cash: must be between ... USD, got ...`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from cattrs import Converter
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from game.catalog.specs import (
    _SOURCED,
    CatalogError,
    Keyed,
    KeyNote,
    Num,
    Numbers,
    PerGpu,
    Problem,
    Text,
    _below,
    _keyed,
)

Path_ = tuple[tuple[str | int, bool], ...]

# What each kind of id is called in messages.
KIND_NAMES = {
    "gpu": "GPU",
    "site": "site",
    "lab": "lab",
    "partner": "partner",
    "integrator": "integrator",
    "card": "event card",
    "style": "AI style",
}


def is_record(cls: Any) -> bool:
    """A record: an attrs class with at least one field declared by a spec."""
    return attrs.has(cls) and any("spec" in f.metadata for f in attrs.fields(cls))


def file_key(f: attrs.Attribute) -> str:
    """A field's key in the file (its name, unless it declares key=...)."""
    return f.metadata.get("key", f.name)


def _spec(f: attrs.Attribute) -> Any:
    return f.metadata.get("spec", Text() if f.name == "id" else None)


# ------------------------------------------------------------- nested tables
@attrs.frozen
class Record:
    """A nested table read into the record class `cls`."""

    cls: type

    def parse(self, value: Any, schema: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"must be a table, got {value!r}")
        return schema.converter.structure(value, self.cls)

    def dump(self, value: Any, schema: Any) -> Any:
        return schema.converter.unstructure(value)


@attrs.frozen
class Table:
    """Nested tables keyed by ids of a kind, each read into `cls` ([labs.xai.sites.memphis])."""

    kind: str | None
    cls: type

    def parse(self, value: Any, schema: Any) -> dict[str, Any]:
        shape = f"must be a table of {self.kind or 'id'} tables"
        return _keyed(
            value, schema, self.kind, shape, lambda v: Record(self.cls).parse(v, schema), table=True
        )

    def dump(self, value: Any, schema: Any) -> Any:
        return {k: schema.converter.unstructure(v) for k, v in value.items()}


@attrs.frozen
class Items:
    """A list of tables, each read into `cls` ([[labs.xai.orders]])."""

    cls: type
    limit: int
    least: int = 0

    def parse(self, value: Any, schema: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ValueError("must be a list of tables")
        if not self.least <= len(value) <= self.limit:
            raise ValueError(f"must hold {self.least} to {self.limit} tables, got {len(value)}")
        out = []
        for i, item in enumerate(value):
            try:
                out.append(Record(self.cls).parse(item, schema))
            except Exception as err:  # noqa: BLE001 (a nested record's errors, placed)
                raise _below(i, err, table=True) from None
        return tuple(out)

    def dump(self, value: Any, schema: Any) -> Any:
        return [schema.converter.unstructure(v) for v in value]


NESTED = (Record, Table, Items)  # specs whose values are tables of the file


class Schema:
    """Reads and writes records; `kinds` are the ids it knows: kind -> (name, ids)."""

    def __init__(self, kinds: Mapping[str, tuple[str, tuple[str, ...]]] | None = None) -> None:
        self.kinds = dict(kinds or {})
        self.converter = Converter(forbid_extra_keys=True)
        self.converter.register_structure_hook_factory(is_record, self._structure_fn)
        self.converter.register_unstructure_hook_factory(is_record, self._unstructure_fn)

    @classmethod
    def of(cls, **ids: tuple[str, ...]) -> Schema:
        """A schema that knows these ids, by kind (gpu=..., site=...)."""
        return _schema(tuple((kind, KIND_NAMES.get(kind, kind), tuple(v)) for kind, v in sorted(ids.items())))

    def knowing(self, kind: str, name: str, ids: tuple[str, ...]) -> Schema:
        """This schema, also knowing `ids` of `kind` (called `name` in messages)."""
        known = {k: v for k, v in self.kinds.items() if k != kind}
        return _schema(tuple(sorted((k, n, i) for k, (n, i) in known.items())) + ((kind, name, tuple(ids)),))

    # -------------------------------------------------------------- cattrs hooks
    def _structure_fn(self, cls: type) -> Any:
        overrides: dict[str, Any] = {}
        for f in attrs.fields(cls):
            spec = _spec(f)
            if spec is None:
                continue

            def hook(value: Any, _type: Any = None, spec: Any = spec) -> Any:
                return spec.parse(value, self)

            overrides[f.name] = override(struct_hook=hook, rename=f.metadata.get("key"))
        return make_dict_structure_fn(
            cls, self.converter, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True, **overrides
        )

    def _unstructure_fn(self, cls: type) -> Any:
        overrides: dict[str, Any] = {}
        for f in attrs.fields(cls):
            spec = _spec(f)
            if spec is None or f.name == "id":
                overrides[f.name] = override(omit=True)
                continue

            def hook(value: Any, spec: Any = spec) -> Any:
                return spec.dump(value, self)

            overrides[f.name] = override(
                unstruct_hook=hook,
                rename=f.metadata.get("key"),
                omit_if_default=f.metadata.get("optional", False),
            )
        write: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(cls, self.converter, **overrides)
        order = [file_key(f) for f in attrs.fields(cls)]

        def in_order(record: Any) -> dict[str, Any]:  # the file lists fields as the record declares them
            table = write(record)
            return {key: table[key] for key in order if key in table}

        return in_order

    # ------------------------------------------------------------------- reading
    def read(self, value: Any, cls: type, where: str, place: Path_ = (), error: type = CatalogError) -> Any:
        """`value` (a table of the file at `place`) as a `cls` record, or `error` with
        one line: the file, the place and the problem."""
        try:
            if not isinstance(value, dict):
                raise Problem(f"must be a table, got {value!r}")
            return self.converter.structure(value, cls)
        except Exception as exc:  # noqa: BLE001 (every problem becomes one line)
            path, message = locate(exc, cls, place)
            raise error(line(where, path, message)) from None

    def value(self, spec: Any, value: Any, where: str, place: Path_, error: type = CatalogError) -> Any:
        """One value read by `spec`, or `error` naming the place."""
        try:
            return spec.parse(value, self)
        except ValueError as exc:
            path, message = locate(exc, None, place)
            raise error(line(where, path, message)) from None

    def entry(
        self,
        cls: type,
        entry_id: str,
        table: Any,
        where: str,
        *,
        sourced: bool = True,
        error: type = CatalogError,
    ) -> Any:
        """One entry of a catalog file ([H100] in gpus.toml): its fields, and with
        `sourced` a `source.<field>` for every figure."""
        place: Path_ = ((entry_id, True),)
        if not isinstance(table, dict):
            raise error(f"{where} [{entry_id}]: must be a table")
        body = dict(table)
        sources = body.pop("source", {}) if sourced else {}
        if not isinstance(sources, dict):
            raise error(f"{where} [{entry_id}] source: must be a table")
        fields = [f for f in attrs.fields(cls) if "spec" in f.metadata]
        for key in sources:
            if key not in {file_key(f) for f in fields}:
                raise error(f"{where} [{entry_id}] source.{key}: names no field")
        if "id" in body:
            raise error(f"{where} [{entry_id}] id: unknown field (the id is the table's name)")
        record = self.read({**body, "id": entry_id}, cls, where, place, error)
        for f in fields if sourced else ():
            src = sources.get(file_key(f))
            if isinstance(f.metadata["spec"], _SOURCED) and (not isinstance(src, str) or not src.strip()):
                raise error(f"{where} [{entry_id}] {file_key(f)}: no source (add source.{file_key(f)})")
        return record

    # ------------------------------------------------------------------- writing
    def write(self, record: Any) -> dict[str, Any]:
        """A record as the file's table: fields left at their default are left out."""
        return self.converter.unstructure(record)


@functools.lru_cache(maxsize=32)
def _schema(kinds: tuple[tuple[str, str, tuple[str, ...]], ...]) -> Schema:
    return Schema({kind: (name, ids) for kind, name, ids in kinds})


# ---------------------------------------------------------------------- problems
def _field_of(cls: type | None, name: str) -> attrs.Attribute | None:
    if cls is None or not attrs.has(cls):
        return None
    return next((f for f in attrs.fields(cls) if f.name == name), None)


def locate(exc: BaseException, cls: type | None, path: Path_) -> tuple[Path_, str]:
    """Where the first problem in `exc` (raised reading a `cls` at `path`) is, and what
    it is. Unknown keys come first: a misspelt key explains a missing one."""
    child = None
    for note in reversed(getattr(exc, "__notes__", [])):
        if isinstance(note, AttributeValidationNote):
            f = _field_of(cls, note.name)
            nested = f is not None and isinstance(_spec(f), NESTED)
            path = (*path, (file_key(f) if f is not None else note.name, nested))
            child = getattr(_spec(f), "cls", None) if f is not None else None
        elif isinstance(note, KeyNote):
            path = (*path, (note.key, note.table))
    if isinstance(exc, ClassValidationError):
        subs = list(exc.exceptions)
        extra = [e for e in subs if isinstance(e, ForbiddenExtraKeysError)]
        return locate(extra[0] if extra else subs[0], exc.cl, path)
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = sorted(file_key(f) for f in attrs.fields(exc.cl) if f.name != "id")
        what = getattr(exc.cl, "UNKNOWN", "unknown field")
        return (*path, (sorted(exc.extra_fields)[0], False)), f"{what} (known: {', '.join(keys)})"
    if isinstance(exc, KeyError):
        return path, "missing"
    if isinstance(exc, Problem):
        return (*path, *exc.path), exc.message
    message = str(exc)
    head = re.match(r"([A-Za-z_][\w.\[\]]*): (.*)", message)
    if head and _field_of(cls or child, re.split(r"[.\[]", head.group(1))[0]):
        return (*path, (head.group(1), False)), head.group(2)
    return path, message


def line(where: str, path: Path_, message: str) -> str:
    """One line: the file, the place in it, the problem."""
    place = render(path)
    return f"{where} {place}: {message}" if place else f"{where}: {message}"


def render(path: Path_) -> str:
    """A place in a file as people read it: `[labs.xai.orders[0]] gpu`, `[meta] humans[1]`."""
    n = 0
    while n < len(path) and path[n][1]:
        n += 1

    def join(steps: Path_) -> str:
        out = ""
        for key, _ in steps:
            out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
        return out

    table, rest = join(path[:n]), join(path[n:])
    if table and rest:
        return f"[{table}] {rest}"
    return f"[{table}]" if table else rest


def units(cls: type, table: Any, path: tuple[str | int, ...] = ()) -> dict[tuple[str | int, ...], str]:
    """The unit of every number in `table` (a `cls` record as written), by its path in
    the file: what a writer puts in a comment beside it."""
    out: dict[tuple[str | int, ...], str] = {}
    if not isinstance(table, dict) or not is_record(cls):
        return out
    for f in attrs.fields(cls):
        key, spec = file_key(f), _spec(f)
        if key not in table:
            continue
        value, here = table[key], (*path, key)
        inner = spec.inner if isinstance(spec, Numbers | Keyed | PerGpu) else None
        if isinstance(spec, Num) and spec.unit:
            out[here] = spec.unit
        elif isinstance(spec, Numbers) and spec.inner.unit:
            out[here] = spec.inner.unit
        elif isinstance(spec, Keyed | PerGpu) and isinstance(inner, Num) and inner.unit:
            out.update({(*here, k): inner.unit for k in value})
        elif isinstance(spec, Record):
            out.update(units(spec.cls, value, here))
        elif isinstance(spec, Table):
            for k, v in value.items():
                out.update(units(spec.cls, v, (*here, k)))
        elif isinstance(spec, Items):
            for i, v in enumerate(value):
                out.update(units(spec.cls, v, (*here, i)))
    return out
