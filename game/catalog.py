"""The catalog: assets/*.toml loaded into frozen attrs records and validated.

Every record field declares what it accepts (`num`, `text`, `date`, `steps`, ...). The
loader checks types, ranges and unknown keys, and that every number carries a source
(each entry has a `source` sub-table naming where each figure comes from). A problem is
one `CatalogError` naming the file, the entry and the field.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import tomllib
from pathlib import Path
from typing import Any

import attrs

from game.paths import assets_dir


class CatalogError(ValueError):
    """A data file is wrong; the message names the file, the entry and the field."""


# --------------------------------------------------------------------------- specs
@attrs.frozen
class Num:
    lo: float
    hi: float
    unit: str
    integer: bool = False

    def parse(self, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number ({self.unit}), got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number, got {value!r}")
        if self.integer and value != int(value):
            raise ValueError(f"must be a whole number ({self.unit}), got {value!r}")
        if not self.lo <= value <= self.hi:
            raise ValueError(f"must be between {self.lo:g} and {self.hi:g} {self.unit}, got {value:g}")
        return int(value) if self.integer else float(value)


@attrs.frozen
class Text:
    def parse(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"must be non-empty text, got {value!r}")
        return value


@attrs.frozen
class Flag:
    def parse(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, got {value!r}")
        return value


@attrs.frozen
class Choice:
    options: tuple[str, ...]

    def parse(self, value: Any) -> str:
        if value not in self.options:
            raise ValueError(f"must be one of {', '.join(self.options)}; got {value!r}")
        return value


@attrs.frozen
class Date:
    def parse(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValueError(f"must be a date like 2024-07-15, got {value!r}")
        return value


@attrs.frozen
class Steps:
    """A step table: [[date, value], ...] in date order; the value holds from its date."""

    value: Num

    def parse(self, value: Any) -> tuple[tuple[dt.date, float], ...]:
        if not isinstance(value, list) or not value:
            raise ValueError("must be a non-empty list of [date, value] pairs")
        out = []
        for i, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError(f"item {i} must be a [date, value] pair, got {pair!r}")
            try:
                day = Date().parse(pair[0])
                amount = self.value.parse(pair[1])
            except ValueError as err:
                raise ValueError(f"item {i}: {err}") from None
            if out and day <= out[-1][0]:
                raise ValueError(f"item {i}: dates must increase, {day} follows {out[-1][0]}")
            out.append((day, amount))
        return tuple(out)


def _keyed(value: Any, inner: Any, known: tuple[str, ...], what: str, shape: str) -> dict[str, Any]:
    """A table of `inner` values keyed by ids (checked against `known` when given)."""
    if not isinstance(value, dict):
        raise ValueError(shape)
    out = {}
    for key, item in value.items():
        if known and key not in known:
            raise ValueError(f"unknown {what} {key!r} (known: {', '.join(known)})")
        try:
            out[key] = inner.parse(item)
        except ValueError as err:
            raise ValueError(f"{key}: {err}") from None
    return out


@attrs.frozen
class PerGpu:
    """A table keyed by GPU id (only ids from gpus.toml)."""

    inner: Num | Steps

    def parse(self, value: Any, gpu_ids: tuple[str, ...] = ()) -> dict[str, Any]:
        return _keyed(value, self.inner, gpu_ids, "GPU", "must be a table keyed by GPU id")


@attrs.frozen
class Weights:
    """A table of numbers keyed by ids of another file (checked once all are loaded)."""

    value: Num

    def parse(self, value: Any) -> dict[str, float]:
        return _keyed(value, self.value, (), "id", "must be a table like { openai = 0.5 }")


@attrs.frozen
class Ids:
    """A list of ids of another file (checked once all are loaded)."""

    def parse(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"must be a list of ids, got {value!r}")
        return tuple(value)


def _field(spec: Any, optional: bool = False, default: Any = None) -> Any:
    if optional:
        return attrs.field(default=default, kw_only=True, metadata={"spec": spec, "optional": True})
    return attrs.field(kw_only=True, metadata={"spec": spec})


def num(lo: float, hi: float, unit: str, integer: bool = False, default: float | None = None) -> Any:
    """A number field; with a default it may be left out."""
    return _field(Num(lo, hi, unit, integer), optional=default is not None, default=default)


def text() -> Any:
    return _field(Text())


def flag() -> Any:
    return _field(Flag())


def date() -> Any:
    return _field(Date())


def steps(lo: float, hi: float, unit: str) -> Any:
    return _field(Steps(Num(lo, hi, unit)))


def per_gpu(inner: Num | Steps) -> Any:
    return _field(PerGpu(inner))


_SOURCED = (Num, Date, Steps, PerGpu, Weights, Ids)


# ------------------------------------------------------------------------- records
@attrs.frozen
class Gpu:
    id: str
    name: str = text()
    bf16_tflops: float = num(1, 1e5, "TFLOP/s")
    hbm_gb: float = num(1, 1e4, "GB")
    tdp_w: float = num(50, 1e4, "W")
    kw_all_in: float = num(0.05, 20, "kW per GPU")
    price_usd: float = num(100, 1e6, "USD")
    available: dt.date = date()
    default_mfu: float = num(0.05, 0.8, "fraction")
    rent_usd_hour: float = num(0.01, 100, "USD per GPU-hour")
    supply: tuple[tuple[dt.date, float], ...] = steps(0, 1e8, "GPUs per quarter")

    @property
    def flops(self) -> float:
        return self.bf16_tflops * 1e12


@attrs.frozen
class Site:
    id: str
    name: str = text()
    grid_mw: float = num(0, 1e5, "MW")
    grid_max_mw: float = num(0, 1e5, "MW")
    substation_mw: float = num(0, 1e5, "MW")
    substation_weeks: int = num(1, 520, "weeks", integer=True)
    substation_usd_per_mw: float = num(0, 1e9, "USD per MW")
    turbine_max_mw: float = num(0, 1e5, "MW")
    turbine_weeks: int = num(1, 520, "weeks", integer=True)
    turbine_usd_per_mw: float = num(0, 1e9, "USD per MW")
    build_usd_per_mw: float = num(1e5, 1e9, "USD per MW")
    build_mw_per_week: float = num(0.1, 1e4, "MW per week")
    power_usd_per_mwh: float = num(1, 1e4, "USD per MWh")

    def __attrs_post_init__(self) -> None:
        if self.grid_max_mw < self.grid_mw:
            raise ValueError("grid_max_mw: must be at least grid_mw")


@attrs.frozen
class Lab:
    id: str
    name: str = text()
    playable: bool = flag()
    policy: str = _field(Choice(("builder", "partner", "incumbent")))
    sub_price_usd_month: float = num(0, 1e4, "USD per month")
    paying_frac: float = num(0, 1, "fraction")
    api_usd_per_user_week: float = num(0, 100, "USD per user-week")
    brand: float = num(0.01, 100, "multiplier")
    staff_usd_week: float = num(0, 1e10, "USD per week")


@attrs.frozen
class Nvidia:
    id: str
    name: str = text()
    kind: str = _field(Choice(("chips",)))
    price_demand_slope: float = num(0, 10, "fraction per unit of excess demand")
    max_price_factor: float = num(1, 10, "multiplier")
    older_gen_price_factor: float = num(0.05, 1, "multiplier")


@attrs.frozen
class Integrator:
    id: str
    name: str = text()
    kind: str = _field(Choice(("integrator",)))
    lead_weeks: int = num(1, 104, "weeks", integer=True)
    server_markup: float = num(1, 5, "multiplier")
    capacity_gpus_per_week: float = num(1, 1e7, "GPUs per week")


@attrs.frozen
class Partner:
    id: str
    name: str = text()
    target_margin: float = num(0, 5, "fraction")
    capacity: dict[str, tuple[tuple[dt.date, float], ...]] = per_gpu(Steps(Num(0, 1e8, "GPUs")))
    cost_usd_hour: dict[str, float] = per_gpu(Num(0.01, 100, "USD per GPU-hour"))
    risk_appetite: float = num(0.01, 100, "multiplier")
    build_gpus_per_week: float = num(0, 1e7, "GPUs per week")
    power_margin: float = num(1, 10, "multiplier")
    patience_rounds: int = num(1, 100, "offers", integer=True)
    exit_penalty: float = num(0, 1, "fraction of the remaining value")
    ties: dict[str, float] = _field(Weights(Num(-1, 1, "closeness")))
    sources: tuple[str, ...] = _field(Ids())
    invests_in: tuple[str, ...] = _field(Ids())
    invest_max_usd: float = num(0, 1e13, "USD")
    invest_share_factor: float = num(0, 100, "multiplier")

    def __attrs_post_init__(self) -> None:
        missing = sorted(set(self.capacity) - set(self.cost_usd_hour))
        if missing:
            raise ValueError(f"cost_usd_hour: no cost for {', '.join(missing)}")


@attrs.frozen
class TrainingRules:
    id: str
    flop_per_param_token: float = num(1, 100, "FLOP per parameter-token")
    tokens_per_param: float = num(1, 1000, "tokens per parameter")
    fault_rate_per_gpu_day: float = num(0, 1, "faults per GPU-day")
    hours_lost_per_fault: float = num(0, 100, "hours")
    mfu_ref_gpus: float = num(1, 1e8, "GPUs")
    mfu_drop_per_doubling: float = num(0, 0.5, "fraction")
    post_training_weeks: int = num(0, 104, "weeks", integer=True)
    min_run_flop: float = num(1, 1e40, "FLOP")


@attrs.frozen
class ResearchRules:
    id: str
    baseline_growth_per_year: float = num(1, 100, "x per year")
    frontier_compute_growth_per_year: float = num(1, 100, "x per year")
    ref_research_flops: float = num(1, 1e40, "FLOP/s")
    research_exponent: float = num(0, 2, "exponent")
    ref_staff_usd_week: float = num(1, 1e12, "USD per week")
    staff_exponent: float = num(0, 2, "exponent")
    ai_rnd_start_capability: float = num(0, 60, "log10 FLOP")
    ai_rnd_max_speedup: float = num(0, 1000, "multiplier")


@attrs.frozen
class MarketRules:
    id: str
    users_max: float = num(1, 1e11, "weekly users")
    users_growth_per_year: float = num(1, 100, "x per year")
    share_per_oom: float = num(0, 20, "log-pull per order of magnitude")
    share_speed_per_week: float = num(0, 1, "fraction per week")
    inference_flops_per_user: float = num(0, 1e20, "FLOP/s per weekly user")
    service_exponent: float = num(0, 10, "exponent")


@attrs.frozen
class FinanceRules:
    id: str
    revenue_multiple: float = num(0, 1000, "x annual revenue")
    capability_value_usd: float = num(0, 1e15, "USD")
    capability_value_ref: float = num(0, 60, "log10 FLOP")
    capability_value_per_oom: float = num(1, 100, "x per order of magnitude")
    lead_premium: float = num(0, 10, "fraction")
    raise_max_fraction: float = num(0, 1, "fraction of pre-money")
    raise_max_usd: float = num(0, 1e15, "USD")
    raise_cooldown_weeks: int = num(0, 520, "weeks", integer=True)
    raise_noise: float = num(0, 1, "fraction")
    loan_to_value: float = num(0, 1, "fraction")
    interest_rate: float = num(0, 1, "fraction per year")
    gpu_depreciation_per_year: float = num(0, 1, "fraction per year")
    turbine_usd_per_mwh: float = num(0, 1e4, "USD per MWh")
    weeks_per_month: float = num(4, 5, "weeks")
    reference_power_usd_per_mwh: float = num(1, 1e4, "USD per MWh")
    mood_reversion_per_week: float = num(0, 1, "fraction per week")


@attrs.frozen
class DealRules:
    id: str
    relationship_discount: float = num(0, 1, "fraction")
    price_noise: float = num(0, 1, "fraction")
    lowball_penalty: float = num(0, 1, "relationship")
    push_penalty: float = num(0, 1, "relationship")
    push_threshold: float = num(0, 1, "fraction of the asking price")
    accept_bonus: float = num(0, 1, "relationship")
    exit_relationship_penalty: float = num(0, 1, "relationship")
    worst_relationship: float = num(-1, 1, "relationship")
    relationship_recovery_per_week: float = num(0, 1, "relationship per week")
    means_valuation_share: float = num(0, 1, "fraction")
    min_counter_share: float = num(0, 1, "fraction")
    slip_probability_per_week: float = num(0, 1, "probability")
    slip_weeks: int = num(0, 52, "weeks", integer=True)


@attrs.frozen
class ScoreRules:
    id: str
    agi_win_points: float = num(0, 1e9, "points")
    points_per_week_early: float = num(0, 1e6, "points per week")
    points_per_billion_owned: float = num(0, 1e6, "points per $B")


@attrs.frozen
class Rules:
    training: TrainingRules
    research: ResearchRules
    market: MarketRules
    finance: FinanceRules
    deals: DealRules
    score: ScoreRules


@attrs.frozen
class PolicyStyle:
    id: str
    buy_share: float = num(0, 1, "fraction")
    rent_share: float = num(0, 1, "fraction")
    rent_weeks: int = num(1, 520, "weeks", integer=True)
    run_weeks: float = num(1, 104, "weeks")
    research_share: float = num(0, 1, "fraction")
    runway_floor_weeks: float = num(0, 520, "weeks")
    capex_share_of_cash: float = num(0, 1, "fraction")
    power_headroom: float = num(1, 10, "multiplier")
    use_turbines: bool = flag()


@attrs.frozen
class Difficulty:
    id: str
    act_probability: float = num(0.01, 1, "probability per week")
    plan_error: float = num(0, 1, "fraction")
    caution_weeks: float = num(0, 520, "weeks")
    price_premium: float = num(0.5, 2, "multiplier of a partner's list price")


@attrs.frozen
class Catalog:
    gpus: tuple[Gpu, ...]
    sites: tuple[Site, ...]
    labs: tuple[Lab, ...]
    nvidia: Nvidia
    integrators: tuple[Integrator, ...]
    partners: tuple[Partner, ...]
    rules: Rules
    styles: tuple[PolicyStyle, ...]
    difficulties: tuple[Difficulty, ...]
    events: tuple[EventCard, ...] = ()

    @property
    def gpu_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.gpus)

    @property
    def site_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sites)

    @property
    def lab_ids(self) -> tuple[str, ...]:
        return tuple(lab.id for lab in self.labs)

    @property
    def partner_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.partners)

    @property
    def integrator_ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.integrators)

    @property
    def style_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.styles)

    @property
    def difficulty_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.difficulties)

    def lab(self, lab_id: str) -> Lab:
        return self.labs[self.lab_ids.index(lab_id)]

    def style(self, style_id: str) -> PolicyStyle:
        return self.styles[self.style_ids.index(style_id)]

    def difficulty(self, difficulty_id: str) -> Difficulty:
        return self.difficulties[self.difficulty_ids.index(difficulty_id)]


# -------------------------------------------------------------------------- loader
def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise CatalogError(f"{path}: not valid TOML: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogError(f"{path}: cannot read: {err}") from None


def build_record(
    cls: type,
    entry_id: str,
    table: Any,
    where: str,
    gpu_ids: tuple[str, ...] = (),
    *,
    sourced: bool = True,
    nested: tuple[str, ...] = (),
    error: type[ValueError] = CatalogError,
) -> Any:
    """Validate one TOML table against an attrs record's field specs.

    `sourced`: every number needs a `source.<field>` entry. `nested`: keys the caller
    reads itself (sub-tables), passed over here. Problems raise `error`."""
    if not isinstance(table, dict):
        raise error(f"{where} [{entry_id}]: must be a table")
    fields = [f for f in attrs.fields(cls) if "spec" in f.metadata]
    known = {f.name for f in fields}
    sources = table.get("source", {}) if sourced else {}
    if not isinstance(sources, dict):
        raise error(f"{where} [{entry_id}] source: must be a table")
    for key in table:
        if key in nested or (sourced and key == "source"):
            continue
        if key not in known:
            raise error(f"{where} [{entry_id}] {key}: unknown field (known: {', '.join(sorted(known))})")
    for key in sources:
        if key not in known:
            raise error(f"{where} [{entry_id}] source.{key}: names no field")
    values: dict[str, Any] = {}
    for f in fields:
        spec = f.metadata["spec"]
        if f.name not in table:
            if f.metadata.get("optional"):
                continue
            raise error(f"{where} [{entry_id}] {f.name}: missing")
        try:
            if isinstance(spec, PerGpu):
                values[f.name] = spec.parse(table[f.name], gpu_ids)
            else:
                values[f.name] = spec.parse(table[f.name])
        except ValueError as err:
            raise error(f"{where} [{entry_id}] {f.name}: {err}") from None
        if sourced and isinstance(spec, _SOURCED):
            src = sources.get(f.name)
            if not isinstance(src, str) or not src.strip():
                raise error(f"{where} [{entry_id}] {f.name}: no source (add source.{f.name})")
    try:
        return cls(id=entry_id, **values)
    except ValueError as err:
        raise error(f"{where} [{entry_id}] {err}") from None


def _records(cls: type, path: Path, gpu_ids: tuple[str, ...] = ()) -> tuple[Any, ...]:
    data = _read(path)
    if not data:
        raise CatalogError(f"{path}: no entries")
    return tuple(build_record(cls, key, table, str(path), gpu_ids) for key, table in data.items())


def load_catalog(folder: Path | None = None) -> Catalog:
    """Load and validate every asset file in `folder` (default: the game's assets)."""
    root = Path(folder) if folder is not None else assets_dir()
    gpus = _records(Gpu, root / "gpus.toml")
    gpu_ids = tuple(g.id for g in gpus)
    sites = _records(Site, root / "sites.toml")
    labs = _records(Lab, root / "labs.toml")
    partners = _records(Partner, root / "partners.toml", gpu_ids)

    vendors_path = root / "vendors.toml"
    vendors = _read(vendors_path)
    if "nvidia" not in vendors:
        raise CatalogError(f"{vendors_path}: [nvidia] missing")
    nvidia = build_record(Nvidia, "nvidia", vendors["nvidia"], str(vendors_path))
    integrators = tuple(
        build_record(Integrator, key, table, str(vendors_path))
        for key, table in vendors.items()
        if key != "nvidia"
    )
    if not integrators:
        raise CatalogError(f"{vendors_path}: no integrator (e.g. [dell])")

    rules_path = root / "rules.toml"
    rules_data = _read(rules_path)
    sections = {
        "training": TrainingRules,
        "research": ResearchRules,
        "market": MarketRules,
        "finance": FinanceRules,
        "deals": DealRules,
        "score": ScoreRules,
    }
    for key in rules_data:
        if key not in sections:
            raise CatalogError(f"{rules_path} [{key}]: unknown section")
    parts = {}
    for key, cls in sections.items():
        if key not in rules_data:
            raise CatalogError(f"{rules_path} [{key}]: missing")
        parts[key] = build_record(cls, key, rules_data[key], str(rules_path))
    rules = Rules(**parts)

    policies_path = root / "policies.toml"
    policies = dict(_read(policies_path))
    levels = policies.pop("difficulty", None)
    if not isinstance(levels, dict) or not levels:
        raise CatalogError(f"{policies_path} [difficulty]: missing")
    styles = tuple(
        build_record(PolicyStyle, key, table, str(policies_path)) for key, table in policies.items()
    )
    difficulties = tuple(
        build_record(Difficulty, key, table, f"{policies_path} difficulty") for key, table in levels.items()
    )

    catalog = Catalog(gpus, sites, labs, nvidia, integrators, partners, rules, styles, difficulties)
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
    return attrs.evolve(catalog, events=load_events(root / "events.toml", catalog))


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


# ---------------------------------------------------------------------- events deck
EVENT_LAB_FIELDS = (
    "best_model", "software", "cash", "users", "valuation", "debt", "gpus", "turbine_mw",
    "lead", "share", "runway_weeks",
)  # fmt: skip
EVENT_GAME_FIELDS = ("mood", "market_users")
EVENT_LAB_EFFECTS = ("cash", "users", "software", "staff", "runs", "installed", "turbines", "relationship")
EVENT_GAME_EFFECTS = (
    "mood", "market_users", "price", "supply", "gpu_delay", "outage", "grid", "substation_delay",
)  # fmt: skip
_EFFECT_OPS = {
    "cash": "add", "users": "mul", "software": "add", "staff": "mul", "runs": "mul", "installed": "mul",
    "turbines": "mul", "relationship": "add", "mood": "mul", "market_users": "mul", "price": "mul",
    "supply": "add", "gpu_delay": "add", "outage": "add", "grid": "add", "substation_delay": "add",
}  # fmt: skip
_EFFECT_NEEDS = {
    "turbines": "site", "relationship": "partner", "price": "gpu", "supply": "gpu", "gpu_delay": "gpu",
    "outage": "site", "grid": "site", "substation_delay": "site",
}  # fmt: skip
_EFFECT_RANGES = {
    "cash": (-1e11, 1e11), "users": (0.1, 10), "software": (-1, 1), "staff": (0.1, 10), "runs": (0, 1),
    "installed": (0, 1), "turbines": (0, 1), "relationship": (-1, 1), "mood": (0.1, 10),
    "market_users": (0.1, 10), "price": (0.1, 10), "supply": (0, 1), "gpu_delay": (0, 104),
    "outage": (0, 52), "grid": (0, 10000), "substation_delay": (0, 104),
}  # fmt: skip


@attrs.frozen
class Condition:
    field: str
    op: str
    value: float
    site: str = ""


@attrs.frozen
class Effect:
    what: str
    op: str
    low: float
    high: float
    site: str = ""
    gpu: str = ""
    partner: str = ""


@attrs.frozen
class EventCard:
    id: str
    title: str
    text: str
    scope: str
    labs: tuple[str, ...]
    start: dt.date | None
    until: dt.date | None
    probability: float
    cooldown_weeks: int
    once: bool
    when: tuple[Condition, ...]
    effects: tuple[Effect, ...]
    source: str


_CARD_KEYS = {
    "title", "text", "scope", "labs", "from", "until", "probability", "cooldown_weeks", "once",
    "when", "effects", "source",
}  # fmt: skip


def load_events(path: Path, catalog: Catalog) -> tuple[EventCard, ...]:
    """Read and validate the events deck against the rest of the catalog."""
    data = _read(path)
    if not data:
        raise CatalogError(f"{path}: no cards")
    cards = []
    for card_id, table in data.items():
        where = f"{path} [{card_id}]"

        def fail(msg: str, where: str = where) -> CatalogError:
            return CatalogError(f"{where} {msg}")

        if not isinstance(table, dict):
            raise fail(": must be a table")
        for key in table:
            if key not in _CARD_KEYS:
                raise fail(f"{key}: unknown field (known: {', '.join(sorted(_CARD_KEYS))})")
        for key in ("title", "text", "scope", "probability", "effects", "source"):
            if key not in table:
                raise fail(f"{key}: missing")
        try:
            title = Text().parse(table["title"])
            text_ = Text().parse(table["text"])
            source = Text().parse(table["source"])
            scope = Choice(("lab", "game")).parse(table["scope"])
            probability = Num(0, 1, "per week").parse(table["probability"])
            cooldown = Num(0, 10_000, "weeks", integer=True).parse(table.get("cooldown_weeks", 0))
            once = Flag().parse(table.get("once", False))
            start = Date().parse(table["from"]) if "from" in table else None
            until = Date().parse(table["until"]) if "until" in table else None
            labs = Ids().parse(table.get("labs", []))
        except ValueError as err:
            raise fail(str(err)) from None
        for lab in labs:
            if lab not in catalog.lab_ids:
                raise fail(f"labs: unknown lab {lab!r}")
        if scope == "game" and labs:
            raise fail("labs: a game card acts on the market, not on labs")
        conditions = []
        for i, cond in enumerate(table.get("when", [])):
            if not isinstance(cond, list) or len(cond) not in (3, 4):
                raise fail(f"when[{i}]: must be [field, op, value] or [field, op, value, site]")
            field_, op, value = cond[0], cond[1], cond[2]
            allowed = EVENT_GAME_FIELDS if scope == "game" else EVENT_LAB_FIELDS + EVENT_GAME_FIELDS
            if field_ not in allowed:
                raise fail(f"when[{i}]: unknown field {field_!r} (known: {', '.join(allowed)})")
            if op not in (">=", "<="):
                raise fail(f"when[{i}]: op must be >= or <=, got {op!r}")
            try:
                number = Num(-1e15, 1e15, "").parse(value)
            except ValueError as err:
                raise fail(f"when[{i}]: {err}") from None
            site = cond[3] if len(cond) == 4 else ""
            if site and (field_ != "turbine_mw" or site not in catalog.site_ids):
                raise fail(f"when[{i}]: a site ({site!r}) goes only with turbine_mw and must be a known site")
            conditions.append(Condition(field_, op, number, site))
        effects = []
        items = table["effects"]
        if not isinstance(items, list) or not items:
            raise fail("effects: must be a non-empty list")
        for i, eff in enumerate(items):
            if not isinstance(eff, dict) or "what" not in eff or "value" not in eff:
                raise fail(f"effects[{i}]: must be a table with what, op and value")
            what = eff["what"]
            allowed = EVENT_GAME_EFFECTS if scope == "game" else EVENT_LAB_EFFECTS
            if what not in allowed:
                raise fail(f"effects[{i}]: {what!r} is not a {scope} effect (known: {', '.join(allowed)})")
            op = eff.get("op", _EFFECT_OPS[what])
            if op != _EFFECT_OPS[what]:
                raise fail(f"effects[{i}]: {what} takes op {_EFFECT_OPS[what]!r}, got {op!r}")
            lo_hi = eff["value"] if isinstance(eff["value"], list) else [eff["value"], eff["value"]]
            lo, hi = _EFFECT_RANGES[what]
            try:
                if len(lo_hi) != 2:
                    raise ValueError("must be a number or [low, high]")
                low = Num(lo, hi, "").parse(lo_hi[0])
                high = Num(lo, hi, "").parse(lo_hi[1])
            except ValueError as err:
                raise fail(f"effects[{i}] value: {err}") from None
            if high < low:
                raise fail(f"effects[{i}] value: [low, high] with low above high")
            refs = {"site": catalog.site_ids, "gpu": catalog.gpu_ids, "partner": catalog.partner_ids}
            for key in set(eff) - {"what", "op", "value"}:
                if key not in refs:
                    raise fail(f"effects[{i}]: unknown key {key!r}")
                if eff[key] not in refs[key]:
                    raise fail(f"effects[{i}] {key}: unknown {key} {eff[key]!r}")
            need = _EFFECT_NEEDS.get(what)
            if need and need not in eff:
                raise fail(f"effects[{i}]: {what} needs a {need}")
            effects.append(
                Effect(what, op, low, high, eff.get("site", ""), eff.get("gpu", ""), eff.get("partner", ""))
            )
        cards.append(
            EventCard(
                card_id,
                title,
                text_,
                scope,
                labs,
                start,
                until,
                probability,
                cooldown,
                once,
                tuple(conditions),
                tuple(effects),
                source,
            )  # fmt: skip
        )
    return tuple(cards)
