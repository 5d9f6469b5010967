"""A Scenario into the engine's Params and World, and a World back into a document."""

from __future__ import annotations

from typing import Any

import numpy as np

from game.catalog import Catalog
from game.engine.params import NEVER, Params, make_params
from game.engine.state import (
    END_REASONS,
    RUN_EMPTY,
    RUN_POST,
    RUN_PRETRAIN,
    World,
    allocate,
)
from game.saves.records import FORMAT, VERSION, LabStart, Scenario


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
            a["order_vendor"][0, li, k] = vi[o.vendor] if o.vendor else 0
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
    for vendor, n in scn.market_tables.get("integrator_backlog", {}).items():
        a["integrator_backlog"][0, vi[vendor]] = n
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
            row: dict[str, Any] = {
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
             "arrive_week": int(world.order_arrive[b, li, k]),
             "vendor": cat.integrator_ids[int(world.order_vendor[b, li, k])]}
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
