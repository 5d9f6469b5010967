"""Scenario and save files: one TOML format for both.

A file holds `format`, `version`, `[meta]` (title, description, dates, current week,
seed, game index, labs, humans, AI styles, difficulty, the scenario it started from),
`[world]` (the AGI threshold), `[market]`, `[sites.<id>]`, `[labs.<id>]` (money, users,
models, GPUs, sites, orders, contracts, runs), `[result]` once the game is over, and
`[[log]]`: what the human labs did each week, for replay. Hand-written scenarios leave
out what starts at zero; a save written by the game has everything, so a save is a
scenario and any save can start a game.

Reading validates everything and raises one `SaveError` naming the file, the place in
it and the problem. Older versions are migrated (MIGRATIONS); newer ones are refused.
Writing is atomic: a temporary file in the same folder, fsync, rename.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import tomli_w

from game.catalog import Catalog, Choice, Flag, Num, Text, build_record, date, num, text
from game.engine.actions import Actions
from game.engine.params import NEVER, Params, make_params
from game.engine.state import (
    CONTRACT_SLOTS,
    END_REASONS,
    ORDER_SLOTS,
    RUN_EMPTY,
    RUN_POST,
    RUN_PRETRAIN,
    RUN_SLOTS,
    World,
    allocate,
)
from game.paths import scenarios_dir

FORMAT = "agi-race"
VERSION = 2
MAX_FILE_BYTES = 5_000_000
USD = 1e13  # the largest amount of money a file may hold
DIFFICULTIES = ("easy", "normal", "hard")


class SaveError(ValueError):
    """A scenario or save file is wrong; the message says where and what."""


def _opt(spec: Any, default: Any) -> Any:
    return attrs.field(default=default, kw_only=True, metadata={"spec": spec, "optional": True})


# --------------------------------------------------------------------- records
@attrs.frozen
class Meta:
    id: str
    title: str = text()
    description: str = text()
    start_date: dt.date = date()
    last_date: dt.date = date()
    week: int = num(0, 10_000, "weeks", integer=True)
    seed: int = num(0, 2**63 - 1, "", integer=True)
    game: int = num(0, 2**40, "", integer=True, default=0)
    difficulty: str = attrs.field(kw_only=True, metadata={"spec": Choice(DIFFICULTIES)})
    origin: str = _opt(Text(), "")


@attrs.frozen
class WorldStart:
    id: str
    agi_capability: float = num(20, 60, "log10 FLOP")


@attrs.frozen
class MarketStart:
    id: str
    users: float = num(0, 1e11, "weekly users")
    mood: float = num(0.05, 20, "multiplier", default=1.0)


@attrs.frozen
class ResultStart:
    id: str
    end: str = attrs.field(kw_only=True, metadata={"spec": Choice(END_REASONS[1:])})
    winner: str = _opt(Text(), "")
    agi_week: int = num(-1, 10_000, "week", integer=True, default=-1)


@attrs.frozen
class SiteStart:
    id: str
    grid_mw: float = num(0, 1e5, "MW", default=-1.0)
    substation_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)
    substation_payer: str = _opt(Text(), "")
    outage_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)


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
    staff_usd_week: float = num(-1, 1e11, "USD per week", default=-1.0)
    bankrupt: bool = _opt(Flag(), False)
    last_raise_week: int = num(-10_000, 10_000, "week", integer=True, default=-1000)
    revenue_fast: float = num(0, USD, "USD per week", default=0.0)
    revenue_slow: float = num(0, USD, "USD per week", default=0.0)
    revenue_share: float = num(0, 0.9, "fraction", default=0.0)


@attrs.frozen
class LabPartner:
    id: str
    relationship: float = num(-1, 1, "closeness", default=0.0)
    patience: float = num(-1, 100, "offers", default=-1.0)
    last_counter: float = num(0, 100, "multiple of the list price", default=0.0)


@attrs.frozen
class LabSite:
    id: str
    hall_mw: float = num(0, 1e5, "MW", default=0.0)
    hall_building_mw: float = num(0, 1e5, "MW", default=0.0)
    grid_alloc_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_pending_mw: float = num(0, 1e5, "MW", default=0.0)
    turbine_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)


@attrs.frozen
class OrderStart:
    id: str
    slot: int = num(-1, 99, "slot", integer=True, default=-1)
    gpu: str = text()
    count: int = num(1, 1e8, "GPUs", integer=True)
    arrive_week: int = num(-10_000, 10_000, "week", integer=True)
    vendor: str = _opt(Text(), "")


@attrs.frozen
class ContractStart:
    id: str
    slot: int = num(-1, 99, "slot", integer=True, default=-1)
    partner: str = text()
    gpu: str = text()
    count: int = num(1, 1e8, "GPUs", integer=True)
    price_usd_hour: float = num(0, 1000, "USD per GPU-hour")
    start_week: int = num(-10_000, 10_000, "week", integer=True)
    end_week: int = num(-10_000, 10_000, "week", integer=True)
    source: str = _opt(Text(), "")
    site: str = _opt(Text(), "")


@attrs.frozen
class RunStart:
    id: str
    slot: int = num(-1, 99, "slot", integer=True, default=-1)
    name: str = _opt(Text(), "")
    flop: float = num(1, 1e40, "FLOP")
    done_flop: float = num(0, 1e40, "FLOP", default=0.0)
    software: float = num(-5, 30, "log10 multiplier")
    post_weeks_left: int = num(0, 520, "weeks", integer=True, default=0)


@attrs.frozen
class LogEntry:
    id: str
    week: int = num(-10_000, 10_000, "week", integer=True)
    lab: str = text()
    vendor: str = _opt(Text(), "")
    train_flop: float = num(0, 1e40, "FLOP", default=0.0)
    raise_usd: float = num(0, 1e15, "USD", default=0.0)
    borrow_usd: float = num(0, 1e15, "USD", default=0.0)
    repay_usd: float = num(0, 1e15, "USD", default=0.0)
    staff_usd_week: float = num(-1, 1e11, "USD per week", default=-1.0)
    exit_slot: int = num(-1, 99, "slot", integer=True, default=-1)


@attrs.frozen(eq=False)
class Scenario:
    """A validated scenario or save: its settings, the state of one game, and its log."""

    path: Path
    name: str
    meta: Meta
    lab_ids: tuple[str, ...]
    humans: tuple[str, ...]
    ai: dict[str, str]  # AI style per lab, where the file names one
    world: WorldStart
    market: MarketStart
    market_tables: dict[str, dict[str, float]]  # nvidia_shipped, ... keyed by id
    result: ResultStart | None
    sites: dict[str, SiteStart]
    labs: dict[str, dict[str, Any]]
    log: tuple[dict[str, Any], ...]

    @property
    def last_week(self) -> int:
        return (self.meta.last_date - self.meta.start_date).days // 7

    @property
    def origin(self) -> str:
        """The scenario this game started from (for replay)."""
        return self.meta.origin or self.name

    @property
    def date(self) -> dt.date:
        return self.meta.start_date + dt.timedelta(weeks=self.meta.week)


# ----------------------------------------------------------------------- files
def user_dir() -> Path:
    """Where the player's saves live: $AGI_RACE_HOME, else the platform's data folder."""
    home = os.environ.get("AGI_RACE_HOME")
    if home:
        return Path(home).expanduser() / "saves"
    import platformdirs

    return Path(platformdirs.user_data_dir("agi-race", appauthor=False)) / "saves"


def resolve(name: str | Path) -> Path:
    """A scenario's path from its short name (file stem in saves/ or the user's saves)
    or a path."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or candidate.exists() or os.sep in str(name):
        return candidate
    for folder in (scenarios_dir(), user_dir()):
        found = folder / f"{name}.toml"
        if found.exists():
            return found
    known = ", ".join(sorted(p.stem for p in scenarios_dir().glob("*.toml")))
    raise SaveError(f"unknown scenario {name!r} (shipped: {known})")


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML of a file, or one SaveError saying why it cannot be read."""
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that a crash leaves either the old file or the new one, whole."""
    path = Path(path)
    try:
        if path.resolve().is_relative_to(scenarios_dir().resolve()):
            raise SaveError(f"{path}: shipped scenarios are read-only; save under another name")
    except OSError:
        pass
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as err:
        raise SaveError(f"{path}: cannot write: {err.strerror or err}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def write_save(path: Path, doc: dict[str, Any]) -> None:
    write_atomic(path, tomli_w.dumps(doc).encode("utf-8"))


def autosave(doc: dict[str, Any], folder: Path | None = None, keep: int = 5) -> Path:
    """Write an autosave named by its week and keep only the newest `keep` of them."""
    folder = Path(folder) if folder is not None else user_dir() / "autosave"
    week = int(doc["meta"]["week"])
    path = folder / f"autosave-week-{week:04d}.toml"
    write_save(path, doc)
    saves = sorted(folder.glob("autosave-week-*.toml"))
    for old in saves[:-keep]:
        old.unlink(missing_ok=True)
    return path


# ------------------------------------------------------------------ migrations
def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 2 moved the market out of [world] into [market] and substation upgrades
    from a lab's site to the site itself (with the paying lab), and added the log."""
    out = dict(doc)
    world = dict(out.get("world", {}))
    market = {}
    if "market_users" in world:
        market["users"] = world.pop("market_users")
    if "mood" in world:
        market["mood"] = world.pop("mood")
    out["world"] = world
    if market:
        out["market"] = market
    labs = out.get("labs", {})
    sites = (
        {k: dict(v) for k, v in out.get("sites", {}).items()} if isinstance(out.get("sites"), dict) else {}
    )
    if isinstance(labs, dict):
        new_labs = {}
        for lab_id, lab in labs.items():
            if isinstance(lab, dict) and isinstance(lab.get("sites"), dict):
                lab = dict(lab)
                lab_sites = {}
                for site_id, site in lab["sites"].items():
                    if isinstance(site, dict) and "substation_weeks_left" in site:
                        site = dict(site)
                        weeks = site.pop("substation_weeks_left")
                        sites.setdefault(site_id, {})
                        sites[site_id]["substation_weeks_left"] = weeks
                        sites[site_id]["substation_payer"] = lab_id
                    lab_sites[site_id] = site
                lab["sites"] = lab_sites
            new_labs[lab_id] = lab
        out["labs"] = new_labs
    if sites:
        out["sites"] = sites
    out["version"] = 2
    return out


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def migrate(doc: dict[str, Any], where: str) -> dict[str, Any]:
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(f"{where} version: must be a whole number, got {version!r}")
    if version > VERSION:
        raise SaveError(
            f"{where} version: {version} is newer than this game reads ({VERSION}); update the game"
        )
    if version < 1:
        raise SaveError(f"{where} version: must be 1 or more, got {version}")
    while doc["version"] < VERSION:
        doc = MIGRATIONS[doc["version"]](doc)
    return doc


# ----------------------------------------------------------------------- parse
class _Reader:
    """Validation helpers that know the catalog and the file name."""

    def __init__(self, catalog: Catalog, where: str) -> None:
        self.catalog = catalog
        self.where = where

    def fail(self, msg: str) -> SaveError:
        return SaveError(f"{self.where} {msg}")

    def record(self, cls: type, place: str, table: Any, nested: tuple[str, ...] = ()) -> Any:
        return build_record(cls, place, table, self.where, sourced=False, nested=nested, error=SaveError)

    def ids(self, value: Any, known: tuple[str, ...], what: str, place: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{place}: must be a list of ids, got {value!r}")
        for v in value:
            if v not in known:
                raise self.fail(f"{place}: unknown {what} {v!r} (known: {', '.join(known)})")
        if len(set(value)) != len(value):
            raise self.fail(f"{place}: an id appears twice")
        return tuple(value)

    def one_id(self, value: str, known: tuple[str, ...], what: str, place: str) -> str:
        if value not in known:
            raise self.fail(f"{place}: unknown {what} {value!r} (known: {', '.join(known)})")
        return value

    def table(self, value: Any, known: tuple[str, ...], what: str, place: str, spec: Num) -> dict[str, float]:
        if not isinstance(value, dict):
            raise self.fail(f"{place}: must be a table keyed by {what} id, like {{ {known[0]} = 1 }}")
        out = {}
        for key, item in value.items():
            self.one_id(key, known, what, f"{place}.{key}")
            try:
                out[key] = spec.parse(item)
            except ValueError as err:
                raise self.fail(f"{place}.{key}: {err}") from None
        return out

    def items(self, table: dict[str, Any], key: str, place: str, cls: type, limit: int) -> list[Any]:
        """Slot records (orders, contracts, runs); each lands in its `slot`, else the
        first free one."""
        items = table.get(key, [])
        if not isinstance(items, list):
            raise self.fail(f"[{place}] {key}: must be a list of tables ([[{place}.{key}]])")
        if len(items) > limit:
            raise self.fail(f"[{place}] {key}: at most {limit}, got {len(items)}")
        records = [self.record(cls, f"{place}.{key}[{i}]", item) for i, item in enumerate(items)]
        taken = [rec.slot for rec in records if rec.slot >= 0]
        for i, rec in enumerate(records):
            if rec.slot >= limit:
                raise self.fail(f"[{place}.{key}[{i}]] slot: must be below {limit}, got {rec.slot}")
        if len(set(taken)) != len(taken):
            raise self.fail(f"[{place}] {key}: two items name the same slot")
        free = iter(k for k in range(limit) if k not in taken)
        return [rec if rec.slot >= 0 else attrs.evolve(rec, slot=next(free)) for rec in records]


GPU_COUNT = Num(0, 1e8, "GPUs", integer=True)
NONNEG = Num(0, 1e12, "")
MW = Num(0, 1e5, "MW")
FACTOR = Num(0.01, 100, "multiplier")


def load_scenario(name: str | Path, catalog: Catalog) -> Scenario:
    """Read, migrate and validate a scenario or save file."""
    path = resolve(name)
    where = str(path)
    doc = read_toml(path)
    if doc.get("format") != FORMAT:
        raise SaveError(f"{where} format: must be {FORMAT!r}, got {doc.get('format')!r}")
    doc = migrate(doc, where)
    return parse(doc, catalog, path)


def parse(doc: dict[str, Any], catalog: Catalog, path: Path) -> Scenario:
    """Validate a (current-version) document into a Scenario."""
    r = _Reader(catalog, str(path))
    for key in doc:
        if key not in ("format", "version", "meta", "world", "market", "result", "sites", "labs", "log"):
            raise r.fail(f"{key}: unknown section")

    meta_table = doc.get("meta")
    meta = r.record(Meta, "meta", meta_table, nested=("labs", "humans", "ai"))
    if meta.last_date <= meta.start_date:
        raise r.fail("[meta] last_date: must come after start_date")
    last_week = (meta.last_date - meta.start_date).days // 7
    if meta.week > last_week + 1:
        raise r.fail(f"[meta] week: {meta.week} is past the last week ({last_week})")
    lab_ids = r.ids(meta_table.get("labs"), catalog.lab_ids, "lab", "[meta] labs")
    if not lab_ids:
        raise r.fail("[meta] labs: name at least one lab")
    humans = r.ids(meta_table.get("humans", []), lab_ids, "lab in [meta] labs", "[meta] humans")
    for lab in humans:
        if not catalog.lab(lab).playable:
            raise r.fail(f"[meta] humans: {lab} is not a playable lab")
    ai_table = meta_table.get("ai", {})
    if not isinstance(ai_table, dict):
        raise r.fail("[meta.ai]: must be a table of lab = style")
    ai = {}
    for lab, style in ai_table.items():
        r.one_id(lab, lab_ids, "lab in [meta] labs", f"[meta.ai] {lab}")
        r.one_id(style, catalog.style_ids, "AI style", f"[meta.ai] {lab}")
        ai[lab] = style

    world = r.record(WorldStart, "world", doc.get("world"))
    market_table = doc.get("market")
    tables = ("nvidia_shipped", "nvidia_requested", "price_factor", "integrator_backlog", "gpu_delay_weeks")
    market = r.record(MarketStart, "market", market_table, nested=tables)
    gpu_tables = {
        "nvidia_shipped": NONNEG,
        "nvidia_requested": NONNEG,
        "price_factor": FACTOR,
        "gpu_delay_weeks": Num(0, 520, "weeks", integer=True),
    }
    market_tables = {
        name: r.table(market_table.get(name, {}), catalog.gpu_ids, "GPU", f"[market] {name}", spec)
        for name, spec in gpu_tables.items()
    }
    if "integrator_backlog" in market_table:
        market_tables["integrator_backlog"] = r.table(
            market_table["integrator_backlog"],
            catalog.integrator_ids,
            "integrator",
            "[market] integrator_backlog",
            NONNEG,
        )

    result = None
    if "result" in doc:
        result = r.record(ResultStart, "result", doc["result"])
        if result.winner:
            r.one_id(result.winner, lab_ids, "lab in [meta] labs", "[result] winner")
        if result.end == "agi" and (result.agi_week < 0 or not result.winner):
            raise r.fail("[result]: an AGI ending needs a winner and agi_week")

    sites_table = doc.get("sites", {})
    if not isinstance(sites_table, dict):
        raise r.fail("[sites]: must be a table of site ids")
    sites = {}
    for site_id, table in sites_table.items():
        r.one_id(site_id, catalog.site_ids, "site", f"[sites.{site_id}]")
        site = r.record(SiteStart, f"sites.{site_id}", table)
        if site.substation_payer:
            r.one_id(
                site.substation_payer, lab_ids, "lab in [meta] labs", f"[sites.{site_id}] substation_payer"
            )
        grid_max = catalog.sites[catalog.site_ids.index(site_id)].grid_max_mw
        if site.grid_mw > grid_max:
            raise r.fail(
                f"[sites.{site_id}] grid_mw: {site.grid_mw:g} is above the site's maximum {grid_max:g} MW"
            )
        sites[site_id] = site

    labs_table = doc.get("labs")
    if not isinstance(labs_table, dict):
        raise r.fail("[labs]: missing")
    for lab_id in labs_table:
        if lab_id not in lab_ids:
            raise r.fail(f"[labs.{lab_id}]: not in [meta] labs ({', '.join(lab_ids)})")
    labs = {}
    for lab_id in lab_ids:
        if lab_id not in labs_table:
            raise r.fail(f"[labs.{lab_id}]: missing (every lab in [meta] labs needs one)")
        labs[lab_id] = _parse_lab(r, lab_id, labs_table[lab_id])
    _check_power(r, catalog, labs, sites)

    log_items = doc.get("log", [])
    if not isinstance(log_items, list):
        raise r.fail("log: must be a list of tables ([[log]])")
    log = tuple(_parse_log(r, i, item, lab_ids, meta.week) for i, item in enumerate(log_items))
    return Scenario(
        path, path.stem, meta, lab_ids, humans, ai, world, market, market_tables, result, sites, labs, log
    )


def _parse_lab(r: _Reader, lab_id: str, table: Any) -> dict[str, Any]:
    cat = r.catalog
    place = f"labs.{lab_id}"
    nested = ("split", "warehouse", "sites", "orders", "contracts", "runs", "partners", "events")
    start = r.record(LabStart, place, table, nested=nested)
    card_ids = tuple(c.id for c in cat.events)
    fired = r.table(
        table.get("events", {}),
        card_ids,
        "event card",
        f"[{place}] events",
        Num(-10_000, 10_000, "week", integer=True),
    )
    partners_table = table.get("partners", {})
    if not isinstance(partners_table, dict):
        raise r.fail(f"[{place}.partners]: must be a table of partner ids")
    partners = {}
    for partner_id, rel in partners_table.items():
        r.one_id(partner_id, cat.partner_ids, "partner", f"[{place}.partners.{partner_id}]")
        partners[partner_id] = r.record(LabPartner, f"{place}.partners.{partner_id}", rel)
    split = table.get("split", [0.5, 0.4, 0.1])
    if (
        not isinstance(split, list)
        or len(split) != 3
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in split)
        or not all(math.isfinite(x) and x >= 0 for x in split)
        or sum(split) <= 0
    ):
        raise r.fail(
            f"[{place}] split: must be three shares >= 0 (training, inference, research), got {split!r}"
        )
    warehouse = r.table(table.get("warehouse", {}), cat.gpu_ids, "GPU", f"[{place}] warehouse", GPU_COUNT)

    sites_table = table.get("sites", {})
    if not isinstance(sites_table, dict):
        raise r.fail(f"[{place}.sites]: must be a table of site ids")
    sites = {}
    for site_id, site in sites_table.items():
        r.one_id(site_id, cat.site_ids, "site", f"[{place}.sites.{site_id}]")
        rec = r.record(LabSite, f"{place}.sites.{site_id}", site, nested=("installed",))
        installed = r.table(
            site.get("installed", {}), cat.gpu_ids, "GPU", f"[{place}.sites.{site_id}] installed", GPU_COUNT
        )
        sites[site_id] = (rec, installed)

    orders = r.items(table, "orders", place, OrderStart, ORDER_SLOTS)
    for i, o in enumerate(orders):
        r.one_id(o.gpu, cat.gpu_ids, "GPU", f"[{place}.orders[{i}]] gpu")
        if o.vendor:
            r.one_id(o.vendor, cat.integrator_ids, "integrator", f"[{place}.orders[{i}]] vendor")
    contracts = r.items(table, "contracts", place, ContractStart, CONTRACT_SLOTS)
    for i, c in enumerate(contracts):
        r.one_id(c.partner, cat.partner_ids, "partner", f"[{place}.contracts[{i}]] partner")
        r.one_id(c.gpu, cat.gpu_ids, "GPU", f"[{place}.contracts[{i}]] gpu")
        if c.end_week <= c.start_week:
            raise r.fail(f"[{place}.contracts[{i}]] end_week: must come after start_week")
        if c.source:
            r.one_id(c.source, cat.partner_ids, "partner", f"[{place}.contracts[{i}]] source")
        if c.site:
            r.one_id(c.site, cat.site_ids, "site", f"[{place}.contracts[{i}]] site")
    runs = r.items(table, "runs", place, RunStart, RUN_SLOTS)
    for i, run in enumerate(runs):
        if run.done_flop > run.flop:
            raise r.fail(f"[{place}.runs[{i}]] done_flop: more than the run's flop")
    return {
        "start": start,
        "split": split,
        "warehouse": warehouse,
        "sites": sites,
        "orders": orders,
        "contracts": contracts,
        "runs": runs,
        "partners": partners,
        "events": fired,
    }


def _check_power(r: _Reader, catalog: Catalog, labs: dict[str, Any], sites: dict[str, SiteStart]) -> None:
    kw = {g.id: g.kw_all_in for g in catalog.gpus}
    for lab_id, lab in labs.items():
        for site_id, (rec, installed) in lab["sites"].items():
            need = sum(n * kw[g] for g, n in installed.items()) / 1000.0
            have = min(rec.hall_mw, rec.grid_alloc_mw + rec.turbine_mw)
            if need > have + 1e-6:
                raise r.fail(
                    f"[labs.{lab_id}.sites.{site_id}] installed: {need:,.1f} MW of GPUs but only "
                    f"{have:,.1f} MW of powered halls"
                )
    for site_id, site in zip(catalog.site_ids, catalog.sites, strict=True):
        alloc = sum(
            lab["sites"][site_id][0].grid_alloc_mw for lab in labs.values() if site_id in lab["sites"]
        )
        grid = sites[site_id].grid_mw if site_id in sites and sites[site_id].grid_mw >= 0 else site.grid_mw
        if alloc > grid + 1e-6:
            raise r.fail(f"[sites.{site_id}]: labs hold {alloc:g} MW of grid but the site has {grid:g} MW")


ACTION_KEYS = ("order", "build", "turbines", "substation", "split", "offer", "offers")
OFFER_KEYS = {"partner", "gpu", "count", "start", "weeks", "price", "site", "invest", "share"}


def _parse_log(r: _Reader, i: int, item: Any, lab_ids: tuple[str, ...], week: int) -> dict[str, Any]:
    cat = r.catalog
    place = f"log[{i}]"
    entry = r.record(LogEntry, place, item, nested=ACTION_KEYS)
    r.one_id(entry.lab, lab_ids, "lab in [meta] labs", f"[{place}] lab")
    if entry.week >= week:
        raise r.fail(f"[{place}] week: {entry.week} is not before the file's week {week}")
    if entry.vendor:
        r.one_id(entry.vendor, cat.integrator_ids, "integrator", f"[{place}] vendor")
    out = attrs.asdict(entry)
    out.pop("id")
    out["order"] = r.table(item.get("order", {}), cat.gpu_ids, "GPU", f"[{place}] order", GPU_COUNT)
    out["build"] = r.table(item.get("build", {}), cat.site_ids, "site", f"[{place}] build", MW)
    out["turbines"] = r.table(item.get("turbines", {}), cat.site_ids, "site", f"[{place}] turbines", MW)
    out["substation"] = r.ids(item.get("substation", []), cat.site_ids, "site", f"[{place}] substation")
    split = item.get("split")
    if split is not None and (
        not isinstance(split, list)
        or len(split) != 3
        or not all(
            isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and x >= 0
            for x in split
        )
    ):
        raise r.fail(f"[{place}] split: must be three shares >= 0, got {split!r}")
    out["split"] = split
    offer = item.get("offer")
    out["offer"] = None if offer is None else _parse_offer(r, offer, f"[{place}] offer")
    offers = item.get("offers", [])
    if not isinstance(offers, list):
        raise r.fail(f"[{place}] offers: must be a list of offers")
    out["offers"] = [_parse_offer(r, o, f"[{place}] offers[{k}]") for k, o in enumerate(offers)]
    return out


def _parse_offer(r: _Reader, offer: Any, place: str) -> dict[str, Any]:
    cat = r.catalog
    if not isinstance(offer, dict) or "partner" not in offer or not set(offer) <= OFFER_KEYS:
        raise r.fail(
            f"{place}: must be a table with partner and some of {', '.join(sorted(OFFER_KEYS - {'partner'}))}"
        )
    r.one_id(offer["partner"], cat.partner_ids, "partner", f"{place}.partner")
    if "gpu" in offer:
        r.one_id(offer["gpu"], cat.gpu_ids, "GPU", f"{place}.gpu")
    if offer.get("site"):
        r.one_id(offer["site"], cat.site_ids, "site", f"{place}.site")
    for key, spec in (
        ("count", Num(0, 1e8, "GPUs", integer=True)),
        ("start", Num(-10_000, 10_000, "week", integer=True)),
        ("weeks", Num(0, 520, "weeks", integer=True)),
        ("price", Num(0, 1000, "USD per GPU-hour")),
        ("invest", Num(0, 1e13, "USD")),
        ("share", Num(0, 1, "fraction")),
    ):
        if key in offer:
            try:
                spec.parse(offer[key])
            except ValueError as err:
                raise r.fail(f"{place}.{key}: {err}") from None
    return dict(offer)


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


def initial_world(
    scn: Scenario, params: Params, batch: int, seed: int | None = None, offset: int | None = None
) -> World:
    """`batch` copies of the file's game, numbered offset .. offset+batch-1 (default: the
    file's own game index)."""
    cat = params.catalog
    a = allocate(params, 1)
    gi = {g: i for i, g in enumerate(cat.gpu_ids)}
    si = {s: i for i, s in enumerate(cat.site_ids)}
    pi = {p: i for i, p in enumerate(cat.partner_ids)}
    vi = {v: i for i, v in enumerate(cat.integrator_ids)}
    li_of = {lab: i for i, lab in enumerate(scn.lab_ids)}
    a["week"][:] = scn.meta.week
    a["market_users"][:] = scn.market.users
    a["mood"][:] = scn.market.mood
    for g, v in scn.market_tables["nvidia_shipped"].items():
        a["nvidia_ordered"][0, gi[g]] = v
    for g, v in scn.market_tables["nvidia_requested"].items():
        a["nvidia_requested"][0, gi[g]] = v
    for g, v in scn.market_tables["price_factor"].items():
        a["price_mult"][0, gi[g]] = v
    for g, v in scn.market_tables["gpu_delay_weeks"].items():
        a["gpu_delay"][0, gi[g]] = v
    for s_id, site in zip(cat.site_ids, cat.sites, strict=True):
        given = scn.sites.get(s_id)
        s = si[s_id]
        a["grid_mw"][0, s] = given.grid_mw if given is not None and given.grid_mw >= 0 else site.grid_mw
        if given is not None:
            a["outage_left"][0, s] = given.outage_weeks_left
        if given is not None and given.substation_weeks_left > 0:
            a["substation_left"][0, s] = given.substation_weeks_left
            a["substation_payer"][0, s] = li_of.get(given.substation_payer, 0)
    if scn.result is not None:
        a["done"][:] = True
        a["end_reason"][:] = END_REASONS.index(scn.result.end)
        a["winner"][:] = li_of.get(scn.result.winner, -1)
        a["agi_week"][:] = scn.result.agi_week
    for li, lab_id in enumerate(scn.lab_ids):
        lab = scn.labs[lab_id]
        st: LabStart = lab["start"]
        for field in (
            "cash", "debt", "valuation", "founder_share", "users", "software", "best_model",
            "bankrupt", "last_raise_week", "revenue_fast", "revenue_slow", "revenue_share",
        ):  # fmt: skip
            a[field][0, li] = getattr(st, field)
        staff = st.staff_usd_week if st.staff_usd_week >= 0 else cat.lab(lab_id).staff_usd_week
        a["staff_usd_week"][0, li] = staff
        card_index = {c.id: k for k, c in enumerate(cat.events)}
        for card_id, week in lab["events"].items():
            a["event_last"][0, li, card_index[card_id]] = week
        for partner_id, rel in lab["partners"].items():
            k = pi[partner_id]
            a["relationship"][0, li, k] = rel.relationship
            if rel.patience >= 0:  # -1: the partner's full patience
                a["patience"][0, li, k] = rel.patience
            a["last_counter"][0, li, k] = rel.last_counter
        split = np.array(lab["split"], dtype=np.float64)
        if abs(split.sum() - 1.0) > 1e-6:  # hand-written shares; a save's sum to 1 in float32
            split = split / split.sum()
        a["split"][0, li] = split
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
            for g, n in installed.items():
                a["installed"][0, li, s, gi[g]] = n
        for o in lab["orders"]:
            k = o.slot
            a["order_gpu"][0, li, k] = gi[o.gpu]
            a["order_count"][0, li, k] = o.count
            a["order_arrive"][0, li, k] = o.arrive_week
            if o.vendor and "integrator_backlog" not in scn.market_tables:
                a["integrator_backlog"][0, vi[o.vendor]] += o.count
        for c in lab["contracts"]:
            k = c.slot
            a["contract_partner"][0, li, k] = pi[c.partner]
            a["contract_gpu"][0, li, k] = gi[c.gpu]
            a["contract_count"][0, li, k] = c.count
            a["contract_price"][0, li, k] = c.price_usd_hour
            a["contract_start"][0, li, k] = c.start_week
            a["contract_end"][0, li, k] = c.end_week
            a["contract_site"][0, li, k] = si[c.site] if c.site else -1
            a["contract_source"][0, li, k] = -1 if c.site else pi[c.source or c.partner]
        for run in lab["runs"]:
            k = run.slot
            finished = run.done_flop >= run.flop
            a["run_phase"][0, li, k] = RUN_POST if finished else RUN_PRETRAIN
            a["run_flop"][0, li, k] = run.flop
            a["run_done"][0, li, k] = run.done_flop
            a["run_software"][0, li, k] = run.software
            a["run_post_left"][0, li, k] = run.post_weeks_left if finished else 0
    for v, n in scn.market_tables.get("integrator_backlog", {}).items():
        a["integrator_backlog"][0, vi[v]] = n
    arrays = {name: np.repeat(value, batch, axis=0) for name, value in a.items()}
    arrays["seed"][:] = np.uint64(scn.meta.seed if seed is None else seed)
    first = scn.meta.game if offset is None else offset
    arrays["game"] = np.arange(first, first + batch, dtype=np.int64)
    return World(params=params, **arrays)


# ------------------------------------------------------------------ from engine
def _short(x: np.floating) -> float:
    """A number for the file: a float32 (see state.STORED_AS) as its shortest decimal
    (0.28, not 0.2800000011920929), which reads back to the same float32."""
    return float(str(x)) if isinstance(x, np.float32) else float(x)


def _nonzero(values: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in values.items() if v != 0}


def save_doc(
    scn: Scenario,
    world: World,
    index: int = 0,
    log: tuple[dict[str, Any], ...] | list[dict[str, Any]] = (),
    humans: tuple[str, ...] | None = None,
    ai: dict[str, str] | None = None,
    difficulty: str | None = None,
) -> dict[str, Any]:
    """The TOML document of game `index` of `world`: a scenario that starts exactly
    there. `scn` is the file the game came from (title, description, origin)."""
    p = world.params
    cat = p.catalog
    b = index
    labs = scn.lab_ids
    meta: dict[str, Any] = {
        "title": scn.meta.title,
        "description": scn.meta.description,
        "start_date": scn.meta.start_date,
        "last_date": scn.meta.last_date,
        "week": int(world.week[b]),
        "seed": int(world.seed[b]),
        "game": int(world.game[b]),
        "difficulty": difficulty or scn.meta.difficulty,
        "origin": scn.origin,
        "labs": list(labs),
        "humans": list(scn.humans if humans is None else humans),
    }
    styles = scn.ai if ai is None else ai
    if styles:
        meta["ai"] = dict(styles)
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "meta": meta}
    doc["world"] = {"agi_capability": float(p.agi_capability)}
    doc["market"] = {
        "users": float(world.market_users[b]),
        "mood": float(world.mood[b]),
        "nvidia_shipped": _nonzero({g: float(world.nvidia_ordered[b, i]) for i, g in enumerate(cat.gpu_ids)}),
        "nvidia_requested": _nonzero(
            {g: float(world.nvidia_requested[b, i]) for i, g in enumerate(cat.gpu_ids)}
        ),
        "price_factor": {
            g: _short(world.price_mult[b, i])
            for i, g in enumerate(cat.gpu_ids)
            if world.price_mult[b, i] != 1.0
        },
        "integrator_backlog": {
            v: float(world.integrator_backlog[b, i]) for i, v in enumerate(cat.integrator_ids)
        },
        "gpu_delay_weeks": _nonzero({g: int(world.gpu_delay[b, i]) for i, g in enumerate(cat.gpu_ids)}),
    }
    if world.done[b]:
        winner = int(world.winner[b])
        doc["result"] = {
            "end": END_REASONS[int(world.end_reason[b])],
            "winner": labs[winner] if winner >= 0 else "",
            "agi_week": int(world.agi_week[b]),
        }
    doc["sites"] = {}
    for s, site_id in enumerate(cat.site_ids):
        site: dict[str, Any] = {"grid_mw": float(world.grid_mw[b, s])}
        if world.outage_left[b, s] > 0:
            site["outage_weeks_left"] = int(world.outage_left[b, s])
        if world.substation_left[b, s] > 0:
            site["substation_weeks_left"] = int(world.substation_left[b, s])
            site["substation_payer"] = labs[int(world.substation_payer[b, s])]
        doc["sites"][site_id] = site
    doc["labs"] = {}
    for li, lab_id in enumerate(labs):
        lab: dict[str, Any] = {
            "cash": float(world.cash[b, li]),
            "debt": float(world.debt[b, li]),
            "valuation": float(world.valuation[b, li]),
            "founder_share": float(world.founder_share[b, li]),
            "users": float(world.users[b, li]),
            "software": float(world.software[b, li]),
            "best_model": float(world.best_model[b, li]),
            "staff_usd_week": float(world.staff_usd_week[b, li]),
            "bankrupt": bool(world.bankrupt[b, li]),
            "last_raise_week": int(world.last_raise_week[b, li]),
            "revenue_fast": float(world.revenue_fast[b, li]),
            "revenue_slow": float(world.revenue_slow[b, li]),
            "revenue_share": float(world.revenue_share[b, li]),
            "split": [_short(x) for x in world.split[b, li]],
            "warehouse": _nonzero({g: int(world.warehouse[b, li, i]) for i, g in enumerate(cat.gpu_ids)}),
        }
        sites = {}
        for s, site_id in enumerate(cat.site_ids):
            row = {
                "hall_mw": float(world.hall_mw[b, li, s]),
                "hall_building_mw": float(world.hall_building[b, li, s]),
                "grid_alloc_mw": float(world.grid_alloc[b, li, s]),
                "turbine_mw": float(world.turbine_mw[b, li, s]),
                "turbine_pending_mw": float(world.turbine_pending[b, li, s]),
                "turbine_weeks_left": int(world.turbine_left[b, li, s]),
            }
            installed = _nonzero({g: int(world.installed[b, li, s, i]) for i, g in enumerate(cat.gpu_ids)})
            if any(row.values()) or installed:
                row["installed"] = installed
                sites[site_id] = row
        lab["sites"] = sites
        lab["events"] = {
            c.id: int(world.event_last[b, li, k])
            for k, c in enumerate(cat.events)
            if world.event_last[b, li, k] > NEVER
        }
        lab["partners"] = {
            q: {
                "relationship": _short(world.relationship[b, li, k]),
                "patience": _short(world.patience[b, li, k]),
                "last_counter": float(world.last_counter[b, li, k]),
            }
            for k, q in enumerate(cat.partner_ids)
        }
        lab["orders"] = [
            {"slot": k, "gpu": cat.gpu_ids[int(world.order_gpu[b, li, k])], "count": int(world.order_count[b, li, k]),
             "arrive_week": int(world.order_arrive[b, li, k])}
            for k in range(world.order_count.shape[-1])
            if world.order_count[b, li, k] > 0
        ]  # fmt: skip
        lab["contracts"] = [
            {"slot": k, "partner": cat.partner_ids[int(world.contract_partner[b, li, k])],
             "gpu": cat.gpu_ids[int(world.contract_gpu[b, li, k])],
             "count": int(world.contract_count[b, li, k]),
             "price_usd_hour": _short(world.contract_price[b, li, k]),
             "start_week": int(world.contract_start[b, li, k]),
             "end_week": int(world.contract_end[b, li, k])}
            | ({"site": cat.site_ids[int(world.contract_site[b, li, k])]} if world.contract_site[b, li, k] >= 0
               else {"source": cat.partner_ids[int(world.contract_source[b, li, k])]})
            for k in range(world.contract_partner.shape[-1])
            if world.contract_partner[b, li, k] >= 0
        ]  # fmt: skip
        lab["runs"] = [
            {"slot": k, "flop": float(world.run_flop[b, li, k]), "done_flop": float(world.run_done[b, li, k]),
             "software": float(world.run_software[b, li, k]), "post_weeks_left": int(world.run_post_left[b, li, k])}
            for k in range(world.run_phase.shape[-1])
            if world.run_phase[b, li, k] != RUN_EMPTY
        ]  # fmt: skip
        doc["labs"][lab_id] = lab
    doc["log"] = [_clean_entry(e) for e in log]
    return doc


def _clean_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A log entry without its empty fields (TOML has no null)."""
    defaults = {
        "vendor": "",
        "train_flop": 0.0,
        "raise_usd": 0.0,
        "borrow_usd": 0.0,
        "repay_usd": 0.0,
        "staff_usd_week": -1.0,
    }
    out = {}
    for key, value in entry.items():
        if value is None or value == {} or value == [] or value == () or defaults.get(key, object()) == value:
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


# ------------------------------------------------------------------ action log
def log_entry(actions: Actions, b: int, lab: int, week: int, params: Params) -> dict[str, Any]:
    """What lab `lab` of game `b` decided this week, as a log entry."""
    cat = params.catalog
    entry: dict[str, Any] = {"week": int(week), "lab": params.lab_ids[lab]}
    order = {
        g: int(actions.order_count[b, lab, i])
        for i, g in enumerate(cat.gpu_ids)
        if actions.order_count[b, lab, i] > 0
    }
    if order:
        entry["order"] = order
        entry["vendor"] = cat.integrator_ids[
            int(np.clip(actions.order_vendor[b, lab], 0, len(cat.integrator_ids) - 1))
        ]
    for key, array in (("build", actions.build_mw), ("turbines", actions.turbine_mw)):
        values = {s: float(array[b, lab, i]) for i, s in enumerate(cat.site_ids) if array[b, lab, i] > 0}
        if values:
            entry[key] = values
    subs = [s for i, s in enumerate(cat.site_ids) if actions.substation[b, lab, i]]
    if subs:
        entry["substation"] = subs
    if (actions.split[b, lab] >= 0).all():
        entry["split"] = [float(x) for x in actions.split[b, lab]]
    if actions.start_flop[b, lab] > 0:
        entry["train_flop"] = float(actions.start_flop[b, lab])
    if actions.offer_partner[b, lab] >= 0:
        entry["offer"] = offer_entry(actions, b, lab, params)
    if actions.exit_slot[b, lab] >= 0:
        entry["exit_slot"] = int(actions.exit_slot[b, lab])
    for key in ("raise_usd", "borrow_usd", "repay_usd"):
        value = float(getattr(actions, key)[b, lab])
        if value > 0:
            entry[key] = value
    if actions.staff_usd_week[b, lab] >= 0:
        entry["staff_usd_week"] = float(actions.staff_usd_week[b, lab])
    return entry


def offer_entry(actions: Actions, b: int, lab: int, params: Params) -> dict[str, Any]:
    """Lab `lab`'s offer in game `b` of `actions`, as a log table."""
    cat = params.catalog
    offer: dict[str, Any] = {"partner": cat.partner_ids[int(actions.offer_partner[b, lab])]}
    if actions.offer_invest[b, lab] > 0:
        offer["invest"] = float(actions.offer_invest[b, lab])
        offer["share"] = float(actions.offer_share[b, lab])
        return offer
    offer |= {
        "gpu": cat.gpu_ids[int(np.clip(actions.offer_gpu[b, lab], 0, len(cat.gpu_ids) - 1))],
        "count": int(actions.offer_count[b, lab]),
        "start": int(actions.offer_start[b, lab]),
        "weeks": int(actions.offer_weeks[b, lab]),
        "price": float(actions.offer_price[b, lab]),
    }
    if actions.offer_site[b, lab] >= 0:
        offer["site"] = cat.site_ids[int(actions.offer_site[b, lab])]
    return offer


def _put_offer(fields: dict[str, np.ndarray], li: int, offer: dict[str, Any], cat: Catalog) -> None:
    fields["offer_partner"][:, li] = cat.partner_ids.index(offer["partner"])
    fields["offer_gpu"][:, li] = cat.gpu_ids.index(offer["gpu"]) if "gpu" in offer else 0
    fields["offer_count"][:, li] = offer.get("count", 0)
    fields["offer_start"][:, li] = offer.get("start", 0)
    fields["offer_weeks"][:, li] = offer.get("weeks", 0)
    fields["offer_price"][:, li] = offer.get("price", 0.0)
    fields["offer_site"][:, li] = cat.site_ids.index(offer["site"]) if offer.get("site") else -1
    fields["offer_invest"][:, li] = offer.get("invest", 0.0)
    fields["offer_share"][:, li] = offer.get("share", 0.0)


def offer_actions(world: World, lab: int, offer: dict[str, Any]) -> Actions:
    """Idle actions but for one lab's offer (a negotiation round between weeks)."""
    a = Actions.idle(world)
    fields = {f: getattr(a, f).copy() for f in attrs.fields_dict(Actions)}
    _put_offer(fields, lab, offer, world.params.catalog)
    return Actions(**fields)


def log_actions(world: World, entries: list[dict[str, Any]]) -> tuple[Actions, np.ndarray]:
    """The logged actions for this week (applied to every game of the batch), and which
    labs they cover (L,) bool."""
    p = world.params
    cat = p.catalog
    a = Actions.idle(world)
    fields = {f: getattr(a, f).copy() for f in attrs.fields_dict(Actions)}
    covered = np.zeros(p.n_labs, bool)
    for e in entries:
        li = p.lab_ids.index(e["lab"])
        covered[li] = True
        for g, n in e.get("order", {}).items():
            fields["order_count"][:, li, cat.gpu_ids.index(g)] = n
        if e.get("vendor"):
            fields["order_vendor"][:, li] = cat.integrator_ids.index(e["vendor"])
        for s, mw in e.get("build", {}).items():
            fields["build_mw"][:, li, cat.site_ids.index(s)] = mw
        for s, mw in e.get("turbines", {}).items():
            fields["turbine_mw"][:, li, cat.site_ids.index(s)] = mw
        for s in e.get("substation", []):
            fields["substation"][:, li, cat.site_ids.index(s)] = True
        if e.get("split") is not None:
            fields["split"][:, li] = e["split"]
        fields["start_flop"][:, li] = e.get("train_flop", 0.0)
        if e.get("offer"):
            _put_offer(fields, li, e["offer"], cat)
        fields["exit_slot"][:, li] = e.get("exit_slot", -1)
        for key in ("raise_usd", "borrow_usd", "repay_usd"):
            fields[key][:, li] = e.get(key, 0.0)
        fields["staff_usd_week"][:, li] = e.get("staff_usd_week", -1.0)
    return Actions(**fields), covered
