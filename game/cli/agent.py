"""`agi-race agent`: one lab played by a program, over JSON lines on stdin and stdout
(game/agents/protocol.py has the protocol; README, "Agents", shows a session)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from game.catalog import Catalog
from game.cli.output import checked_output
from game.cli.usage import SEED, UsageError


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    from game.play.session import DEFAULT_SCENARIO

    playable = tuple(lab.id for lab in catalog.labs if lab.playable) if catalog else ()
    agent = sub.add_parser(
        "agent",
        help="play a lab by program: JSON lines on stdin and stdout",
        description="The game speaks first (hello, then an observation each week with the legal "
        "actions); the agent answers each observation with one act line. Errors never advance "
        "the week; end of input ends the game where it stands.",
    )
    agent.add_argument("--lab", required=True, choices=playable or None, help="the lab the agent plays")
    agent.add_argument(
        "--scenario",
        help=f"a shipped scenario ({scenarios}), a save's name or a path (default: {DEFAULT_SCENARIO})",
    )
    agent.add_argument("--seed", type=SEED, help="the game's seed (default: the scenario's)")
    agent.add_argument(
        "--difficulty",
        choices=catalog.difficulty_ids if catalog else None,
        help="the rivals' skill (default: the scenario's)",
    )
    agent.add_argument(
        "--save-to", metavar="FILE", help="save the game when it ends (`agi-race replay FILE` checks it)"
    )
    agent.set_defaults(run=run)


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.agents.protocol import Protocol, bounded_lines, serve
    from game.play.session import DEFAULT_SCENARIO, Refused, Session

    save_to = checked_output(args.save_to, "--save-to") if args.save_to else None
    try:
        session = Session.new(
            args.scenario or DEFAULT_SCENARIO,
            humans=(args.lab,),
            difficulty=args.difficulty,
            seed=args.seed,
            catalog=catalog,
        )
    except Refused as err:
        raise UsageError(f"--lab: {err}") from None
    session.autosave_every = 0  # the agent's game is saved where --save-to says, nowhere else
    return serve(Protocol(session, args.lab, save_to), bounded_lines(sys.stdin.buffer), sys.stdout)
