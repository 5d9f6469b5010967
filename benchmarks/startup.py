"""Start-up and turn latency of the terminal game, in one process.

- import: a fresh interpreter importing the app (median of 5)
- command line: a fresh `python -m game --version` and `python -m game --help` (median of 5)
- first screen: from creating the app to the title screen being shown (headless)
- end week: Session.end_week() (the AI's decisions and one engine step, B = 1)

    python benchmarks/startup.py [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def fresh_seconds(*argv: str) -> float:
    """Median wall time of a fresh interpreter running `python ARGV` (output dropped)."""
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *argv], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def import_seconds() -> float:
    return fresh_seconds("-c", "import game.tui.app")


async def first_screen_seconds() -> float:
    from game.tui.app import AgiRaceApp
    from game.tui.screens import TitleScreen

    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        app = AgiRaceApp()
        async with app.run_test(size=(120, 40)) as pilot:
            while not isinstance(app.screen, TitleScreen):
                await pilot.pause()
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def end_week_ms() -> float:
    from game.play.session import Session

    session = Session.new()
    session.autosave_every = 0
    times = []
    for _ in range(60):
        t0 = time.perf_counter()
        session.end_week()
        times.append(time.perf_counter() - t0)
    return statistics.median(times[5:]) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("AGI_RACE_HOME", tempfile.mkdtemp())
    result = {
        "import_seconds": import_seconds(),
        "cli_version_seconds": fresh_seconds("-m", "game", "--version"),
        "cli_help_seconds": fresh_seconds("-m", "game", "--help"),
        "first_screen_seconds": asyncio.run(first_screen_seconds()),
        "end_week_ms_median": end_week_ms(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"import the app:        {result['import_seconds'] * 1000:,.0f} ms (fresh interpreter)")
        print(f"agi-race --version:     {result['cli_version_seconds'] * 1000:,.0f} ms (fresh interpreter)")
        print(f"agi-race --help:        {result['cli_help_seconds'] * 1000:,.0f} ms (fresh interpreter)")
        print(f"launch to title screen: {result['first_screen_seconds'] * 1000:,.0f} ms")
        print(f"end a week:             {result['end_week_ms_median']:,.1f} ms (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
