"""A scenario or save document validated into a Scenario: one SaveError naming the
file, the place in it and the problem."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import attrs

from game.catalog import Catalog, Num, build_record
from game.engine.state import (
    CONTRACT_SLOTS,
    ORDER_SLOTS,
    RUN_SLOTS,
)
from game.saves.files import SaveError, read_toml, resolve
from game.saves.migrations import migrate
from game.saves.records import (
    FORMAT,
    ContractStart,
    LabPartner,
    LabSite,
    LabStart,
    LogEntry,
    MarketStart,
    Meta,
    OrderStart,
    ResultStart,
    RunStart,
    Scenario,
    SiteStart,
    WorldStart,
)


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
RUN_FLOP = Num(1, 1e40, "FLOP")
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

    meta_table: Any = doc.get("meta")  # raw TOML: r.record checks it is a table
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
    market_table: Any = doc.get("market")  # raw TOML: r.record checks it is a table
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


ACTION_KEYS = ("orders", "runs", "exits", "build", "turbines", "substation", "split", "offer", "offers")
OFFER_KEYS = {"partner", "gpu", "count", "start", "weeks", "price", "site", "invest", "share"}


def _parse_log(r: _Reader, i: int, item: Any, lab_ids: tuple[str, ...], week: int) -> dict[str, Any]:
    cat = r.catalog
    place = f"log[{i}]"
    entry = r.record(LogEntry, place, item, nested=ACTION_KEYS)
    r.one_id(entry.lab, lab_ids, "lab in [meta] labs", f"[{place}] lab")
    if entry.week >= week:
        raise r.fail(f"[{place}] week: {entry.week} is not before the file's week {week}")
    out = attrs.asdict(entry)
    out.pop("id")
    orders = item.get("orders", [])
    if not isinstance(orders, list):
        raise r.fail(f"[{place}] orders: must be a list of {{gpu, vendor, count}} tables")
    out["orders"] = []
    for k, o in enumerate(orders):
        where = f"[{place}] orders[{k}]"
        if not isinstance(o, dict) or set(o) != {"gpu", "vendor", "count"}:
            raise r.fail(f"{where}: must be a table with gpu, vendor and count")
        r.one_id(o["gpu"], cat.gpu_ids, "GPU", f"{where}.gpu")
        r.one_id(o["vendor"], cat.integrator_ids, "integrator", f"{where}.vendor")
        try:
            count = GPU_COUNT.parse(o["count"])
        except ValueError as err:
            raise r.fail(f"{where}.count: {err}") from None
        out["orders"].append({"gpu": o["gpu"], "vendor": o["vendor"], "count": count})
    runs = item.get("runs", [])
    if not isinstance(runs, list) or len(runs) > RUN_SLOTS:
        raise r.fail(f"[{place}] runs: must be a list of at most {RUN_SLOTS} compute budgets (FLOP)")
    try:
        out["runs"] = [RUN_FLOP.parse(x) for x in runs]
    except ValueError as err:
        raise r.fail(f"[{place}] runs: {err}") from None
    exits = item.get("exits", [])
    if not isinstance(exits, list):
        raise r.fail(f"[{place}] exits: must be a list of contract slots")
    try:
        out["exits"] = [Num(0, CONTRACT_SLOTS - 1, "slot", integer=True).parse(k) for k in exits]
    except ValueError as err:
        raise r.fail(f"[{place}] exits: {err}") from None
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
