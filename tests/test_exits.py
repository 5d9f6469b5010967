"""Ways out of a commitment (engine/exits.py): halls stopped or paused, GPUs sold used,
contracts sublet; each rule on a small world, and the invariants with hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import compute, deals, economy, exits
from game.engine.state import EMPTY_CONTRACT
from game.engine.turn import step
from tests.conftest import blank, idle, index, quiet

XAI, OPENAI = 0, 1
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def building(world, mw=100.0, site="memphis", cash=1e11):
    s = index(world.params.site_ids, site)
    w = blank(quiet(world), cash=np.full_like(world.cash, cash))
    hall = np.zeros_like(w.hall_building)
    hall[:, XAI, s] = mw
    return step(w, idle(w, build_mw=hall))[0], s


def site_mask(world, s, value=True, dtype=bool):
    out = np.zeros(world.hall_mw.shape, dtype)
    out[:, XAI, s] = value
    return out


# ------------------------------------------------------------------ halls
def test_cancelling_halls_keeps_what_is_built_and_never_pays_for_the_rest(world, params):
    w, s = building(world)
    built, left = float(w.hall_mw[0, XAI, s]), float(w.hall_building[0, XAI, s])
    assert built > 0 and left > 0
    cash = float(w.cash[0, XAI])
    w2, r = step(w, idle(w, hall_cancel=site_mask(w, s)))
    assert w2.hall_building[0, XAI, s] == 0
    assert w2.hall_mw[0, XAI, s] == pytest.approx(built)  # the sunk part stays, as halls
    assert r.flows[0, XAI, economy.FLOW_INDEX["halls"]] == 0  # nothing more is paid
    assert w2.cash[0, XAI] <= cash + 1e-6 + r.flows[0, XAI].clip(0).sum()  # nothing refunded
    w3, _ = step(w2, idle(w2))
    assert w3.hall_mw[0, XAI, s] == pytest.approx(built)


def test_a_paused_site_keeps_its_progress_and_builds_nothing_until_resumed(world, params):
    w, s = building(world)
    built, left = float(w.hall_mw[0, XAI, s]), float(w.hall_building[0, XAI, s])
    w = step(w, idle(w, hall_pause=site_mask(w, s, 1, np.int64)))[0]
    for _ in range(3):
        w, r = step(w, idle(w))
        assert w.hall_paused[0, XAI, s]
        assert w.hall_mw[0, XAI, s] == pytest.approx(built)
        assert w.hall_building[0, XAI, s] == pytest.approx(left)
        assert r.flows[0, XAI, economy.FLOW_INDEX["halls"]] == 0
    w, r = step(w, idle(w, hall_pause=site_mask(w, s, -1, np.int64)))
    assert not w.hall_paused[0, XAI, s]
    assert w.hall_mw[0, XAI, s] > built
    assert r.flows[0, XAI, economy.FLOW_INDEX["halls"]] < 0


@FAST
@given(pause_weeks=st.integers(1, 6), cancel=st.booleans())
def test_paused_never_progresses_and_cancelled_never_refunds(world, pause_weeks, cancel):
    w, s = building(world)
    paid_before = -float(step(w, idle(w))[1].flows[0, XAI, economy.FLOW_INDEX["halls"]])
    assert paid_before > 0
    w = step(w, idle(w, hall_pause=site_mask(w, s, 1, np.int64), hall_cancel=site_mask(w, s, cancel)))[0]
    mw = float(w.hall_mw[0, XAI, s])
    for _ in range(pause_weeks):
        w, r = step(w, idle(w))
        assert w.hall_mw[0, XAI, s] == pytest.approx(mw)
        assert r.flows[0, XAI, economy.FLOW_INDEX["halls"]] == 0
        assert r.flows[0, XAI, economy.FLOW_INDEX["halls"]] <= 0  # halls never bring money back


# ------------------------------------------------------------------ sales
def with_gpus(world, gpu="H100", store=1000, inside=3000):
    p = world.params
    g, s = index(p.gpu_ids, gpu), index(p.site_ids, "memphis")
    w = blank(quiet(world), cash=np.full_like(world.cash, 1e10))
    warehouse = np.zeros_like(w.warehouse)
    warehouse[:, XAI, g] = store
    installed = np.zeros_like(w.installed)
    installed[:, XAI, s, g] = inside
    hall = np.zeros_like(w.hall_mw)
    hall[:, XAI, s] = 100.0
    import attrs

    return attrs.evolve(w, warehouse=warehouse, installed=installed, hall_mw=hall), g, s


def sell(world, g, n):
    out = np.zeros(world.warehouse.shape, np.int64)
    out[:, XAI, g] = n
    return out


def test_selling_takes_the_warehouse_first_and_pays_the_used_price(world, params):
    w, g, s = with_gpus(world)
    price = float(exits.used_price(params, w)[0, g])
    assert 0 < price < float(compute.unit_price(params, w)[0, g])  # used is below new
    w2, r = step(w, idle(w, sell_gpus=sell(w, g, 1500)))
    assert w2.warehouse[0, XAI, g] == 0
    assert w2.installed[0, XAI, s, g] == 2500
    assert r.flows[0, XAI, economy.FLOW_INDEX["gpu_sales"]] == pytest.approx(1500 * price)
    assert r.gpus_sold[0, XAI, g] == 1500


def test_an_older_gpu_fetches_less_than_a_newer_one(world, params):
    a100, h100 = index(params.gpu_ids, "A100"), index(params.gpu_ids, "H100")
    used = exits.used_price(params, world)[0]
    assert used[a100] < used[h100]


@FAST
@given(n=st.integers(-10, 10_000))
def test_selling_never_yields_more_than_the_used_price_nor_sells_what_is_not_owned(world, n):
    w, g, _ = with_gpus(world)
    owned = int(compute.owned_gpus(w)[0, XAI, g])
    price = float(exits.used_price(w.params, w)[0, g])
    w2, r = step(w, idle(w, sell_gpus=sell(w, g, n)))
    sold = int(r.gpus_sold[0, XAI, g])
    assert 0 <= sold <= min(max(n, 0), owned)
    assert r.flows[0, XAI, economy.FLOW_INDEX["gpu_sales"]] <= sold * price * (1 + 1e-12)
    assert int(compute.owned_gpus(w2)[0, XAI, g]) == owned - sold


# ------------------------------------------------------------------ sublets
def rented(world, partner="oracle", gpu="H100", count=10_000, price=3.0, weeks=52):
    import attrs

    p = world.params
    w = blank(quiet(world), cash=np.full_like(world.cash, 1e10))
    fields = {n: getattr(w, n).copy() for n in EMPTY_CONTRACT}
    fields["contract_partner"][:, XAI, 0] = index(p.partner_ids, partner)
    fields["contract_gpu"][:, XAI, 0] = index(p.gpu_ids, gpu)
    fields["contract_count"][:, XAI, 0] = count
    fields["contract_price"][:, XAI, 0] = price
    fields["contract_start"][:, XAI, 0] = w.week
    fields["contract_end"][:, XAI, 0] = w.week + weeks
    fields["contract_source"][:, XAI, 0] = index(p.partner_ids, partner)
    return attrs.evolve(w, **fields)


def slot0(world):
    out = np.zeros(world.contract_partner.shape, bool)
    out[:, XAI, 0] = True
    return out


def test_a_sublet_ends_the_contract_for_the_shortfall_below_the_exit_penalty(world, params):
    w = rented(world)
    cost = float(exits.sublet_cost(params, w)[0, XAI, 0])
    penalty = float(deals.exit_penalty(params, w)[0, XAI, 0])
    assert 0 < cost < penalty
    relationship = w.relationship.copy()
    w2, r = step(w, idle(w, sublet=slot0(w)))
    assert w2.contract_partner[0, XAI, 0] == -1
    assert r.flows[0, XAI, economy.FLOW_INDEX["sublet"]] == pytest.approx(-cost)
    assert r.flows[0, XAI, economy.FLOW_INDEX["exit_penalty"]] == 0
    assert (w2.relationship[0, XAI] >= relationship[0, XAI] - 1e-6).all()  # no grudge


def test_a_contract_below_the_market_sublets_for_the_discount_alone(world, params):
    w = rented(world, price=0.5)  # the outside customers pay at most the contract's price
    left = 52
    expected = 0.5 * params.rules.exits.sublet_discount * 10_000 * 168 * left
    assert exits.sublet_cost(params, w)[0, XAI, 0] == pytest.approx(expected)


def test_the_ai_pauses_halls_when_its_runway_is_short_and_resumes_later(world, params):
    from game.engine import policies

    w, s = building(world, cash=2e8)
    ctl = policies.make_controllers(params.catalog, params, {}, "normal", ai_labs=params.lab_ids)
    a = policies.decide(w, ctl)
    assert a.hall_pause[0, XAI, s] == 1
    import attrs

    rich = attrs.evolve(w, cash=np.full_like(w.cash, 1e12), hall_paused=site_mask(w, s))
    assert policies.decide(rich, ctl).hall_pause[0, XAI, s] == -1


def test_a_paused_site_leaves_the_burn_the_dashboard_shows():
    """A play-tester paused every site and the dashboard still read 'burn $353M/wk ($288M
    halls)' while cash fell by $65M a week: paused halls cost nothing, in the burn too."""
    from game.play import exits as ways_out
    from game.play import risk, views
    from game.play.session import Session

    s = Session.new("2024-07-colossus")
    building = risk.building_per_week(s.turn(XAI))
    assert building > 0  # Memphis is building halls at the start
    before = views.lab_view(s.turn(XAI)).burn
    s.decide(XAI, ways_out.PauseHalls("memphis"), confirmed=True)
    s.end_week()
    assert risk.building_per_week(s.turn(XAI)) == 0.0
    assert views.lab_view(s.turn(XAI)).burn < before - 0.5 * building
