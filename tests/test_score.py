"""The score makes winning the point: the win outweighs every other part together,
earliness is worth at most a third of a win, and dilution costs in proportion to the
stake given up."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.catalog import CatalogError, load_catalog
from game.engine import economy
from game.engine.state import END_AGI, END_TIME
from game.paths import assets_dir

shares = st.floats(0.0, 1.0)
values = st.floats(0.0, 1e14)
weeks = st.integers(0, 400)


def ended(world, params, winner: int, agi_week: int, share: list[float], value: list[float], broke=None):
    """The game `world` (not changed) ended by `winner` reaching AGI in `agi_week`."""
    L = world.cash.shape[1]
    return attrs.evolve(
        world,
        end_reason=np.full_like(world.end_reason, END_AGI),
        winner=np.full_like(world.winner, winner),
        agi_week=np.full_like(world.agi_week, min(agi_week, params.last_week)),
        founder_share=np.broadcast_to(np.array(share[:L]), world.founder_share.shape).astype(
            world.founder_share.dtype
        ),
        valuation=np.broadcast_to(np.array(value[:L]), world.valuation.shape).astype(world.valuation.dtype),
        bankrupt=np.zeros_like(world.bankrupt)
        if broke is None
        else np.broadcast_to(broke, world.bankrupt.shape),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    winner=st.integers(0, 2),
    agi_week=weeks,
    share=st.lists(shares, min_size=3, max_size=3),
    value=st.lists(values, min_size=3, max_size=3),
)
def test_the_winner_outscores_every_lab_whatever_their_stake(world, params, winner, agi_week, share, value):
    w = ended(world, params, winner, agi_week, share, value)
    parts = economy.score_parts(params, w)[0]
    total = parts.sum(-1)
    others = np.delete(total, winner)
    assert (total[winner] > others).all()
    # the win alone outweighs the earliness and the stake together
    assert parts[winner, 0] > parts[winner, 1] + parts[winner, 2]


@settings(max_examples=60, deadline=None)
@given(a=weeks, b=weeks)
def test_earliness_is_worth_at_most_a_third_of_a_win_and_never_rewards_lateness(params, a, b):
    win = params.rules.score.agi_win_points
    early_a, early_b = economy.early_points(params, a), economy.early_points(params, b)
    assert 0 <= early_a <= win / 3 and 0 <= early_b <= win / 3
    if a <= b:
        assert early_a >= early_b


@settings(max_examples=60, deadline=None)
@given(before=shares, after=shares, value=values)
def test_dilution_costs_in_proportion_to_the_stake_given_up(params, before, after, value):
    whole = float(economy.stake_points(params, 1.0, value))
    lost = float(economy.stake_points(params, before, value) - economy.stake_points(params, after, value))
    assert lost == pytest.approx((before - after) * whole, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(share=shares, low=values, high=values)
def test_a_more_valuable_lab_never_scores_less_for_the_same_stake(params, share, low, high):
    low, high = min(low, high), max(low, high)
    assert economy.stake_points(params, share, high) >= economy.stake_points(params, share, low)
    assert economy.stake_points(params, share, high) <= params.rules.score.agi_win_points / 2


def test_a_bankrupt_lab_scores_nothing_and_a_game_without_agi_has_no_win(world, params):
    w = ended(
        world, params, 0, 100, [0.5, 0.5, 1.0], [1e11, 1e11, 1e11], broke=np.array([False, True, False])
    )
    parts = economy.score_parts(params, w)[0]
    assert parts[1].sum() == 0 and parts[0, 0] == params.rules.score.agi_win_points
    w = attrs.evolve(w, end_reason=np.full_like(w.end_reason, END_TIME))
    parts = economy.score_parts(params, w)[0]
    assert (parts[:, :2] == 0).all() and parts[0, 2] > 0


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "early_share_of_win = 0.3",
            "early_share_of_win = 0.5",
            "[score] early_share_of_win: must be between",
        ),
        (
            "stake_share_of_win = 0.3",
            "stake_share_of_win = 0.9",
            "[score] stake_share_of_win: must be between",
        ),
    ],
)
def test_a_mod_cannot_make_the_other_parts_outweigh_the_win(tmp_path: Path, old, new, message):
    folder = tmp_path / "assets"
    shutil.copytree(assets_dir(), folder)
    path = folder / "rules.toml"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(CatalogError) as err:
        load_catalog(folder)
    assert message in str(err.value)
