"""Invariants under arbitrary actions (hypothesis) and under the AI players."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import policies
from game.engine.actions import Actions
from game.engine.turn import step
from game.saves import initial_world
from tests.invariants import check_week

pytestmark = pytest.mark.slow  # the long tier: `pytest -m slow`

B = 3

SPECIAL = np.array([0.0, -1.0, 1e30, np.nan, np.inf, -np.inf])


def _floats(rng: np.random.Generator, mode: str, shape, hi: float) -> np.ndarray:
    if mode == "zero":
        return np.zeros(shape)
    if mode == "range":
        return rng.uniform(0, hi, shape) * (rng.random(shape) < 0.5)
    if mode == "negative":
        return -rng.uniform(0, hi, shape)
    return rng.choice(SPECIAL, shape)


def _ints(rng: np.random.Generator, mode: str, shape, lo: int, hi: int) -> np.ndarray:
    if mode == "zero":
        return np.zeros(shape, np.int64)
    if mode == "special":
        return rng.choice(np.array([lo, hi, 0, -1, 2**31]), shape).astype(np.int64)
    values = rng.integers(lo, hi + 1, shape)
    return np.where(rng.random(shape) < 0.5, values, 0) if mode == "range" else -np.abs(values)


MODES = ("zero", "range", "negative", "special")


def nonsense_actions(world, rng: np.random.Generator) -> Actions:
    """Actions of every kind of value, field by field (none, ordinary, negative, absurd:
    NaN, inf, 1e30, indices out of range), drawn from `rng`."""
    return _actions(world, rng, lambda: MODES[rng.integers(len(MODES))], lambda: rng.choice([0.0, 0.3, 1.0]))


@st.composite
def actions_for(draw, world):
    """Arbitrary actions: hypothesis picks, per field, a kind of value (none, ordinary,
    negative, absurd: NaN, inf, 1e30) and a seed that fills the arrays."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32)))
    return _actions(
        world, rng, lambda: draw(st.sampled_from(MODES)), lambda: draw(st.sampled_from([0.0, 0.3, 1.0]))
    )


def _actions(world, rng, mode, share) -> Actions:
    B_, L = world.cash.shape
    G, S = world.warehouse.shape[2], world.hall_mw.shape[2]
    V, P = len(world.params.integrator_ids), len(world.params.partner_ids)

    def f(shape, hi):
        return _floats(rng, mode(), shape, hi)

    def i(shape, lo, hi):
        return _ints(rng, mode(), shape, lo, hi)

    return Actions(
        order_count=i((B_, L, V, G), 0, 2_000_000),
        build_mw=f((B_, L, S), 2000),
        turbine_mw=f((B_, L, S), 1000),
        substation=rng.random((B_, L, S)) < share(),
        split=f((B_, L, 3), 1.0),
        start_flop=f((B_, L, world.run_phase.shape[2]), 1e28),
        offer_partner=i((B_, L), -2, P + 1),
        offer_gpu=i((B_, L), -2, G + 1),
        offer_count=i((B_, L), 0, 2_000_000),
        offer_start=i((B_, L), -5, 400),
        offer_weeks=i((B_, L), -5, 600),
        offer_price=f((B_, L), 10.0),
        offer_site=i((B_, L), -2, S + 1),
        offer_invest=f((B_, L), 2e10),
        offer_share=f((B_, L), 1.0),
        offer_contract=i((B_, L), -2, world.contract_partner.shape[2] + 1),
        exit=rng.random(world.contract_partner.shape) < share() / 3,
        raise_usd=f((B_, L), 1e11),
        borrow_usd=f((B_, L), 1e11),
        repay_usd=f((B_, L), 1e11),
        staff_usd_week=f((B_, L), 1e8),
        hall_cancel=rng.random((B_, L, S)) < share() / 3,
        hall_pause=i((B_, L, S), -2, 3),
        sell_gpus=i((B_, L, G), 0, 2_000_000),
        sublet=rng.random(world.contract_partner.shape) < share() / 3,
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data(), seed=st.integers(0, 2**32), start=st.integers(0, 300))
def test_invariants_hold_under_any_actions(colossus, params, data, seed, start):
    world = initial_world(colossus, params, B, seed=seed)
    world = attrs.evolve(world, week=np.full(B, start, dtype=np.int64))
    for _ in range(8):
        actions = data.draw(actions_for(world))
        after, report = step(world, actions)
        check_week(world, after, report)
        world = after


@pytest.mark.long
def test_invariants_hold_through_whole_games_played_by_the_ai(colossus, params, catalog):
    world = initial_world(colossus, params, 24, seed=11)
    ctl = policies.make_controllers(catalog, params)
    for _ in range(params.last_week + 1):
        if world.done.all():
            break
        after, report = step(world, policies.decide(world, ctl))
        check_week(world, after, report)
        world = after
    assert world.done.all()
