"""Agents (issue 25): the figures of the protocol and the RL environments, one line each.

    python benchmarks/agents.py            # everything (a few minutes on two cores)
    python benchmarks/agents.py --quick    # smaller runs

- vector env: env-steps/s at N=1,000 with masked random levers (autoresets included),
  and refusals over all those game-weeks (target >= 5,000/s, 0 refusals);
- protocol: whole games by a random legal agent (finished, crashed, saves that replay),
  the largest observation (target <= 4 KB), and random or malformed lines (each answered
  with one error, none advancing the week);
- check_env warnings, PettingZoo's parallel_api_test and parallel_seed_test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def masked(mask, nvec, rng):
    parts = np.split(mask, np.cumsum(nvec)[:-1], axis=-1)
    return np.stack([np.argmax(m * rng.random(m.shape), -1) for m in parts], -1)


def vector_env(n: int, steps: int) -> None:
    import gymnasium as gym

    import game.rl
    from game.agents.levers import REFUSALS

    envs = gym.make_vec(game.rl.ENV_ID, num_envs=n, vectorization_mode="vector_entry_point")
    _, info = envs.reset(seed=1)
    rng = np.random.default_rng(1)
    nvec = envs.single_action_space.nvec
    for _ in range(3):  # warm-up
        _, _, _, _, info = envs.step(masked(info["action_mask"], nvec, rng))
    refused, ended = 0, 0
    start = time.perf_counter()
    for _ in range(steps):
        _, _, terminated, _, info = envs.step(masked(info["action_mask"], nvec, rng))
        refused += int((info["refused"] & REFUSALS != 0).sum())
        ended += int(terminated.sum())
    took = time.perf_counter() - start
    print(
        f"vector env N={n:,}: {n * steps / took:,.0f} env-steps/s (masked random, {steps} steps, "
        f"{ended:,} games ended and restarted); refusals {refused} in {n * steps:,} game-weeks"
    )


def protocol_games(games: int) -> None:
    from game.agents.protocol import Protocol, dumps
    from game.catalog import default_catalog
    from game.play.replay import replay
    from game.play.session import Session
    from game.saves import load_scenario

    catalog = default_catalog()
    finished = crashed = replayed = weeks = 0
    largest = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for g in range(games):
            rng = random.Random(g)
            lab = ("xai", "openai")[g % 2]
            save = Path(folder) / f"g{g}.toml"
            try:
                session = Session.new("2024-07-colossus", humans=(lab,), seed=g, catalog=catalog)
                session.autosave_every = 0
                proto = Protocol(session, lab, save)
                messages = proto.start()
                while messages[-1]["type"] == "observation":
                    largest = max(largest, len(dumps(messages[-1]["obs"]).encode()))
                    legal = messages[-1]["legal"]
                    picked = [rng.choice(legal)] if legal and rng.random() < 0.7 else []
                    messages = proto.receive(json.dumps({"type": "act", "actions": picked}))
                    weeks += 1
                    assert messages[0]["type"] != "error", messages
                finished += messages[-1]["type"] == "end"
                replayed += replay(load_scenario(save, catalog), catalog)[0]
            except Exception as err:  # a crash is the figure this counts
                crashed += 1
                print(f"  game {g}: {type(err).__name__}: {err}")
    took = time.perf_counter() - start
    print(
        f"protocol: {finished}/{games} games by a random legal agent finished, {crashed} crashed, "
        f"{replayed} saves replay; {weeks:,} weeks, {took / max(weeks, 1) * 1000:.0f} ms a week; "
        f"largest observation {largest:,} bytes"
    )


def fuzz(lines: int) -> None:
    from game.agents.protocol import Protocol
    from game.play.session import Session

    session = Session.new("2024-07-colossus", humans=("xai",), seed=1)
    session.autosave_every = 0
    proto = Protocol(session, "xai")
    proto.start()
    legal = proto.observation()["legal"]
    rng = random.Random(0)
    errors = crashes = advanced = 0
    keys = [
        "kind",
        "gpu",
        "vendor",
        "count",
        "site",
        "mw",
        "usd",
        "flop",
        "slot",
        "partner",
        "confirm",
        "start",
    ]
    values = [None, True, -1, 0, 1.5, 1e300, -1e300, 10**40, "H100", "memphis", "", [], {}, "x" * 50]
    for i in range(lines):
        kind = i % 4
        if kind == 0:  # random bytes
            line = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80)))
        elif kind == 1:  # a legal action damaged, after a good one, before one always refused
            action = dict(rng.choice(legal))
            action[rng.choice(keys)] = rng.choice(values)
            line = json.dumps(
                {"type": "act", "actions": [legal[0], action, {"kind": "exit", "slot": 99}]}
            ).encode()
        elif kind == 2:  # random objects
            obj = {
                rng.choice(keys + ["type", "actions"]): rng.choice(values) for _ in range(rng.randrange(4))
            }
            line = json.dumps(obj).encode()
        else:  # truncated JSON
            text = json.dumps({"type": "act", "actions": [rng.choice(legal)]})
            line = text[: rng.randrange(1, len(text))].encode()
        try:
            answer = proto.receive(line)
        except Exception as err:
            crashes += 1
            print(f"  crash on {line[:80]!r}: {type(err).__name__}: {err}")
            continue
        errors += len(answer) == 1 and answer[0]["type"] == "error"
        advanced += proto.session.week != 0
    print(f"protocol fuzz: {lines:,} random or malformed lines, {errors:,} answered with one error, "
          f"{crashes} crashes, week advanced {advanced} times")  # fmt: skip


def checkers() -> None:
    import gymnasium as gym
    from gymnasium.utils.env_checker import check_env
    from pettingzoo.test import parallel_api_test, parallel_seed_test

    import game.rl

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        check_env(gym.make(game.rl.ENV_ID).unwrapped)
    print(f"check_env: passes, {len(seen)} warnings")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        parallel_api_test(game.rl.parallel_env(), num_cycles=400)
        parallel_seed_test(game.rl.parallel_env, num_cycles=50)
    print(f"parallel_api_test, parallel_seed_test: pass, {len(seen)} warnings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("AGI_RACE_HOME", tempfile.mkdtemp(prefix="agi-race-bench-"))
    vector_env(1000, 60 if args.quick else 300)
    checkers()
    fuzz(2_000 if args.quick else 10_000)
    protocol_games(2 if args.quick else 6)


if __name__ == "__main__":
    main()
