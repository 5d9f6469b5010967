"""A batch that sheds its finished games as it is played.

A game plays the same alone or in any batch (its random numbers are keyed by its seed,
number and week), and a finished game's state no longer changes, so once a game is over
it can leave the working batch: the weeks after the first endings cost only the games
still running. `Shedding` keeps the working batch, which row of the whole batch each of
its games is, and the games that left; `result` puts them back in their order.

    batch = Shedding(world)
    for _ in range(weeks):
        if batch.over:
            break
        world, report = turn.step(batch.world, policies.decide(batch.world, ctl))
        ...  # report's rows are the games batch.rows
        batch.shed(world)
    world = batch.result()
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from game.engine.state import World, array_fields, take


class Shedding:
    def __init__(self, world: World) -> None:
        self.world = world  # the working batch
        self.rows = np.arange(world.batch)  # the row of the whole batch each of its games is
        self._left: list[tuple[np.ndarray, World]] = []  # (rows, their final state) of the games gone

    @property
    def over(self) -> bool:
        """Every game of the working batch is over (or none is left)."""
        return bool(self.world.done.all())

    def shed(self, world: World, hold: np.ndarray | None = None) -> np.ndarray | None:
        """`world` is the working batch after a week: its games over leave it, except where
        `hold` (B,) is true (a caller that still reads a finished game keeps it in).
        Returns the positions of the games kept (None if every game stays)."""
        leave = world.done if hold is None else world.done & ~hold
        if not leave.any():
            self.world = world
            return None
        gone = np.flatnonzero(leave)
        self._left.append((self.rows[gone], take(world, gone)))
        keep = np.flatnonzero(~leave)
        self.world, self.rows = take(world, keep), self.rows[keep]
        return keep

    def result(self) -> World:
        """The whole batch: every game's last state, in the order of the first World."""
        if not self._left:
            return self.world
        parts = self._left + [(self.rows, self.world)]
        order = np.argsort(np.concatenate([rows for rows, _ in parts]), kind="stable")
        fields: dict[str, Any] = {
            n: np.concatenate([getattr(w, n) for _, w in parts])[order] for n in array_fields()
        }
        return attrs.evolve(self.world, **fields)
