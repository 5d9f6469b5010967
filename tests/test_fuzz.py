"""The engine under nonsense: weeks of random actions of every kind (indices out of
range, NaN, infinities, negative and huge numbers) must never crash it, break an
invariant, change a finished game, or let one game of a batch touch another."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import codes, deals
from game.engine.actions import Actions
from game.engine.state import array_fields, take
from game.engine.turn import step
from game.saves import initial_world, load_scenario, save_doc, write_save
from tests.invariants import check_week
from tests.test_invariants import nonsense_actions

pytestmark = pytest.mark.slow  # the long tier: `pytest -m slow`

B = 4
WEEKS = 30


def take_actions(a: Actions, index: list[int]) -> Actions:
    return Actions(**{f.name: getattr(a, f.name)[index] for f in attrs.fields(Actions)})


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), start=st.integers(0, 280), lone=st.integers(0, B - 1))
def test_weeks_of_nonsense_break_nothing_and_stay_in_their_game(
    colossus, params, tmp_path, seed, start, lone
):
    rng = np.random.default_rng(seed)
    world = initial_world(colossus, params, B, seed=seed)
    world = attrs.evolve(world, week=np.full(B, start, dtype=np.int64))
    alone = take(world, np.array([lone]))  # one of the games, played by itself
    for _ in range(WEEKS):
        actions = nonsense_actions(world, rng)
        after, report = step(world, actions)
        check_week(world, after, report)
        for name in array_fields():  # a finished game never changes
            old, new = getattr(world, name), getattr(after, name)
            assert np.array_equal(old[world.done], new[world.done]), f"{name} changed after the end"
        alone, _ = step(alone, take_actions(actions, [lone]))
        world = after
    for name in array_fields():
        assert np.array_equal(getattr(world, name)[[lone]], getattr(alone, name)), (
            f"game {lone}'s {name} depends on the other games of its batch"
        )
    # Whatever nonsense it took, each game saves and loads back exactly (issue 20: a value
    # the game accepts is a value it can save).
    for b in range(B):
        path = tmp_path / f"nonsense-{b}.toml"
        write_save(path, save_doc(colossus, world, b, humans=()))
        again = initial_world(load_scenario(path, params.catalog), params, 1)
        assert [
            n for n in array_fields() if getattr(world, n)[b : b + 1].tobytes() != getattr(again, n).tobytes()
        ] == []


def test_an_offer_at_a_site_that_does_not_exist_is_refused_and_stays_in_its_game(colossus, params):
    """Issue 13 failure 8: an offer_site past the last site was signed, and the contract
    leaked into the next game of the batch."""
    world = initial_world(colossus, params, 2, seed=1)
    a = Actions.idle(world)
    P = params.partner_ids.index("oracle")
    fields = {n: getattr(a, n).copy() for n in ("offer_partner", "offer_gpu", "offer_count", "offer_weeks",
                                                 "offer_price", "offer_site", "offer_start")}  # fmt: skip
    fields["offer_partner"][0, 0] = P
    fields["offer_gpu"][0, 0] = params.gpu_ids.index("H100")
    fields["offer_count"][0, 0] = 1000
    fields["offer_weeks"][0, 0] = 52
    fields["offer_price"][0, 0] = 5.0
    fields["offer_site"][0, 0] = len(params.site_ids) + 3
    after, report = step(world, a.replace(**fields))
    assert report.refused[0, 0] & codes.BAD_INDEX
    assert report.offer_answer[0, 0] == deals.NONE
    assert np.array_equal(
        after.contract_partner[1],
        step(take(world, np.array([1])), take_actions(a, [1]))[0].contract_partner[0],
    )
    assert (after.contract_site >= -1).all() and (after.contract_site < len(params.site_ids)).all()
