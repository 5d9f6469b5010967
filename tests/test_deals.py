"""Partners and negotiation (DESIGN 3.6): answers that make sense and cite reasons."""

from __future__ import annotations

import json

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.cli import main
from game.engine import compute, deals, economy, terms
from game.engine.actions import Actions
from game.engine.turn import negotiate_now, step
from game.saves import initial_world
from tests.conftest import index

XAI, OPENAI, GOOGLE = 0, 1, 2


def make_offer(
    world, lab, partner, gpu, count, weeks=52, price=3.0, start=None, site=-1, invest=0.0, share=0.0
):
    a = Actions.idle(world)
    a.offer_partner[:, lab] = partner
    a.offer_gpu[:, lab] = gpu
    a.offer_count[:, lab] = count
    a.offer_weeks[:, lab] = weeks
    a.offer_price[:, lab] = price
    a.offer_start[:, lab] = world.week if start is None else start
    a.offer_site[:, lab] = site
    a.offer_invest[:, lab] = invest
    a.offer_share[:, lab] = share
    return a


def ids(params, partner, gpu):
    return index(params.partner_ids, partner), index(params.gpu_ids, gpu)


def test_oracle_stalls_xai_100k_h100_at_memphis_within_8_weeks(colossus, params):
    world = initial_world(colossus, params, 200, seed=5)
    oracle, h100 = ids(params, "oracle", "H100")
    memphis = index(params.site_ids, "memphis")
    answers = []
    for start in (0, 4, 8):
        a = make_offer(world, XAI, oracle, h100, 100_000, weeks=104, price=3.5, start=start, site=memphis)
        ans = deals.evaluate(params, world, a)
        answers.append(ans)
        stalled = (ans.answer[:, XAI] == deals.STALL) | (ans.answer[:, XAI] == deals.REJECT)
        cited = np.isin(ans.reason[:, XAI], [deals.NO_POWER, deals.TOO_FAST])
        assert (stalled & cited).mean() > 0.9


def test_a_way_round_the_stall_is_a_site_with_power_and_time(colossus, params):
    world = initial_world(colossus, params, 50, seed=5)
    oracle, h100 = ids(params, "oracle", "H100")
    abilene = index(params.site_ids, "abilene")
    a = make_offer(world, XAI, oracle, h100, 100_000, weeks=104, price=3.5, start=40, site=abilene)
    ans = deals.evaluate(params, world, a)
    assert (ans.answer[:, XAI] == deals.ACCEPT).mean() > 0.9


def test_too_fast_names_the_earliest_start(colossus, params):
    world = initial_world(colossus, params, 4, seed=5)
    oracle, h100 = ids(params, "oracle", "H100")
    abilene = index(params.site_ids, "abilene")
    a = make_offer(world, XAI, oracle, h100, 100_000, weeks=104, price=3.5, start=4, site=abilene)
    ans = deals.evaluate(params, world, a)
    assert (ans.reason[:, XAI] == deals.TOO_FAST).all()
    rate = params.partner_build[oracle] * (1 + params.rules.deals.build_speed_per_year * (104 / 52 - 1))
    assert (ans.earliest_start[:, XAI] == np.ceil(100_000 / rate)).all()


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    lab=st.integers(0, 2),
    partner=st.integers(0, 2),
    gpu=st.integers(0, 6),
    count=st.integers(1, 3_000_000),
    weeks=st.integers(1, 300),
    start=st.integers(0, 120),
    price=st.floats(0.0, 12.0),
    site=st.integers(-1, 6),
    cash=st.floats(0, 1e11),
)
def test_answers_are_sound(colossus, params, seed, lab, partner, gpu, count, weeks, start, price, site, cash):
    world = initial_world(colossus, params, 1, seed=seed)
    c = world.cash.copy()
    c[:, lab] = cash
    world = attrs.evolve(world, cash=c)
    a = make_offer(world, lab, partner, gpu, count, weeks, price, start, site)
    ans = deals.evaluate(params, world, a)
    answer = int(ans.answer[0, lab])
    # The partner's cost this week (an older GPU's falls with each newer generation).
    cost = terms.partner_cost(params, world, np.full((1, 3), partner), np.full((1, 3), gpu))[0, lab]

    # Never below cost, never beyond capacity.
    if answer in (deals.ACCEPT, deals.COUNTER):
        assert ans.price[0, lab] >= cost > 0
        if site < 0:
            row = min(max(start, 0), params.last_week)
            free = params.partner_capacity[row, :, gpu] - compute.partner_rented(params, world)[0, :, gpu]
            assert ans.count[0, lab] <= max(free.max(), 0)
    # Same seed, same answer.
    again = deals.evaluate(params, world, a)
    assert int(again.answer[0, lab]) == answer and int(again.reason[0, lab]) == int(ans.reason[0, lab])
    # A higher price never turns an accept into a stall or a reject.
    if answer == deals.ACCEPT:
        higher = make_offer(world, lab, partner, gpu, count, weeks, price * 1.5 + 0.1, start, site)
        assert int(deals.evaluate(params, world, higher).answer[0, lab]) == deals.ACCEPT
    # More runway (cash) never makes the answer worse for credit reasons.
    if int(ans.reason[0, lab]) == deals.CREDIT:
        richer = attrs.evolve(world, cash=world.cash * 10 + 1e10)
        assert deals.evaluate(params, richer, a).count[0, lab] >= ans.count[0, lab]


def test_more_means_never_lower_the_credit_limit(colossus, params):
    world = initial_world(colossus, params, 1, seed=3)
    microsoft, gb200 = ids(params, "coreweave", "H100")
    a = make_offer(world, XAI, microsoft, gb200, 60_000, weeks=300, price=5.0)
    counts = []
    for cash in (1e8, 1e9, 1e10, 1e11):
        c = world.cash.copy()
        c[:, XAI] = cash
        w = attrs.evolve(world, cash=c, valuation=np.full_like(world.valuation, 1e9))
        counts.append(int(deals.evaluate(params, w, a).count[0, XAI]))
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_patience_runs_out_and_lowballing_hurts(colossus, params):
    world = initial_world(colossus, params, 1, seed=3)
    oracle, h100 = ids(params, "oracle", "H100")
    rel = world.relationship[0, XAI, oracle]
    answers = []
    for _ in range(int(params.partner_patience[oracle]) + 1):
        world, ans, _ = negotiate_now(world, make_offer(world, XAI, oracle, h100, 10_000, price=1.0))
        answers.append(int(ans.reason[0, XAI]))
    assert answers[0] == deals.BELOW_COST and answers[-1] == deals.PATIENCE
    assert world.relationship[0, XAI, oracle] < rel
    assert world.week[0] == 0  # talks between weeks do not advance time
    later = world
    for _ in range(3):
        later, _ = step(later, Actions.idle(later))
    assert later.patience[0, XAI, oracle] >= 3  # patience comes back week by week


def test_a_counter_accepted_becomes_a_contract(colossus, params):
    world = initial_world(colossus, params, 1, seed=3)
    coreweave, h100 = ids(params, "coreweave", "H100")
    world, ans, _ = negotiate_now(world, make_offer(world, OPENAI, coreweave, h100, 20_000, price=1.95))
    assert int(ans.answer[0, OPENAI]) == deals.COUNTER
    price = float(ans.price[0, OPENAI])
    world, ans2, _ = negotiate_now(world, make_offer(world, OPENAI, coreweave, h100, 20_000, price=price))
    assert int(ans2.answer[0, OPENAI]) == deals.ACCEPT
    signed = (world.contract_partner[0, OPENAI] == coreweave) & (world.contract_count[0, OPENAI] == 20_000)
    assert signed.sum() == 1


def test_microsoft_resells_oracle_capacity_to_openai_only(colossus, params):
    world = initial_world(colossus, params, 1, seed=3)
    microsoft, h200 = ids(params, "microsoft", "H200")
    oracle = index(params.partner_ids, "oracle")
    start = 4  # Microsoft has no H200 of its own until September 2024; Oracle does
    for_openai = deals.evaluate(
        params, world, make_offer(world, OPENAI, microsoft, h200, 5_000, price=12.0, start=start)
    )
    for_xai = deals.evaluate(
        params, world, make_offer(world, XAI, microsoft, h200, 5_000, price=12.0, start=start)
    )
    assert int(for_openai.answer[0, OPENAI]) == deals.ACCEPT
    assert int(for_xai.answer[0, XAI]) != deals.ACCEPT
    world, _, _ = negotiate_now(
        world, make_offer(world, OPENAI, microsoft, h200, 5_000, price=12.0, start=start)
    )
    slot = np.argmax(world.contract_count[0, OPENAI] == 5_000)
    assert (
        world.contract_partner[0, OPENAI, slot] == microsoft
        and world.contract_source[0, OPENAI, slot] == oracle
    )


def test_microsoft_invests_in_openai_for_a_share_of_revenue(colossus, params):
    world = initial_world(colossus, params, 1, seed=3)
    world = attrs.evolve(world, last_invest_week=world.last_invest_week - 104)  # its last was long ago
    owed = float(world.revenue_share[0, OPENAI])  # the scenario's share, owed from the start
    microsoft = index(params.partner_ids, "microsoft")
    low = make_offer(world, OPENAI, microsoft, 0, 0, invest=5e9, share=0.01)
    world, ans, flows = negotiate_now(world, low)
    assert int(ans.answer[0, OPENAI]) == deals.COUNTER
    share = float(ans.share[0, OPENAI])
    cash = world.cash[0, OPENAI]
    world, ans, flows = negotiate_now(
        world, make_offer(world, OPENAI, microsoft, 0, 0, invest=5e9, share=share)
    )
    assert int(ans.answer[0, OPENAI]) == deals.ACCEPT
    assert world.cash[0, OPENAI] == pytest.approx(cash + 5e9)
    assert world.revenue_share[0, OPENAI] == pytest.approx(owed + share)
    after, report = step(world, Actions.idle(world))
    revenue = (
        report.flows[0, OPENAI, economy.FLOW_INDEX["subscriptions"]]
        + report.flows[0, OPENAI, economy.FLOW_INDEX["api"]]
    )
    assert report.flows[0, OPENAI, economy.FLOW_INDEX["partner_share"]] == pytest.approx(
        -(owed + share) * revenue
    )


def test_microsoft_invests_once_every_two_years_not_again_the_same_week(colossus, params):
    """A playtester pressed Enter twelve times and owed Microsoft 90% of revenue for
    $114B in one week: the partner invests once per invest_every_weeks (M8)."""
    world = initial_world(colossus, params, 1, seed=3)
    assert int(world.last_invest_week[0, OPENAI]) == -77  # the scenario's January 2023 (M8)
    world = attrs.evolve(world, last_invest_week=world.last_invest_week - 104)
    microsoft = index(params.partner_ids, "microsoft")
    offer = make_offer(world, OPENAI, microsoft, 0, 0, invest=5e9, share=0.5)
    world, ans, _ = negotiate_now(world, offer)
    assert int(ans.answer[0, OPENAI]) == deals.ACCEPT
    share, cash = float(world.revenue_share[0, OPENAI]), float(world.cash[0, OPENAI])
    again = make_offer(world, OPENAI, microsoft, 0, 0, invest=5e9, share=0.5)
    patience = float(world.patience[0, OPENAI, microsoft])
    world, ans, _ = negotiate_now(world, again)
    assert (int(ans.answer[0, OPENAI]), int(ans.reason[0, OPENAI])) == (deals.REJECT, deals.TOO_SOON)
    assert float(world.patience[0, OPENAI, microsoft]) == patience  # "not yet" costs no round of talks
    assert float(world.revenue_share[0, OPENAI]) == share and float(world.cash[0, OPENAI]) == cash
    every = int(params.partner_invest_every[microsoft])
    later = attrs.evolve(world, last_invest_week=world.last_invest_week - every)
    _, ans, _ = negotiate_now(later, make_offer(later, OPENAI, microsoft, 0, 0, invest=5e9, share=0.5))
    assert int(ans.answer[0, OPENAI]) == deals.ACCEPT


def test_leaving_a_contract_early_costs_the_penalty(colossus, params):
    world = initial_world(colossus, params, 1, seed=3)
    slot = int(np.argmax(world.contract_partner[0, XAI] >= 0))
    a = Actions.idle(world)
    a.exit[:, XAI, slot] = True
    after, report = step(world, a)
    left = world.contract_end[0, XAI, slot] - world.week[0]
    partner = world.contract_partner[0, XAI, slot]
    value = world.contract_count[0, XAI, slot] * world.contract_price[0, XAI, slot] * 168 * left
    assert report.flows[0, XAI, economy.FLOW_INDEX["exit_penalty"]] == pytest.approx(
        -params.partner_exit_penalty[partner] * value
    )
    assert after.contract_partner[0, XAI, slot] == -1
    assert after.relationship[0, XAI, partner] < world.relationship[0, XAI, partner]


def test_a_build_at_a_site_holds_its_power_and_may_slip(colossus, params):
    world = initial_world(colossus, params, 300, seed=4)
    oracle, h100 = ids(params, "oracle", "H100")
    abilene = index(params.site_ids, "abilene")
    free = deals.site_free_mw(params, world)[0, abilene]
    world, _, _ = negotiate_now(
        world, make_offer(world, XAI, oracle, h100, 60_000, weeks=104, price=3.5, start=30, site=abilene)
    )
    held = compute.partner_site_mw(params, world)[:, abilene]
    assert held == pytest.approx(np.full(300, 60_000 * 1.5 / 1000))
    assert deals.site_free_mw(params, world)[:, abilene] == pytest.approx(free - held)
    starts = []
    for _ in range(25):
        world, _ = step(world, Actions.idle(world))
    built = world.contract_site[:, XAI] == abilene
    starts = world.contract_start[:, XAI][built]
    assert (starts >= 30).all() and (starts > 30).mean() > 0.3


def test_the_offer_command_prints_the_answer(capsys):
    argv = ["offer", "--scenario", "2024-07-colossus", "--lab", "xai", "--partner", "oracle", "--gpu", "H100",
            "--count", "100000", "--term", "104", "--price", "3", "--site", "memphis", "--start-week", "8", "--json"]  # fmt: skip
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["answer"] == "stall" and doc["reason"] == "no_power" and "MW" in doc["message"]
    assert main(["offer", "--scenario", "2024-07-colossus", "--lab", "xai", "--partner", "coreweave", "--gpu", "H100",
                 "--count", "10000", "--term", "52", "--price", "2.0", "--json"]) == 0  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert doc["answer"] == "counter" and doc["terms"]["price"] > 2.0
    # xAI already rents 24,000 of Oracle's H100, all Oracle gives one customer.
    assert main(["offer", "--scenario", "2024-07-colossus", "--lab", "xai", "--partner", "oracle", "--gpu", "H100",
                 "--count", "10000", "--term", "52", "--price", "2.5", "--json"]) == 0  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert doc["answer"] == "stall" and doc["reason"] == "customer_limit"


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--lab", "meta"], "--lab"),
        (["--partner", "aws"], "unknown partner"),
        (["--gpu", "TPU"], "unknown GPU"),
        (["--price", "-1"], "--price"),
        (["--site", "mars"], "unknown site"),
    ],
)
def test_bad_offers_exit_2(capsys, argv, needle):
    base = {
        "--lab": "xai",
        "--partner": "oracle",
        "--gpu": "H100",
        "--count": "10",
        "--term": "10",
        "--price": "3",
    }
    for flag, value in zip(argv[::2], argv[1::2], strict=True):
        base[flag] = value
    args = ["offer", "--scenario", "2024-07-colossus"] + [x for kv in base.items() for x in kv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
