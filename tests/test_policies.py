"""The AI players: each style plays as its name says; difficulty changes skill."""

from __future__ import annotations

import numpy as np

from game.engine import policies
from game.engine.turn import step
from game.play.simulate import play
from game.saves import initial_world

XAI, OPENAI = 0, 1


def run_weeks(world, ctl, n):
    ordered = np.zeros(world.cash.shape)
    rented = np.zeros(world.cash.shape)
    built = np.zeros(world.cash.shape)
    for _ in range(n):
        actions = policies.decide(world, ctl)
        built += actions.build_mw.sum(-1)
        world, report = step(world, actions)
        ordered += report.ordered.sum(-1)
        rented += report.rented
    return world, ordered, rented, built


def test_the_builder_buys_and_builds_and_the_partner_rents(colossus, params, catalog):
    world = initial_world(colossus, params, 20, seed=2)
    ctl = policies.make_controllers(catalog, params, styles={"xai": "builder", "openai": "partner"})
    _, ordered, rented, built = run_weeks(world, ctl, 60)
    assert ordered[:, XAI].mean() > 1.5 * ordered[:, OPENAI].mean()
    assert built[:, XAI].mean() > 1.5 * built[:, OPENAI].mean()
    renting = rented.sum(0) / (rented.sum(0) + ordered.sum(0))  # share of new GPUs rented
    assert renting[OPENAI] > 0.5 > renting[XAI] and renting[OPENAI] > 2 * renting[XAI]


def test_ai_labs_train_release_and_raise_money(colossus, params, catalog):
    world = initial_world(colossus, params, 10, seed=4)
    ctl = policies.make_controllers(catalog, params)
    after, *_ = run_weeks(world, ctl, 60)
    assert (after.best_model > world.best_model + 0.5).all()
    assert (after.founder_share < world.founder_share).any(axis=1).all()


def test_a_human_lab_is_left_alone_by_the_ai(colossus, catalog):
    from game.saves import scenario_params

    params = scenario_params(colossus, catalog, humans=("xai",))
    world = initial_world(colossus, params, 5, seed=1)
    ctl = policies.make_controllers(catalog, params)
    actions = policies.decide(world, ctl)
    assert (actions.order_count[:, XAI] == 0).all() and (actions.offer_partner[:, XAI] == -1).all()
    assert (actions.split[:, XAI] < 0).all() and (actions.raise_usd[:, XAI] == 0).all()


def test_a_harder_ai_beats_an_easier_one(colossus, params, catalog):
    def xai_wins(levels):
        ctl = policies.make_controllers(catalog, params, difficulty=levels)
        world = play(initial_world(colossus, params, 80, seed=8), ctl)
        return (world.winner == XAI).mean()

    strong = xai_wins({"xai": "hard", "openai": "easy"})
    even = xai_wins("normal")
    weak = xai_wins({"xai": "easy", "openai": "hard"})
    assert strong > even + 0.15 and even > weak + 0.15


def test_the_builder_rents_when_nvidia_is_sold_out(colossus, params, catalog):
    import attrs

    from game.engine import compute

    world = initial_world(colossus, params, 50, seed=6)
    building = world.hall_building.copy()
    building[:, XAI, params.site_ids.index("memphis")] += 500  # room for more GPUs
    world = attrs.evolve(world, cash=world.cash + 8e9, hall_building=building)
    ctl = policies.make_controllers(catalog, params, {"xai": "builder"}, "hard")
    row = compute.week_row(params, world)
    sold_out = attrs.evolve(world, nvidia_ordered=params.supply_per_quarter[row].copy())
    normal = policies.decide(world, ctl)
    short = policies.decide(sold_out, ctl)
    assert short.offer_count[:, XAI].sum() > normal.offer_count[:, XAI].sum()
