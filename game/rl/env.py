"""The Gymnasium environments: one game (AGIRaceEnv), and N games as one numpy batch
(AGIRaceVectorEnv, the id's vector entry point), both on game/agents/batch.py.

- action: MultiDiscrete, one entry per lever (game/agents/levers.py: buy, halls, power,
  run, money, split, staff, rent); option 0 of each does nothing new.
- info["action_mask"]: int8, the options the engine would take now, lever after lever
  (sum of the levers' sizes); `lever_masks` splits it for `action_space.sample(mask=...)`.
  Any combination of allowed options is taken whole (no refusal).
- observation: Box float32 in [-100, 100], the lab's fogged view (game/agents/features.py;
  `feature_names` says what each is).
- reward: +1 when the game ends with the lab's win, -1 with another lab's, 0 otherwise
  (no shaping). `terminated` is the game's end; nothing truncates (a game ends by its
  last week at the latest).
- info["refused"]: the engine's refusal bits for the lab this week (codes.*; levers.REFUSALS
  are the ones a person's decision would be refused for).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from game.agents import features, levers
from game.agents.batch import DEFAULT_SCENARIO, Games


def lever_masks(mask: np.ndarray, ai_assist: bool = False) -> tuple[np.ndarray, ...]:
    """A flat action mask split per lever: what MultiDiscrete.sample(mask=...) takes."""
    edges = np.cumsum(levers.sizes(ai_assist))[:-1]
    return tuple(np.asarray(m, np.int8) for m in np.split(mask, edges, axis=-1))


def spaces_for(games: Games) -> tuple[spaces.MultiDiscrete, spaces.Box]:
    nvec = np.array(levers.sizes(games.ai_assist), np.int64)
    n = len(features.names(games.params.n_labs))
    box = spaces.Box(-features.LIMIT, features.LIMIT, (n,), np.float32)
    return spaces.MultiDiscrete(nvec), box


class AGIRaceEnv(gym.Env[np.ndarray, np.ndarray]):
    """One game of AGI Race, one lab played by the agent (the others by the AI).

    `reset(seed=S)` plays game `first` of seed S (default: the scenario's seed and game);
    each `reset()` without a seed plays the next game number."""

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(
        self,
        lab: str = "xai",
        difficulty: str | None = None,
        scenario: str | Path = DEFAULT_SCENARIO,
        ai_assist: bool = False,
        players_end_game: bool = True,
        first: int | None = None,
    ) -> None:
        self.games = Games(1, (lab,), scenario, difficulty, first=first, ai_assist=ai_assist,
                           players_end_game=players_end_game)  # fmt: skip
        self.lab = self.games.labs[0]
        self.action_space, self.observation_space = spaces_for(self.games)
        self.feature_names = features.names(self.games.params.n_labs)
        self._started = False

    def _out(self, refused: int = 0) -> tuple[np.ndarray, dict[str, Any]]:
        plans = self.games.plans()
        self._plans = plans
        info = {
            "action_mask": plans[self.lab].allowed[0].astype(np.int8),
            "refused": int(refused),
            "week": int(self.games.world.week[0]),
        }
        return self.games.observe(self.lab)[0], info

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        if seed is not None or not self._started:
            self.games.reset(seed)
        else:
            self.games.restart(np.ones(1, bool))
        self._started = True
        return self._out()

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        choice = np.asarray(action, np.int64).reshape(1, -1)
        report = self.games.step({self.lab: choice}, self._plans)
        ended = np.asarray(report.ended)
        reward = float(self.games.rewards(self.lab, ended)[0])
        obs, info = self._out(int(report.refused[0, self.lab]))
        return obs, reward, bool(self.games.world.done[0]), False, info


class AGIRaceVectorEnv(VectorEnv[np.ndarray, np.ndarray, np.ndarray]):
    """N games of AGI Race stepped as one numpy batch (not N copies of AGIRaceEnv), with
    next-step autoreset: the step after a game ends starts its next game (that step's
    action for it is ignored, its reward is 0). Sub-environment i plays the games
    first + i, first + i + N, ... of the seed given to `reset`."""

    metadata: dict[str, Any] = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(
        self,
        num_envs: int = 1,
        lab: str = "xai",
        difficulty: str | None = None,
        scenario: str | Path = DEFAULT_SCENARIO,
        ai_assist: bool = False,
        players_end_game: bool = True,
        first: int | None = None,
    ) -> None:
        self.num_envs = num_envs
        self.games = Games(num_envs, (lab,), scenario, difficulty, first=first, ai_assist=ai_assist,
                           players_end_game=players_end_game)  # fmt: skip
        self.lab = self.games.labs[0]
        self.single_action_space, self.single_observation_space = spaces_for(self.games)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.feature_names = features.names(self.games.params.n_labs)
        self._autoreset = np.zeros(num_envs, bool)

    def _out(self, refused: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        self._plans = self.games.plans()
        info = {
            "action_mask": self._plans[self.lab].allowed.astype(np.int8),
            "refused": refused,
            "week": self.games.world.week.astype(np.int64),
        }
        return self.games.observe(self.lab), info

    def reset(
        self, *, seed: int | list[int] | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """All games anew. `seed`: the engine's seed for every game (a list: its first)."""
        super().reset(seed=seed[0] if isinstance(seed, list) else seed)
        self.games.reset(seed[0] if isinstance(seed, list) else seed)
        self._autoreset[:] = False
        return self._out(np.zeros(self.num_envs, np.int64))

    def step(
        self, actions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        choice = np.asarray(actions, np.int64).reshape(self.num_envs, -1)
        restart = self._autoreset.copy()
        report = self.games.step({self.lab: choice}, self._plans)
        rewards = self.games.rewards(self.lab, np.asarray(report.ended))
        terminated = self.games.world.done.copy()
        refused = np.asarray(report.refused[:, self.lab], np.int64)
        if restart.any():  # those games were over: they start their next game instead
            self.games.restart(restart)
            rewards = np.where(restart, 0.0, rewards)
            terminated = terminated & ~restart
            refused = np.where(restart, 0, refused)
        self._autoreset = terminated.copy()
        obs, info = self._out(refused)
        return obs, rewards, terminated, np.zeros(self.num_envs, bool), info
