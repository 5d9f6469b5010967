"""`agi-race serve`: the game in a browser (the optional extra `agi-race[web]`), one
process per visitor, each with its own folder of saves (game/web/server.py)."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path
from typing import Any

from game.catalog import Catalog
from game.cli.usage import UsageError, checker

PORT = checker("--port", 1, 65_535, integer=True)
MAX_GAMES = checker("--max-games", 1, 1_000, integer=True)
INSTALL_HINT = "serve needs the web extra: pip install 'agi-race[web]'"


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    s = sub.add_parser(
        "serve",
        help="serve the game to a browser: one game per visitor (needs the web extra)",
        description="Serves the full game to web browsers with textual-serve. Every visitor gets a game "
        "process of their own, with their saves, autosaves and settings in a folder of their own; the "
        "hall of fame is shared. Loopback only unless --host names another interface.",
    )
    s.add_argument("--host", default="127.0.0.1", help="the interface to listen on")
    s.add_argument("--port", type=PORT, default=8000, help="the port to listen on")
    s.add_argument(
        "--max-games", type=MAX_GAMES, default=4, help="games at once; the next visitor is asked to wait"
    )
    s.add_argument(
        "--home",
        metavar="DIR",
        help="where the visitors' folders and the hall of fame go (default: web/ beside your saves)",
    )
    s.set_defaults(run=run)


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    from game.saves import user_dir
    from game.web.server import serve

    home = Path(args.home).expanduser() if args.home else user_dir().parent / "web"
    if not loopback(args.host):
        print(
            f"warning: serving on {args.host}: anyone who reaches it can play, and every visitor starts a "
            f"process on this machine (at most {args.max_games} at once: --max-games)",
            file=sys.stderr,
        )
    serve(home, args.host, int(args.port), int(args.max_games))
    return 0
