"""The command line: argument parsing and printing only; the work is in play/, saves/
and engine/. One module per command (or family of commands), each adding its parser and
the function that runs it; `main` parses and dispatches.

A bad flag or value exits 2 with one line saying what is wrong, before any work starts;
outputs are checked first (`output.checked_output`); long work shows a progress bar on a
terminal (`progress.progress_bar`, for any command that plays many games). SIGINT and
SIGTERM stop a command's worker processes and then the command, with one line and exit
130 or 143 (`stop.stopping`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from game.catalog import Catalog, CatalogError, default_catalog
from game.cli import agent, calc, files, forecast, offer, play, serve, simulate, stop, tournament
from game.cli.usage import PROG, Parser, UsageError
from game.paths import DataNotFound
from game.saves import SaveError

COMMANDS = (simulate, forecast, tournament, play, serve, agent, offer, calc, files)
OWN_SIGNALS = ("play", "serve")  # the app reads ctrl+c as a key; the server stops its pages itself


def version() -> str:
    """The installed package's version (importlib.metadata), or `unknown` from a bare checkout."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(PROG)
    except PackageNotFoundError:
        return "unknown (not installed)"


def _shipped() -> str:
    from game.paths import scenarios_dir

    try:
        return ", ".join(sorted(p.stem for p in scenarios_dir().glob("*.toml")))
    except (DataNotFound, OSError):
        return "see `agi-race scenarios`"


def build_parser(catalog: Catalog | None = None) -> argparse.ArgumentParser:
    """The parser; with the catalog, the help lists its labs, GPUs, styles and levels."""
    parser = Parser(prog=PROG, description="AGI Race: the AI compute race, in your terminal.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    scenarios = _shipped()
    for command in COMMANDS:
        command.add_parser(sub, catalog, scenarios)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            catalog: Catalog | None = default_catalog()
            broken = None
        except CatalogError as err:  # --help and --version still work; any command reports it
            catalog, broken = None, err
        args = build_parser(catalog).parse_args(argv)
        if broken is not None or catalog is None:
            raise broken or CatalogError("no catalog")
        if args.command is None:
            return play.run(None, catalog)
        if args.command in OWN_SIGNALS:
            return int(args.run(args, catalog))
        with stop.stopping():
            return int(args.run(args, catalog))
    except stop.Stopped as why:
        print(f"{PROG}: stopped by {why}", file=sys.stderr)
        return why.exit_code
    except (UsageError, SaveError, CatalogError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except DataNotFound as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
