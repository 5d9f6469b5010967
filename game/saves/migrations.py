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
