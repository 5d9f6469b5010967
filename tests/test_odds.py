"""Odds that sharpen in waves and what-ifs on the same futures (issue 24): the waves'
odds are the one-run forecast's, a fixed number of futures is exact, and a what-if's
futures share their draws."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from game.engine import forecast, odds, policies, turn
from game.engine.actions import Actions
from game.saves import initial_world


@pytest.fixture(scope="module")
def late(colossus, params):
    """A game close enough to its end that futures reach AGI within a few weeks."""
    ctl = policies.make_controllers(params.catalog, params, ai_labs=params.lab_ids)
    world = initial_world(colossus, params, 1, seed=1)
    for _ in range(100):
        world, _ = turn.step(world, policies.decide(world, ctl))
    return world, ctl


def same(a: forecast.Forecast, b: forecast.Forecast) -> bool:
    names = ("futures", "weeks_played", "win", "no_winner", "bankrupt", "agi_share", "agi_weeks", "winners")
    return all(np.array_equal(getattr(a, n), getattr(b, n)) for n in names)


def test_a_fixed_number_of_futures_in_waves_is_the_one_run_forecast(late):
    world, ctl = late
    seen = list(odds.waves(world, ctl, futures=70, target=0.0, first_wave=10, weeks=40, seed=2))
    assert [o.futures for o in seen] == [10, 20, 40, 70]
    assert seen[-1].last and seen[-1].why == "futures" and not any(o.last for o in seen[:-1])
    assert same(seen[-1].forecast, forecast.run(world, ctl, 70, 40, seed=2))
    assert all((o.low <= o.win).all() and (o.win <= o.high).all() for o in seen)
    assert seen[-1].half_width() < seen[0].half_width()


def test_waves_stop_once_the_interval_is_narrow_enough(late):
    world, ctl = late
    won = attrs.evolve(world, best_model=np.full_like(world.best_model, world.params.agi_capability + 1.0))
    won, _ = turn.step(won, Actions.idle(won))  # every lab past AGI: decided
    seen = list(odds.waves(won, ctl, futures=2000, target=0.02, first_wave=300, weeks=10))
    assert len(seen) == 1 and seen[0].why == "target" and seen[0].futures == 300
    assert seen[0].half_width() <= 0.02


def test_waves_stop_when_asked(late):
    world, ctl = late
    calls = []
    seen = list(
        odds.waves(
            world,
            ctl,
            futures=200,
            first_wave=8,
            weeks=3,
            should_stop=lambda: len(calls) > 1 or calls.append(1),
        )
    )
    assert seen[-1].last and seen[-1].why == "stopped"


def test_compaction_keeps_each_future_in_its_place(late):
    world, ctl = late
    whole = forecast.run(world, ctl, 30, seed=3)
    parts = forecast.Forecast.combine(
        [forecast.run(world, ctl, 12, seed=3), forecast.run(world, ctl, 18, seed=3, first=12)]
    )
    assert whole.agi_weeks.size > 0 and same(whole, parts)
    alone = forecast.run(world, ctl, 1, seed=3, first=17)
    assert alone.winners[0] == whole.winners[17]


def test_a_what_if_against_itself_differs_by_nothing(late):
    world, ctl = late
    w = odds.compare(world, ctl, lab=0, futures=40, weeks=30, seed=4)
    assert w.difference == 0.0 and w.half_width == 0.0
    assert same(w.book, w.variant)


def test_a_what_if_shares_the_futures_and_measures_the_difference(late):
    world, ctl = late
    richer = attrs.evolve(world, cash=world.cash + np.array([[5e10, 0.0, 0.0]]))
    w = odds.compare(world, ctl, lab=0, futures=120, variant=richer, weeks=40, seed=5)
    b, v = (w.book.winners == 0), (w.variant.winners == 0)
    assert w.difference == pytest.approx(v.mean() - b.mean())
    independent = 1.96 * np.sqrt((b.mean() * (1 - b.mean()) + v.mean() * (1 - v.mean())) / 120)
    assert w.half_width <= independent + 1e-12
    with pytest.raises(ValueError):
        later, _ = turn.step(world, policies.decide(world, ctl))
        odds.compare(world, ctl, lab=0, futures=4, variant=later, weeks=2)


def test_a_first_week_played_by_the_player_in_every_future(late):
    world, ctl = late
    idle = odds.first_week(ctl, Actions.idle(world), np.array([True, False, False]))
    w = odds.compare(world, ctl, lab=0, futures=30, variant_week=idle, weeks=20, seed=6)
    assert w.book.futures == w.variant.futures == 30
    assert -1.0 <= w.low <= w.difference <= w.high <= 1.0 or w.half_width > 0
