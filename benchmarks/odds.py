"""The odds as a player gets them: time to the first estimate, each wave after it, and
a what-if's interval on the same futures.

- first estimate: from asking (game/play/odds.py's `odds`, what the odds screen calls
  in its worker) to the first wave's odds, for several first-wave sizes and weeks of
  the game (the futures are played to the end of the game, so the weeks left set the
  time more than the number of futures does)
- waves: every wave of one run of the odds (first wave here, the rest on a pool of
  2 worker processes started while the first wave plays), with its time since asking
  and the widest 95% interval, until +-2 points or 2,000 futures
- what-if: 1,000 futures (exactly) of a variant of the week against the week as
  booked, the paired difference's 95% interval beside the interval two independent
  forecasts of 1,000 futures would give

The machine's load average is printed: figures on a shared machine drift with it.

    python benchmarks/odds.py            # weeks 0, 100 and 200; waves and what-ifs from week 100
    python benchmarks/odds.py --quick    # week 100 only, what-if on 300 futures
    python benchmarks/odds.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from game.batch.futures import FuturesPool
from game.play import odds as play_odds
from game.play.decisions import StartRun
from game.play.session import Session


def game_at(week: int, seed: int = 7) -> Session:
    """A game the AI has played to `week` (every lab AI-played: nobody idles)."""
    s = Session.new(seed=seed, humans=())
    while s.week < week and not s.over:
        s.end_week()
    return s


def first_estimate(session: Session, first_wave: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    start = play_odds.Start.of(session, 0)
    odds = next(iter(play_odds.odds(start, first_wave=first_wave)))
    return time.perf_counter() - t0, odds.futures


def waves(session: Session, workers: int = 2) -> list[dict[str, float]]:
    rows = []
    t0 = time.perf_counter()
    start = play_odds.Start.of(session, 0)
    with FuturesPool(workers) as pool:
        for k, odds in enumerate(play_odds.odds(start, executor=pool, workers=workers)):
            rows.append(
                {
                    "wave": k + 1,
                    "futures": odds.futures,
                    "seconds": time.perf_counter() - t0,
                    "half_width_points": odds.half_width() * 100,
                    "why": odds.why,
                }
            )
            if k == 0:
                pool.warm()  # as the screen does: the processes start while the first odds show
    return rows


def what_ifs(session: Session, futures: int, workers: int = 2) -> list[dict[str, object]]:
    lab = 0
    p = session.params
    rows = []
    runs = sum(isinstance(d, StartRun) for d in session.book(lab))
    tries = [f"buy 5000 {g}" for g in p.gpu_ids] + ([] if runs else ["run 1e26"]) + ["raise 5B"]
    with FuturesPool(workers) as pool:
        for text in tries:
            start = play_odds.Start.of(session, lab, book=[])
            variant = play_odds.parse_variant(text, [], p)
            if text.startswith("buy") and any(str(r["what_if"]).startswith("you also buy") for r in rows):
                continue  # one order is enough
            try:
                variant.book(start)
            except play_odds.Refused:
                continue  # not on sale, no room for a run, or investors not ready: not a what-if here
            t0 = time.perf_counter()
            w = list(
                play_odds.what_if(start, variant, target=0.0, futures=futures, executor=pool, workers=workers)
            )[-1]
            rows.append(
                {
                    "what_if": variant.words,
                    "futures": w.futures,
                    "seconds": time.perf_counter() - t0,
                    "book_win": w.book_win,
                    "variant_win": w.variant_win,
                    "difference_points": w.difference * 100,
                    "half_width_points": w.half_width * 100,
                    "independent_half_width_points": w.independent_half_width * 100,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    weeks = [100] if args.quick else [0, 100, 200]
    sizes = [1, 4, 12, 24]
    out: dict[str, object] = {"load_before": os.getloadavg()[0]}
    games = {w: game_at(w) for w in weeks}
    first = []
    for w, s in games.items():
        for n in sizes:
            seconds, played = first_estimate(s, n)
            first.append(
                {
                    "week": w,
                    "weeks_left": s.params.last_week + 1 - s.week,
                    "first_wave": n,
                    "seconds": seconds,
                }
            )
            if not args.json:
                print(f"first estimate, week {w:3d}, first wave {n:3d} futures: {seconds:5.2f} s", flush=True)
    out["first_estimate"] = first
    mid = games[100]
    out["waves"] = waves(mid)
    if not args.json:
        for r in out["waves"]:  # type: ignore[attr-defined]
            print(
                f"wave {r['wave']}: {r['futures']:5,} futures at {r['seconds']:6.2f} s, "
                f"every lab within +-{r['half_width_points']:.1f} points {r['why']}",
                flush=True,
            )
    out["what_if"] = what_ifs(mid, 300 if args.quick else 1000)
    if not args.json:
        for r in out["what_if"]:  # type: ignore[attr-defined]
            print(
                f"what if {r['what_if']}: {r['futures']:,} futures in {r['seconds']:.1f} s, "
                f"{r['book_win']:.1%} -> {r['variant_win']:.1%}, {r['difference_points']:+.1f} points "
                f"+-{r['half_width_points']:.1f} (independent forecasts: +-{r['independent_half_width_points']:.1f})",
                flush=True,
            )
    out["load_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"load average: {out['load_before']:.1f} before, {out['load_after']:.1f} after (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
