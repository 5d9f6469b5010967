"""A fingerprint of the engine's behaviour: a hash of every state field and report field
of 300 AI-played games of the July-2024 scenario over 200 weeks (seed 1).

A refactor that must not change the game prints the same hash before and after:

    python benchmarks/fingerprint.py            # sha256 of the states and reports
    python benchmarks/fingerprint.py --games 50 --weeks 60
"""

from __future__ import annotations

import argparse
import hashlib

import attrs
import numpy as np

from game.catalog import default_catalog
from game.engine import policies, turn
from game.engine.state import array_fields
from game.saves import initial_world, load_scenario, scenario_params


def fingerprint(games: int, weeks: int, seed: int = 1) -> str:
    catalog = default_catalog()
    scn = load_scenario("2024-07-colossus", catalog)
    params = scenario_params(scn, catalog, humans=())
    world = initial_world(scn, params, games, seed=seed)
    ctl = policies.make_controllers(catalog, params)
    digest = hashlib.sha256()
    for _ in range(weeks):
        world, report = turn.step(world, policies.decide(world, ctl))
        for name in array_fields():
            digest.update(np.ascontiguousarray(getattr(world, name)).tobytes())
        for field in attrs.fields(type(report)):
            digest.update(np.ascontiguousarray(getattr(report, field.name)).tobytes())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=300)
    parser.add_argument("--weeks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"{args.games} games x {args.weeks} weeks, seed {args.seed}: {fingerprint(args.games, args.weeks, args.seed)}"
    )


if __name__ == "__main__":
    main()
