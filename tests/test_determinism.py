"""Same seed, same game: alone, in any batch, in any shard (DESIGN 4.3)."""

from __future__ import annotations

import inspect
import json
from types import SimpleNamespace

import numpy as np
import pytest

from game.batch.simulate import simulate
from game.cli import main
from game.engine import compute, policies, rng, turn
from game.engine.state import array_fields
from game.saves import initial_world

pytestmark = pytest.mark.slow  # the long tier: `pytest -m slow`

WEEKS = 90


def run_json(capsys, *args):
    assert main(["simulate", "--scenario", "2024-07-colossus", "--json", "-", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_same_seed_gives_the_same_json(capsys):
    a = run_json(capsys, "--runs", "20", "--seed", "5", "--weeks", "60")
    b = run_json(capsys, "--runs", "20", "--seed", "5", "--weeks", "60")
    assert a == b
    c = run_json(capsys, "--runs", "20", "--seed", "6", "--weeks", "60")
    assert c["games"] != a["games"]


@pytest.mark.long
def test_games_are_the_same_alone_in_a_batch_of_10_and_of_1000(colossus, catalog):
    big = simulate(colossus, catalog, runs=1000, seed=3, weeks=WEEKS).games
    small = simulate(colossus, catalog, runs=10, seed=3, weeks=WEEKS).games
    alone = simulate(colossus, catalog, runs=1, seed=3, offset=7, weeks=WEEKS).games
    assert big[:10] == small
    assert alone[0] == big[7]
    assert len({json.dumps(g["labs"], sort_keys=True) for g in big[:10]}) == 10  # games do differ


def test_a_shard_equals_its_part_of_the_whole_run(capsys):
    whole = run_json(capsys, "--runs", "400", "--seed", "9", "--weeks", "40", "--chunk", "150")
    shard = run_json(capsys, "--runs", "200", "--seed", "9", "--weeks", "40", "--offset", "200")
    assert shard["games"] == whole["games"][200:]  # chunks of 150 cut across the shard's start
    assert [g["index"] for g in shard["games"]] == list(range(200, 400))


def test_random_draws_depend_only_on_their_key():
    seed = np.array([1, 1, 1, 2], dtype=np.uint64)
    game = np.array([0, 1, 0, 0])
    week = np.array([5, 5, 5, 5])
    u = rng.uniform(rng.key(seed, game, week), rng.FAULTS, (3,))
    assert (u[0] == u[2]).all()
    assert not (u[0] == u[1]).any() and not (u[0] == u[3]).any()
    again = rng.uniform(rng.key(seed[1:2], game[1:2], week[1:2]), rng.FAULTS, (3,))
    assert (again[0] == u[1]).all()
    other_stream = rng.uniform(rng.key(seed, game, week), rng.FUNDING, (3,))
    assert not (other_stream == u).any()


def test_sparse_draws_are_the_full_tables_draws():
    seed = np.full(6, 11, dtype=np.uint64)
    game, week = np.arange(6), np.array([3, 3, 4, 4, 5, 5])
    table = rng.uniform(rng.key(seed, game, week), rng.EVENTS, (3, 34)).reshape(6, -1)
    rows, lanes = np.array([5, 0, 0, 3]), np.array([101, 0, 33, 50])
    assert (rng.uniform_at(rng.key(seed, game, week), rng.EVENTS, rows, lanes) == table[rows, lanes]).all()


MEMOISED = (
    compute.installed_mw,
    compute.owned_gpus,
    compute.powered_fraction,
    compute.contract_active,
    compute.partner_rented,
    compute.partner_site_mw,
    compute.fleet,
    compute.book_value,
)


def _other_values(a: np.ndarray) -> np.ndarray:
    """The same field with other valid values: another game's (integers, slots), halved
    amounts, flipped flags."""
    if a.dtype == bool:
        return ~a
    if np.issubdtype(a.dtype, np.floating):
        return a * 0.5
    return np.roll(a, 1, axis=0)


@pytest.mark.parametrize("rule", MEMOISED, ids=lambda f: f.__name__)
def test_a_memoised_rule_sees_every_state_field_it_reads(catalog, colossus, params, rule):
    """The memo keeps a derived array (fleet, book value, ...) with the state fields its
    rule read; a read it missed would serve a stale value. Changing any one field of the
    step's working copy gives what the rule computes with no memo at all."""
    ctl = policies.make_controllers(catalog, params)
    world = initial_world(colossus, params, 16, seed=4)
    for _ in range(45):
        world, _ = turn.step(world, policies.decide(world, ctl))
    takes_params = len(inspect.signature(rule).parameters) == 2

    def call(s: object) -> np.ndarray:
        return rule(params, s) if takes_params else rule(s)

    s = turn.working_copy(world)
    for name in array_fields():
        call(s)  # the memo now holds this state's value
        setattr(s, name, _other_values(getattr(world, name)))
        seen = call(s)
        fresh = call(SimpleNamespace(**{n: getattr(s, n) for n in array_fields()}))  # no cache: no memo
        assert np.array_equal(seen, fresh), f"{rule.__name__} reads {name}"
        setattr(s, name, getattr(world, name))


def test_the_state_cannot_be_changed_in_place(world):
    """The memo's soundness rests on it: every array of a World is read-only."""
    for name in array_fields():
        with pytest.raises(ValueError, match="read-only"):
            getattr(world, name)[...] = getattr(world, name)


def test_random_draws_are_uniform_enough():
    n = 200_000
    u = rng.uniform(rng.key(np.zeros(n, np.uint64), np.arange(n), np.zeros(n, np.int64)), rng.EVENTS)
    assert abs(u.mean() - 0.5) < 0.005
    assert abs((u < 0.1).mean() - 0.1) < 0.005
    z = rng.normal(rng.key(np.zeros(n, np.uint64), np.arange(n), np.zeros(n, np.int64)), rng.EVENTS)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01


def test_workers_give_the_same_records_as_one_process(capsys):
    one = run_json(capsys, "--runs", "40", "--seed", "4", "--weeks", "30", "--chunk", "10")
    two = run_json(capsys, "--runs", "40", "--seed", "4", "--weeks", "30", "--chunk", "10", "--workers", "2")
    assert one["games"] == two["games"] and one["summary"] == two["summary"]


def test_games_over_leave_the_batch_and_come_back_as_they_ended(colossus, catalog, params):
    # simulate.play sheds the games over (engine/shedding.py): the same final states as
    # stepping the whole batch until every game ends.
    from game.batch.simulate import play

    ctl = policies.make_controllers(catalog, params)
    start = initial_world(colossus, params, 6, seed=11)
    shed = play(start, ctl)
    whole = start
    while not whole.done.all():
        whole, _ = turn.step(whole, policies.decide(whole, ctl))
    assert len(set(shed.week.tolist())) > 1  # games ended on different weeks
    for name in array_fields():
        assert np.array_equal(getattr(shed, name), getattr(whole, name), equal_nan=True), name


def test_tournament_cells_side_by_side_play_as_each_alone(colossus, catalog, params):
    # The tournament plays cells in one batch (per-game AI knobs, each scripted strategy
    # on its own games): every cell's games are the ones it plays alone.
    from game.batch import tournament

    keys = ("default", "hard", "strategy:xai=idle", "strategy:openai=rent-everything",
            "strategy:xai=expert", "difficulty:openai=easy,rest=normal")  # fmt: skip
    cells = tuple(c for c in tournament.plan(catalog, params.lab_ids) if c.key in keys)
    assert len(cells) == len(keys)
    history = tournament.load_history(catalog)
    together = tournament.play_cells(colossus, catalog, cells, 5, 4, 3, history, weeks=60)
    for cell, result in zip(cells, together, strict=True):
        alone = tournament.play_chunk(colossus, catalog, cell, 5, 4, 3, history, weeks=60)
        for name, value in alone.items():
            assert np.array_equal(value, result[name], equal_nan=True), (cell.key, name)
