"""Random keys over every screen of the terminal game, at 80x24 and 120x40: crashes and
hangs (issue 20's target: 0 and 0 in 20,000 keys).

Episodes of random keys (tests/tui_monkey.py: keys, typed text, pastes, out-of-range
values) start from the title screen, a one-player game, a hot-seat game at its hand-over,
a game after a hiring week on the money screen, a game whose forms were filled with
out-of-range values then saved and loaded, and a game three weeks before its end (the
game-over screen). A crash is an exception the app meets (printed with its traceback);
a hang is a key (with the weeks or the save it sets off) that does not finish within
--hang seconds. Saves go to a temporary folder.

    python benchmarks/monkey.py [--keys 20000] [--episode 400] [--seed 1] [--hang 120]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = ((80, 24), (120, 40))
STARTS = ("title", "game", "handover", "hiring", "forms", "near-the-end")


def near_the_end(weeks_left: int = 3):
    import attrs
    import numpy as np

    from game.play.session import Session

    s = Session.new()
    last = s.params.last_week
    s.world = attrs.evolve(s.world, week=np.full_like(s.world.week, last - weeks_left + 1))
    return s


async def episode(
    start: str, size: tuple[int, int], keys: int, rng: random.Random, hang: float
) -> tuple[int, str]:
    """One app from `start`; returns the keys pressed and '' or what went wrong."""
    from game.play.session import Session
    from game.tui.app import AgiRaceApp
    from tests import tui_monkey as monkey

    seed = rng.randrange(1 << 30)
    if start == "title":
        app = AgiRaceApp()
    elif start == "handover":
        app = AgiRaceApp(session=Session.new(humans=("xai", "openai"), seed=seed))
    elif start == "near-the-end":
        app = AgiRaceApp(session=near_the_end())
    else:
        app = AgiRaceApp(session=Session.new(seed=seed))
    pressed = 0
    try:
        async with app.run_test(size=size) as pilot:

            async def play() -> int:
                await monkey.settle(app, pilot)
                if start == "title":
                    await pilot.press("enter")  # New game
                elif start == "handover":
                    await monkey.to_the_handover(app, pilot)
                elif start == "hiring":
                    await monkey.hiring_week(app, pilot)
                elif start == "forms":
                    await monkey.out_of_range_forms(app, pilot, rng)
                    await monkey.save_and_load(app, pilot)
                extra = monkey.HANDOVER_KEYS if start == "handover" else []
                return await monkey.random_keys(app, pilot, rng, keys, monkey.KEYS + extra, timeout=hang)

            try:
                pressed = await play()
            except monkey.Hang as err:
                return pressed, f"hang: {start} at {size[0]}x{size[1]}: {err}"
    except Exception as err:  # the app's crash, raised by run_test
        cause = err.__cause__ or err
        text = "".join(traceback.format_exception(cause))
        return pressed, f"crash: {start} at {size[0]}x{size[1]}: {type(cause).__name__}: {cause}\n{text}"
    return pressed, ""


async def run(total: int, per_episode: int, seed: int, hang: float) -> int:
    from tests import tui_monkey as monkey

    monkey.small_forecasts()
    rng = random.Random(seed)
    done, found, counts = 0, Counter[str](), Counter[str]()
    t0 = time.perf_counter()
    n = 0
    while done < total:
        start, size = STARTS[n % len(STARTS)], SIZES[(n // len(STARTS)) % len(SIZES)]
        n += 1
        keys = min(per_episode, total - done)
        pressed, problem = await episode(start, size, keys, rng, hang)
        done += max(pressed, 1)  # a quit ends an episode early; the next one plays on
        counts[start] += 1
        if problem:
            found[problem.split(":")[0]] += 1
            print(problem, flush=True)
        print(
            f"{done:>6}/{total} keys, episode {n} ({start}, {size[0]}x{size[1]}, {pressed} pressed), "
            f"{time.perf_counter() - t0:,.0f} s",
            file=sys.stderr,
            flush=True,
        )
    print(
        f"{done} keys in {n} episodes ({', '.join(f'{k} {v}' for k, v in counts.items())}) at 80x24 and 120x40, "
        f"{time.perf_counter() - t0:,.0f} s: {found['crash']} crashes, {found['hang']} hangs"
    )
    return 1 if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keys", type=int, default=20_000, help="keys in all (default: 20000)")
    parser.add_argument("--episode", type=int, default=400, help="keys per app started (default: 400)")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (default: 1)")
    parser.add_argument(
        "--hang",
        type=float,
        default=120.0,
        help="seconds one key may take before it counts as a hang (default: 120)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["AGI_RACE_HOME"] = home
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = os.path.join(home, var.lower())
        return asyncio.run(run(args.keys, args.episode, args.seed, args.hang))


if __name__ == "__main__":
    raise SystemExit(main())
