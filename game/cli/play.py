"""`agi-race play` (and `agi-race` alone): the game in the terminal."""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from game.catalog import Catalog
from game.cli.usage import SEED, UsageError, checker

NEW_GAME = ("scenario", "lab", "difficulty", "seed")  # the flags that describe a new game


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    from game.play.session import AUTOSAVE_EVERY, DEFAULT_SCENARIO

    playable = tuple(lab.id for lab in catalog.labs if lab.playable) if catalog else ()
    play = sub.add_parser(
        "play",
        help="play in the terminal (the default with no command)",
        description="With no flags, the title screen. Any of --scenario, --lab, --difficulty or --seed "
        "starts that game at once (on the default scenario unless --scenario names one), and so does "
        "--agent; --load continues a saved game.",
    )
    play.add_argument(
        "--scenario",
        help=f"start a new game from a shipped scenario ({scenarios}), a save's name or a path"
        f" (default: {DEFAULT_SCENARIO} if another new-game flag is given, else the title screen)",
    )
    play.add_argument("--load", metavar="FILE", help="continue a saved game (default: a new game)")
    play.add_argument(
        "--lab",
        choices=(*playable, "both") if catalog else None,
        help="your lab, or both for two players on one terminal (default: the scenario's)",
    )
    play.add_argument(
        "--difficulty",
        choices=catalog.difficulty_ids if catalog else None,
        help="the rivals' skill (default: the scenario's)",
    )
    play.add_argument("--seed", type=SEED, help="the game's seed (default: the scenario's)")
    play.add_argument(
        "--agent",
        metavar="LAB=COMMAND",
        help="a program plays LAB against you, speaking the protocol of `agi-race agent` "
        '(e.g. openai="python my_agent.py"); you play the other lab unless --lab names yours. '
        "The game saves as a two-player game; a loaded one plays both labs by hand unless "
        "--agent is given again",
    )
    play.add_argument(
        "--autosave-every",
        type=checker("--autosave-every", 0, 520, integer=True),
        help=f"weeks between autosaves; 0 turns autosave off (default: {AUTOSAVE_EVERY})",
    )
    play.set_defaults(run=run)


def _given(args: argparse.Namespace, names: tuple[str, ...]) -> list[str]:
    return ["--" + n for n in names if getattr(args, n, None) is not None]


def session_for(args: argparse.Namespace | None, catalog: Catalog) -> Any:
    """The game the flags ask for: a loaded save, a new game, or None for the title."""
    from game.play.session import Refused, Session

    if args is None:
        return None
    new_game = _given(args, NEW_GAME)
    agent = agent_lab(args, catalog)
    if args.load:
        if new_game:
            raise UsageError(
                f"--load continues a saved game; {' '.join(new_game)} describe a new one: not both"
            )
        session = Session.load(Path(args.load), catalog)
        if agent and (agent not in session.humans or len(session.humans) < 2):
            raise UsageError(f"--agent: {agent} is not one of two labs people play in this save")
        return session
    if not new_game and not agent:
        return None
    humans: tuple[str, ...] | None = None
    if agent:
        playable = [lab.id for lab in catalog.labs if lab.playable and lab.id != agent]
        humans = (args.lab or playable[0], agent)
    elif args.lab == "both":
        humans = tuple(lab.id for lab in catalog.labs if lab.playable)
    elif args.lab:
        humans = (args.lab,)
    scenario = {"scenario": args.scenario} if args.scenario else {}  # else the default scenario
    try:
        return Session.new(
            **scenario, humans=humans, difficulty=args.difficulty, seed=args.seed, catalog=catalog
        )
    except Refused as err:
        raise UsageError(f"--lab: {err}") from None


def agent_lab(args: argparse.Namespace, catalog: Catalog) -> str | None:
    """The lab --agent names, checked: playable, not the person's, its program found."""
    if getattr(args, "agent", None) is None:
        return None
    lab, _, command = str(args.agent).partition("=")
    playable = [x.id for x in catalog.labs if x.playable]
    if lab not in playable or not command.strip():
        raise UsageError(f"--agent: expected LAB=COMMAND with LAB one of {', '.join(playable)}")
    if args.lab in (lab, "both"):
        raise UsageError(f"--agent: {lab} is played by the agent; --lab must name your own lab")
    try:
        argv = shlex.split(command)
    except ValueError as err:
        raise UsageError(f"--agent: {err}") from None
    if not argv or shutil.which(argv[0]) is None:
        raise UsageError(f"--agent: no program {argv[0] if argv else command!r} to run")
    return lab


def has_terminal() -> bool:
    """Whether the game can be shown: the app reads keys from stdin and draws on stderr
    (Textual's driver), so both must be a terminal. Without one the app would wait for
    keys that never come."""
    return all(stream is not None and stream.isatty() for stream in (sys.__stdin__, sys.__stderr__))


def run(args: argparse.Namespace | None, catalog: Catalog) -> int:
    if not has_terminal():
        raise UsageError(
            "play needs a terminal (stdin and stderr on a tty); for headless games use"
            " `agi-race simulate` or `agi-race forecast`"
        )
    session = session_for(args, catalog)
    from game.tui.app import AgiRaceApp

    agent = None
    if args is not None and args.agent and session is not None:
        from game.agents.process import AgentProcess
        from game.saves import user_dir

        lab = str(args.agent).partition("=")[0]
        log = user_dir().parent / f"agent-{lab}.log"  # the agent's stderr (the screen is the game's)
        agent = AgentProcess(str(args.agent).partition("=")[2], lab, stderr=log)
    app = AgiRaceApp(session=session, catalog=catalog, agent=agent)
    if args is not None and args.autosave_every is not None:
        app.autosave_every = int(args.autosave_every)
    try:
        app.run()
    finally:
        if agent is not None:
            agent.close()
    return 0
