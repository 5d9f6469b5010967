"""The Gymnasium and PettingZoo environments (game/rl): the API checkers pass without a
warning, the vector entry point runs N games as one batch with next-step autoreset, a
vector env whose agent does what the AI would do reproduces `simulate`, masked random
levers are never refused, and the env id names the rules it plays (RULES_FINGERPRINT)."""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pytest

gym = pytest.importorskip("gymnasium")
pytest.importorskip("pettingzoo")

import game.rl  # noqa: E402  (registers the env id)
from game.agents.levers import REFUSALS  # noqa: E402
from game.batch.simulate import game_records, simulate  # noqa: E402
from game.catalog import default_catalog  # noqa: E402
from game.engine.state import take  # noqa: E402
from game.saves import load_scenario  # noqa: E402
from tests.test_agents import short_sandbox  # noqa: E402


def masked(mask: np.ndarray, nvec: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random allowed option of every lever, for each row of `mask` (N, sum(nvec))."""
    parts = np.split(mask, np.cumsum(nvec)[:-1], axis=-1)
    return np.stack([np.argmax(m * rng.random(m.shape), -1) for m in parts], -1)


def test_check_env_passes_without_a_warning():
    from gymnasium.utils.env_checker import check_env

    env = gym.make(game.rl.ENV_ID, lab="openai", difficulty="normal")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        check_env(env.unwrapped)
    assert [str(w.message) for w in seen] == []


def test_make_vec_is_one_batch_with_next_step_autoreset():
    from gymnasium.vector import AutoresetMode

    envs = gym.make_vec(
        game.rl.ENV_ID, num_envs=8, vectorization_mode="vector_entry_point", scenario=short_sandbox()
    )
    assert isinstance(envs.unwrapped, game.rl.AGIRaceVectorEnv)
    assert envs.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    obs, info = envs.reset(seed=2)
    assert obs.shape == (8, envs.single_observation_space.shape[0]) and obs in envs.observation_space
    assert info["action_mask"].shape == (8, envs.single_action_space.nvec.sum())
    rng = np.random.default_rng(1)
    over = None
    for _ in range(25):
        obs, reward, terminated, truncated, info = envs.step(
            masked(info["action_mask"], envs.single_action_space.nvec, rng)
        )
        assert obs in envs.observation_space and not truncated.any()
        if over is not None:  # the games that ended start again, at week 0
            assert (info["week"][over] == 0).all() and (reward[over] == 0).all()
        over = terminated.copy() if terminated.any() else None
        assert set(np.unique(reward[terminated])) <= {-1.0, 0.0, 1.0}
    assert envs.unwrapped.games.episode.sum() > 0  # the 20-week games ended and restarted


def test_a_vector_env_playing_as_the_ai_reproduces_simulate():
    n, seed = 4, 11
    scenario = short_sandbox()
    envs = gym.make_vec(game.rl.ENV_ID, num_envs=n, vectorization_mode="vector_entry_point", scenario=scenario,
                        ai_assist=True, players_end_game=False, first=5)  # fmt: skip
    envs.reset(seed=seed)
    as_ai = np.tile(envs.single_action_space.nvec - 1, (n, 1))  # the last option of every lever: the AI's
    finals = [None] * n
    while any(f is None for f in finals):
        _, _, terminated, _, _ = envs.step(as_ai)
        for i in np.flatnonzero(terminated):
            finals[i] = finals[i] or game_records(take(envs.unwrapped.games.world, np.array([i])))[0]
    catalog = default_catalog()
    expected = simulate(load_scenario(scenario, catalog), catalog, runs=n, seed=seed, offset=5).games
    strip = [{k: v for k, v in g.items() if k not in ("deals", "answers", "events")} for g in expected]
    assert finals == strip


def test_masked_random_levers_are_never_refused():
    """5,000 game-weeks of the July-2024 race with random allowed options."""
    envs = gym.make_vec(game.rl.ENV_ID, num_envs=100, vectorization_mode="vector_entry_point")
    _, info = envs.reset(seed=3)
    rng = np.random.default_rng(3)
    refused = 0
    for _ in range(50):
        _, _, _, _, info = envs.step(masked(info["action_mask"], envs.single_action_space.nvec, rng))
        refused += int((info["refused"] & REFUSALS != 0).sum())
    assert refused == 0


def test_the_parallel_env_passes_pettingzoo_tests():
    from pettingzoo.test import parallel_api_test, parallel_seed_test

    scenario = short_sandbox()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        env = game.rl.parallel_env(scenario=scenario)
        parallel_api_test(env, num_cycles=40)
        parallel_seed_test(lambda: game.rl.parallel_env(scenario=scenario))
    assert [str(w.message) for w in seen] == []
    assert env.possible_agents == ["xai", "openai"]


def fingerprint() -> str:
    """A hash of 4 games of the July-2024 race, 30 weeks of random allowed levers."""
    envs = gym.make_vec(game.rl.ENV_ID, num_envs=4, vectorization_mode="vector_entry_point")
    obs, info = envs.reset(seed=1)
    rng = np.random.default_rng(1)
    digest = hashlib.sha256(np.round(obs, 2).tobytes())  # rounded: the same on every numpy and libm
    for _ in range(30):
        obs, reward, terminated, _, info = envs.step(
            masked(info["action_mask"], envs.single_action_space.nvec, rng)
        )
        for part in (np.round(obs, 2), reward, terminated, info["action_mask"]):
            digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()[:16]


def test_the_env_id_names_the_rules_it_plays():
    """A change to what a game is (rules, data, scenarios, levers, observations) changes
    this hash: raise ENV_VERSION in game/rl/__init__.py and set RULES_FINGERPRINT to it."""
    now = fingerprint()
    assert now == game.rl.RULES_FINGERPRINT, (
        f"the games changed: raise ENV_VERSION (now {game.rl.ENV_VERSION}) and set RULES_FINGERPRINT = {now!r}"
    )
