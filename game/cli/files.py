"""`agi-race scenarios`, `check-save` and `replay`: the scenario and save files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.padding import Padding

from game.catalog import Catalog
from game.cli.output import console, show, table


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    listing = sub.add_parser("scenarios", help="list the shipped scenarios and your saves")
    listing.set_defaults(run=run_scenarios)
    check = sub.add_parser("check-save", help="validate a scenario or save file")
    check.add_argument("file", help="the file to check")
    check.set_defaults(run=run_check_save)
    rep = sub.add_parser("replay", help="replay a save's log and check it reaches the saved state")
    rep.add_argument("file", help="the save to replay")
    rep.set_defaults(run=run_replay)


def describe(scn: Any) -> str:
    """A scenario in one line: title, week and date, how it ended, its labs and players."""
    state = f"week {scn.meta.week} ({scn.date.isoformat()})"
    if scn.result is not None:
        state += f", over: {scn.result.end}" + (f", {scn.result.winner} won" if scn.result.winner else "")
    humans = f"; you: {', '.join(scn.humans)}" if scn.humans else ""
    return f"{scn.meta.title} - {state}, labs {', '.join(scn.lab_ids)}{humans}"


def run_scenarios(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.paths import scenarios_dir
    from game.saves import SaveError, load_scenario, user_dir

    out = console()
    groups = [("shipped scenarios", scenarios_dir()), ("your saves", user_dir()),
              ("autosaves", user_dir() / "autosave")]  # fmt: skip
    for label, folder in groups:
        files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        print(f"{label} ({folder}):")
        if not files:
            print("  (none)")
            continue
        rows = table(out, "name", "scenario", numbers_from=2)
        for path in files:
            try:
                scn = load_scenario(path, catalog)
            except SaveError as err:
                problem = str(err).removeprefix(str(path)).lstrip(": ")
                rows.add_row(path.stem, f"unreadable: {problem}", style="red")
                continue
            rows.add_row(path.stem, describe(scn))
        rows.columns[1].no_wrap = False
        rows.show_header = False
        show(out, Padding(rows, (0, 0, 0, 2), expand=False))
    return 0


def run_check_save(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.saves import load_scenario

    scn = load_scenario(Path(args.file), catalog)
    print(f"{args.file}: valid. {describe(scn)}; {len(scn.log)} logged actions")
    return 0


def run_replay(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.play.replay import replay
    from game.saves import load_scenario

    scn = load_scenario(Path(args.file), catalog)
    ok, message = replay(scn, catalog)
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1
