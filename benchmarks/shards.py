"""Large runs without the memory (issue 26): `simulate --shard-out DIR` for many games,
then `agi-race summarise DIR`; prints the games, the time, the largest process's peak
memory, the shards on disk, and whether the summary read back from the shards equals
the run's own.

    python benchmarks/shards.py [--runs 1000000] [--weeks 10] [--workers 2] [--chunk 10000]

The run and the summary are separate processes (`python -m game`); memory is the peak
resident size of the largest of them or their workers (getrusage of the children).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "game", *argv], check=True)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1_000_000)
    ap.add_argument("--weeks", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shards, out, again = Path(tmp) / "shards", Path(tmp) / "run.json", Path(tmp) / "again.json"
        took = run(
            ["simulate", "--scenario", "2024-07-colossus", "--runs", str(args.runs), "--weeks", str(args.weeks),
             "--seed", "1", "--workers", str(args.workers), "--chunk", str(args.chunk), "-q",
             "--shard-out", str(shards), "--json", str(out)]
        )  # fmt: skip
        peak_run = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        merged = run(["summarise", str(shards), "--json", str(again)])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        files = sorted(shards.glob("*.npz"))
        size = sum(f.stat().st_size for f in files) / 2**20
        same = json.loads(out.read_text())["summary"] == json.loads(again.read_text())["summary"]
    print(f"games: {args.runs:,} x {args.weeks} weeks, {args.workers} workers, chunks of {args.chunk:,}")
    print(f"simulate --shard-out: {took:,.1f} s; {len(files):,} shards, {size:,.1f} MiB on disk")
    print(f"peak memory of the largest process: {peak_run:,.0f} MiB (run), {peak:,.0f} MiB (with summarise)")
    print(f"summarise: {merged:,.1f} s; summary equal to the run's: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
