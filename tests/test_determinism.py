"""Same seed, same game: alone, in any batch, in any shard (DESIGN 4.3)."""

from __future__ import annotations

import json

import numpy as np

from game.cli import main
from game.engine import rng
from game.simulate import simulate

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


def test_games_are_the_same_alone_in_a_batch_of_10_and_of_1000(colossus, catalog):
    big = simulate(colossus, catalog, runs=1000, seed=3, weeks=WEEKS).games
    small = simulate(colossus, catalog, runs=10, seed=3, weeks=WEEKS).games
    alone = simulate(colossus, catalog, runs=1, seed=3, offset=7, weeks=WEEKS).games
    assert big[:10] == small
    assert alone[0] == big[7]
    assert len({json.dumps(g["labs"], sort_keys=True) for g in big[:10]}) == 10  # games do differ


def test_a_shard_equals_its_part_of_the_whole_run(capsys):
    whole = run_json(capsys, "--runs", "1000", "--seed", "9", "--weeks", "40", "--chunk", "300")
    shard = run_json(capsys, "--runs", "500", "--seed", "9", "--weeks", "40", "--offset", "500")
    assert shard["games"] == whole["games"][500:]
    assert [g["index"] for g in shard["games"]] == list(range(500, 1000))


def test_random_draws_depend_only_on_their_key():
    seed = np.array([1, 1, 1, 2], dtype=np.uint64)
    game = np.array([0, 1, 0, 0])
    week = np.array([5, 5, 5, 5])
    u = rng.uniform(seed, game, week, rng.FAULTS, (3,))
    assert (u[0] == u[2]).all()
    assert not (u[0] == u[1]).any() and not (u[0] == u[3]).any()
    again = rng.uniform(seed[1:2], game[1:2], week[1:2], rng.FAULTS, (3,))
    assert (again[0] == u[1]).all()
    other_stream = rng.uniform(seed, game, week, rng.FUNDING, (3,))
    assert not (other_stream == u).any()


def test_random_draws_are_uniform_enough():
    n = 200_000
    u = rng.uniform(np.zeros(n, np.uint64), np.arange(n), np.zeros(n, np.int64), rng.EVENTS)
    assert abs(u.mean() - 0.5) < 0.005
    assert abs((u < 0.1).mean() - 0.1) < 0.005
    z = rng.normal(np.zeros(n, np.uint64), np.arange(n), np.zeros(n, np.int64), rng.EVENTS)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01


def test_workers_give_the_same_records_as_one_process(capsys):
    one = run_json(capsys, "--runs", "40", "--seed", "4", "--weeks", "30", "--chunk", "10")
    two = run_json(capsys, "--runs", "40", "--seed", "4", "--weeks", "30", "--chunk", "10", "--workers", "2")
    assert one["games"] == two["games"] and one["summary"] == two["summary"]
