"""AGI Race for reinforcement learning (the optional extra `rl`: gymnasium, pettingzoo).

`import game.rl` registers ENV_ID with Gymnasium:

    gymnasium.make("agi_race/AGIRace-v3", lab="xai", difficulty="normal", scenario="2024-07-colossus")
    gymnasium.make_vec("agi_race/AGIRace-v3", num_envs=1000, vectorization_mode="vector_entry_point")

and `game.rl.parallel_env(...)` is the PettingZoo ParallelEnv (agents "xai" and "openai").
See game/rl/env.py for the spaces, masks and rewards.

The id's version says what a game is: it goes up whenever the rules change what a game
is (the engine's rules, the data in assets/, the scenarios, or the levers and
observations here), so that results and trained agents name the game they played.
tests/test_rl.py keeps RULES_FINGERPRINT, a hash of a few games through the vector
environment: when it fails, raise ENV_VERSION by one and set the new fingerprint it prints.
"""

from __future__ import annotations

import gymnasium

from game.rl.env import AGIRaceEnv, AGIRaceVectorEnv, lever_masks
from game.rl.parallel import AGENTS, AGIRaceParallelEnv, parallel_env

ENV_VERSION = 3
ENV_ID = f"agi_race/AGIRace-v{ENV_VERSION}"
RULES_FINGERPRINT = "c9fa291dc60d717f"  # tests/test_rl.py: the games ENV_VERSION names

if ENV_ID not in gymnasium.registry:
    gymnasium.register(
        id=ENV_ID,
        entry_point="game.rl.env:AGIRaceEnv",
        vector_entry_point="game.rl.env:AGIRaceVectorEnv",
    )

__all__ = [
    "AGENTS", "ENV_ID", "ENV_VERSION", "RULES_FINGERPRINT", "AGIRaceEnv", "AGIRaceParallelEnv",
    "AGIRaceVectorEnv", "lever_masks", "parallel_env",
]  # fmt: skip
