"""Rules worked out for some games of a batch (ops.Games, ops.some_games) give those games
exactly what the whole batch gives them: a game plays the same alone or in any batch."""

from __future__ import annotations

import attrs
import numpy as np

from game.engine import deals, economy, ops, policies, turn
from game.saves import initial_world


def _week(catalog, colossus, params, games: int = 24, weeks: int = 45):
    ctl = policies.make_controllers(catalog, params)
    world = initial_world(colossus, params, games, seed=7)
    for _ in range(weeks):
        world, _ = turn.step(world, policies.decide(world, ctl))
    return world, policies.decide(world, ctl)


def test_offers_evaluated_in_some_games_are_answered_as_in_the_whole_batch(catalog, colossus, params):
    world, actions = _week(catalog, colossus, params)
    s = turn.working_copy(world)
    whole = deals.evaluate(params, s, actions)
    some = np.arange(world.batch) % 3 == 0
    part = ops.some_games(deals.evaluate, params, s, actions, some, deals.Answers.none(world.cash.shape))
    for f in attrs.fields(deals.Answers):
        assert np.array_equal(getattr(part, f.name)[some], getattr(whole, f.name)[some]), f.name
        assert getattr(part, f.name).dtype == getattr(whole, f.name).dtype, f.name


def test_round_terms_of_some_games_are_the_whole_batchs(catalog, colossus, params):
    world, _ = _week(catalog, colossus, params)
    rows = np.flatnonzero(np.arange(world.batch) % 4 == 1)
    whole = economy.round_terms(params, world)
    part = economy.round_terms(params, ops.Games(world, rows))
    for f in attrs.fields(economy.RoundTerms):
        assert np.array_equal(getattr(part, f.name), getattr(whole, f.name)[rows]), f.name
