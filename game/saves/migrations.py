"""Older save versions brought up to the current one, step by step.

A step reads an old file before anything has validated it, so it checks the shape of
whatever it moves (a table where it needs a table, a list where it needs a list) and
refuses anything else with one SaveError naming the place; the loader validates the
values once the file is current.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.engine.limits import MAX_COUNTER_RATIO
from game.saves.files import SaveError, TomlDoc
from game.saves.records import VERSION


def _table(value: Any, where: str, place: str, missing_ok: bool = True) -> TomlDoc:
    """`value` if it is a table ({} if absent), else a SaveError."""
    if value is None and missing_ok:
        return {}
    if not isinstance(value, dict):
        raise SaveError(f"{where} {place}: must be a table, got {value!r}")
    return dict(value)


def _list(value: Any, where: str, place: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SaveError(f"{where} {place}: must be a list of tables, got {value!r}")
    return list(value)


# ------------------------------------------------------------------ migrations
def _v1_to_v2(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 2 moved the market out of [world] into [market] and substation upgrades
    from a lab's site to the site itself (with the paying lab), and added the log."""
    out = dict(doc)
    world = _table(out.get("world"), where, "[world]")
    market = {}
    if "market_users" in world:
        market["users"] = world.pop("market_users")
    if "mood" in world:
        market["mood"] = world.pop("mood")
    out["world"] = world
    if market:
        out["market"] = market
    sites = {
        site_id: _table(site, where, f"[sites.{site_id}]", missing_ok=False)
        for site_id, site in _table(out.get("sites"), where, "[sites]").items()
    }
    labs = _table(out.get("labs"), where, "[labs]")
    for lab_id, lab in labs.items():
        lab = _table(lab, where, f"[labs.{lab_id}]", missing_ok=False)
        lab_sites = _table(lab.get("sites"), where, f"[labs.{lab_id}.sites]")
        for site_id, site in lab_sites.items():
            site = _table(site, where, f"[labs.{lab_id}.sites.{site_id}]", missing_ok=False)
            if "substation_weeks_left" in site:
                moved = sites.setdefault(str(site_id), {})
                moved["substation_weeks_left"] = site.pop("substation_weeks_left")
                moved["substation_payer"] = lab_id
            lab_sites[site_id] = site
        if "sites" in lab:
            lab["sites"] = lab_sites
        labs[lab_id] = lab
    if "labs" in out:
        out["labs"] = labs
    if sites or "sites" in out:
        out["sites"] = sites
    out["version"] = 2
    return out


def _v2_to_v3(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 3 logs several decisions of a kind a week: `orders` (GPU, vendor, count)
    instead of one vendor's `order` table, `runs` (budgets) instead of `train_flop`, and
    `exits` (contract slots) instead of `exit_slot`. Version 2 did not store which
    integrator builds an order in flight; those orders read as the first integrator's."""
    out = dict(doc)
    entries = []
    for i, entry in enumerate(_list(out.get("log"), where, "log")):
        entry = _table(entry, where, f"[log[{i}]]", missing_ok=False)
        order, vendor = entry.pop("order", None), entry.pop("vendor", None)
        if order is not None:
            if not isinstance(order, dict) or not isinstance(vendor, str | None):
                raise SaveError(
                    f"{where} [log[{i}]] order: a version-2 order is a table of GPU = count with a vendor"
                )
            entry["orders"] = [{"gpu": g, "vendor": vendor or "dell", "count": n} for g, n in order.items()]
        flop = entry.pop("train_flop", None)
        if flop:
            entry["runs"] = [flop]
        slot = entry.pop("exit_slot", None)
        if slot is not None and slot != -1:
            entry["exits"] = [slot]
        entries.append(entry)
    if "log" in out:
        out["log"] = entries
    out["version"] = 3
    return out


def _v3_to_v4(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 4 added what a version-3 file may leave out: [meta] game_id (the game a
    file belongs to; absent, the origin and seed stand for it) and a lab's `sub_dollar`
    (money is written rounded to the dollar, the rest kept there). A finished game that
    nobody won leaves out [result] winner, where version 3 wrote an empty one (still
    read as nobody). Nothing to change."""
    return {**doc, "version": 4}


def _v4_to_v5(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 5 added a lab's researchers (`staff`, `staff_ramped`), its last round's
    post-money (`last_post`) and a round under way (`round_usd`, `round_pre`,
    `round_basis`, `round_close_week`), and an offer's `contract` (an amendment). A version-4 file leaves
    them out: its labs get the researchers their budgets buy, their valuation as the last
    round's price, and no round under way. Nothing to change."""
    return {**doc, "version": 5}


def _v5_to_v6(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 6 added the week a partner last invested in a lab (`last_invest_week`;
    Microsoft invests once every two years). A version-5 file leaves it out: no investment
    on record, so the partner may invest at once. Nothing to change."""
    return {**doc, "version": 6}


def _v6_to_v7(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 7 bounds a partner's standing counter (`last_counter`, a multiple of its
    list price) at MAX_COUNTER_RATIO, as the engine now keeps it. A version-6 game could
    store a counter to an offer at the highest price (~350x), which made every later save
    of it unloadable; such a counter is brought down to the bound, which changes no answer
    (a counter only ever lowers an ask a few times the list price)."""
    labs = doc.get("labs")
    for lab in labs.values() if isinstance(labs, dict) else ():
        partners = lab.get("partners") if isinstance(lab, dict) else None
        for terms in partners.values() if isinstance(partners, dict) else ():
            counter = terms.get("last_counter") if isinstance(terms, dict) else None
            if (
                isinstance(counter, int | float)
                and not isinstance(counter, bool)
                and counter > MAX_COUNTER_RATIO
            ):
                terms["last_counter"] = MAX_COUNTER_RATIO
    return {**doc, "version": 7}


def _v7_to_v8(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 8 added grid claims that lapse (a lab site's `grid_idle_weeks` and
    `grid_deposit_usd`) and a contract's later price (`later_price_usd_hour` from
    `reprice_week`, an extension's). A version-7 file leaves them out: no claim has gone
    unused yet, no deposit is held, and every contract keeps one price to its end (an
    extension signed under version 7 keeps the blended price it was given). Nothing to
    change."""
    return {**doc, "version": 8}


def _v8_to_v9(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 9 changed nothing in the file (its change went into version 10)."""
    return {**doc, "version": 9}


def _v9_to_v10(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 10 added standing orders (`[[standing]]`), the ways out logged with a
    week's decisions (halls cancelled, paused or resumed, GPUs sold, contracts sublet) and
    a site's paused construction (`hall_paused`). An older file has none of them: no
    standing orders, nothing paused. Nothing to change."""
    return {**doc, "version": 10}


def _v10_to_v11(doc: TomlDoc, where: str) -> TomlDoc:
    """Version 11 saves the week's book (`[[book]]`: the decisions the humans had booked
    when the game was saved). An older file has none; its standing orders book theirs
    again when it is loaded (parse's `has_book`). Nothing to change."""
    return {**doc, "version": 11}


MIGRATIONS: dict[int, Callable[[TomlDoc, str], TomlDoc]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
    8: _v8_to_v9,
    9: _v9_to_v10,
    10: _v10_to_v11,
}


def migrate(doc: TomlDoc, where: str) -> TomlDoc:
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
        doc = MIGRATIONS[doc["version"]](doc, where)
    return doc
