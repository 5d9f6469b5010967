"""The market rules: partners' pools shared with outside customers, a limit for one
customer, prices that rise with utilisation, rentals that ramp up, an extension that
prices only what it adds, and grid claims that cost a deposit, go to a seeded draw and
lapse when no hall draws on them."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from game.engine import compute, contracts, deals, economy, grid, terms
from game.engine.actions import Actions
from game.engine.params import HOURS_PER_WEEK
from game.engine.turn import finished as turn_finished
from game.engine.turn import step, working_copy
from game.saves import initial_world, load_scenario, save_doc, scenario_params, write_save
from tests.conftest import blank, idle, index
from tests.test_deals import make_offer

XAI, OPENAI, GOOGLE = 0, 1, 2


def with_contract(world, lab, slot, partner, gpu, count, price, start, end, site=-1):
    """The world with one contract put in a slot (for every game)."""
    changes = {}
    for name, value in (
        ("contract_partner", partner),
        ("contract_source", -1 if site >= 0 else partner),
        ("contract_site", site),
        ("contract_gpu", gpu),
        ("contract_count", count),
        ("contract_price", price),
        ("contract_start", start),
        ("contract_end", end),
        ("contract_later_price", 0.0),
        ("contract_reprice", -1),
    ):
        field = getattr(world, name).copy()
        field[:, lab, slot] = value
        changes[name] = field
    return attrs.evolve(world, **changes)


def at_week(world, week):
    return attrs.evolve(world, week=np.full_like(world.week, week))


# ------------------------------------------------------------------ pools and limits
def test_outside_customers_hold_part_of_every_pool(colossus, params):
    world = blank(initial_world(colossus, params, 2, seed=1))
    cap = params.partner_capacity[compute.week_row(params, world)]
    share = params.rules.deals.outside_demand_share
    assert share > 0
    np.testing.assert_allclose(compute.partner_free(params, world), cap * (1 - share))


def test_one_customer_gets_at_most_the_partners_limit_and_is_told_so(colossus, params):
    world = at_week(blank(initial_world(colossus, params, 3, seed=1)), 70)  # GB200 on sale at Oracle
    oracle, gb200 = index(params.partner_ids, "oracle"), index(params.gpu_ids, "GB200")
    row = compute.week_row(params, world)[0]
    limit = np.floor(params.partner_capacity[row, oracle, gb200] * params.partner_customer_share[oracle])
    assert (
        0
        < limit
        < params.partner_capacity[row, oracle, gb200] * (1 - params.rules.deals.outside_demand_share)
    )
    ans = deals.evaluate(params, world, make_offer(world, XAI, oracle, gb200, int(2 * limit), price=6.0))
    assert (ans.answer[:, XAI] == deals.COUNTER).all()
    assert (ans.reason[:, XAI] == deals.CUSTOMER_LIMIT).all()
    assert (ans.count[:, XAI] == limit).all() and (ans.customer_cap[:, XAI] == limit).all()
    # Holding the limit already, the next ask stalls for the same reason.
    held = with_contract(world, XAI, 0, oracle, gb200, int(limit), 4.0, 60, 200)
    again = deals.evaluate(params, held, make_offer(held, XAI, oracle, gb200, 5_000, price=6.0))
    assert (again.answer[:, XAI] == deals.STALL).all() and (
        again.reason[:, XAI] == deals.CUSTOMER_LIMIT
    ).all()
    # Another lab is not held back by it.
    other = deals.evaluate(params, held, make_offer(held, OPENAI, oracle, gb200, 5_000, price=20.0))
    assert (other.answer[:, OPENAI] == deals.ACCEPT).all()


@settings(max_examples=60, deadline=None)
@given(u1=st.floats(0, 1), u2=st.floats(0, 1))
def test_more_utilisation_never_lowers_the_markup(params, u1, u2):
    lo, hi = sorted((u1, u2))
    assert terms.utilisation_markup(params, np.array(lo)) <= terms.utilisation_markup(params, np.array(hi))


@settings(max_examples=40, deadline=None)
@given(held1=st.integers(0, 300_000), held2=st.integers(0, 300_000), ask=st.integers(1, 60_000))
def test_more_utilisation_never_lowers_a_partners_price(colossus, params, held1, held2, ask):
    """Whatever rivals hold of a pool, the more they hold the more the partner asks."""
    base = at_week(blank(initial_world(colossus, params, 1, seed=2)), 120)
    oracle, gb200 = index(params.partner_ids, "oracle"), index(params.gpu_ids, "GB200")
    prices = []
    for held in sorted((held1, held2)):
        w = with_contract(base, GOOGLE, 0, oracle, gb200, held, 4.0, 100, 300)
        w = with_contract(w, XAI, 0, oracle, gb200, 1, 4.0, 100, 300)  # keeps the answer's GPUs the same
        ans = deals.evaluate(params, w, make_offer(w, OPENAI, oracle, gb200, ask, price=50.0))
        prices.append(float(ans.required_price[0, OPENAI]))
    assert prices[0] <= prices[1] + 1e-9


def test_the_price_rises_past_the_knee_and_the_answer_says_why(colossus, params):
    world = at_week(blank(initial_world(colossus, params, 1, seed=2)), 120)
    oracle, gb200 = index(params.partner_ids, "oracle"), index(params.gpu_ids, "GB200")
    row = compute.week_row(params, world)[0]
    cap = params.partner_capacity[row, oracle, gb200]
    d = params.rules.deals
    quiet = deals.evaluate(params, world, make_offer(world, OPENAI, oracle, gb200, 1_000, price=50.0))
    assert float(quiet.utilisation[0, OPENAI]) < d.utilisation_knee
    busy = with_contract(
        world, GOOGLE, 0, oracle, gb200, int(cap * (0.95 - d.outside_demand_share)), 4.0, 100, 300
    )
    ans = deals.evaluate(params, busy, make_offer(busy, OPENAI, oracle, gb200, 1_000, price=50.0))
    assert float(ans.utilisation[0, OPENAI]) > d.utilisation_knee
    assert ans.required_price[0, OPENAI] > quiet.required_price[0, OPENAI] * 1.2
    # Offering the price it asked before the pool filled: a counter for utilisation.
    offer = make_offer(
        busy, OPENAI, oracle, gb200, 1_000, price=float(quiet.required_price[0, OPENAI]) * 1.01
    )
    countered = deals.evaluate(params, busy, offer)
    assert countered.answer[0, OPENAI] == deals.COUNTER and countered.reason[0, OPENAI] == deals.UTILISATION


def test_taking_the_last_of_a_pool_costs_several_times_its_price(colossus, params):
    """A lab that rents a pool to the last GPU pays for the scarcity it makes: three
    times the quiet price or more (the 2023 shortage's rents, P5), so that hoarding a
    partner's whole pool is not a cheap way to outbuild the field."""
    world = at_week(blank(initial_world(colossus, params, 1, seed=2)), 120)
    oracle, gb200 = index(params.partner_ids, "oracle"), index(params.gpu_ids, "GB200")
    row = compute.week_row(params, world)[0]
    cap = params.partner_capacity[row, oracle, gb200]
    d = params.rules.deals
    quiet = deals.evaluate(params, world, make_offer(world, OPENAI, oracle, gb200, 1_000, price=50.0))
    rest = int(cap * (1 - d.outside_demand_share)) - 1_000
    full = with_contract(world, GOOGLE, 0, oracle, gb200, rest, 4.0, 100, 300)
    last = deals.evaluate(params, full, make_offer(full, OPENAI, oracle, gb200, 1_000, price=50.0))
    assert float(last.utilisation[0, OPENAI]) > 0.99
    assert last.required_price[0, OPENAI] >= 3.0 * quiet.required_price[0, OPENAI]


# ------------------------------------------------------------------------- ramp
def test_a_rented_block_comes_online_over_weeks_and_a_larger_one_takes_longer(colossus, params):
    world = at_week(blank(initial_world(colossus, params, 1, seed=2)), 100)
    oracle, gb200 = index(params.partner_ids, "oracle"), index(params.gpu_ids, "GB200")
    rate = params.rules.deals.ramp_gpus_per_week

    def online(count, week):
        w = at_week(with_contract(world, OPENAI, 0, oracle, gb200, count, 4.0, 100, 300), week)
        return compute.rented_gpus(params, w)[0, OPENAI, gb200]

    assert online(int(5 * rate), 100) == rate
    assert online(int(5 * rate), 102) == 3 * rate
    assert online(int(5 * rate), 104) == 5 * rate and online(int(5 * rate), 150) == 5 * rate
    weeks_to_full = [
        next(t for t in range(100, 200) if online(n, t) == n) - 100 for n in (rate, 4 * rate, 9 * rate)
    ]
    assert weeks_to_full == sorted(weeks_to_full) and weeks_to_full[0] < weeks_to_full[-1]
    # A build to order at a site comes whole.
    abilene = index(params.site_ids, "abilene")
    built = with_contract(world, OPENAI, 0, oracle, gb200, int(5 * rate), 4.0, 100, 300, site=abilene)
    assert compute.rented_gpus(params, built)[0, OPENAI, gb200] == 5 * rate


def test_at_scale_renting_costs_more_than_owning(colossus, params):
    """200,000 GB200 for four years: the partner's price for the block (the rent owed
    from its first week, while it ramps up) against buying the GPUs, building halls
    for them and paying their power."""
    world = at_week(blank(initial_world(colossus, params, 1, seed=2)), 120)
    microsoft, gb200 = index(params.partner_ids, "microsoft"), index(params.gpu_ids, "GB200")
    weeks, count = 208, 200_000
    ans = deals.evaluate(
        params, world, make_offer(world, OPENAI, microsoft, gb200, count, weeks=weeks, price=50.0)
    )
    granted = int(ans.count[0, OPENAI])
    assert granted > 100_000
    rent = float(ans.required_price[0, OPENAI]) * granted * HOURS_PER_WEEK * weeks
    mw = granted * params.gpu_kw[gb200] / 1000.0
    servers = compute.server_price(params, world)[0, :, gb200].min() * granted
    halls = mw * params.site_build_usd_per_mw.min()
    power = mw * HOURS_PER_WEEK * weeks * params.site_power_usd_per_mwh.max()
    own = servers + halls + power
    assert rent > 1.3 * own, (rent / 1e9, own / 1e9)


# --------------------------------------------------------------------- extensions
def test_an_extension_prices_the_weeks_it_adds_not_the_weeks_owed(colossus, params):
    """250k H100 at $2.40 extended 52 weeks at $1.57: $2.40 to the old end, $1.57 after."""
    world = at_week(blank(initial_world(colossus, params, 1, seed=2)), 10)
    microsoft, h100 = index(params.partner_ids, "microsoft"), index(params.gpu_ids, "H100")
    world = with_contract(world, OPENAI, 0, microsoft, h100, 250_000, 2.40, 0, 40)
    penalty_before = float(deals.exit_penalty(params, world)[0, OPENAI, 0])
    bill_before = float(economy.rent_per_week(world)[0, OPENAI])
    a = make_offer(world, OPENAI, microsoft, h100, 0, weeks=52, price=1.57)
    a = a.replace(offer_contract=np.zeros_like(a.offer_contract))
    ans = deals.Answers.none(world.cash.shape)
    ans = attrs.evolve(
        ans,
        answer=np.full_like(ans.answer, deals.ACCEPT),
        contract=np.zeros_like(ans.contract),
        start=np.full_like(ans.start, 10),
        weeks=np.full_like(ans.weeks, 52),
        price=np.full_like(ans.price, 1.57),
    )
    s = working_copy(world)
    mask = np.zeros(world.cash.shape, bool)
    mask[:, OPENAI] = True
    contracts.amend(s, ans, mask)
    assert s.contract_end[0, OPENAI, 0] == 92
    assert s.contract_price[0, OPENAI, 0] == np.float32(2.40)
    assert float(economy.rent_per_week(s)[0, OPENAI]) >= bill_before - 1e-3
    assert float(deals.exit_penalty(params, s)[0, OPENAI, 0]) >= penalty_before
    owed = 250_000 * HOURS_PER_WEEK * (30 * 2.40 + 52 * 1.57)
    np.testing.assert_allclose(contracts.rent_left(s)[0, OPENAI, 0], owed, rtol=1e-6)
    # The later price starts the week the old term ends.
    later = working_copy(at_week(turn_finished(world, s), 40))
    deals.recover(params, later)
    assert (
        later.contract_price[0, OPENAI, 0] == np.float32(1.57) and later.contract_reprice[0, OPENAI, 0] == -1
    )


@settings(max_examples=60, deadline=None)
@given(
    old_price=st.floats(1.0, 8.0),
    new_price=st.floats(1.0, 8.0),
    added=st.integers(0, 50_000),
    more=st.integers(0, 104),
    week=st.integers(0, 39),
)
@example(old_price=4.0, new_price=1.0, added=2, more=0, week=0)  # found by hypothesis: the blend's last bit
@example(old_price=4.25, new_price=1.5, added=1, more=0, week=0)
def test_an_amendment_never_lowers_what_is_owed(colossus, params, old_price, new_price, added, more, week):
    base = at_week(blank(initial_world(colossus, params, 1, seed=2)), week)
    microsoft, h100 = index(params.partner_ids, "microsoft"), index(params.gpu_ids, "H100")
    w = with_contract(base, OPENAI, 0, microsoft, h100, 100_000, old_price, 0, 40)
    owed = float(contracts.rent_left(w)[0, OPENAI, 0])
    bill = float(economy.rent_per_week(w)[0, OPENAI])
    ans = attrs.evolve(
        deals.Answers.none(w.cash.shape),
        contract=np.zeros((1, 3), np.int64),
        start=np.full((1, 3), week),
        count=np.full((1, 3), added),
        weeks=np.full((1, 3), more),
        price=np.full((1, 3), new_price),
    )
    mask = np.zeros((1, 3), bool)
    mask[0, OPENAI] = True
    s = working_copy(w)
    contracts.amend(s, ans, mask)
    added_value = HOURS_PER_WEEK * new_price * (added * (40 - week + more) + 100_000 * more)
    np.testing.assert_allclose(contracts.rent_left(s)[0, OPENAI, 0], owed + added_value, rtol=1e-5)
    # A contract's price is stored in float32 (7 figures): the blended price of a few GPUs
    # added to 100,000 may round a half-step down, a few dollars on a $67M week.
    stored = float(np.finfo(np.float32).eps) * bill
    assert float(economy.rent_per_week(s)[0, OPENAI]) >= bill + added * new_price * HOURS_PER_WEEK * 0.999 - 1 - stored


# ------------------------------------------------------------------------- grid
def _asking_everywhere(world, labs):
    sub = np.zeros(world.hall_mw.shape, bool)
    sub[:, labs, :] = True
    return idle(world, substation=sub)


def test_a_claim_costs_a_deposit_and_a_larger_claim_never_costs_less(params):
    gains = np.linspace(0, 500, 11)
    cost = grid.claim_deposit(params, gains)
    assert cost[0] == 0 and (np.diff(cost) >= 0).all() and cost[-1] > 0


@settings(max_examples=50, deadline=None)
@given(mw1=st.floats(0, 1e4), mw2=st.floats(0, 1e4))
def test_a_larger_claim_never_costs_less(params, mw1, mw2):
    lo, hi = sorted((mw1, mw2))
    assert grid.claim_deposit(params, np.array(lo)) <= grid.claim_deposit(params, np.array(hi))


def test_ties_for_an_upgrade_go_to_a_seeded_draw_not_to_the_first_lab(colossus, params):
    world = blank(initial_world(colossus, params, 400, seed=3))
    world = attrs.evolve(world, cash=np.full_like(world.cash, 1e10))
    after, _ = step(world, _asking_everywhere(world, [XAI, OPENAI]))
    started = after.substation_left > 0
    assert started.mean() > 0.5
    xai_share = (after.substation_payer[started] == XAI).mean()
    assert 0.4 < xai_share < 0.6
    assert set(np.unique(after.substation_payer[started])) == {XAI, OPENAI}
    again, _ = step(world, _asking_everywhere(world, [XAI, OPENAI]))
    np.testing.assert_array_equal(again.substation_payer, after.substation_payer)  # seeded


def test_an_unused_claim_lapses_and_its_deposit_is_forfeit(colossus, params):
    world = blank(initial_world(colossus, params, 1, seed=3))
    dallas = index(params.site_ids, "dallas")
    lapse = params.rules.grid.claim_lapse_weeks
    alloc = world.grid_alloc.copy()
    alloc[:, OPENAI, dallas] = 40.0
    deposit = world.grid_deposit.copy()
    deposit[:, OPENAI, dallas] = float(grid.claim_deposit(params, 40.0))
    halls = world.hall_mw.copy()
    halls[:, XAI, dallas] = 10.0  # the other lab's hall draws on its own claim only
    alloc[:, XAI, dallas] = 10.0
    world = attrs.evolve(world, grid_alloc=alloc, grid_deposit=deposit, hall_mw=halls)
    no_deposit = attrs.evolve(world, grid_deposit=np.zeros_like(deposit))
    w = world
    for week in range(lapse):
        assert w.grid_alloc[0, OPENAI, dallas] == 40.0, week
        w, _ = step(w, Actions.idle(w))
    assert w.grid_alloc[0, OPENAI, dallas] == 0.0 and w.grid_deposit[0, OPENAI, dallas] == 0.0
    assert w.grid_alloc[0, XAI, dallas] == 10.0
    v = no_deposit
    for _ in range(lapse):
        v, _ = step(v, Actions.idle(v))
    np.testing.assert_allclose(w.cash[0, OPENAI], v.cash[0, OPENAI])  # none of the deposit came back


def test_a_hall_drawing_on_a_claim_keeps_it_and_brings_the_deposit_back(colossus, params):
    world = blank(initial_world(colossus, params, 1, seed=3))
    dallas = index(params.site_ids, "dallas")
    alloc, deposit, halls = world.grid_alloc.copy(), world.grid_deposit.copy(), world.hall_mw.copy()
    alloc[:, OPENAI, dallas] = 40.0
    deposit[:, OPENAI, dallas] = float(grid.claim_deposit(params, 40.0))
    halls[:, OPENAI, dallas] = 30.0
    world = attrs.evolve(world, grid_alloc=alloc, grid_deposit=deposit, hall_mw=halls)
    w = world
    w, report = step(w, Actions.idle(w))
    np.testing.assert_allclose(w.grid_deposit[0, OPENAI, dallas], grid.claim_deposit(params, 10.0))
    for _ in range(params.rules.grid.claim_lapse_weeks + 1):
        w, _ = step(w, Actions.idle(w))
    assert w.grid_alloc[0, OPENAI, dallas] == 30.0  # the unused 10 MW lapsed, the hall's 30 stay


# ------------------------------------------------------------------------ saves
DATA = Path(__file__).resolve().parent / "data" / "migrations"


def test_a_version_7_save_loads_and_plays_on(catalog):
    """A game saved by version 7 at week 40: it migrates, loads, and plays a week."""
    old = load_scenario(DATA / "v7-colossus-week40.toml", catalog)
    params = scenario_params(old, catalog)
    world = initial_world(old, params, 1, seed=old.meta.seed, offset=old.meta.game)
    assert int(world.week[0]) == 40 and (world.contract_partner >= 0).sum() > 0
    assert (
        (world.contract_reprice == -1).all()
        and (world.grid_deposit == 0).all()
        and (world.grid_idle == 0).all()
    )
    after, _ = step(world, Actions.idle(world))
    assert int(after.week[0]) == 41


def test_later_prices_and_grid_claims_round_trip_through_a_save(catalog, colossus, params, tmp_path):
    world = with_contract(
        at_week(initial_world(colossus, params, 1, seed=4), 10), OPENAI, 3, 2, 1, 5_000, 2.5, 0, 40
    )
    later, reprice = world.contract_later_price.copy(), world.contract_reprice.copy()
    later[0, OPENAI, 3], reprice[0, OPENAI, 3] = 1.75, 40
    idle_weeks, deposit = world.grid_idle.copy(), world.grid_deposit.copy()
    idle_weeks[0, XAI, 0], deposit[0, XAI, 0] = 7, 1.5e6
    world = attrs.evolve(
        world,
        contract_later_price=later,
        contract_reprice=reprice,
        grid_idle=idle_weeks,
        grid_deposit=deposit,
    )
    path = tmp_path / "save.toml"
    write_save(path, save_doc(colossus, world))
    again = initial_world(load_scenario(path, catalog), params, 1, seed=4)
    for name in ("contract_later_price", "contract_reprice", "grid_idle", "grid_deposit"):
        np.testing.assert_array_equal(getattr(again, name), getattr(world, name), err_msg=name)
