"""Scenario files: read, validate, and turn into the engine's Params and World.

A scenario is TOML: `format`, `version`, `[meta]` (title, description, dates, week,
seed, labs, humans, difficulty), `[world]` (AGI threshold, market), `[sites.<id>]`
overrides, and `[labs.<id>]` with the lab's money, users, models, GPUs, sites, orders,
contracts and runs. Every problem raises one `SaveError` naming the file, the place in
it and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog, Choice, build_record, date, num, text
from game.engine.params import Params, make_params
from game.engine.state import (
    CONTRACT_SLOTS,
    ORDER_SLOTS,
    RUN_POST,
    RUN_PRETRAIN,
    RUN_SLOTS,
    World,
    allocate,
)
from game.paths import scenarios_dir

FORMAT = "agi-race"
VERSION = 1
MAX_FILE_BYTES = 5_000_000
USD = 1e13  # the largest amount of money a file may hold


class SaveError(ValueError):
    """A scenario or save file is wrong; the message says where and what."""


@attrs.frozen
class Meta:
    id: str
    title: str = text()
    description: str = text()
    start_date: dt.date = date()
    last_date: dt.date = date()
    week: int = num(0, 10_000, "weeks", integer=True)
    seed: int = num(0, 2**63 - 1, "", integer=True)
    difficulty: str = attrs.field(kw_only=True, metadata={"spec": Choice(("easy", "normal", "hard"))})


@attrs.frozen
class WorldStart:
    id: str
    agi_capability: float = num(20, 60, "log10 FLOP")
    market_users: float = num(0, 1e11, "weekly users")
    mood: float = num(0.05, 20, "multiplier", default=1.0)


@attrs.frozen
class SiteStart:
    id: str
    grid_mw: float = num(0, 1e5, "MW")


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
    staff_usd_week: float = num(0, 1e11, "USD per week", default=-1.0)


@attrs.frozen
class LabSite:
    id: str
    hall_mw: float = num(0, 1e5, "MW", default=0.0)
    hall_building_mw: float = num(0, 1e5, "MW", default=0.0)
    grid_alloc_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_pending_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)
    substation_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)


@attrs.frozen
class OrderStart:
    id: str
    gpu: str = text()
    count: int = num(1, 1e8, "GPUs", integer=True)
    arrive_week: int = num(-10_000, 10_000, "week", integer=True)
    vendor: str = text()


@attrs.frozen
class ContractStart:
    id: str
    partner: str = text()
    gpu: str = text()
    count: int = num(1, 1e8, "GPUs", integer=True)
    price_usd_hour: float = num(0, 1000, "USD per GPU-hour")
    start_week: int = num(-10_000, 10_000, "week", integer=True)
    end_week: int = num(-10_000, 10_000, "week", integer=True)


@attrs.frozen
class RunStart:
    id: str
    name: str = text()
    flop: float = num(1, 1e40, "FLOP")
    done_flop: float = num(0, 1e40, "FLOP", default=0.0)
    software: float = num(-5, 30, "log10 multiplier")
    post_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)


@attrs.frozen(eq=False)
class Scenario:
    """A validated scenario: its settings and the starting state of one game."""

    path: Path
    name: str
    meta: Meta
    lab_ids: tuple[str, ...]
    humans: tuple[str, ...]
    world: WorldStart
    sites: dict[str, SiteStart]
    labs: dict[str, dict[str, Any]]  # lab id -> {"start", "split", "warehouse", ...}

    @property
    def last_week(self) -> int:
        return (self.meta.last_date - self.meta.start_date).days // 7


# ----------------------------------------------------------------------------- find
def resolve(name: str | Path) -> Path:
    """A scenario's path from its short name (file stem in saves/) or a path."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in str(name):
        return candidate
    shipped = scenarios_dir() / f"{name}.toml"
    if shipped.exists():
        return shipped
    known = ", ".join(sorted(p.stem for p in scenarios_dir().glob("*.toml")))
    raise SaveError(f"unknown scenario {name!r} (shipped: {known})")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.is_dir():
            raise SaveError(f"{path}: is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SaveError(f"{path}: {size:,} bytes is too large for a save (limit {MAX_FILE_BYTES:,})")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"{path}: no such file") from None
    except PermissionError:
        raise SaveError(f"{path}: permission denied") from None
    except OSError as err:
        raise SaveError(f"{path}: cannot read: {err.strerror or err}") from None
    if not raw.strip():
        raise SaveError(f"{path}: the file is empty")
    try:
        text_ = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SaveError(f"{path}: not UTF-8 text (byte {err.start})") from None
    try:
        return tomllib.loads(text_)
    except tomllib.TOMLDecodeError as err:
        raise SaveError(f"{path}: not valid TOML: {err}") from None


# ---------------------------------------------------------------------------- parse
def load_scenario(name: str | Path, catalog: Catalog) -> Scenario:
    """Read and validate a scenario (or save) file."""
    path = resolve(name)
    data = _read_toml(path)
    where = str(path)

    def fail(msg: str) -> SaveError:
        return SaveError(f"{where} {msg}")

    if data.get("format") != FORMAT:
        raise fail(f"format: must be {FORMAT!r}, got {data.get('format')!r}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise fail(f"version: must be a whole number, got {version!r}")
    if version > VERSION:
        raise fail(f"version: {version} is newer than this game reads ({VERSION}); update the game")
    if version < 1:
        raise fail(f"version: must be 1 or more, got {version}")
    for key in data:
        if key not in ("format", "version", "meta", "world", "sites", "labs"):
            raise fail(f"{key}: unknown section")

    meta_table = data.get("meta")
    meta = build_record(
        Meta, "meta", meta_table, where, sourced=False, nested=("labs", "humans"), error=SaveError
    )
    if meta.last_date <= meta.start_date:
        raise fail("[meta] last_date: must come after start_date")
    lab_ids = _id_list(meta_table.get("labs"), catalog.lab_ids, "lab", fail, "[meta] labs")
    if not lab_ids:
        raise fail("[meta] labs: name at least one lab")
    humans = _id_list(meta_table.get("humans", []), lab_ids, "lab in [meta] labs", fail, "[meta] humans")
    for lab in humans:
        if not catalog.lab(lab).playable:
            raise fail(f"[meta] humans: {lab} is not a playable lab")

    world = build_record(WorldStart, "world", data.get("world"), where, sourced=False, error=SaveError)

    sites_table = data.get("sites", {})
    if not isinstance(sites_table, dict):
        raise fail("[sites]: must be a table of site ids")
    sites = {}
    for site_id, table in sites_table.items():
        if site_id not in catalog.site_ids:
            raise fail(f"[sites.{site_id}]: unknown site (known: {', '.join(catalog.site_ids)})")
        sites[site_id] = build_record(
            SiteStart, f"sites.{site_id}", table, where, sourced=False, error=SaveError
        )

    labs_table = data.get("labs")
    if not isinstance(labs_table, dict):
        raise fail("[labs]: missing")
    for lab_id in labs_table:
        if lab_id not in lab_ids:
            raise fail(f"[labs.{lab_id}]: not in [meta] labs ({', '.join(lab_ids)})")
    labs = {}
    for lab_id in lab_ids:
        if lab_id not in labs_table:
            raise fail(f"[labs.{lab_id}]: missing (every lab in [meta] labs needs one)")
        labs[lab_id] = _parse_lab(lab_id, labs_table[lab_id], catalog, where, fail)

    stem = path.stem
    return Scenario(path, stem, meta, lab_ids, humans, world, sites, labs)


def _id_list(value: Any, known: tuple[str, ...], what: str, fail: Any, place: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"{place}: must be a list of ids, got {value!r}")
    for v in value:
        if v not in known:
            raise fail(f"{place}: unknown {what} {v!r} (known: {', '.join(known)})")
    if len(set(value)) != len(value):
        raise fail(f"{place}: an id appears twice")
    return tuple(value)


def _gpu_counts(value: Any, catalog: Catalog, fail: Any, place: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise fail(f"{place}: must be a table of GPU counts, like {{ H100 = 1000 }}")
    out = {}
    for gpu, count in value.items():
        if gpu not in catalog.gpu_ids:
            raise fail(f"{place}.{gpu}: unknown GPU (known: {', '.join(catalog.gpu_ids)})")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 100_000_000:
            raise fail(f"{place}.{gpu}: must be a whole number of GPUs from 0 to 1e8, got {count!r}")
        out[gpu] = count
    return out


def _parse_lab(lab_id: str, table: Any, catalog: Catalog, where: str, fail: Any) -> dict[str, Any]:
    place = f"labs.{lab_id}"
    nested = ("split", "warehouse", "sites", "orders", "contracts", "runs")
    start = build_record(LabStart, place, table, where, sourced=False, nested=nested, error=SaveError)
    split = table.get("split", [0.5, 0.4, 0.1])
    if (
        not isinstance(split, list)
        or len(split) != 3
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in split)
        or not all(math.isfinite(x) and x >= 0 for x in split)
        or sum(split) <= 0
    ):
        raise fail(
            f"[{place}] split: must be three shares >= 0 (training, inference, research), got {split!r}"
        )
    warehouse = _gpu_counts(table.get("warehouse", {}), catalog, fail, f"[{place}] warehouse")

    sites_table = table.get("sites", {})
    if not isinstance(sites_table, dict):
        raise fail(f"[{place}.sites]: must be a table of site ids")
    sites = {}
    for site_id, site in sites_table.items():
        if site_id not in catalog.site_ids:
            raise fail(f"[{place}.sites.{site_id}]: unknown site (known: {', '.join(catalog.site_ids)})")
        rec = build_record(
            LabSite,
            f"{place}.sites.{site_id}",
            site,
            where,
            sourced=False,
            nested=("installed",),
            error=SaveError,
        )
        installed = _gpu_counts(
            site.get("installed", {}), catalog, fail, f"[{place}.sites.{site_id}] installed"
        )
        sites[site_id] = (rec, installed)

    def records(key: str, cls: type, limit: int) -> list[Any]:
        items = table.get(key, [])
        if not isinstance(items, list):
            raise fail(f"[{place}] {key}: must be a list of tables ([[{place}.{key}]])")
        if len(items) > limit:
            raise fail(f"[{place}] {key}: at most {limit}, got {len(items)}")
        return [
            build_record(cls, f"{place}.{key}[{i}]", item, where, sourced=False, error=SaveError)
            for i, item in enumerate(items)
        ]

    orders = records("orders", OrderStart, ORDER_SLOTS)
    for i, o in enumerate(orders):
        if o.gpu not in catalog.gpu_ids:
            raise fail(f"[{place}.orders[{i}]] gpu: unknown GPU {o.gpu!r}")
        if o.vendor not in catalog.integrator_ids:
            raise fail(
                f"[{place}.orders[{i}]] vendor: unknown integrator {o.vendor!r} (known: {', '.join(catalog.integrator_ids)})"
            )
    contracts = records("contracts", ContractStart, CONTRACT_SLOTS)
    for i, c in enumerate(contracts):
        if c.partner not in catalog.partner_ids:
            raise fail(
                f"[{place}.contracts[{i}]] partner: unknown partner {c.partner!r} (known: {', '.join(catalog.partner_ids)})"
            )
        if c.gpu not in catalog.gpu_ids:
            raise fail(f"[{place}.contracts[{i}]] gpu: unknown GPU {c.gpu!r}")
        if c.end_week <= c.start_week:
            raise fail(f"[{place}.contracts[{i}]] end_week: must come after start_week")
    runs = records("runs", RunStart, RUN_SLOTS)
    for i, r in enumerate(runs):
        if r.done_flop > r.flop:
            raise fail(f"[{place}.runs[{i}]] done_flop: more than the run's flop")
    return {
        "start": start,
        "split": split,
        "warehouse": warehouse,
        "sites": sites,
        "orders": orders,
        "contracts": contracts,
        "runs": runs,
    }


# ------------------------------------------------------------------------ to engine
def scenario_params(scn: Scenario, catalog: Catalog, humans: tuple[str, ...] | None = None) -> Params:
    return make_params(
        catalog,
        scn.lab_ids,
        scn.meta.start_date,
        scn.last_week,
        scn.world.agi_capability,
        human=scn.humans if humans is None else humans,
    )


def initial_world(
    scn: Scenario, params: Params, batch: int, seed: int | None = None, offset: int = 0
) -> World:
    """`batch` copies of the scenario's game, numbered offset .. offset+batch-1."""
    cat = params.catalog
    a = allocate(params, 1)
    gi = {g: i for i, g in enumerate(cat.gpu_ids)}
    si = {s: i for i, s in enumerate(cat.site_ids)}
    pi = {p: i for i, p in enumerate(cat.partner_ids)}
    vi = {v: i for i, v in enumerate(cat.integrator_ids)}
    week = scn.meta.week
    a["week"][:] = week
    a["market_users"][:] = scn.world.market_users
    a["mood"][:] = scn.world.mood
    a["grid_mw"][0] = [
        scn.sites[s].grid_mw if s in scn.sites else site.grid_mw
        for s, site in zip(cat.site_ids, cat.sites, strict=True)
    ]
    for li, lab_id in enumerate(scn.lab_ids):
        lab = scn.labs[lab_id]
        st: LabStart = lab["start"]
        for field in ("cash", "debt", "valuation", "founder_share", "users", "software", "best_model"):
            a[field][0, li] = getattr(st, field)
        staff = st.staff_usd_week if st.staff_usd_week >= 0 else cat.lab(lab_id).staff_usd_week
        a["staff_usd_week"][0, li] = staff
        split = np.array(lab["split"], dtype=np.float64)
        a["split"][0, li] = split / split.sum()
        for g, n in lab["warehouse"].items():
            a["warehouse"][0, li, gi[g]] = n
        for site_id, (rec, installed) in lab["sites"].items():
            s = si[site_id]
            a["hall_mw"][0, li, s] = rec.hall_mw
            a["hall_building"][0, li, s] = rec.hall_building_mw
            a["grid_alloc"][0, li, s] = rec.grid_alloc_mw
            a["turbine_mw"][0, li, s] = rec.turbine_mw
            a["turbine_pending"][0, li, s] = rec.turbine_pending_mw
            a["turbine_left"][0, li, s] = rec.turbine_weeks_left
            if rec.substation_weeks_left > 0:
                a["substation_left"][0, s] = rec.substation_weeks_left
                a["substation_payer"][0, s] = li
            for g, n in installed.items():
                a["installed"][0, li, s, gi[g]] = n
        for k, o in enumerate(lab["orders"]):
            a["order_gpu"][0, li, k] = gi[o.gpu]
            a["order_count"][0, li, k] = o.count
            a["order_arrive"][0, li, k] = o.arrive_week
            a["integrator_backlog"][0, vi[o.vendor]] += o.count
        for k, c in enumerate(lab["contracts"]):
            a["contract_partner"][0, li, k] = pi[c.partner]
            a["contract_gpu"][0, li, k] = gi[c.gpu]
            a["contract_count"][0, li, k] = c.count
            a["contract_price"][0, li, k] = c.price_usd_hour
            a["contract_start"][0, li, k] = c.start_week
            a["contract_end"][0, li, k] = c.end_week
        for k, r in enumerate(lab["runs"]):
            finished = r.done_flop >= r.flop
            a["run_phase"][0, li, k] = RUN_POST if finished else RUN_PRETRAIN
            a["run_flop"][0, li, k] = r.flop
            a["run_done"][0, li, k] = r.done_flop
            a["run_software"][0, li, k] = r.software
            a["run_post_left"][0, li, k] = r.post_weeks_left if finished else 0
    arrays = {name: np.repeat(value, batch, axis=0) for name, value in a.items()}
    arrays["seed"][:] = np.uint64(scn.meta.seed if seed is None else seed)
    arrays["game"] = np.arange(offset, offset + batch, dtype=np.int64)
    return World(params=params, **arrays)
