"""The AI players: each style plays as its name says; difficulty changes skill."""

from __future__ import annotations

import numpy as np
import pytest

from game.batch.simulate import play
from game.engine import policies
from game.engine.turn import step
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
    renting = rented.sum(0) / (rented.sum(0) + ordered.sum(0))  # share of new GPUs rented
    assert renting[OPENAI] > 0.4 and renting[XAI] < 0.25  # the partner rents first; what it
    assert built[:, XAI].mean() > 0  # cannot rent it buys, and the builder builds


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


@pytest.mark.slow
def test_a_harder_ai_beats_an_easier_one(colossus, params, catalog):
    """After two and a half years, xAI leads the race far more often played hard against
    easy rivals than easy against hard ones (the tournament measures the whole ladder)."""

    def xai_leads(levels):
        ctl = policies.make_controllers(catalog, params, difficulty=levels)
        world = play(initial_world(colossus, params, 60, seed=8), ctl, weeks=120)
        return (world.best_model[:, XAI] > world.best_model[:, XAI + 1 :].max(1)).mean()

    strong = xai_leads({"xai": "hard", "openai": "easy", "google": "easy"})
    weak = xai_leads({"xai": "easy", "openai": "hard", "google": "hard"})
    assert strong >= weak + 0.2


def test_the_builder_rents_when_nvidia_is_sold_out(colossus, params, catalog):
    import attrs

    from game.engine import compute

    world = initial_world(colossus, params, 50, seed=6)
    building = world.hall_building.copy()
    building[:, XAI, params.site_ids.index("memphis")] += 500  # room for more GPUs
    world = attrs.evolve(world, cash=world.cash + 8e9, hall_building=building)
    ctl = policies.make_controllers(catalog, params, {"xai": "builder"}, "hard")
    only_buys = policies.with_knobs(ctl, np.arange(3) == XAI, buy_share=1.0, rent_share=0.0)
    row = compute.week_row(params, world)
    sold_out = attrs.evolve(world, nvidia_ordered=params.supply_per_quarter[row].copy())
    normal = policies.decide(world, only_buys)
    short = policies.decide(sold_out, only_buys)
    assert normal.offer_count[:, XAI].sum() == 0  # it would rather buy...
    assert (short.offer_count[:, XAI] > 0).mean() > 0.8  # ...but rents what NVIDIA cannot sell
    assert short.order_count[:, XAI].sum() == 0


def test_every_level_decides_every_week(colossus, params, catalog):
    """Difficulty is skill, not absence: an easy AI also acts every week it has reason to."""
    world = initial_world(colossus, params, 30, seed=3)
    for level in ("easy", "normal", "hard"):
        ctl = policies.make_controllers(catalog, params, difficulty=level)
        acted = np.zeros(world.cash.shape, bool)
        w = world
        for _ in range(6):
            a = policies.decide(w, ctl)
            acted |= (a.order_count.sum((2, 3)) > 0) | (a.offer_partner >= 0) | (a.build_mw.sum(-1) > 0)
            w, _ = step(w, a)
        assert acted[:, XAI].all(), level


def test_the_ai_chooses_its_people_and_research(colossus, params, catalog):
    """Each level sets its people budget and research share itself; the better its mix
    skill, the further it moves from the style's habits."""
    world = initial_world(colossus, params, 10, seed=5)
    budgets, shares = {}, {}
    for level in ("easy", "hard"):
        a = policies.decide(world, policies.make_controllers(catalog, params, difficulty=level))
        assert (a.staff_usd_week >= 0).all() and (a.split[..., 2] > 0).all()
        budgets[level], shares[level] = a.staff_usd_week[:, XAI], a.split[:, XAI, 2]
    habit = catalog.lab("xai").staff_usd_week
    assert np.allclose(budgets["easy"], habit)  # mix_skill 0: the lab's own habit
    assert (budgets["hard"] >= habit * (1 - 1e-9)).all()  # the best mix never lays its people off
    assert not np.allclose(shares["hard"], shares["easy"])  # but it moves its research share


@pytest.mark.slow
def test_the_hard_ai_takes_its_investors_money_and_the_normal_one_does_not(colossus, params, catalog):
    """A skill of the hard AI: it asks Microsoft for all it would invest, as often as
    Microsoft may (every two years), for the share of revenue Microsoft asks."""
    every = int(params.partner_invest_every[params.partner_ids.index("microsoft")])
    got = {}
    for level in ("normal", "hard"):
        ctl = policies.make_controllers(catalog, params, difficulty={"openai": level})
        world = initial_world(colossus, params, 8, seed=9)
        invested = []
        for _ in range(every + 40):  # its last investment was in January 2023
            a = policies.decide(world, ctl)
            playing = ~world.done  # a game that has ended keeps its last week
            world, _ = step(world, a)
            invested.append(playing & (world.last_invest_week[:, OPENAI] == world.week - 1))
        got[level] = np.array(invested).sum(0)  # investments per game
        assert (world.last_invest_week[:, XAI] < 0).all()  # nobody invests in xAI
    assert (got["normal"] == 0).all()
    # When Microsoft may again (2025-01) and two years on, unless the partner will not
    # listen then (a spent patience, a soured relationship) or the game is over.
    assert (got["hard"] >= 1).all() and (got["hard"] <= 2).all() and (got["hard"] == 2).mean() >= 0.75


def _full_slots(world, lab, partner, gpu):
    """`world` with every contract slot of `lab` held: 1,000 `gpu` from `partner`'s pool for
    two more years in each (a lab that rented in many small blocks)."""
    import attrs

    shape = world.contract_partner[:, lab].shape  # (B, K)
    fields = {
        "contract_partner": partner,
        "contract_source": -1,
        "contract_site": -1,
        "contract_gpu": gpu,
        "contract_count": 1000,
        "contract_price": 2.0,
        "contract_start": world.week[:, None] - 1,
        "contract_end": world.week[:, None] + 104,
        "contract_later_price": 0.0,
        "contract_reprice": -1,
    }
    changes = {}
    for name, value in fields.items():
        field = getattr(world, name).copy()
        field[:, lab] = np.broadcast_to(value, shape)
        changes[name] = field
    return attrs.evolve(world, **changes)


def test_a_lab_with_every_contract_slot_full_still_rents_by_enlarging_one(colossus, params, catalog):
    """A renter whose twelve contract slots are all held adds GPUs to a contract it holds
    (an amendment, as a person would), instead of renting nothing more."""
    import attrs

    world = initial_world(colossus, params, 20, seed=11)
    world = attrs.evolve(world, cash=world.cash + 20e9)
    # The pool the partner AI would rent from this week.
    ctl = policies.make_controllers(catalog, params, {"openai": "partner"}, "hard")
    free = policies.decide(world, ctl)
    partner, gpu = free.offer_partner[:, OPENAI], free.offer_gpu[:, OPENAI]
    assert (partner >= 0).all()  # it rents with slots to spare
    full = _full_slots(world, OPENAI, partner[:, None], gpu[:, None])
    assert ((full.contract_partner[:, OPENAI] >= 0).all(-1)).all()
    acts = policies.decide(full, ctl)
    enlarging = (acts.offer_contract[:, OPENAI] >= 0) & (acts.offer_count[:, OPENAI] > 0)
    assert enlarging.mean() > 0.8, acts.offer_count[:, OPENAI]
    assert (acts.offer_site[:, OPENAI] < 0).all()  # no build to order: it has no slot for one
    # The partner takes it: the lab's contracts hold more GPUs a week on, in as many slots.
    after, _ = step(full, acts)
    held = after.contract_count[:, OPENAI].sum(-1)
    assert (held > full.contract_count[:, OPENAI].sum(-1)).mean() > 0.8


def test_users_take_at_most_the_difficultys_share_of_compute(colossus, params, catalog):
    """However many users ask to be served, the AI gives them at most its difficulty's
    share of compute (the hard AI rations them harder and trains with the rest)."""
    import attrs

    world = initial_world(colossus, params, 6, seed=12)
    crowd = attrs.evolve(world, users=world.users * 1000)  # far more users than compute
    for level in ("easy", "normal", "hard"):
        cap = catalog.difficulty(level).inference_share_max
        a = policies.decide(crowd, policies.make_controllers(catalog, params, difficulty=level))
        served = a.split[:, OPENAI, 1] / a.split[:, OPENAI].sum(-1)
        assert np.allclose(served, cap, atol=0.01), (level, served)
    assert catalog.difficulty("hard").inference_share_max < catalog.difficulty("normal").inference_share_max
