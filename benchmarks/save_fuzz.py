"""The save fuzz at full size (issue 20, deliverable 7): damaged mutants of real saves,
each of which must be refused with one line, or load, play 20 weeks, save and load back
as the same game.

Real saves: games played and saved by the game itself (a player haggling every week, AI
games saved mid-game with contracts, orders and runs, a finished game), the shipped
scenarios and the old-version files of the tests. Mutants (tests/save_mutants.py):
values replaced (numbers of every size, path-like and very long names, tables, lists),
keys deleted or added, items and tables duplicated; or the text damaged (a table written
twice, a line dropped or repeated, the file cut short, a byte changed).

Prints the counts (target: 0 failures) and the first failures in full:

    python benchmarks/save_fuzz.py [--mutants 2000] [--weeks 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def real_saves(folder: Path) -> list[str]:
    """The texts of the saves the mutants are made from."""
    from game.catalog import default_catalog
    from game.engine import policies
    from game.engine.turn import step
    from game.paths import scenarios_dir
    from game.play.session import Session
    from game.saves import Offer, initial_world, load_scenario, save_doc, scenario_params, write_save

    texts = [p.read_text() for p in sorted(scenarios_dir().glob("*.toml"))]
    texts += [p.read_text() for p in sorted((ROOT / "tests" / "data" / "migrations").glob("*.toml"))]

    session = Session.new(seed=4)  # a player who haggles every week
    session.autosave_every = 0
    for week in range(30):
        offer = Offer(
            partner="oracle", gpu="H100", count=2_000 + 100 * week, start=week + 8, weeks=52, price=2.5
        )
        session.rounds[0] = [offer]
        session.end_week()
    session.offer(0, Offer(partner="oracle", gpu="H100", count=500, start=40, weeks=26, price=3.0))
    texts.append(session.save(folder / "haggler.toml").read_text())

    catalog = default_catalog()
    for name, weeks in (("2024-07-colossus", 90), ("2025-01-stargate", 160), ("sandbox", 400)):
        scn = load_scenario(name, catalog)
        params = scenario_params(scn, catalog, humans=())
        ai = policies.make_controllers(catalog, params, dict(scn.ai), ai_labs=params.lab_ids)
        world = initial_world(scn, params, 1, seed=7)
        for _ in range(weeks):  # sandbox: played to its end
            world, _ = step(world, policies.decide(world, ai))
        path = folder / f"ai-{name}.toml"
        write_save(path, save_doc(scn, world, humans=()))
        texts.append(path.read_text())
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=20, help="weeks a loaded mutant is played")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="failures printed in full")
    args = parser.parse_args()

    import tomllib

    from game.catalog import default_catalog
    from tests import save_mutants

    folder = Path(tempfile.mkdtemp(prefix="agi-race-save-fuzz-"))
    os.environ["AGI_RACE_HOME"] = str(folder / "home")
    catalog = default_catalog()
    t0 = time.perf_counter()
    bases = real_saves(folder)
    docs = [tomllib.loads(t) for t in bases]
    print(
        f"{len(bases)} real saves in {time.perf_counter() - t0:.1f}s; {args.mutants} mutants, {args.weeks} weeks each"
    )

    rng = random.Random(args.seed)
    counts: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    t0 = time.perf_counter()
    for i in range(args.mutants):
        k = rng.randrange(len(bases))
        text_damage = rng.random() < 0.3
        mutant = save_mutants.damage_text(bases[k], rng) if text_damage else save_mutants.mutate(docs[k], rng)
        path = folder / f"mutant-{i}.toml"
        if not save_mutants.write(path, mutant):
            counts["not TOML-writable (skipped)"] += 1
            continue
        try:
            counts[save_mutants.outcome(path, catalog, args.weeks)] += 1
            path.unlink()
            path.with_name(path.stem + "-again.toml").unlink(missing_ok=True)
        except Exception:
            counts["failed"] += 1
            failures.append(f"mutant {i} (base {k}, {'text' if text_damage else 'document'}; kept at {path}):\n"
                            + traceback.format_exc(limit=-4))  # fmt: skip
    seconds = time.perf_counter() - t0
    print(f"refused with one line:                        {counts['refused']}")
    print(f"loaded, played {args.weeks} weeks, saved, loaded back: {counts['played']}")
    print(f"failures:                                     {counts['failed']}")
    if counts["not TOML-writable (skipped)"]:
        print(
            f"skipped (the mutation made the document contain itself): {counts['not TOML-writable (skipped)']}"
        )
    print(f"{seconds:.0f}s ({seconds / max(args.mutants, 1) * 1000:.0f} ms a mutant)")
    for failure in failures[: args.show]:
        print("\n" + failure)


if __name__ == "__main__":
    main()
