"""Load every asset file into one validated Catalog."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import attrs

from game.catalog.events import load_events
from game.catalog.records import (
    AiCommon,
    Catalog,
    DealRules,
    Difficulty,
    ExitRules,
    FinanceRules,
    Gpu,
    GridRules,
    Integrator,
    Lab,
    MarketRules,
    Nvidia,
    Partner,
    PolicyStyle,
    ResearchRules,
    Rules,
    ScoreRules,
    Site,
    TalentRules,
    TrainingRules,
)
from game.catalog.schema import Schema
from game.catalog.specs import CatalogError, read_toml
from game.paths import assets_dir


def _records(cls: type, path: Path, schema: Schema) -> tuple[Any, ...]:
    data = read_toml(path)
    if not data:
        raise CatalogError(f"{path}: no entries")
    return tuple(schema.entry(cls, key, table, str(path)) for key, table in data.items())


def load_catalog(folder: Path | None = None) -> Catalog:
    """Load and validate every asset file in `folder` (default: the game's assets)."""
    root = Path(folder) if folder is not None else assets_dir()
    schema = Schema()
    gpus = _records(Gpu, root / "gpus.toml", schema)
    sites = _records(Site, root / "sites.toml", schema)
    labs = _records(Lab, root / "labs.toml", schema)
    schema = Schema.of(gpu=tuple(g.id for g in gpus))
    partners = _records(Partner, root / "partners.toml", schema)

    vendors_path = root / "vendors.toml"
    vendors = read_toml(vendors_path)
    if "nvidia" not in vendors:
        raise CatalogError(f"{vendors_path}: [nvidia] missing")
    nvidia = schema.entry(Nvidia, "nvidia", vendors["nvidia"], str(vendors_path))
    integrators = tuple(
        schema.entry(Integrator, key, table, str(vendors_path))
        for key, table in vendors.items()
        if key != "nvidia"
    )
    if not integrators:
        raise CatalogError(f"{vendors_path}: no integrator (e.g. [dell])")

    rules_path = root / "rules.toml"
    rules_data = read_toml(rules_path)
    sections = {
        "training": TrainingRules,
        "research": ResearchRules,
        "talent": TalentRules,
        "market": MarketRules,
        "finance": FinanceRules,
        "deals": DealRules,
        "grid": GridRules,
        "score": ScoreRules,
        "exits": ExitRules,
    }
    for key in rules_data:
        if key not in sections:
            raise CatalogError(f"{rules_path} [{key}]: unknown section")
    parts = {}
    for key, cls in sections.items():
        if key not in rules_data:
            raise CatalogError(f"{rules_path} [{key}]: missing")
        parts[key] = schema.entry(cls, key, rules_data[key], str(rules_path))
    rules = Rules(**parts)

    policies_path = root / "policies.toml"
    policies = dict(read_toml(policies_path))
    levels = policies.pop("difficulty", None)
    if not isinstance(levels, dict) or not levels:
        raise CatalogError(f"{policies_path} [difficulty]: missing")
    if "common" not in policies:
        raise CatalogError(f"{policies_path} [common]: missing")
    ai = schema.entry(AiCommon, "common", policies.pop("common"), str(policies_path))
    styles = tuple(
        schema.entry(PolicyStyle, key, table, str(policies_path)) for key, table in policies.items()
    )
    difficulties = tuple(
        schema.entry(Difficulty, key, table, f"{policies_path} difficulty") for key, table in levels.items()
    )

    catalog = Catalog(gpus, sites, labs, nvidia, integrators, partners, rules, styles, difficulties, ai)
    lab_ids, partner_ids = catalog.lab_ids, catalog.partner_ids
    for partner in partners:
        where = f"{root / 'partners.toml'} [{partner.id}]"
        for lab in (*partner.ties, *partner.invests_in):
            if lab not in lab_ids:
                raise CatalogError(
                    f"{where} ties/invests_in: unknown lab {lab!r} (known: {', '.join(lab_ids)})"
                )
        for other in partner.sources:
            if other not in partner_ids or other == partner.id:
                raise CatalogError(f"{where} sources: {other!r} is not another partner")
    for lab in labs:
        if lab.policy not in catalog.style_ids:
            raise CatalogError(f"{root / 'labs.toml'} [{lab.id}] policy: no style {lab.policy!r}")
    _check_ids(catalog, root)
    ids = Schema.of(
        lab=catalog.lab_ids, site=catalog.site_ids, gpu=catalog.gpu_ids, partner=catalog.partner_ids
    )
    return attrs.evolve(catalog, events=load_events(root / "events.toml", ids))


def _check_ids(catalog: Catalog, root: Path) -> None:
    for what, ids, path in (
        ("GPU", catalog.gpu_ids, "gpus.toml"),
        ("site", catalog.site_ids, "sites.toml"),
        ("lab", catalog.lab_ids, "labs.toml"),
        ("partner", catalog.partner_ids, "partners.toml"),
    ):
        for entry_id in ids:
            if not entry_id.replace("-", "").replace("_", "").isalnum():
                raise CatalogError(f"{root / path} [{entry_id}]: a {what} id must be a plain word")


@functools.cache
def default_catalog() -> Catalog:
    """The game's own catalog, loaded once."""
    return load_catalog()
