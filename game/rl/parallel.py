"""The PettingZoo environment: one game, xAI and OpenAI each played by an agent (the
other labs by the AI), on the same levers, observations and rewards as the Gymnasium
environment (game/rl/env.py). Both labs decide each week, then the week is played.

Masks: infos[agent]["action_mask"]. Each lab's allowed options are taken whole, as in
the Gymnasium environment, but two agents may still want one thing in the same week: a
substation upgrade at one site goes to the first lab that asks (xAI's allowed upgrade
takes that site out of OpenAI's mask), and NVIDIA's supply and a site's permits are
shared between the labs that ask (a cut, not a refusal).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from game.agents.batch import DEFAULT_SCENARIO, Games
from game.rl.env import spaces_for

AGENTS = ("xai", "openai")


class AGIRaceParallelEnv(ParallelEnv[str, np.ndarray, np.ndarray]):
    metadata: dict[str, Any] = {"name": "agi_race_v0", "render_modes": [], "is_parallelizable": True}

    def __init__(
        self,
        difficulty: str | None = None,
        scenario: str | Path = DEFAULT_SCENARIO,
        ai_assist: bool = False,
        first: int | None = None,
    ) -> None:
        self.games = Games(1, AGENTS, scenario, difficulty, first=first, ai_assist=ai_assist)
        self.possible_agents = list(AGENTS)
        self.agents: list[str] = []
        self._index = dict(zip(AGENTS, self.games.labs, strict=True))
        self._action_space, self._observation_space = spaces_for(self.games)
        self._started = False

    @functools.cache  # noqa: B019 (one space object per agent, as PettingZoo asks)
    def observation_space(self, agent: str) -> spaces.Space[Any]:
        return self._observation_space

    @functools.cache  # noqa: B019
    def action_space(self, agent: str) -> spaces.Space[Any]:
        space = spaces_for(self.games)[0]
        return space

    def _out(self, refused: dict[str, int]) -> tuple[dict[str, np.ndarray], dict[str, dict[str, Any]]]:
        self._plans = self.games.plans()
        obs = {a: self.games.observe(self._index[a])[0] for a in self.agents}
        infos = {
            a: {
                "action_mask": self._plans[self._index[a]].allowed[0].astype(np.int8),
                "refused": refused.get(a, 0),
                "week": int(self.games.world.week[0]),
            }
            for a in self.agents
        }
        return obs, infos

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, dict[str, Any]]]:
        """`seed`: play game `first` of that seed; None: the next game number."""
        if seed is not None or not self._started:
            self.games.reset(seed)
        else:
            self.games.restart(np.ones(1, bool))
        self._started = True
        self.agents = list(self.possible_agents)
        return self._out({})

    def step(self, actions: dict[str, np.ndarray]) -> tuple[
        dict[str, np.ndarray], dict[str, float], dict[str, bool], dict[str, bool], dict[str, dict[str, Any]]
    ]:  # fmt: skip
        """Both labs' levers (a lab with no action does nothing new), then the week."""
        n = len(self._action_space.nvec)
        choices = {
            self._index[a]: np.asarray(actions.get(a, np.zeros(n, np.int64)), np.int64).reshape(1, -1)
            for a in self.agents
        }
        report = self.games.step(choices, self._plans)
        ended = np.asarray(report.ended)
        over = bool(self.games.world.done[0])
        rewards = {a: float(self.games.rewards(self._index[a], ended)[0]) for a in self.agents}
        terminated = dict.fromkeys(self.agents, over)
        truncated = dict.fromkeys(self.agents, False)
        refused = {a: int(report.refused[0, self._index[a]]) for a in self.agents}
        obs, infos = self._out(refused)
        if over:
            self.agents = []
        return obs, rewards, terminated, truncated, infos


def parallel_env(**kwargs: Any) -> AGIRaceParallelEnv:
    """The PettingZoo ParallelEnv: agents "xai" and "openai" (see AGIRaceParallelEnv)."""
    return AGIRaceParallelEnv(**kwargs)
