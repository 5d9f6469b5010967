"""Engine throughput: game-weeks per second at several batch sizes, one process.

One game-week is every lab's week in one game: the AI players decide (policies.decide)
and the engine steps (turn.step). Each figure is the median of several timed runs after
a warm-up, all in this process so the ratios between batch sizes are fair.

    python benchmarks/engine.py            # B = 1, 1,000, 10,000, 100,000
    python benchmarks/engine.py --quick    # smaller batches, fewer repeats
    python benchmarks/engine.py --json

Then the forecast: 2,000 futures of one game from week 20, three years (156 weeks)
ahead, on one process and on two (the same forecast; see simulate.forecast_futures).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc

import numpy as np

from game.batch.simulate import forecast_futures
from game.catalog import default_catalog
from game.engine import policies, turn
from game.engine.state import array_fields
from game.saves import initial_world, load_scenario, scenario_params


def setup(batch: int, start_week: int = 40):
    catalog = default_catalog()
    scn = load_scenario("2024-07-colossus", catalog)
    params = scenario_params(scn, catalog, humans=())
    world = initial_world(scn, params, batch, seed=1)
    ctl = policies.make_controllers(catalog, params)
    # Start mid-game (week 40) so the fleets, contracts and runs are realistic.
    for _ in range(start_week):
        world, _ = turn.step(world, policies.decide(world, ctl))
    return world, ctl


def time_weeks(world, ctl, weeks: int) -> float:
    start = time.perf_counter()
    w = world
    for _ in range(weeks):
        w, _ = turn.step(w, policies.decide(w, ctl))
    return time.perf_counter() - start


def state_bytes(world) -> int:
    return sum(getattr(world, n).nbytes for n in array_fields())


def measure(batch: int, weeks: int, repeats: int) -> dict:
    world, ctl = setup(batch)
    time_weeks(world, ctl, 1)  # warm-up
    times = [time_weeks(world, ctl, weeks) for _ in range(repeats)]
    median = statistics.median(times)
    step_latency = []
    if batch == 1:
        for _ in range(500):
            t0 = time.perf_counter()
            turn.step(world, policies.decide(world, ctl))
            step_latency.append(time.perf_counter() - t0)
    tracemalloc.start()
    time_weeks(world, ctl, 1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out = {
        "batch": batch,
        "weeks_timed": weeks,
        "repeats": repeats,
        "seconds_median": median,
        "game_weeks_per_second": batch * weeks / median,
        "state_bytes_per_game": state_bytes(world) / batch,
        "peak_step_bytes_per_game": peak / batch,
    }
    if step_latency:
        out["step_latency_ms_median"] = statistics.median(step_latency) * 1000
    return out


def measure_forecast(futures: int, weeks: int, workers: int) -> dict:
    world, ctl = setup(1, start_week=20)
    start = time.perf_counter()
    fc = forecast_futures(world, ctl, futures, weeks, workers=workers)
    seconds = time.perf_counter() - start
    return {
        "futures": futures,
        "weeks": fc.weeks_played,
        "workers": workers,
        "seconds": seconds,
        "game_weeks_per_second": futures * fc.weeks_played / seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="B up to 10,000, fewer repeats")
    args = parser.parse_args()
    plan = [(1, 100, 9), (1_000, 20, 5), (10_000, 5, 3), (100_000, 2, 3)]
    if args.quick:
        plan = [(1, 50, 3), (1_000, 10, 3), (10_000, 3, 3)]
    rows = []
    for batch, weeks, repeats in plan:
        row = measure(batch, weeks, repeats)
        rows.append(row)
        if not args.json:
            print(
                f"B={batch:>7,}: {row['game_weeks_per_second']:>12,.0f} game-weeks/s"
                f"  state {row['state_bytes_per_game']:,.0f} B/game"
                f"  step peak {row['peak_step_bytes_per_game']:,.0f} B/game"
                + (
                    f"  step {row['step_latency_ms_median']:.2f} ms median"
                    if "step_latency_ms_median" in row
                    else ""
                ),
                flush=True,
            )
    speedup = rows[-1]["game_weeks_per_second"] / rows[0]["game_weeks_per_second"]
    if not args.json:
        print(f"per-game speed-up of B={rows[-1]['batch']:,} over B=1: {speedup:,.0f}x", flush=True)
    futures = 500 if args.quick else 2000
    forecasts = [measure_forecast(futures, 156, workers) for workers in (1, 2)]
    if not args.json:
        for f in forecasts:
            print(
                f"forecast: {f['futures']:,} futures x {f['weeks']} weeks on {f['workers']} process(es):"
                f" {f['seconds']:.1f} s ({f['game_weeks_per_second']:,.0f} game-weeks/s)"
            )
    result = {
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "rows": rows,
        "batching_speedup": speedup,
        "forecast": forecasts,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
