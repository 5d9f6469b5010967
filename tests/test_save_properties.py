"""Saves under random and nonsensical play (issue 13): every state the engine reaches
saves and loads back exactly, a loaded save continues as the game that never stopped,
and the action log written for any actions loads and replays to the same game."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import saves
from game.engine.state import array_fields
from game.engine.turn import step
from game.saves import initial_world, load_scenario, save_doc, write_save
from tests.test_invariants import actions_for

pytestmark = pytest.mark.slow  # the long tier: `pytest -m slow`

B = 2
FAST = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                            HealthCheck.function_scoped_fixture]
)  # fmt: skip


def differ(a, b, index=0) -> list[str]:
    """World fields where game `index` of `a` differs from game 0 of `b` (bit for bit:
    the bytes, so -0.0 and 0.0 or two NaNs count as what they are)."""
    return [
        n for n in array_fields()
        if getattr(a, n)[index : index + 1].tobytes() != getattr(b, n)[:1].tobytes()
    ]  # fmt: skip


def one(world, index):
    return attrs.evolve(world, **{n: getattr(world, n)[index : index + 1] for n in array_fields()})


@FAST
@given(data=st.data(), seed=st.integers(0, 2**32), start=st.integers(0, 330), weeks=st.integers(1, 6))
def test_every_state_reached_saves_and_loads_back_exactly(
    colossus, params, tmp_path, data, seed, start, weeks
):
    world = initial_world(colossus, params, B, seed=seed)
    world = attrs.evolve(world, week=np.full(B, start, dtype=np.int64))
    log = []
    for _ in range(weeks):
        actions = data.draw(actions_for(world))
        if not world.done[0]:  # a finished game takes no more decisions
            log.append(saves.log_entry(actions, 0, 0, int(world.week[0]), params))
        world, _ = step(world, actions)
    for b in range(B):
        path = tmp_path / f"game{b}.toml"
        write_save(path, save_doc(colossus, world, b, log=[e for e in log if b == 0], humans=()))
        loaded = load_scenario(path, params.catalog)
        again = initial_world(loaded, params, 1)
        assert differ(world, again, b) == []
        # ... and it continues as the game that never stopped.
        mine = one(world, b)
        for _ in range(2):
            actions = data.draw(actions_for(mine))
            mine, r1 = step(mine, actions)
            again, r2 = step(again, actions)
            assert differ(mine, again) == []


@FAST
@given(data=st.data(), seed=st.integers(0, 2**32), weeks=st.integers(1, 8))
def test_the_log_of_any_actions_loads_and_replays_to_the_same_game(
    colossus, params, tmp_path, data, seed, weeks
):
    """Every lab's actions logged each week, whatever they were (NaN, negative, huge,
    offers to partners that do not exist): the save loads and its replay from the
    scenario reaches the saved state. (An infinite offer price is left out: the deals
    rules read it as the highest price and as none at once, so no logged number can
    stand for it; the game refuses one before it reaches the engine.)"""
    from game.play.replay import replay

    world = initial_world(colossus, params, 1, seed=seed)
    log = []
    for _ in range(weeks):
        actions = data.draw(actions_for(world))
        actions = actions.replace(
            offer_price=np.where(np.isposinf(actions.offer_price), 0.0, actions.offer_price)
        )
        if not world.done[0]:
            log += [
                saves.log_entry(actions, 0, lab, int(world.week[0]), params) for lab in range(params.n_labs)
            ]
        world, _ = step(world, actions)
    path = tmp_path / "logged.toml"
    write_save(path, save_doc(colossus, world, 0, log=log, humans=()))
    ok, message = replay(load_scenario(path, params.catalog), params.catalog)
    assert ok, message
