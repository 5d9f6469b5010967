"""Games for learning agents: N games of one scenario stepped as one numpy batch, some labs
played by agents through levers (levers.py), the others by the AI, each game reset on its
own when it ends.

Game numbers: with `reset(seed)`, game i of the batch plays the engine's game
`first + i` of that seed, and its k-th game after that plays `first + i + k * N`, so no
two games of a run repeat, a batch of one plays the games `first`, `first + 1`, ..., and
game g is the same game alone or in any batch (its random numbers are keyed by g).

Who is a person: by default the labs agents play are the game's players, as in a game
people play (a player's bankruptcy ends the game). With `players_end_game=False` no lab
is, as in `agi-race simulate` (a bankrupt lab sits the rest of the game out).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np

from game.agents import features, levers
from game.batch.simulate import controllers
from game.catalog import Catalog, default_catalog
from game.engine import policies, turn
from game.engine.actions import Actions
from game.engine.state import World, array_fields, take
from game.saves import initial_world, load_scenario, scenario_params

DEFAULT_SCENARIO = "2024-07-colossus"


class Games:
    """N games; `labs` (ids) are played by agents."""

    def __init__(
        self,
        n: int,
        labs: tuple[str, ...],
        scenario: str | Path = DEFAULT_SCENARIO,
        difficulty: str | None = None,
        seed: int | None = None,
        first: int | None = None,
        ai_assist: bool = False,
        players_end_game: bool = True,
        catalog: Catalog | None = None,
    ) -> None:
        self.catalog = catalog or default_catalog()
        self.scenario = load_scenario(scenario, self.catalog)
        meta = self.scenario.meta
        for lab in labs:
            if lab not in self.scenario.lab_ids:
                raise ValueError(
                    f"{lab!r} is not a lab of {self.scenario.name} ({', '.join(self.scenario.lab_ids)})"
                )
        self.params = scenario_params(self.scenario, self.catalog, humans=labs if players_end_game else ())
        self.controllers = controllers(self.scenario, self.catalog, self.params, None, difficulty)
        self.labs = tuple(self.params.lab_ids.index(lab) for lab in labs)
        self.n = n
        self.ai_assist = ai_assist
        self.seed = meta.seed if seed is None else int(seed)
        self.first = meta.game if first is None else int(first)
        self.template = initial_world(self.scenario, self.params, 1, seed=self.seed, offset=0)
        self.episode = np.zeros(n, np.int64)  # games each slot of the batch has finished
        self.world = self._fresh(np.ones(n, bool), None)
        self._ai: tuple[World, Actions] | None = None

    # ----------------------------------------------------------------- games
    def _fresh(self, rows: np.ndarray, world: World | None) -> World:
        """`world` with the games at `rows` (N,) bool started anew (their next game number)."""
        games = self.first + np.arange(self.n) + self.episode * self.n
        if world is None:
            new = take(self.template, np.zeros(self.n, np.int64))
            return attrs.evolve(
                new, seed=np.full(self.n, self.seed, np.uint64), game=games.astype(new.game.dtype)
            )
        picked = np.flatnonzero(rows)
        new = take(self.template, np.zeros(picked.size, np.int64))
        changes = {}
        for name in array_fields():
            field = getattr(world, name).copy()
            field[picked] = getattr(new, name)
            changes[name] = field
        changes["seed"][picked] = np.uint64(self.seed)
        changes["game"][picked] = games[picked]
        return attrs.evolve(world, **changes)

    def reset(self, seed: int | None = None) -> None:
        """Every game anew: game `first + i` of `seed` (default: this run's seed) in slot i."""
        if seed is not None:
            self.seed = int(seed)
            self.template = attrs.evolve(self.template, seed=np.full(1, self.seed, np.uint64))
        self.episode[:] = 0
        self.world = self._fresh(np.ones(self.n, bool), None)
        self._ai = None

    def restart(self, rows: np.ndarray) -> None:
        """The games at `rows` (N,) bool start their next game."""
        if rows.any():
            self.episode = self.episode + rows
            self.world = self._fresh(rows, self.world)
            self._ai = None

    # ------------------------------------------------------------- a week
    def ai(self) -> Actions:
        """What the AI would do this week in every game, for every lab (computed once)."""
        if self._ai is None or self._ai[0] is not self.world:
            self._ai = (self.world, policies.decide(self.world, self.controllers))
        return self._ai[1]

    def plans(self) -> dict[int, levers.Plan]:
        """This week's lever presets of every lab agents play."""
        out: dict[int, levers.Plan] = {}
        earlier = None
        for lab in sorted(self.labs):
            out[lab] = earlier = levers.plan(self.world, lab, self.ai(), self.ai_assist, earlier)
        return out

    def observe(self, lab: int) -> np.ndarray:
        return features.features(self.world, lab)

    def step(self, choices: dict[int, np.ndarray], plans: dict[int, levers.Plan]) -> turn.Report:
        """Play the week: the levers `choices` (lab -> (N, levers)) for the agents' labs,
        the AI for the others. Games already over stay as they are."""
        a = levers.actions(self.world, self.controllers, choices, plans, self.ai(), self.ai_assist)
        self.world, report = turn.step(self.world, a)
        return report

    def rewards(self, lab: int, ended: np.ndarray) -> np.ndarray:
        """+1 for the lab's win, -1 for a loss, 0 otherwise (no winner, or the game goes on),
        in the games that `ended` (N,) this week."""
        winner = self.world.winner.astype(np.int64)
        out = np.where(winner == lab, 1.0, np.where(winner >= 0, -1.0, 0.0))
        return np.where(ended, out, 0.0)
