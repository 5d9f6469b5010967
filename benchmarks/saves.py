"""How long saving takes as a game's log of offers grows (issue 20, item 4: 0.07 s at
224 logged offers, 1.3 s at 1,120, 5.7 s at 3,360 before; the target is at most 0.3 s
at 3,000 on the CI machine).

One game of the default scenario is played by the AI for the player's lab while the
player haggles: `--per-week` offers a week go into the log. Each time the log reaches
one of the sizes, the game is saved as ctrl+s saves it, and the parts are timed:

- document: Session.document() (the state and the log as the file's records, checked)
- text: saves.dumps (TOML with a unit comment on each number)
- write: saves.save_new (a new file taken exclusively, fsync)

Figures, not a test (the median of `--repeat` saves at each size):

    python benchmarks/saves.py [--sizes 224,1120,3000,3360] [--per-week 24] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def haggle(week: int, k: int) -> list[Any]:
    """`k` rounds of talks with Oracle for H100s, as the deals screen logs them."""
    from game.saves import Offer

    return [
        Offer(partner="oracle", gpu="H100", count=1_000 + 250 * i, start=week, weeks=52, price=2.0 + 0.05 * i)
        for i in range(k)
    ]


def timed_save(session: Any, folder: Path) -> dict[str, float]:
    from game import saves

    t0 = time.perf_counter()
    doc = session.document()
    t1 = time.perf_counter()
    text = saves.dumps(doc)
    t2 = time.perf_counter()
    path = saves.save_new(doc, folder, text=text)
    t3 = time.perf_counter()
    path.unlink()
    return {"document": t1 - t0, "text": t2 - t1, "write": t3 - t2, "total": t3 - t0, "bytes": len(text)}


def run(sizes: list[int], per_week: int, repeat: int) -> list[dict[str, float]]:
    from game.play.session import Session

    folder = Path(tempfile.mkdtemp(prefix="agi-race-bench-"))
    os.environ["AGI_RACE_HOME"] = str(folder / "home")  # autosaves go nowhere the player keeps
    session = Session.new(seed=1)
    session.autosave_every = 0
    lab = session.human_labs[0]
    rows: list[dict[str, float]] = []
    logged, todo = 0, sorted(sizes)
    while todo and not session.over:
        if logged >= todo[0]:
            runs = [timed_save(session, folder) for _ in range(repeat)]
            row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            rows.append({"offers": logged, "week": session.week, **row})
            todo.pop(0)
            continue
        session.rounds[lab] = haggle(session.week, per_week)
        session.end_week()
        logged += per_week
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="224,1120,2000,3000,3360", help="logged offers to save at")
    parser.add_argument("--per-week", type=int, default=24, help="offers logged each week")
    parser.add_argument("--repeat", type=int, default=3, help="saves timed at each size (median)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rows = run([int(x) for x in args.sizes.split(",")], args.per_week, args.repeat)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'offers':>7} {'week':>5} {'document':>9} {'text':>7} {'write':>7} {'total':>7} {'KiB':>6}")
    for r in rows:
        print(
            f"{r['offers']:>7.0f} {r['week']:>5.0f} {r['document']:>8.3f}s {r['text']:>6.3f}s "
            f"{r['write']:>6.3f}s {r['total']:>6.3f}s {r['bytes'] / 1024:>6.0f}"
        )


if __name__ == "__main__":
    main()
