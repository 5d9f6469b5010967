"""Older save versions brought up to the current one, step by step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.saves.files import SaveError
from game.saves.records import VERSION


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


def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 3 logs several decisions of a kind a week: `orders` (GPU, vendor, count)
    instead of one vendor's `order` table, `runs` (budgets) instead of `train_flop`, and
    `exits` (contract slots) instead of `exit_slot`. Version 2 did not store which
    integrator builds an order in flight; those orders read as the first integrator's."""
    out = dict(doc)
    log = out.get("log", [])
    if isinstance(log, list):
        entries = []
        for entry in log:
            if isinstance(entry, dict):
                entry = dict(entry)
                order, vendor = entry.pop("order", None), entry.pop("vendor", None)
                if order is not None:
                    if not isinstance(order, dict) or not isinstance(vendor, str | None):
                        raise SaveError("log: a version-2 order must be a table of GPU = count with a vendor")
                    entry["orders"] = [{"gpu": g, "vendor": vendor or "dell", "count": n} for g, n in order.items()]
                flop = entry.pop("train_flop", None)
                if flop:
                    entry["runs"] = [flop]
                slot = entry.pop("exit_slot", None)
                if slot is not None and slot != -1:
                    entry["exits"] = [slot]
            entries.append(entry)
        out["log"] = entries
    out["version"] = 3
    return out


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}


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
