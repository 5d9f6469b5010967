"""`agi-race tournament`: the balance of the rules, measured by playing them (a matrix of
AI styles and difficulties and every scripted strategy against the AI), with issue 11's
targets met or not. Modders run it to check a changed assets/ file."""

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
FULL_GAMES = 2000  # issue 11: the targets are measured on 2,000 games per cell
QUICK_GAMES = 200


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    t = sub.add_parser(
        "tournament",
        help="play styles, difficulties and scripted strategies against the AI; check the balance targets",
        description=(
            "Plays cells of games (the default race and the deck off, a 3 x 3 style matrix, the difficulty "
            "ladder for xAI and OpenAI, every scripted strategy on each against the hard AI, the hard AI "
            "against itself), every cell the same game numbers, and prints win shares with 95% intervals, "
            "AGI dates, bankruptcies, money binding, the history table and issue 11's targets."
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
        default=",".join(GROUPS),
        metavar="GROUP,...",
        help=f"which cells to play: some of {', '.join(GROUPS)}",
    )
    t.add_argument("--workers", type=WORKERS, default=1, help="processes to share the work (same results)")
    add_dask(t)
    t.add_argument("--chunk", type=CHUNK, default=1000, help="games per batch (bounds memory)")
    t.add_argument(
        "--json",
        metavar="FILE",
        help="write the results and targets as JSON to FILE (- for stdout; default: no JSON)",
    )
    t.add_argument("--markdown", action="store_true", help="print the results as Markdown tables")
    add_quiet(t)
    t.set_defaults(run=run)


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.batch import balance, tournament
    from game.saves import load_scenario, scenario_params

    groups = [g.strip() for g in args.cells.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown or not groups:
        raise UsageError(
            f"--cells: unknown group {', '.join(unknown) or '(none)'} (known: {', '.join(GROUPS)})"
        )
    json_to = checked_output(args.json, "--json") if args.json not in (None, "-") else None
    check_dask(args)
    scn = load_scenario(args.scenario, catalog)
    params = scenario_params(scn, catalog, humans=())
    missing = [lab for lab in ("xai", "openai") if lab not in params.lab_ids]
    if missing:
        raise UsageError(
            f"--scenario: the tournament needs xAI and OpenAI; {scn.name} has no {', '.join(missing)}"
        )
    games = QUICK_GAMES if args.quick else args.games or FULL_GAMES
    cells = [c for c in tournament.plan(catalog, params.lab_ids) if c.group in groups]
    with (
        executor_for(args) as (executor, workers),
        progress_bar("tournament", "games", quiet=args.quiet) as report,
    ):
        result = tournament.run(
            scn,
            catalog,
            cells,
            games=games,
            seed=args.seed,
            chunk=args.chunk,
            workers=workers,
            progress=report,
            executor=executor,
        )
    doc = result.to_dict()
    if emit_json("tournament", doc, args.json, json_to):
        return 0
    names = {lab: catalog.lab(lab).name for lab in params.lab_ids}
    if args.markdown:
        sys.stdout.write(balance.markdown(doc, names))
        return 0
    print_tournament(doc, names)
    return 0


def print_tournament(doc: dict[str, Any], names: dict[str, str]) -> None:
    """The cells' results, then the targets, as tables."""
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
    print()
    rows = table(out, "target", "wanted", "result", "met", numbers_from=4)
    for t in doc["targets"]:
        rows.add_row(t["measure"], t["target"], t["value"], "yes" if t["met"] else "NO")
    show(out, rows)
