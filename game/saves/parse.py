"""A scenario or save document validated into a Scenario: one SaveError naming the
file, the place in it and the problem.

The schema (game/saves/records.py through game.catalog.schema) checks every value, id
and key; then what one field cannot say alone: dates in order, a lab table for every
lab, slots, the log's weeks; and last, on the game as the engine will hold it, the
invariants the engine keeps (game/saves/checks.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from game.catalog import Catalog
from game.catalog.specs import Refs
from game.engine.limits import MAX_WEEKS
from game.saves.checks import check_state
from game.saves.files import SaveError, TomlDoc, read_toml, resolve
from game.saves.migrations import migrate
from game.saves.records import (
    BOOK_VERSION,
    FORMAT,
    MONEY_FIELDS,
    Document,
    LabState,
    LogEntry,
    Scenario,
    saves_schema,
)


def load_scenario(name: str | Path, catalog: Catalog) -> Scenario:
    """Read, migrate and validate a scenario or save file."""
    path = resolve(name)
    where = str(path)
    doc = read_toml(path)
    if doc.get("format") != FORMAT:
        raise SaveError(f"{where} format: must be {FORMAT!r}, got {doc.get('format')!r}")
    version = doc.get("version")
    doc = migrate(doc, where)
    return parse(doc, catalog, path, has_book=isinstance(version, int) and version >= BOOK_VERSION)


def parse(doc: TomlDoc, catalog: Catalog, path: Path, has_book: bool = True) -> Scenario:
    """Validate a (current-version) document into a Scenario. `has_book`: the file was
    written with its week's book (version 11 on); an older one's `book` is None."""
    where = str(path)

    def fail(place: str, problem: str) -> SaveError:
        return SaveError(f"{where} {place}: {problem}")

    meta_table = doc.get("meta")
    if not isinstance(meta_table, dict):
        raise fail("[meta]", "missing" if meta_table is None else "must be a table")
    if "labs" not in meta_table:
        raise fail("[meta] labs", "missing")
    schema = saves_schema(catalog)
    lab_ids = schema.value(
        Refs("lab"), meta_table["labs"], where, (("meta", True), ("labs", False)), SaveError
    )
    if not lab_ids:
        raise fail("[meta] labs", "name at least one lab")
    schema = saves_schema(catalog, lab_ids)
    d: Document = schema.read(doc, Document, where, (), SaveError)

    meta = d.meta
    if meta.last_date <= meta.start_date:
        raise fail("[meta] last_date", "must come after start_date")
    last_week = (meta.last_date - meta.start_date).days // 7
    if last_week > MAX_WEEKS:
        raise fail("[meta] last_date", f"a game lasts at most {MAX_WEEKS:,} weeks; this one {last_week:,}")
    if meta.week > last_week + 1:
        raise fail("[meta] week", f"{meta.week} is past the last week ({last_week})")
    for lab in meta.humans:
        if not catalog.lab(lab).playable:
            raise fail("[meta] humans", f"{lab} is not a playable lab")
    if d.result is not None and d.result.end == "agi" and (d.result.agi_week < 0 or not d.result.winner):
        raise fail("[result]", "an AGI ending needs a winner and agi_week")
    for site_id, site in d.sites.items():
        grid_max = catalog.sites[catalog.site_ids.index(site_id)].grid_max_mw
        if site.grid_mw is not None and site.grid_mw > grid_max:
            raise fail(
                f"[sites.{site_id}] grid_mw", f"{site.grid_mw:g} is above the site's maximum {grid_max:g} MW"
            )
    labs = {}
    for lab_id in lab_ids:
        if lab_id not in d.labs:
            raise fail(f"[labs.{lab_id}]", "missing (every lab in [meta] labs needs one)")
        _check_money(d.labs[lab_id], f"labs.{lab_id}", fail)
        labs[lab_id] = _place_slots(d.labs[lab_id], f"labs.{lab_id}", fail)
    for i, entry in enumerate(d.log):
        # The file's own week may hold its talks so far (offers alone: a signed deal is in
        # the state already); its decisions are made when the week ends.
        talks_only = attrs.evolve(entry, offers=()) == LogEntry(week=entry.week, lab=entry.lab)
        if entry.week > meta.week or (entry.week == meta.week and not talks_only):
            raise fail(
                f"[log[{i}]] week",
                f"{entry.week} is not before the file's week {meta.week}"
                + (" (an entry of the file's week holds only offers)" if entry.week == meta.week else ""),
            )
    scn = Scenario(
        path=path, name=path.stem, meta=meta, humans=meta.humans, ai=meta.ai, world=d.world, market=d.market,
        result=d.result, sites=d.sites, labs=labs, log=d.log, standing=d.standing,
        book=d.book if has_book else None,
    )  # fmt: skip
    check_state(scn, catalog, where)
    return scn


def _check_money(lab: LabState, place: str, fail: Any) -> None:
    """Each amount of money as the engine will hold it (the whole dollars and what
    `sub_dollar` keeps below them) within its field's range: a debt of 0 less $0.40 is a
    debt below zero, which the engine never makes. A field whose -1 means "work it out"
    (`absent=-1`) holds -1 exactly, with nothing below the dollar, or an amount >= 0."""
    from game.saves.world import _exact

    specs = attrs.fields_dict(LabState)
    for name in MONEY_FIELDS:
        spec, absent = specs[name].metadata["spec"], specs[name].metadata.get("absent")
        whole, below = getattr(lab, name), lab.sub_dollar.get(name, 0.0)
        value = _exact(whole, below)
        if absent is not None and whole == absent:
            if below:
                raise fail(
                    f"[{place}] sub_dollar", f"{name}: {whole:g} means none; it has nothing below the dollar"
                )
            continue
        low = 0.0 if absent is not None else spec.lo
        if value < low or (spec.hi is not None and value > spec.hi):
            bound = f"at least {low:g}" if spec.hi is None else f"between {low:g} and {spec.hi:g}"
            raise fail(
                f"[{place}] {name}",
                f"with sub_dollar {below:g}, {value!r} USD; must be {bound}"
                + (f" (or {absent:g}: none)" if absent is not None else ""),
            )


def _place_slots(lab: LabState, place: str, fail: Any) -> LabState:
    """Orders, contracts and runs in their slots: each in the one it names, the others in
    the first free ones."""

    def placed(key: str) -> tuple[Any, ...]:
        items = getattr(lab, key)
        taken = [rec.slot for rec in items if rec.slot >= 0]
        if len(set(taken)) != len(taken):
            raise fail(f"[{place}] {key}", "two items name the same slot")
        limit = attrs.fields_dict(type(lab))[key].metadata["spec"].limit
        free = iter(k for k in range(limit) if k not in taken)
        return tuple(rec if rec.slot >= 0 else attrs.evolve(rec, slot=next(free)) for rec in items)

    return attrs.evolve(lab, orders=placed("orders"), contracts=placed("contracts"), runs=placed("runs"))
