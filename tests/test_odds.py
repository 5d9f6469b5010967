"""Odds that sharpen in waves and what-ifs on the same futures (issue 24): the waves'
odds are the one-run forecast's, a fixed number of futures is exact, and a what-if's
futures share their draws."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.slow
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


def test_waves_stop_when_asked_and_drop_a_wave_cut_short(late):
    world, ctl = late
    asked = []

    def stop() -> bool:  # heard before and after each wave: stop in the middle of the second
        asked.append(1)
        return len(asked) >= 4

    def play(n: int, first: int) -> forecast.Forecast:
        return forecast.run(world, ctl, n, 3, first=first)

    seen = list(odds.waves(world, ctl, futures=200, first_wave=8, should_stop=stop, play=play))
    assert [o.futures for o in seen] == [8, 8] and seen[-1].last and seen[-1].why == "stopped"
    assert not seen[0].last


def test_the_waves_schedule_covers_the_futures_once():
    for futures, first in [(2000, 12), (70, 10), (5, 12), (1, 1)]:
        ranges = list(odds.wave_sizes(futures, first))
        assert ranges[0] == (0, min(first, futures))
        assert all(a + n == b for (a, n), (b, _) in zip(ranges, ranges[1:], strict=False))
        assert sum(n for _, n in ranges) == futures


@pytest.mark.slow
def test_compaction_keeps_each_future_in_its_place(late):
    world, ctl = late
    weeks = 120  # futures 0, 11, 12, 14 and 15 reach AGI within it (and leave the batch), the rest play on
    whole = forecast.run(world, ctl, 16, weeks, seed=3)
    parts = forecast.Forecast.combine(
        [forecast.run(world, ctl, 6, weeks, seed=3), forecast.run(world, ctl, 10, weeks, seed=3, first=6)]
    )
    assert 3 <= whole.agi_weeks.size < 16 and same(whole, parts)
    alone = forecast.run(world, ctl, 1, weeks, seed=3, first=11)
    assert alone.winners[0] == whole.winners[11] >= 0


def test_a_what_if_against_itself_differs_by_nothing(late):
    world, ctl = late
    w = odds.compare(world, ctl, lab=0, futures=40, weeks=30, seed=4)
    assert np.array_equal(w.book, w.variant) and w.difference == 0.0
    assert w.low < 0.0 < w.high and w.half_width < 0.05  # a few futures alike never claim certainty


def test_a_what_if_shares_the_futures_and_measures_the_difference(late):
    world, ctl = late
    richer = attrs.evolve(world, cash=world.cash + np.array([[5e10, 0.0, 0.0]]))
    w = odds.compare(world, ctl, lab=0, futures=120, variant=richer, weeks=40, seed=5)
    b, v = (w.book == 0), (w.variant == 0)
    assert w.difference == pytest.approx(v.mean() - b.mean())
    assert w.low <= w.difference <= w.high
    with pytest.raises(ValueError):
        later, _ = turn.step(world, policies.decide(world, ctl))
        odds.compare(world, ctl, lab=0, futures=4, variant=later, weeks=2)


@pytest.mark.slow
def test_the_same_futures_measure_a_difference_far_tighter_than_two_forecasts(late):
    """Common random numbers: future i of the book and of the variant share every draw,
    so the paired interval is several times narrower than the one from two independent
    forecasts (the variant played on other futures) of as many futures each."""
    world, ctl = late
    extra = Actions.idle(world)  # the book: nothing this week
    order = attrs.evolve(extra, order_count=extra.order_count.copy())  # the variant: an order
    order.order_count[0, 1, 0, 0] += 5000  # OpenAI, the lab that wins some of these futures
    mine = np.array([False, True, False])
    book_week, variant_week = odds.first_week(ctl, extra, mine), odds.first_week(ctl, order, mine)
    n = 120
    same = odds.compare(world, ctl, 1, n, book_week=book_week, variant_week=variant_week, weeks=60, seed=8)
    apart = forecast.run(world, ctl, n, 60, seed=8, first=n, first_week=variant_week)  # other futures
    independent = odds.paired(same.book, apart.winners, 1)
    assert 0.1 < same.book_win < 0.9  # the lab wins some futures and loses some: a real spread
    assert independent.half_width > 2 * same.half_width
    assert same.independent_half_width > 2 * same.half_width


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-1, 2), st.integers(-1, 2)), min_size=1, max_size=300),
    st.integers(0, 2),
)
def test_a_paired_difference_is_the_difference_of_the_win_shares(pairs, lab):
    book = np.array([a for a, _ in pairs])
    variant = np.array([b for _, b in pairs])
    w = odds.paired(book, variant, lab)
    assert w.difference == pytest.approx(np.mean(variant == lab) - np.mean(book == lab))
    assert w.low <= w.difference <= w.high and w.half_width > 0
    more = odds.paired(np.tile(book, 4), np.tile(variant, 4), lab)  # the same outcomes, 4x as many
    assert more.difference == pytest.approx(w.difference) and more.half_width < w.half_width


def test_a_first_week_played_by_the_player_in_every_future(late):
    world, ctl = late
    idle = odds.first_week(ctl, Actions.idle(world), np.array([True, False, False]))
    w = odds.compare(world, ctl, lab=0, futures=30, variant_week=idle, weeks=20, seed=6)
    assert w.futures == 30 and w.book.size == w.variant.size == 30
    assert -1.0 <= w.low <= w.difference <= w.high <= 1.0


def test_a_what_if_in_waves_reuses_the_odds_futures(late):
    world, ctl = late
    played = []

    def play(n: int, first: int) -> forecast.Forecast:
        played.append((n, first))
        return forecast.run(world, ctl, n, 20, seed=9, first=first)

    known = forecast.run(world, ctl, 24, 20, seed=9)
    seen = list(odds.paired_waves(play, play, 0, target=0.0, futures=48, first_wave=12, known=known.winners))
    assert [w.futures for w in seen] == [12, 24, 48] and seen[-1].why == "futures"
    # the book's first 24 futures are the odds': only the variant plays them, both play the rest
    assert played == [(12, 0), (12, 12), (24, 24), (24, 24)]
    assert seen[-1].difference == 0.0
