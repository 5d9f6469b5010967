"""The catalog's records: GPUs, sites, labs, vendors, partners, the rules and the AI's
styles and difficulties, each a frozen attrs class whose fields say what they accept."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from game.catalog.specs import (
    Choice,
    Ids,
    Num,
    Ref,
    Steps,
    Weights,
    _field,
    date,
    flag,
    num,
    per_gpu,
    steps,
    text,
)

if TYPE_CHECKING:
    from game.catalog.events import EventCard


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
    new_generation_step: float = num(1, 10, "multiplier")


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
    invest_every_weeks: int = num(0, 1040, "weeks", integer=True)
    max_customer_share: float = num(0.01, 1, "fraction of its pool one customer may hold")

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
    post_training_compute: float = num(0, 10, "runs' worth of training compute")
    min_run_flop: float = num(1, 1e40, "FLOP")
    capability_noise: float = num(0, 2, "orders of magnitude (standard deviation)")
    agi_band: float = num(0, 10, "orders of magnitude either side")


@attrs.frozen
class ResearchRules:
    id: str
    baseline_growth_per_year: float = num(1, 100, "x per year")
    frontier_compute_growth_per_year: float = num(1, 100, "x per year")
    ref_research_flops: float = num(1, 1e40, "FLOP/s")
    ref_researchers: float = num(1, 1e7, "researchers")
    compute_weight: float = num(0, 1, "share of compute in research effort")
    returns: float = num(0, 2, "exponent")
    max_effort: float = num(1, 1e6, "multiple of the reference effort")
    catch_up_per_oom: float = num(0, 100, "extra growth per order of magnitude behind")
    catch_up_max_gap: float = num(0, 10, "orders of magnitude")
    ideas_ref_software: float = num(0, 30, "log10 multiplier")
    ideas_half_oom: float = num(0.01, 100, "orders of magnitude")
    ai_rnd_start_capability: float = num(0, 60, "log10 FLOP")
    ai_rnd_max_speedup: float = num(0, 1000, "multiplier")


@attrs.frozen
class TalentRules:
    id: str
    pool: float = num(1, 1e8, "researchers")
    pool_growth_per_year: float = num(1, 10, "x per year")
    wage_usd_year: float = num(1e3, 1e8, "USD per researcher-year")
    wage_growth_per_year: float = num(0.5, 10, "x per year")
    scarcity_premium: float = num(0, 100, "wage multiple at a fully hired pool")
    hire_share_per_week: float = num(0, 1, "fraction of the free pool per week")
    max_growth_per_week: float = num(0, 1, "fraction of the lab's staff per week")
    min_hires_per_week: float = num(0, 1e6, "researchers per week")
    layoff_slack: float = num(0, 10, "fraction over the budget before layoffs")
    ramp_weeks: float = num(1, 520, "weeks")
    hire_cost_years: float = num(0, 10, "years of wage per hire")
    severance_weeks: float = num(0, 520, "weeks of wage per layoff")


@attrs.frozen
class MarketRules:
    id: str
    users_max: float = num(1, 1e11, "weekly users")
    users_growth_per_year: float = num(1, 100, "x per year")
    share_per_oom: float = num(0, 20, "log-pull per order of magnitude")
    share_speed_per_week: float = num(0, 1, "fraction per week")
    inference_flops_per_user: float = num(0, 1e20, "FLOP/s per weekly user")
    service_exponent: float = num(0, 10, "exponent")
    api_growth_per_year: float = num(1, 10, "x per year")
    api_growth_max: float = num(1, 1000, "x the July-2024 rate")


@attrs.frozen
class FinanceRules:
    id: str
    revenue_multiple: float = num(0, 1000, "x annual revenue")
    capability_value_usd: float = num(0, 1e15, "USD")
    capability_value_ref: float = num(0, 60, "log10 FLOP")
    capability_value_per_oom: float = num(1, 100, "x per order of magnitude")
    lead_premium: float = num(0, 10, "fraction")
    behind_discount_per_oom: float = num(0, 20, "log-discount per order of magnitude behind")
    raise_max_fraction: float = num(0, 1, "fraction of pre-money")
    raise_max_usd: float = num(0, 1e15, "USD")
    raise_market_growth_per_year: float = num(1, 100, "x per year")
    raise_max_usd_cap: float = num(0, 1e15, "USD")
    raise_cooldown_weeks: int = num(0, 520, "weeks", integer=True)
    raise_noise: float = num(0, 1, "fraction")
    step_up_max: float = num(1, 100, "x the last post-money")
    down_round_discount: float = num(0, 1, "fraction")
    down_round_attrition: float = num(0, 1, "fraction of researchers")
    traction_min: float = num(0, 10, "multiplier")
    traction_max: float = num(0, 10, "multiplier")
    round_close_weeks: float = num(0, 104, "weeks")
    round_close_weeks_per_10b: float = num(0, 104, "weeks per $10B")
    round_walk_away: float = num(0, 1, "fall in value since the terms")
    post_money_half_life_weeks: float = num(0.1, 520, "weeks")
    loan_to_value: float = num(0, 1, "fraction")
    interest_rate: float = num(0, 1, "fraction per year")
    interest_per_leverage: float = num(0, 1, "fraction per year at debt = book value")
    covenant_ltv: float = num(0, 10, "debt over book value")
    covenant_sweep: float = num(0, 1, "fraction of cash per week")
    covenant_penalty_rate: float = num(0, 1, "fraction per year")
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
    long_term_discount: float = num(0, 1, "fraction of the list price")
    long_term_years: float = num(1, 50, "years")
    build_speed_per_year: float = num(0, 10, "extra build speed per year of term")
    outside_demand_share: float = num(0, 0.95, "fraction of a partner's pool other customers hold")
    utilisation_knee: float = num(0, 0.99, "utilisation")
    utilisation_premium: float = num(0, 10, "extra fraction of the price at full utilisation")
    ramp_gpus_per_week: float = num(1, 1e8, "GPUs per week")


@attrs.frozen
class GridRules:
    id: str
    claim_deposit_usd_per_mw: float = num(0, 1e9, "USD per MW")
    claim_lapse_weeks: int = num(1, 520, "weeks", integer=True)


# ------------------------------------------------------------------ ways out (exits)
@attrs.frozen
class ExitRules:
    id: str
    used_spread: float = num(0, 1, "fraction of the used price")
    used_age_floor: float = num(0, 1, "fraction of today's price")
    sublet_discount: float = num(0, 1, "fraction of the rent")


@attrs.frozen
class ScoreRules:
    id: str
    agi_win_points: float = num(0, 1e9, "points")
    # At most a third and a half: a win outweighs the other parts together.
    early_share_of_win: float = num(0, 1 / 3, "fraction of the win's points")
    stake_share_of_win: float = num(0, 0.5, "fraction of the win's points")
    stake_value_ref_usd: float = num(1, 1e15, "USD")


@attrs.frozen
class Rules:
    training: TrainingRules
    research: ResearchRules
    talent: TalentRules
    market: MarketRules
    finance: FinanceRules
    deals: DealRules
    grid: GridRules
    score: ScoreRules
    exits: ExitRules


@attrs.frozen
class PolicyStyle:
    id: str
    buy_share: float = num(0, 1, "fraction")
    rent_share: float = num(0, 1, "fraction")
    rent_weeks: int = num(1, 520, "weeks", integer=True)
    run_weeks: float = num(1, 104, "weeks")
    research_share: float = num(0, 1, "fraction")
    runway_floor_weeks: float = num(0, 520, "weeks")
    capex_share_of_cash: float = num(0, 1, "fraction per week")
    debt_share: float = num(0, 1, "fraction of the credit line")
    power_headroom: float = num(1, 10, "multiplier")
    use_turbines: bool = flag()


@attrs.frozen
class Difficulty:
    id: str
    reaction_lag_weeks: float = num(0, 52, "weeks")
    plan_error: float = num(0, 1, "fraction")
    forecast_error: float = num(0, 0.99, "fraction (standard deviation)")
    mix_skill: float = num(0, 1, "fraction")
    foresight: float = num(0, 1, "fraction")
    price_premium: float = num(0.5, 2, "multiplier of a partner's asking price")
    asks_investors: bool = flag()
    caution_weeks: float = num(0, 520, "weeks")
    inference_share_max: float = num(0, 1, "fraction")


@attrs.frozen
class AiCommon:
    """Constants every AI player shares (policies.toml [common])."""

    id: str
    inference_margin: float = num(1, 10, "multiplier of the users' need")
    inference_share_min: float = num(0, 1, "fraction")
    inference_share_default: float = num(0, 1, "fraction")
    training_share_min: float = num(0, 1, "fraction")
    release_margin_oom: float = num(0, 5, "orders of magnitude")
    error_clip: float = num(0, 0.99, "fraction")
    hall_budget_weeks: float = num(1, 104, "weeks")
    hall_plan_weeks: float = num(0, 104, "weeks")
    build_weeks_ahead: float = num(0, 104, "weeks")
    own_site_bonus_mw: float = num(0, 1e6, "MW")
    future_grid_weight: float = num(0, 1, "fraction")
    build_sites: int = num(1, 20, "sites", integer=True)
    min_build_mw: float = num(0, 1e4, "MW")
    min_rental_gpus: float = num(0, 1e8, "GPUs")
    min_order_supply: float = num(0, 1e8, "GPUs")
    rent_budget_weeks: float = num(1, 520, "weeks")
    renew_within_weeks: float = num(0, 104, "weeks")
    renew_value_share: float = num(0, 10, "fraction of the best value on offer")
    obsolete_flops_share: float = num(0, 1, "fraction of the newest GPU's FLOP/s")
    build_term_weeks: float = num(1, 1040, "weeks")
    pool_share: float = num(0.01, 1, "fraction of a partner's free GPUs")
    pool_enough: float = num(0, 1, "fraction of the GPUs wanted")
    build_slack_weeks: int = num(0, 52, "weeks", integer=True)
    raise_over_cash: float = num(0, 100, "round size over cash")
    borrow_below_reserve: float = num(0, 10, "fraction of the reserve")
    min_reserve_weeks: float = num(0, 104, "weeks of costs")
    borrow_share: float = num(0, 1, "fraction of the credit line")
    lag_weeks_per_step: float = num(0.1, 104, "weeks")
    research_horizon_weeks: float = num(0, 520, "weeks")
    research_share_min: float = num(0, 1, "fraction")
    research_share_max: float = num(0, 1, "fraction")
    gpu_life_years: float = num(0.5, 20, "years")
    growth_horizon_weeks: float = num(0, 520, "weeks")
    arrival_weight: float = num(0, 1, "fraction")
    distress_runway_weeks: float = num(0, 104, "weeks")
    distress_cover_weeks: float = num(0, 104, "weeks of costs")
    sublet_cost_weeks: float = num(0, 520, "weeks of the contract's rent")


HISTORY_MEASURES = (
    "users",
    "revenue_rate",
    "revenue_year",
    "valuation",
    "raised",
    "compute",
    "weeks_per_release",
)


@attrs.frozen
class HistoryRow:
    """One figure of the history the AI-vs-AI games are checked against (assets/history.toml)."""

    id: str
    lab: str = _field(Ref("lab"))
    what: str = _field(Choice(HISTORY_MEASURES))
    date: dt.date = date()
    value: float = num(0, 1e15, "the measure's unit")


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
    ai: AiCommon
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
