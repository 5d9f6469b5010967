"""One week of a game with people and the AI: the single loop the session and replay
both play, and a round of talks with a partner between weeks."""

from __future__ import annotations

import numpy as np

from game.engine import deals, policies, turn
from game.engine.actions import Actions, merge
from game.engine.state import World
from game.saves import Offer, offer_actions


def play_week(
    world: World, controllers: policies.Controllers, chosen: Actions, covered: np.ndarray
) -> tuple[World, turn.Report]:
    """Step the week: `chosen` for the labs `covered` (L,) (the people's decisions, or a
    replayed log), the AI for every other lab it controls."""
    ai = policies.decide(world, controllers)
    return turn.step(world, merge(np.broadcast_to(covered, world.cash.shape), chosen, ai))


def talk(world: World, lab: int, offer: Offer) -> tuple[World, deals.Answers, Actions]:
    """One round of talks: the partner answers `lab`'s offer now (the week does not
    advance). Returns the world after the answer, the answers and the offer as actions."""
    a = offer_actions(world, lab, offer)
    world, answers, _ = turn.negotiate_now(world, a)
    return world, answers, a
