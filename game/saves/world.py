"""A Scenario into the engine's Params and World, and a World back into a document, both
driven by the records' field declarations (game/saves/records.py): a field with `world=`
names the array it fills, its place in the file gives the index (a lab's table, a site's
table in it, a slot of a list, an id of a keyed table). What the declarations cannot say
is written out below (results, runs, contracts' pools, integrators' queues).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog
from game.catalog.schema import Items, Record, Table
from game.catalog.specs import Keyed, Money, Num, Ref, Shares
from game.engine import economy, research
from game.engine.params import Params, make_params
from game.engine.state import END_REASONS, RUN_POST, RUN_PRETRAIN, World, allocate
from game.saves.entries import Booked, LogEntry
from game.saves.files import TomlDoc
from game.saves.records import (
    FORMAT,
    MONEY_FIELDS,
    VERSION,
    Contract,
    Document,
    Meta,
    Result,
    Run,
    Scenario,
    SiteState,
    saves_schema,
)

Index = tuple[int, ...]
Ids = dict[str, tuple[str, ...]]

# World arrays written out below rather than by a field's `world=`.
BY_HAND = ("done", "end_reason", "winner", "agi_week", "run_phase", "run_post_left", "contract_source")


def mapped_fields(cls: type = Document) -> set[str]:
    """The World arrays the records' fields fill (`world=`), all the way down."""
    out = set()
    for f in attrs.fields(cls):
        if "world" in f.metadata:
            out.add(f.metadata["world"])
        spec = f.metadata.get("spec")
        if isinstance(spec, Record | Table | Items):
            out |= mapped_fields(spec.cls)
    return out


def _ids(params: Params) -> Ids:
    cat = params.catalog
    return {
        "gpu": cat.gpu_ids, "site": cat.site_ids, "partner": cat.partner_ids, "integrator": cat.integrator_ids,
        "card": tuple(c.id for c in cat.events), "game_lab": params.lab_ids,
    }  # fmt: skip


def _kind(spec: Any) -> str:
    """The kind of ids a spec names (every one the World maps has one)."""
    assert spec.kind is not None, spec
    return str(spec.kind)


def _exact(whole: float, below: float) -> float:
    """The amount again from the file's whole dollars and what is below the dollar."""
    return float(whole) + below if below else float(whole)  # (-0.0 + 0.0 would lose the sign)


def _dollars(x: float) -> tuple[float | int, float]:
    """Money for the file: whole dollars (an integer where one holds it exactly) and the
    part below the dollar; whole + part is x again, bit for bit."""
    if not math.isfinite(x) or abs(x) >= 2**53 or (x == 0 and math.copysign(1.0, x) < 0):
        return x, 0.0
    whole = round(x)
    return int(whole), x - whole


# ------------------------------------------------------------------- to engine
def scenario_params(scn: Scenario, catalog: Catalog, humans: tuple[str, ...] | None = None) -> Params:
    return make_params(
        catalog,
        scn.lab_ids,
        scn.meta.start_date,
        scn.last_week,
        scn.world.agi_capability,
        human=scn.humans if humans is None else humans,
    )


def _encode(spec: Any, value: Any, ids: Ids) -> Any:
    if isinstance(spec, Ref):
        return ids[_kind(spec)].index(value) if value else -1
    if isinstance(spec, Shares):
        shares = np.array(value, dtype=np.float64)
        return shares if abs(shares.sum() - 1.0) <= 1e-6 else shares / shares.sum()  # hand-written shares
    return value


def _put(rec: Any, arrays: dict[str, np.ndarray], index: Index, ids: Ids) -> None:
    """Write a record's fields into the (1, ...) arrays at `index`."""
    for f in attrs.fields(type(rec)):
        spec, value, name = f.metadata.get("spec"), getattr(rec, f.name), f.metadata.get("world")
        if isinstance(spec, Table):
            for key, child in value.items():
                _put(child, arrays, (*index, ids[_kind(spec)].index(key)), ids)
        elif isinstance(spec, Items) and "filled" in f.metadata:
            for child in value:
                _put(child, arrays, (*index, child.slot), ids)
        elif isinstance(spec, Record) and value is not None:
            _put(value, arrays, index, ids)
        elif name is None or value is None or value == f.metadata.get("absent", attrs.NOTHING):
            continue
        elif isinstance(spec, Keyed):
            for key, item in value.items():
                arrays[name][(*index, ids[_kind(spec)].index(key))] = _encode(spec.inner, item, ids)
        else:
            if isinstance(spec, Money):
                value = _exact(value, rec.sub_dollar.get(f.name, 0.0))
            arrays[name][index] = _encode(spec, value, ids)
    if isinstance(rec, SiteState):  # an upgrade has a payer while it is under way, and only then
        payer = (
            ids["game_lab"].index(rec.substation_payer) if rec.substation_payer else 0
        )  # unnamed: the first lab
        arrays["substation_payer"][index] = payer if rec.substation_weeks_left > 0 else -1
    elif isinstance(rec, Contract):
        arrays["contract_source"][index] = -1 if rec.site else ids["partner"].index(rec.source or rec.partner)
    elif isinstance(rec, Run):
        finished = rec.done_flop >= rec.flop
        arrays["run_phase"][index] = RUN_POST if finished else RUN_PRETRAIN
        arrays["run_post_left"][index] = rec.post_weeks_left if finished else 0


def _base(params: Params) -> dict[str, np.ndarray]:
    """One new game's arrays: zeros, and the catalog's figures where a file says nothing."""
    cat = params.catalog
    a = allocate(params, 1)
    a["grid_mw"][0] = [s.grid_mw for s in cat.sites]
    a["staff_usd_week"][0] = [cat.lab(lab).staff_usd_week for lab in params.lab_ids]
    for name in DERIVED:
        a[name][0] = -1.0  # worked out from the rest of the file (`_derive`)
    return a


# Lab fields a file may leave out that a new game works out from the rest of it.
DERIVED = ("staff", "staff_ramped", "last_post", "revenue_fast", "revenue_slow")


def _derive(a: dict[str, np.ndarray], params: Params) -> None:
    """What a file left out of DERIVED: the people its labs' budgets buy (at full
    productivity), the last round's post-money as the valuation, revenue at the run-rate
    its users pay."""
    hired = research.staff_for_budget(params, a["staff_usd_week"][0], int(a["week"][0]))
    a["staff"][0] = np.where(a["staff"][0] < 0, hired, a["staff"][0])
    a["staff_ramped"][0] = np.where(a["staff_ramped"][0] < 0, a["staff"][0], a["staff_ramped"][0])
    a["last_post"][0] = np.where(a["last_post"][0] < 0, a["valuation"][0], a["last_post"][0])
    rate = economy.revenue_run_rate(params, a["users"], a["week"])[0]
    for name in ("revenue_fast", "revenue_slow"):
        a[name][0] = np.where(a[name][0] < 0, rate, a[name][0])


def scenario_arrays(scn: Scenario, params: Params) -> dict[str, np.ndarray]:
    """The file's game as (1, ...) arrays."""
    ids = _ids(params)
    a = _base(params)
    doc = attrs.evolve(_document(scn), log=())
    _put(doc, a, (0,), ids)
    _derive(a, params)
    if scn.result is not None:
        a["done"][0] = True
        a["end_reason"][0] = END_REASONS.index(scn.result.end)
        a["winner"][0] = ids["game_lab"].index(scn.result.winner) if scn.result.winner else -1
        a["agi_week"][0] = scn.result.agi_week
    if scn.market.integrator_backlog is None:  # a hand-written scenario: the orders in flight
        for lab in scn.labs.values():
            for o in lab.orders:
                if o.vendor:
                    a["integrator_backlog"][0, ids["integrator"].index(o.vendor)] += o.count
    return a


def initial_world(
    scn: Scenario, params: Params, batch: int, seed: int | None = None, offset: int | None = None
) -> World:
    """`batch` copies of the file's game, numbered offset .. offset+batch-1 (default: the
    file's own game index)."""
    arrays = {name: np.repeat(value, batch, axis=0) for name, value in scenario_arrays(scn, params).items()}
    arrays["seed"][:] = np.uint64(scn.meta.seed if seed is None else seed)
    first = scn.meta.game if offset is None else offset
    arrays["game"] = np.arange(first, first + batch, dtype=np.int64)
    return World(params=params, **arrays)


def _document(scn: Scenario) -> Document:
    return Document(
        format=FORMAT, version=VERSION, meta=attrs.evolve(scn.meta, humans=scn.humans, ai=scn.ai),
        world=scn.world, market=scn.market, result=scn.result, sites=scn.sites, labs=scn.labs, log=(),
    )  # fmt: skip


# ------------------------------------------------------------------ from engine
def _decode(spec: Any, x: Any, ids: Ids) -> Any:
    if isinstance(spec, Ref):
        return ids[_kind(spec)][int(x)] if x >= 0 else ""
    if isinstance(spec, Shares):
        return tuple(_decode(None, v, ids) for v in x)
    if isinstance(x, np.floating):
        # A float32 (state.STORED_AS) as its shortest decimal (0.28, not 0.2800000011920929),
        # which reads back to the same float32.
        return float(str(x)) if isinstance(x, np.float32) else float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(spec, Num) and spec.integer or isinstance(x, np.integer):
        return int(x)
    return x


def _empty(cls: type) -> Any:
    """A record with every field at its default (None if some field has none)."""
    try:
        return cls()
    except TypeError:
        return None


def _take(cls: type, w: World, index: Index, ids: Ids, **values: Any) -> Any:
    """A record of `cls` from game index[0] of `w`, at `index`."""
    below: dict[str, float] = {}
    for f in attrs.fields(cls):
        spec, name = f.metadata.get("spec"), f.metadata.get("world")
        if f.name in values:
            continue
        if isinstance(spec, Table):
            children = {key: _take(spec.cls, w, (*index, k), ids) for k, key in enumerate(ids[_kind(spec)])}
            empty = _empty(spec.cls)
            values[f.name] = {key: rec for key, rec in children.items() if rec != empty}
        elif isinstance(spec, Record):
            values[f.name] = _take(spec.cls, w, index, ids)
        elif isinstance(spec, Items) and "filled" in f.metadata:
            marker, empty_value = f.metadata["filled"]
            slots = getattr(w, marker)[index]
            values[f.name] = tuple(
                _take(spec.cls, w, (*index, k), ids, slot=k)
                for k in range(len(slots))
                if slots[k] != empty_value
            )
        elif name is None:
            continue
        elif isinstance(spec, Keyed):
            array, omit = getattr(w, name)[index], f.metadata.get("omit", 0)
            items = {key: _decode(spec.inner, array[k], ids) for k, key in enumerate(ids[_kind(spec)])}
            values[f.name] = {key: v for key, v in items.items() if omit is None or v != omit}
        else:
            values[f.name] = _decode(spec, getattr(w, name)[index], ids)
            if isinstance(spec, Money):
                values[f.name], part = _dollars(values[f.name])
                if part:
                    below[f.name] = part
    if below:
        values["sub_dollar"] = {k: below[k] for k in MONEY_FIELDS if k in below}
    if cls is SiteState and w.substation_left[index] <= 0:
        values["substation_payer"] = ""
    elif cls is Contract:
        site, source = int(w.contract_site[index]), int(w.contract_source[index])
        values["source"] = "" if site >= 0 else ids["partner"][source]
    elif cls is Run:
        finished = w.run_phase[index] == RUN_POST
        values["post_weeks_left"] = int(w.run_post_left[index]) if finished else 0
    return cls(**values)


def save_doc(
    scn: Scenario,
    world: World,
    index: int = 0,
    log: Sequence[LogEntry] = (),
    humans: tuple[str, ...] | None = None,
    ai: dict[str, str] | None = None,
    difficulty: str | None = None,
    book: Sequence[Booked] = (),
) -> TomlDoc:
    """The TOML document of game `index` of `world`: a scenario that starts exactly
    there. `scn` is the file the game came from (title, description, origin); `book`,
    the humans' decisions booked for its week."""
    from game.saves.log import book_records, log_records, standing_records

    p = world.params
    ids = _ids(p)
    schema = saves_schema(p.catalog, scn.lab_ids)
    meta = _take(
        Meta, world, (index,), ids,
        title=scn.meta.title, description=scn.meta.description, start_date=scn.meta.start_date,
        last_date=scn.meta.last_date, difficulty=difficulty or scn.meta.difficulty, origin=scn.origin,
        game_id=scn.meta.game_id, labs=scn.lab_ids, humans=tuple(scn.humans if humans is None else humans),
        ai=dict(scn.ai if ai is None else ai),
    )  # fmt: skip
    result = None
    if world.done[index]:
        winner = int(world.winner[index])
        result = Result(
            end=END_REASONS[int(world.end_reason[index])],
            winner=p.lab_ids[winner] if winner >= 0 else "",  # nobody: every lab went bankrupt
            agi_week=int(world.agi_week[index]),
        )
    doc = _take(Document, world, (index,), ids, format=FORMAT, version=VERSION, meta=meta, world=scn.world,
                result=result, log=log_records(log, schema),
                standing=standing_records(scn.standing, schema), book=book_records(book, schema))  # fmt: skip
    return schema.write(doc)
