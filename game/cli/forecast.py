"""`agi-race forecast`: the odds from a save, as thousands of futures played by the AI."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from game.catalog import Catalog
from game.cli.cluster import add_dask, check_dask, executor_for
from game.cli.output import console, show, table
from game.cli.progress import progress_bar
from game.cli.usage import WEEKS, WORKERS, add_policy, add_quiet, checker
from game.cli.usage import policies as parse_policies

FUTURES = checker("--futures", 1, 1_000_000, integer=True)


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    fc = sub.add_parser("forecast", help="the odds from a save: thousands of futures played by the AI")
    fc.add_argument("file", help="a save or scenario file")
    fc.add_argument("--futures", type=FUTURES, default=2000, help="how many futures to play")
    fc.add_argument("--weeks", type=WEEKS, help="how far ahead (default: to the end of the game)")
    fc.add_argument(
        "--workers", type=WORKERS, default=1, help="processes to share the futures (the forecast is the same)"
    )
    add_dask(fc)
    add_policy(fc, catalog, "AI style to play a lab in the futures", "a human's lab as it has played lately")
    fc.add_argument("--json", action="store_true", help="print the forecast as JSON")
    add_quiet(fc)
    fc.set_defaults(run=run)


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.play.session import Session

    check_dask(args)
    session = Session.load(Path(args.file), catalog)
    styles = parse_policies(catalog, args.policy, session.params.lab_ids)
    played_as = session.guessed_styles() | styles
    with (
        executor_for(args) as (executor, workers),
        progress_bar("forecasting", "futures", quiet=args.quiet) as report,
    ):
        fc = session.forecast(
            futures=args.futures,
            weeks=args.weeks,
            styles=styles,
            workers=workers,
            progress=report,
            executor=executor,
        )
    labs = session.params.lab_ids
    pct = fc.agi_percentiles()
    dates = {
        k: (session.params.date_of(round(v)).isoformat() if v is not None else None) for k, v in pct.items()
    }
    if args.json:
        doc = {
            "file": args.file,
            "week": session.week,
            "futures": fc.futures,
            "weeks_played": fc.weeks_played,
            "win": {lab: float(fc.win[i]) for i, lab in enumerate(labs)},
            "no_winner": fc.no_winner,
            "bankrupt": {lab: float(fc.bankrupt[i]) for i, lab in enumerate(labs)},
            "agi_share": fc.agi_share,
            "on_points": fc.on_points,
            "agi_week": pct,
            "agi_date": dates,
            "played_as": played_as,
        }
        print(json.dumps(doc, indent=2))
        return 0
    print(
        f"{fc.futures:,} futures from week {session.week} ({session.date.isoformat()}),"
        f" {fc.weeks_played} weeks ahead"
    )
    out = console()
    rows = table(out, "lab", "played as", "wins", "bankrupt", numbers_from=2)
    best = max(fc.win) if len(fc.win) else 0.0
    for i, lab in enumerate(labs):
        rows.add_row(
            catalog.lab(lab).name,
            played_as[lab],
            f"{fc.win[i]:.1%}",
            f"{fc.bankrupt[i]:.1%}",
            style="cyan" if fc.win[i] == best and best > 0 else None,
        )
    if fc.no_winner:
        rows.add_row("undecided", "", f"{fc.no_winner:.1%}", "", style="dim")
    show(out, rows)
    if pct["p50"] is None:
        print("AGI: not within the horizon")
    else:
        print(
            f"AGI in {fc.agi_share:.0%} of futures: p10 {dates['p10']}, median {dates['p50']}, p90 {dates['p90']}"
        )
    if fc.on_points:
        print(f"No AGI by the last week in {fc.on_points:.0%} of futures: the best model wins on points")
    return 0
