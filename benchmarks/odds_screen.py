"""The first odds on screen, as a player gets them: from pressing `o` on the dashboard
to the odds screen showing its first estimate, in the app itself (headless, 80x24).

- cold: the player opens the odds for the first time in the game (the first wave of 12
  futures is played to the end of the game, here)
- played ahead: the player has asked for odds before, and the dashboard stayed on this
  position long enough for the app to play the first wave ahead (game/tui/ahead.py)

Both are the same odds (the same futures). Wall time and this process's CPU time are
printed with the machine's load average: a shared machine's figures drift with it.

    python benchmarks/odds_screen.py           # weeks 0 and 100
    python benchmarks/odds_screen.py --quick   # week 100 only
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

from game.play.session import Session
from game.tui.ahead import OddsAhead
from game.tui.app import AgiRaceApp


def game_at(week: int, seed: int = 7) -> Session:
    """A game the AI has played to `week`, then handed to a player of xAI."""
    s = Session.new(seed=seed, humans=())
    while s.week < week and not s.over:
        s.end_week()
    return Session.new(seed=seed) if week == 0 else _as_player(s)


def _as_player(s: Session) -> Session:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return Session.load(s.save(os.path.join(folder, "bench.toml")))


async def first_odds(session: Session, ahead: bool) -> tuple[float, float]:
    """Seconds of wall and CPU time from `o` to the first odds on screen."""
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if ahead:
            app.odds_ahead.close()
            app.odds_ahead = OddsAhead(niceness=0)
            app.odds_ahead.asked = True
            while app.odds_ahead.playing() is None:
                await pilot.pause(0.1)
            await asyncio.wrap_future(app.odds_ahead.playing())  # the player reads the dashboard
            await pilot.pause()
        wall, cpu = time.perf_counter(), time.process_time()
        await pilot.press("o")
        while getattr(app.screen, "odds", None) is None:
            await pilot.pause(0.005)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        await pilot.press("escape")
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    os.environ.setdefault("AGI_RACE_HOME", os.path.join(os.getcwd(), ".bench-home"))
    load = os.getloadavg()[0]
    for week in [100] if args.quick else [0, 100]:
        for ahead in (False, True):
            wall, cpu = asyncio.run(first_odds(game_at(week), ahead))
            how = "played ahead" if ahead else "cold        "
            print(f"week {week:3d}, {how}: first odds on screen in {wall:5.2f} s ({cpu:.2f} s of CPU here)", flush=True)
    print(f"load average: {load:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
