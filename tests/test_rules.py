"""The rules of DESIGN 3.1-3.5 and 3.7, one at a time, on small worlds."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from game.engine import codes, compute, economy, research, training
from game.engine.params import WEEKS_PER_YEAR
from game.engine.state import END_AGI, END_BANKRUPT, END_TIME, RUN_POST, RUN_PRETRAIN
from game.engine.turn import step
from tests.conftest import blank, idle, index, orders, quiet, runs, with_rules

XAI, OPENAI, GOOGLE = 0, 1, 2


def gpu(params, name):
    return index(params.gpu_ids, name)


def site(params, name):
    return index(params.site_ids, name)


def weeks(world, n, actions=None):
    reports = []
    for _ in range(n):
        world, report = step(world, actions(world) if actions else idle(world))
        reports.append(report)
    return world, reports


# ------------------------------------------------------------------ calibration
def test_gpt4_on_25k_a100_takes_about_90_days(catalog):
    a100 = next(g for g in catalog.gpus if g.id == "A100")
    rate, _ = compute.training_rate(25_000 * a100.flops * a100.default_mfu, 25_000, catalog.rules.training)
    days = 2.1e25 / float(rate) * 7
    assert 90 * 0.75 <= days <= 90 * 1.25


def test_gpt4_on_100k_gb200_takes_under_4_days(catalog):
    gb200 = next(g for g in catalog.gpus if g.id == "GB200")
    rate, _ = compute.training_rate(
        100_000 * gb200.flops * gb200.default_mfu, 100_000, catalog.rules.training
    )
    assert 2.1e25 / float(rate) * 7 < 4


def test_faults_and_size_make_big_clusters_less_efficient_per_gpu(catalog):
    t = catalog.rules.training
    small, lost_small = compute.training_rate(1e4 * 1e15, 1e4, t)
    big, lost_big = compute.training_rate(1e6 * 1e15, 1e6, t)
    assert big / 1e6 < small / 1e4
    assert lost_big > lost_small > 0


# ------------------------------------------------------------------------ orders
def test_ordered_gpus_arrive_after_the_integrator_lead_time(world, params):
    w = blank(world, cash=np.full_like(world.cash, 1e10))
    h100, dell = gpu(params, "H100"), index(params.integrator_ids, "dell")
    w2, r = step(w, idle(w, order_count=orders(w, XAI, h100, 1000, dell)))
    assert (r.ordered[:, XAI, h100] == 1000).all()
    lead = int(params.integrator_lead[dell])
    w3, reports = weeks(w2, lead)
    arrived = [int(rep.delivered[0, XAI, h100]) for rep in reports]
    assert sum(arrived) == 1000
    assert arrived.index(1000) >= lead - 1  # not before the lead time
    assert w3.warehouse[0, XAI, h100] == 1000  # no halls: they wait in the warehouse


def test_an_order_is_paid_at_nvidia_price_times_the_integrator_markup(world, params):
    w = blank(world, cash=np.full_like(world.cash, 1e10))
    h100, sm = gpu(params, "H100"), index(params.integrator_ids, "supermicro")
    w2, r = step(w, idle(w, order_count=orders(w, XAI, h100, 100, sm)))
    unit = compute.unit_price(params, w)[0, h100] * params.integrator_markup[sm]
    assert r.flows[0, XAI, economy.FLOW_INDEX["gpus"]] == pytest.approx(-100 * unit)


def test_orders_beyond_cash_are_cut_and_reported(world, params):
    w = blank(world, cash=np.full_like(world.cash, 1e6))
    w2, r = step(w, idle(w, order_count=orders(w, XAI, gpu(params, "H100"), 1000)))
    assert 0 < r.ordered[0, XAI].sum() < 1000
    assert r.refused[0, XAI] & codes.ORDER_NO_CASH
    assert -r.flows[0, XAI, economy.FLOW_INDEX["gpus"]] <= 1e6


def test_nvidia_never_ships_more_than_its_quarterly_supply(world, params):
    w = blank(world, cash=np.full_like(world.cash, 1e13))
    h100 = gpu(params, "H100")
    order = orders(w, slice(None), h100, 10_000_000)
    supply = params.supply_per_quarter[0, h100]
    w2, r = step(w, idle(w, order_count=order))
    assert r.ordered[:, :, h100].sum(1).max() <= supply
    w3, r2 = step(w2, idle(w2, order_count=order))
    assert r.ordered[:, :, h100].sum(1).max() + r2.ordered[:, :, h100].sum(1).max() <= supply
    assert r2.refused[0, XAI] & codes.ORDER_NO_SUPPLY


def test_a_gpu_cannot_be_ordered_before_it_ships(world, params):
    w = blank(world, cash=np.full_like(world.cash, 1e12))
    _, r = step(w, idle(w, order_count=orders(w, XAI, gpu(params, "GB200"), 1000)))
    assert r.ordered.sum() == 0
    assert r.refused[0, XAI] & codes.ORDER_NOT_ON_SALE


# ------------------------------------------------------------------ power, sites
def test_installs_never_exceed_the_power_a_lab_has_at_the_site(world, params):
    memphis, h100 = site(params, "memphis"), gpu(params, "H100")
    hall = np.zeros_like(world.hall_mw)
    hall[:, XAI, memphis] = 300
    alloc = np.zeros_like(world.grid_alloc)
    alloc[:, XAI, memphis] = 30  # 30 MW of power: 20,000 H100 at 1.5 kW
    warehouse = np.zeros_like(world.warehouse)
    warehouse[:, XAI, h100] = 50_000
    w = blank(
        world, hall_mw=hall, grid_alloc=alloc, warehouse=warehouse, grid_mw=np.full_like(world.grid_mw, 30.0)
    )
    w2, r = step(w, idle(w))
    assert r.installed[0, XAI, h100] == 20_000
    assert w2.warehouse[0, XAI, h100] == 30_000
    assert compute.installed_mw(params, w2)[0, XAI, memphis] <= 30 + 1e-9


def test_halls_are_built_at_the_site_speed_and_paid_as_built(world, params):
    memphis = site(params, "memphis")
    w = blank(world, cash=np.full_like(world.cash, 1e11))
    build = np.zeros_like(w.hall_mw)
    build[:, XAI, memphis] = 100
    w2, r = step(w, idle(w, build_mw=build))
    rate = params.site_build_mw_per_week[memphis]
    assert w2.hall_mw[0, XAI, memphis] == pytest.approx(rate)
    assert r.flows[0, XAI, economy.FLOW_INDEX["halls"]] == pytest.approx(
        -rate * params.site_build_usd_per_mw[memphis]
    )
    w3, _ = weeks(w2, 30)
    assert w3.hall_mw[0, XAI, memphis] == pytest.approx(100)


def test_turbines_run_after_their_lead_time_and_respect_the_site_limit(world, params):
    memphis = site(params, "memphis")
    w = blank(world, cash=np.full_like(world.cash, 1e11))
    order = np.zeros_like(w.turbine_mw)
    order[:, XAI, memphis] = 10_000  # far more than the site allows
    w2, r = step(w, idle(w, turbine_mw=order))
    assert r.refused[0, XAI] & codes.TURBINE_LIMIT
    assert w2.turbine_pending[0, XAI, memphis] == pytest.approx(params.site_turbine_max[memphis])
    w3, _ = weeks(w2, int(params.site_turbine_weeks[memphis]))
    assert w3.turbine_mw[0, XAI, memphis] == pytest.approx(params.site_turbine_max[memphis])


def test_a_substation_upgrade_adds_grid_power_to_the_lab_that_paid(world, params):
    dallas = site(params, "dallas")
    w = blank(world, cash=np.full_like(world.cash, 1e11))
    want = np.zeros(w.hall_mw.shape, bool)
    want[:, OPENAI, dallas] = True
    before = w.grid_mw[0, dallas]
    w2, _ = step(w, idle(w, substation=want))
    w3, _ = weeks(w2, int(params.site_substation_weeks[dallas]))
    gained = w3.grid_mw[0, dallas] - before
    assert gained == pytest.approx(
        min(params.site_substation_mw[dallas], params.site_grid_max[dallas] - before)
    )
    assert w3.grid_alloc[0, OPENAI, dallas] == pytest.approx(gained)


# ---------------------------------------------------------------------- training
def test_a_run_trains_posttrains_and_releases_at_its_capability(world, params):
    h100, memphis = gpu(params, "H100"), site(params, "memphis")
    installed = np.zeros_like(world.installed)
    installed[:, XAI, memphis, h100] = 50_000
    hall = np.zeros_like(world.hall_mw)
    hall[:, XAI, memphis] = 100
    alloc = np.zeros_like(world.grid_alloc)
    alloc[:, XAI, memphis] = 100
    split = world.split.copy()
    split[:, XAI] = [1.0, 0.0, 0.0]
    w = blank(
        with_rules(world, "training", capability_noise=0.0),
        installed=installed,
        hall_mw=hall,
        grid_alloc=alloc,
        split=split,
        best_model=np.zeros_like(world.best_model),
    )
    flop = 1e25
    w, _ = step(w, idle(w, start_flop=runs(w, XAI, flop)))
    assert (w.run_phase[:, XAI] == RUN_PRETRAIN).any()
    software_at_start = world.software[0, XAI]
    weeks_in_post = 0
    released = False
    for _ in range(60):
        if (w.run_phase[0, XAI] == RUN_POST).any():
            weeks_in_post += 1
            assert (w.run_done[0, XAI] <= w.run_flop[0, XAI]).all()
        w, r = step(w, idle(w))
        if r.released[0, XAI]:
            released = True
            assert r.released_capability[0, XAI] == pytest.approx(np.log10(flop) + software_at_start)
            break
    assert released
    assert weeks_in_post == params.rules.training.post_training_weeks
    assert w.best_model[0, XAI] == pytest.approx(np.log10(flop) + software_at_start)


def test_grok2_is_released_from_post_training_within_weeks(world):
    best = world.best_model[0, XAI]
    w, reports = weeks(world, 6)
    assert any(r.released[0, XAI] for r in reports)
    assert w.best_model[0, XAI] > best


def test_too_small_a_run_is_refused(world):
    _, r = step(world, idle(world, start_flop=runs(world, XAI, 1e10)))
    assert r.refused[0, XAI] & codes.RUN_TOO_SMALL


# ---------------------------------------------------------------------- research
def test_software_grows_at_the_baseline_rate_at_reference_inputs(world, params):
    r = params.rules.research
    ref = params.research_ref_flops[0]
    w = blank(
        world,
        staff_ramped=np.full_like(world.staff_ramped, r.ref_researchers),
        software=np.full_like(world.software, 1.0),  # nobody behind: no catch-up
        best_model=np.full_like(world.best_model, r.ai_rnd_start_capability),
    )
    gain = research.growth_per_week(params, w, np.full_like(w.cash, ref))
    assert gain * WEEKS_PER_YEAR == pytest.approx(np.log10(r.baseline_growth_per_year))


def test_research_speeds_up_with_compute_and_a_stronger_model(world, params):
    r = params.rules.research
    ref = params.research_ref_flops[0]
    w = blank(world, best_model=np.full_like(world.best_model, r.ai_rnd_start_capability))
    base = research.growth_per_week(params, w, np.full_like(w.cash, ref))
    more = research.growth_per_week(params, w, np.full_like(w.cash, 4 * ref))
    smart = attrs.evolve(w, best_model=np.full_like(w.best_model, params.agi_capability - 0.5))
    faster = research.growth_per_week(params, smart, np.full_like(w.cash, ref))
    assert (more > base).all() and (faster > base).all()


# -------------------------------------------------------------------------- money
def test_subscription_revenue_is_payers_times_price(world, params):
    w = blank(world)
    w2, r = step(w, idle(w))
    users = w2.users[0]
    expected = users * params.lab_paying_frac * params.lab_sub_price / params.rules.finance.weeks_per_month
    assert r.flows[0, :, economy.FLOW_INDEX["subscriptions"]] == pytest.approx(expected)


def test_users_move_toward_the_better_model(world):
    best = world.best_model.copy()
    best[:, XAI] = best[:, OPENAI] + 1.0
    w = attrs.evolve(world, best_model=best)
    share_before = world.users[0, XAI] / world.users[0].sum()
    w2, _ = weeks(w, 20)
    assert w2.users[0, XAI] / w2.users[0].sum() > share_before * 2


def test_a_round_closes_weeks_later_and_dilutes_the_founders_at_the_agreed_price(world, params):
    ask = np.zeros_like(world.cash)
    ask[:, XAI] = 5e9
    terms = economy.round_terms(params, world)
    w, r = step(world, idle(world, raise_usd=ask))
    committed = r.round_opened[0, XAI]
    assert 0 < committed <= 5e9 and r.raised[0, XAI] == 0
    assert w.round_pre[0, XAI] == pytest.approx(terms.pre_money[0, XAI])
    close = int(w.round_close[0, XAI])
    assert close - int(world.week[0]) == terms.close_weeks(params, np.array(committed))
    _, r2 = step(w, idle(w, raise_usd=ask))  # one round at a time
    assert r2.refused[0, XAI] & codes.RAISE_UNDER_WAY and r2.round_opened[0, XAI] == 0
    while int(w.week[0]) <= close:
        w, r = step(w, idle(w))
        assert r.raised[0, XAI] == 0 or int(r.week[0]) == close
    assert r.raised[0, XAI] == pytest.approx(committed)
    pre = terms.pre_money[0, XAI]
    assert w.founder_share[0, XAI] == pytest.approx(
        world.founder_share[0, XAI] * pre / (pre + committed), rel=1e-6
    )
    assert w.last_post[0, XAI] == pytest.approx(pre + committed) and w.round_usd[0, XAI] == 0
    _, r3 = step(w, idle(w, raise_usd=ask))  # and not again before the cooldown
    assert r3.refused[0, XAI] & codes.RAISE_TOO_SOON


def test_a_round_is_sized_by_traction_and_capped_by_the_step_up(world, params):
    f = params.rules.finance
    terms = economy.round_terms(params, world)
    expected = np.minimum(
        f.raise_max_fraction * terms.traction * terms.pre_money,
        params.round_market_usd[0] * world.mood[:, None],
    )
    assert terms.largest == pytest.approx(expected)
    # Worth far more than the last round: the price is capped at step_up_max x its post.
    rich = attrs.evolve(world, valuation=world.last_post * 10)
    high = economy.round_terms(params, rich)
    assert high.pre_money == pytest.approx(world.last_post * f.step_up_max)
    assert (high.traction > terms.traction).all()  # momentum counts as traction
    # Growing revenue raises more than shrinking revenue at the same value.
    growing = attrs.evolve(world, revenue_fast=world.revenue_slow * 2)
    shrinking = attrs.evolve(world, revenue_fast=world.revenue_slow * 0.5)
    assert (
        economy.round_terms(params, growing).largest >= economy.round_terms(params, shrinking).largest
    ).all()


def test_a_down_round_is_priced_below_the_last_and_costs_researchers(world, params):
    f = params.rules.finance
    poor = attrs.evolve(quiet(world), last_post=world.valuation * 3)
    terms = economy.round_terms(params, poor)
    assert terms.down.all() and (terms.pre_money < poor.last_post).all()
    ask = np.zeros_like(world.cash)
    ask[:, XAI] = 1e9
    w, _ = step(poor, idle(poor, raise_usd=ask))
    staff = None
    while w.round_usd[0, XAI] > 0:
        staff = w.staff[0, XAI]
        w, r = step(w, idle(w))
    assert r.down_round[0, XAI]
    t = params.rules.talent
    left = staff * (1 - f.down_round_attrition)
    assert left <= w.staff[0, XAI] <= left * (1 + t.max_growth_per_week) + 1e-3  # then hires again


def test_interest_rises_with_leverage(world, params):
    f = params.rules.finance
    for debt in (1e8, 2e9):
        w = attrs.evolve(world, debt=np.full_like(world.debt, debt))
        _, r = step(w, idle(w))
        leverage = debt / compute.book_value(params, w)[0, XAI]
        rate = f.interest_rate + f.interest_per_leverage * min(leverage, 2.0)
        rate += f.covenant_penalty_rate if leverage > f.covenant_ltv else 0.0
        assert r.flows[0, XAI, economy.FLOW_INDEX["interest"]] == pytest.approx(-debt * rate / WEEKS_PER_YEAR)


def test_a_covenant_breach_sweeps_cash_to_the_lenders(world, params):
    f = params.rules.finance
    book = compute.book_value(params, world)
    debt = book * (f.covenant_ltv + 0.2)
    w = attrs.evolve(world, debt=debt)
    w2, r = step(w, idle(w))
    assert r.covenant_breach[0, XAI]
    assert r.flows[0, XAI, economy.FLOW_INDEX["repaid"]] < 0
    assert w2.debt[0, XAI] < w.debt[0, XAI]
    calm = attrs.evolve(world, debt=book * (f.covenant_ltv - 0.2))
    _, r2 = step(calm, idle(calm))
    assert not r2.covenant_breach[0, XAI] and r2.flows[0, XAI, economy.FLOW_INDEX["repaid"]] == 0


def test_borrowing_is_limited_by_gpus_as_collateral(world, params):
    ask = np.full_like(world.cash, 1e13)
    w2, r = step(world, idle(world, borrow_usd=ask))
    assert r.refused[0, XAI] & codes.BORROW_LIMIT
    limit = params.rules.finance.loan_to_value * compute.book_value(params, world)[0, XAI]
    assert w2.debt[0, XAI] == pytest.approx(limit, rel=1e-6)


def test_a_lab_without_cash_or_credit_goes_bankrupt_and_stops(world, params):
    cash = world.cash.copy()
    cash[:, OPENAI] = -1.0
    w = attrs.evolve(world, cash=cash)
    w2, r = step(w, idle(w))
    assert r.went_bankrupt[0, OPENAI]
    assert w2.bankrupt[0, OPENAI] and not w2.done[0]
    w3, r3 = step(w2, idle(w2))
    assert (r3.flows[0, OPENAI] == 0).all()
    assert r3.compute[0, OPENAI].sum() == 0


def test_the_game_ends_when_a_human_lab_goes_bankrupt(colossus, catalog):
    from game.saves import initial_world, scenario_params

    p = scenario_params(colossus, catalog, humans=("xai",))
    w = initial_world(colossus, p, 2, seed=1)
    cash = w.cash.copy()
    cash[:, XAI] = -1.0
    w = attrs.evolve(w, cash=cash, debt=np.full_like(w.debt, 1e15))
    w2, r = step(w, idle(w))
    assert w2.done.all() and (w2.end_reason == END_BANKRUPT).all()
    assert (w2.winner != XAI).all()


# ------------------------------------------------------------------------- ending
def test_the_first_lab_to_release_an_agi_model_wins(world, params):
    best = world.best_model.copy()
    best[:, GOOGLE] = training.agi_threshold(params, world) + 0.1
    w = attrs.evolve(world, best_model=best)
    w2, r = step(w, idle(w))
    assert w2.done.all() and (w2.winner == GOOGLE).all() and (w2.end_reason == END_AGI).all()
    assert (w2.agi_week == world.week).all()


def test_same_week_agi_goes_to_the_higher_effective_compute(world, params):
    best = world.best_model.copy()
    best[:, XAI] = training.agi_threshold(params, world) + 0.1
    best[:, OPENAI] = training.agi_threshold(params, world) + 0.3
    w2, _ = step(attrs.evolve(world, best_model=best), idle(world))
    assert (w2.winner == OPENAI).all()


def test_at_the_last_week_the_strongest_model_wins_on_points(world, params):
    best = world.best_model.copy()
    best[:, XAI] = 29.0
    w = attrs.evolve(world, best_model=best, week=np.full_like(world.week, params.last_week))
    w2, _ = step(w, idle(w))
    assert w2.done.all() and (w2.end_reason == END_TIME).all() and (w2.winner == XAI).all()


def test_the_score_rewards_an_early_agi_win_and_the_founders_stake(world, params):
    best = world.best_model.copy()
    best[:, XAI] = training.agi_threshold(params, world) + 0.1
    w, _ = step(attrs.evolve(world, best_model=best), idle(world))
    points = economy.score(params, w)
    r = params.rules.score
    v = w.valuation
    stake = r.agi_win_points * r.stake_share_of_win * w.founder_share * v / (v + r.stake_value_ref_usd)
    early = (params.last_week - int(world.week[0])) / params.last_week
    assert points[0, XAI] == pytest.approx(
        r.agi_win_points * (1 + r.early_share_of_win * early) + stake[0, XAI]
    )
    assert points[0, OPENAI] == pytest.approx(stake[0, OPENAI])


def test_a_finished_game_does_not_change(world, params):
    best = world.best_model.copy()
    best[:, XAI] = params.agi_capability + params.rules.training.agi_band + 1
    w, _ = step(attrs.evolve(world, best_model=best), idle(world))
    w2, r = step(w, idle(w))
    assert (w2.week == w.week).all() and (w2.cash == w.cash).all()


# ------------------------------------------------------------------------- rentals
def offer(world, lab, partner, gpu, count, weeks=10, price=None, params=None, start=None, site=-1):
    B, L = world.cash.shape
    shape = (B, L)
    fields = {
        "offer_partner": np.full(shape, -1),
        "offer_gpu": np.zeros(shape, np.int64),
        "offer_count": np.zeros(shape, np.int64),
        "offer_start": np.zeros(shape, np.int64),
        "offer_weeks": np.zeros(shape, np.int64),
        "offer_price": np.zeros(shape),
        "offer_site": np.full(shape, -1),
    }
    labs = [lab] if isinstance(lab, int) else lab
    for li in labs:
        fields["offer_partner"][:, li] = partner
        fields["offer_gpu"][:, li] = gpu
        fields["offer_count"][:, li] = count
        fields["offer_weeks"][:, li] = weeks
        fields["offer_start"][:, li] = world.week if start is None else start
        fields["offer_price"][:, li] = params.partner_price[partner, gpu] * 1.2 if price is None else price
        fields["offer_site"][:, li] = site
    return idle(world, **fields)


def test_an_accepted_offer_is_a_contract_billed_weekly(world, params):
    w = blank(world, cash=np.full_like(world.cash, 1e11))
    coreweave, h100 = index(params.partner_ids, "coreweave"), gpu(params, "H100")
    price = params.partner_price[coreweave, h100] * 1.2
    w2, r = step(w, offer(w, OPENAI, coreweave, h100, 10_000, price=price, params=params))
    assert r.rented[0, OPENAI] == 10_000
    assert r.flows[0, OPENAI, economy.FLOW_INDEX["rent"]] == pytest.approx(-10_000 * price * 168)
    w3, reports = weeks(w2, 12)
    billed = [rep.flows[0, OPENAI, economy.FLOW_INDEX["rent"]] for rep in reports]
    assert sum(b != 0 for b in billed) == 9  # 10 weeks in all, then the contract ends
    assert (w3.contract_partner[0, OPENAI] == -1).all()


def test_a_partner_never_rents_beyond_its_capacity(world, params):
    w = blank(world, cash=np.full_like(world.cash, 1e13), valuation=np.full_like(world.valuation, 1e13))
    oracle, h100 = index(params.partner_ids, "oracle"), gpu(params, "H100")
    w2, r = step(w, offer(w, [XAI, OPENAI, GOOGLE], oracle, h100, 10_000_000, weeks=52, params=params))
    assert (r.offer_answer[0] != 0).all()  # nobody gets ten million
    capacity = params.partner_capacity[0, oracle, h100]
    assert compute.partner_rented(params, w2)[0, oracle, h100] <= capacity


def test_rented_gpus_add_compute(world, params):
    peak_before, _, _ = compute.lab_flops(params, world)
    w = attrs.evolve(world, contract_partner=np.full_like(world.contract_partner, -1))
    peak_after, _, _ = compute.lab_flops(params, w)
    assert peak_before[0, OPENAI] > 0 and peak_after[0, OPENAI] == 0


def test_a_bankrupt_lab_stops_paying_for_halls_under_construction(world, params):
    """Issue 13 failure 9: halls being built kept costing a bankrupt lab money."""
    building = np.zeros_like(world.hall_building)
    building[:, XAI, 0] = 200.0
    w = blank(world, hall_building=building, bankrupt=np.array([[True, False, False]] * world.batch))
    after, r = step(w, idle(w))
    assert (r.flows[:, XAI] == 0).all()
    assert (after.hall_mw[:, XAI] == w.hall_mw[:, XAI]).all()


def test_runs_sharing_training_compute_finish_as_the_engine_shares_it():
    """Runs share the training rate evenly while they are going (training.advance); the
    projection the screens show follows that: 10 and 30 FLOP at 10 a week end after 2
    weeks (sharing) and 4 (alone for the rest)."""
    from game.engine.training import finish_weeks

    assert finish_weeks(np.array([30.0, 10.0]), 10.0).tolist() == [4.0, 2.0]
    assert finish_weeks(np.array([5.0]), 0.0).tolist() == [np.inf]


def test_runway_counts_only_the_revenue_the_lab_keeps(world, params):
    """Microsoft's share of revenue is paid out every week: a lab that sold a share of
    its revenue burns more and has less runway (the dashboard and the AI read this)."""
    w = attrs.evolve(
        world,
        revenue_fast=np.full_like(world.revenue_fast, 5e7),
        revenue_share=np.zeros_like(world.revenue_share),
    )
    shared = attrs.evolve(w, revenue_share=np.full_like(w.revenue_share, 0.2))
    assert (economy.net_burn(params, shared) - economy.net_burn(params, w)) == pytest.approx(0.2 * 5e7)
    assert (economy.runway_weeks(params, shared)[:, :2] < economy.runway_weeks(params, w)[:, :2]).all()
