"""The events deck (DESIGN 3.8): cards fire at their rates, only where their conditions
hold, and do what they say."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from game.engine import economy, events, policies
from game.engine.actions import Actions
from game.engine.turn import step
from game.saves import initial_world, scenario_params


def card(catalog, card_id):
    return next(c for c in catalog.events if c.id == card_id)


def with_cards(colossus, catalog, **overrides):
    """Params whose deck has the given cards' fields replaced (e.g. probability=1)."""
    deck = tuple(attrs.evolve(c, **overrides[c.id]) if c.id in overrides else c for c in catalog.events)
    return scenario_params(colossus, attrs.evolve(catalog, events=deck), humans=())


def test_the_deck_has_the_july_2024_threads(catalog):
    ids = {c.id for c in catalog.events}
    assert len(ids) >= 30
    for thread in ("grok2-lands", "gb200-slips", "memphis-turbine-fine", "oracle-power-worries", "hopper-shortage",
                   "export-controls", "researchers-leave", "funding-boom", "funding-bust", "rival-leak",
                   "memphis-storm", "datacenter-fire", "gpu-price-war"):  # fmt: skip
        assert thread in ids


@pytest.mark.parametrize("card_id", ["funding-boom", "talent-war", "open-weights-release", "service-outage"])
def test_cards_fire_at_their_stated_rate(colossus, params, catalog, card_id):
    n = 20_000  # a card at 1% a week that fired at 2% would be 14 sigma out; 100,000 games took 1.3 GB
    world = initial_world(colossus, params, n, seed=9)
    _, report = step(world, Actions.idle(world))
    c = [x.id for x in catalog.events].index(card_id)
    spec = card(catalog, card_id)
    fired = report.events[:, :, c]
    rate = fired[:, 0].mean() if spec.scope == "game" else fired.mean()
    draws = n if spec.scope == "game" else n * fired.shape[1]
    sigma = np.sqrt(spec.probability * (1 - spec.probability) / draws)
    assert abs(rate - spec.probability) < 5 * sigma + 1e-12


@pytest.mark.slow
def test_cards_never_fire_outside_their_conditions(colossus, params, catalog):
    world = initial_world(colossus, params, 400, seed=2)
    ctl = policies.make_controllers(catalog, params)
    for _ in range(60):
        eligible = events.eligible(params, world)
        after, report = step(world, policies.decide(world, ctl))
        lab_cards = np.array([c.scope == "lab" for c in catalog.events])
        fired = report.events[..., lab_cards]
        assert not (fired & ~eligible[..., lab_cards]).any()
        game = report.events[:, 0, ~lab_cards]
        assert not (game & ~eligible[:, 0, ~lab_cards]).any()
        world = after


def test_a_once_card_fires_once(colossus, catalog):
    params = with_cards(colossus, catalog, **{"oracle-power-worries": {"probability": 1.0}})
    world = initial_world(colossus, params, 5, seed=1)
    c = [x.id for x in catalog.events].index("oracle-power-worries")
    fires = 0
    for _ in range(10):
        world, report = step(world, Actions.idle(world))
        fires += report.events[0, 0, c]
    assert fires == 1
    oracle = params.partner_ids.index("oracle")
    assert world.relationship[0, 0, oracle] < 0


def test_a_fine_is_paid_through_the_ledger(colossus, catalog):
    params = with_cards(colossus, catalog, **{"memphis-turbine-fine": {"probability": 1.0}})
    world = initial_world(colossus, params, 3, seed=1)
    memphis = params.site_ids.index("memphis")
    turbines = world.turbine_mw.copy()
    turbines[:, 0, memphis] = 100
    world = attrs.evolve(world, turbine_mw=turbines, hall_mw=world.hall_mw + 0)
    c = [x.id for x in catalog.events].index("memphis-turbine-fine")
    _, report = step(world, Actions.idle(world))
    assert report.events[:, 0, c].all() and not report.events[:, 1, c].any()
    fine = report.event_values[:, 0, c]
    assert (fine < 0).all()
    assert report.flows[:, 0, economy.FLOW_INDEX["events"]] == pytest.approx(fine)


def test_an_outage_cuts_grid_power_for_its_weeks(colossus, catalog):
    params = with_cards(colossus, catalog, **{"memphis-storm": {"probability": 1.0, "cooldown_weeks": 1000}})
    world = initial_world(colossus, params, 2, seed=1)
    from game.engine import compute

    world, report = step(world, Actions.idle(world))
    c = [x.id for x in catalog.events].index("memphis-storm")
    weeks = int(report.event_values[0, 0, c])
    memphis = params.site_ids.index("memphis")
    assert weeks >= 1 and world.outage_left[0, memphis] == weeks - 0
    assert compute.power_mw(world)[0, 0, memphis] == pytest.approx(world.turbine_mw[0, 0, memphis])
    for _ in range(weeks):
        world, _ = step(world, Actions.idle(world))
    assert world.outage_left[0, memphis] == 0


def test_a_gpu_delay_holds_back_orders(colossus, catalog):
    params = with_cards(colossus, catalog, **{"gb200-slips": {"probability": 1.0}})
    world = initial_world(colossus, params, 1, seed=1)
    world, report = step(world, Actions.idle(world))
    gb200 = params.gpu_ids.index("GB200")
    assert world.gpu_delay[0, gb200] >= 4
    late = attrs.evolve(world, week=np.array([int(params.gpu_available_week[gb200]) + 1]))
    a = Actions.idle(late)
    a.order_count[0, 0, 0, gb200] = 100
    _, report = step(late, a)
    assert report.ordered[0, 0, gb200] == 0
