"""`agi-race tournament`: the balance of the rules, measured by playing them (a matrix of
AI styles and difficulties and every scripted strategy against the AI), with the balance
targets met or not; `--search` adds the exploit search (the strongest strategies a seeded
optimiser finds against the hard AI). Modders run it on a changed assets/ folder
(`--assets DIR`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from game.catalog import Catalog
from game.cli.cluster import add_dask, check_dask, executor_for
from game.cli.output import checked_output, console, emit_json, show, table
from game.cli.progress import progress_bar
from game.cli.usage import SEED, WORKERS, UsageError, add_quiet, checker

GAMES = checker("--games", 1, 1_000_000, integer=True)
CHUNK = checker("--chunk", 1, 100_000, integer=True)
GROUPS = ("default", "deck", "baseline", "styles", "difficulty", "strategies")
FULL_GAMES = 2000  # the targets are measured on 2,000 games per cell
QUICK_GAMES = 200
BUDGET = checker("--budget", 100, 10_000_000, integer=True)
WEEKS = checker("--weeks", 1, 10_000, integer=True)
SEARCH_BUDGET = 8_000  # games a lab: a few minutes on two cores


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    t = sub.add_parser(
        "tournament",
        help="play styles, difficulties and scripted strategies against the AI; check the balance targets",
        description=(
            "Plays cells of games (the default race and the deck off, a 3 x 3 style matrix at normal and at hard, the difficulty "
            "ladder for xAI and OpenAI, every scripted strategy on each against the hard AI, the hard AI "
            "against itself), every cell the same game numbers, and prints win shares with 95% intervals, "
            "AGI dates, bankruptcies, money binding, the history table and the balance targets. With --search, "
            "also (or, without --cells, only) the exploit search: a seeded optimiser (random search, then the "
            "cross-entropy method, every candidate of a generation on the same games) over the levers of a "
            "player's strategy, against the hard AI, for xAI and for OpenAI; it prints the strongest strategies "
            "it finds with their win share and 95% interval on fresh games, and the levers they lean on."
        ),
    )
    t.add_argument(
        "--scenario",
        default="2024-07-colossus",
        help=f"a shipped scenario ({scenarios}), a save's name or a path",
    )
    size = t.add_mutually_exclusive_group()
    size.add_argument("--games", type=GAMES, help=f"games per cell (default: {FULL_GAMES:,})")
    size.add_argument("--quick", action="store_true", help=f"{QUICK_GAMES} games per cell: a quick look")
    t.add_argument("--seed", type=SEED, default=1, help="the games' seed")
    t.add_argument(
        "--cells",
        metavar="GROUP,...",
        help=f"which cells to play: some of {', '.join(GROUPS)} (default: all; none with --search)",
    )
    t.add_argument(
        "--search",
        action="store_true",
        help="search the levers of a player's strategy for the strongest against the hard AI, for each lab",
    )
    t.add_argument(
        "--budget",
        type=BUDGET,
        default=SEARCH_BUDGET,
        help="games the search plays for each lab: 65%% searching, 20%% confirming the best, 15%% taking the best apart",
    )
    t.add_argument(
        "--weeks",
        type=WEEKS,
        help="play only each game's first N weeks (a smoke test: wins need whole games; default: to the end)",
    )
    t.add_argument(
        "--assets",
        metavar="DIR",
        help="play with the game data in DIR (a changed copy of assets/) instead of the game's own",
    )
    t.add_argument("--workers", type=WORKERS, default=1, help="processes to share the work (same results)")
    add_dask(t)
    t.add_argument(
        "--chunk",
        type=CHUNK,
        default=5000,
        help="games per batch (bounds memory; cells of fewer games share batches)",
    )
    t.add_argument(
        "--json",
        metavar="FILE",
        help="write the results and targets as JSON to FILE (- for stdout; default: no JSON)",
    )
    t.add_argument("--markdown", action="store_true", help="print the results as Markdown tables")
    add_quiet(t)
    t.set_defaults(run=run)


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    from pathlib import Path

    from game.batch import balance, search, tournament
    from game.batch.sources import catalog_at
    from game.saves import load_scenario, scenario_params

    cells_arg = args.cells if args.cells is not None else ("" if args.search else ",".join(GROUPS))
    groups = [g.strip() for g in cells_arg.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown or (not groups and not args.search):
        raise UsageError(
            f"--cells: unknown group {', '.join(unknown) or '(none)'} (known: {', '.join(GROUPS)})"
        )
    json_to = checked_output(args.json, "--json") if args.json not in (None, "-") else None
    check_dask(args)
    assets = None
    if args.assets is not None:
        assets = Path(args.assets).resolve()
        if not assets.is_dir():
            raise UsageError(f"--assets: {args.assets} is not a folder")
        catalog = catalog_at(str(assets))  # a CatalogError names the file and the entry
    scn = load_scenario(args.scenario, catalog)
    params = scenario_params(scn, catalog, humans=())
    missing = [lab for lab in ("xai", "openai") if lab not in params.lab_ids]
    if missing:
        raise UsageError(
            f"--scenario: the tournament needs xAI and OpenAI; {scn.name} has no {', '.join(missing)}"
        )
    games = QUICK_GAMES if args.quick else args.games or FULL_GAMES
    cells = [c for c in tournament.plan(catalog, params.lab_ids) if c.group in groups]
    found = None
    with executor_for(args) as (executor, workers):
        if cells:
            with progress_bar("tournament", "games", quiet=args.quiet) as report:
                result = tournament.run(scn, catalog, cells, games=games, seed=args.seed, chunk=args.chunk,
                                        workers=workers, progress=report, executor=executor, assets=assets,
                                        weeks=args.weeks)  # fmt: skip
            doc = result.to_dict()
        else:
            doc = {"scenario": scn.name, "seed": args.seed, "games_per_cell": 0, "targets": [], "cells": []}
        if args.search:
            with progress_bar("search", "games", quiet=args.quiet) as report:
                found = search.run_search(scn, catalog, assets, budget=search.Budget.of_total(args.budget),
                                          seed=args.seed, chunk=args.chunk, workers=workers,
                                          executor=executor, progress=report, weeks=args.weeks)  # fmt: skip
            doc["search"] = found
            doc["targets"] = balance.targets(doc["cells"], params, search=found)
    if emit_json("tournament", doc, args.json, json_to):
        return 0
    names = {lab: catalog.lab(lab).name for lab in params.lab_ids}
    if args.markdown:
        sys.stdout.write(balance.markdown(doc, names))
        return 0
    if doc["cells"]:
        print_tournament(doc, names)
    if found is not None:
        print_search(found, names)
    print()
    print_targets(doc["targets"])
    return 0


def print_tournament(doc: dict[str, Any], names: dict[str, str]) -> None:
    """The cells' results and the history table, as tables."""
    out = console()
    labs = list(names)
    print(f"{doc['scenario']}: {doc['games_per_cell']:,} games per cell, seed {doc['seed']}\n")
    rows = table(out, "cell", *(names[lab] for lab in labs), "AGI median", "no AGI", "bankrupt", "runway<12w")
    for c in doc["cells"]:
        rows.add_row(
            c["key"],
            *(
                f"{c['win'][lab]['share']:.1%} ±{(c['win'][lab]['hi'] - c['win'][lab]['lo']) / 2:.1%}"
                for lab in labs
            ),
            str(c["agi_date"]["p50"]),
            f"{1 - c['agi_share']:.1%}",
            f"{c['bankrupt_share']:.1%}",
            f"{c['runway_alarm_share']:.1%}",
        )
    show(out, rows)
    history: list[dict[str, Any]] = next(
        (c.get("history", []) for c in doc["cells"] if c["key"] == "default"), []
    )
    if history:
        print()
        rows = table(out, "history", "date", "history", "median", "ratio", numbers_from=2)
        for r in history:
            ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}" + ("" if r["met"] else " off")
            rows.add_row(f"{names.get(r['lab'], r['lab'])} {r['what']}", r["date"], f"{r['history']:.3g}",
                         "-" if r["median"] is None else f"{r['median']:.3g}", ratio)  # fmt: skip
        show(out, rows)


def print_targets(targets: list[dict[str, Any]]) -> None:
    """The targets, each met or not."""
    out = console()
    rows = table(out, "target", "wanted", "result", "met", numbers_from=4)
    for t in targets:
        rows.add_row(t["measure"], t["target"], t["value"], "yes" if t["met"] else "NO")
    show(out, rows)


def print_search(found: dict[str, Any], names: dict[str, str]) -> None:
    """The exploit search: for each lab, the hard AI's own share and the strongest
    strategies found, on the same fresh games, with the levers they lean on."""
    from game.batch.levers import described

    out = console()
    b = found["budget"]
    print(
        f"\nExploit search vs the hard AI ({found['scenario']}, seed {found['seed']}"
        + (f", assets {found['assets']}" if found["assets"] else "")
        + f"): {b['generations']} generations of {b['population']} candidates x {b['games']} games, "
        f"finalists on {b['confirm']:,} fresh games; {b['games_per_lab']:,} games a lab. The best's levers "
        f"are what it loses without each ({b['ablate']:,} games)\n"
    )
    rows = table(out, "lab", "strategy", "win share", "95% interval", "levers it leans on", numbers_from=2)
    for lab in found["labs"]:
        name = names.get(lab["lab"], lab["lab"])
        base = lab["baseline"]
        rows.add_row(
            name, "the hard AI itself", f"{base['share']:.1%}", f"{base['lo']:.1%}-{base['hi']:.1%}", "-"
        )
        for i, r in enumerate(lab["strategies"], 1):
            rows.add_row(name, f"found #{i}", f"{r['share']:.1%}", f"{r['lo']:.1%}-{r['hi']:.1%}",
                         "\n".join(described(r)) or "none: plays as the AI")  # fmt: skip
    show(out, rows)
