"""`agi-race forecast`: the odds from a save, as thousands of futures played by the AI,
in waves that sharpen until every lab's 95% interval is within `--target` points (or
exactly `--futures N`), and what-ifs on the same futures (`--what-if`)."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from game.catalog import Catalog
from game.cli.cluster import add_dask, check_dask, executor_for
from game.cli.output import add_json, console, emit_json, json_target, show, table
from game.cli.progress import progress_bar, shows_progress, stderr_console
from game.cli.usage import WEEKS, WORKERS, UsageError, add_policy, add_quiet, checker
from game.cli.usage import policies as parse_policies

FUTURES = checker("--futures", 1, 1_000_000, integer=True)
TARGET = checker("--target", 0.1, 50)


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    from game.play.odds import WHAT_IF_SYNTAX

    fc = sub.add_parser(
        "forecast",
        help="the odds from a save: thousands of futures played by the AI",
        description="The odds from a save. By default futures are played in waves until every "
        "lab's 95%% interval is within +-2 points (or 2,000 futures are played); --futures N "
        "alone plays exactly N (the same figures every time).",
    )
    fc.add_argument("file", help="a save or scenario file")
    fc.add_argument(
        "--futures",
        type=FUTURES,
        help="play exactly this many futures; with --target, at most this many (default: at most 2000)",
    )
    fc.add_argument(
        "--target",
        type=TARGET,
        help="stop once every lab's 95%% interval is within +- this many points (default: 2 "
        "unless --futures is given)",
    )
    fc.add_argument("--weeks", type=WEEKS, help="how far ahead (default: to the end of the game)")
    fc.add_argument(
        "--workers", type=WORKERS, default=1, help="processes to share the futures (the forecast is the same)"
    )
    add_dask(fc)
    add_policy(fc, catalog, "AI style to play a lab in the futures", "a human's lab as it has played lately")
    fc.add_argument(
        "--book",
        action="append",
        default=[],
        metavar="DECISION",
        help="a decision of the save's lab for its first week in every future (repeatable): "
        "'buy COUNT GPU [VENDOR]', 'run FLOP' or 'raise USD'. With --book or --what-if the lab plays "
        "this week as booked (nothing, if no --book) and the AI plays the rest",
    )
    fc.add_argument(
        "--what-if",
        action="append",
        default=[],
        metavar="CHANGE",
        help=f"compare the book with a change to it on the same futures (repeatable): {WHAT_IF_SYNTAX}",
    )
    add_json(fc, "the forecast (and its what-ifs)")
    add_quiet(fc)
    fc.set_defaults(run=run)


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.batch.futures import FuturesPool
    from game.play import odds as play_odds
    from game.play.decisions import Refused
    from game.play.session import Session

    check_dask(args)
    session = Session.load(Path(args.file), catalog)
    styles = parse_policies(catalog, args.policy, session.params.lab_ids)
    lab = session.human_labs[0]
    p = session.params
    booked = bool(args.book or args.what_if)
    try:
        book = [play_odds.parse_decision(text, p) for text in args.book]
        start = play_odds.Start.of(session, lab, styles, book=book if booked else None, use_book=False)
        for k, d in enumerate(book):
            d.check(p, session.world, lab, book[:k])
        variants = [play_odds.parse_variant(text, book, p) for text in args.what_if]
        for variant in variants:
            variant.book(start)  # refused now, before any future is played
    except Refused as why:
        raise UsageError(f"--book/--what-if: {why}") from None
    json_to = json_target(args)
    exact = args.futures is not None and args.target is None
    futures = args.futures if args.futures is not None else play_odds.FUTURES
    target = 0.0 if exact else (args.target if args.target is not None else play_odds.TARGET * 100) / 100
    names = [catalog.lab(x).name for x in p.lab_ids]
    waves_out = stderr_console()
    telling = shows_progress(waves_out, args.quiet)
    with (
        _executor(args, FuturesPool) as (executor, workers),
        progress_bar("forecasting", "futures", quiet=args.quiet) as report,
    ):
        odds = None
        for odds in play_odds.odds(
            start, target, futures, weeks=args.weeks, executor=executor, workers=workers, progress=report
        ):
            report(odds.futures, futures)
            if telling and not odds.last:
                shares = ", ".join(
                    f"{n} {odds.win[i]:.1%} ({odds.low[i]:.0%}-{odds.high[i]:.0%})"
                    for i, n in enumerate(names)
                )
                waves_out.print(f"{odds.futures:,} futures: {shares}; +-{odds.half_width() * 100:.1f} points")
        assert odds is not None
        compared = [
            list(
                play_odds.what_if(
                    start,
                    v,
                    target,
                    odds.futures if target else futures,
                    weeks=args.weeks,
                    executor=executor,
                    workers=workers,
                    known=odds.forecast,
                )  # fmt: skip
            )[-1]
            for v in variants
        ]
    fc = odds.forecast
    labs = p.lab_ids
    played_as = start.played_as
    pct = fc.agi_percentiles()
    dates = {k: (p.date_of(round(v)).isoformat() if v is not None else None) for k, v in pct.items()}
    if args.json:
        doc = {
            "file": args.file,
            "week": session.week,
            "futures": fc.futures,
            "weeks_played": fc.weeks_played,
            "win": {x: float(fc.win[i]) for i, x in enumerate(labs)},
            "win_95": {x: [float(odds.low[i]), float(odds.high[i])] for i, x in enumerate(labs)},
            "stopped_by": odds.why,
            "no_winner": fc.no_winner,
            "bankrupt": {x: float(fc.bankrupt[i]) for i, x in enumerate(labs)},
            "agi_share": fc.agi_share,
            "on_points": fc.on_points,
            "agi_week": pct,
            "agi_date": dates,
            "played_as": played_as,
        }
        if booked:
            doc["lab"] = labs[lab]
            doc["book"] = [d.label(p) for d in book]
            doc["what_if"] = [_what_if_doc(v.words, w) for v, w in zip(variants, compared, strict=True)]
        if emit_json("forecast", doc, args.json, json_to):
            return 0
    week_of = f"; {names[lab]} plays its week as booked ({len(book)} decisions)" if booked else ""
    print(
        f"{fc.futures:,} futures from week {session.week} ({session.date.isoformat()}),"
        f" {fc.weeks_played} weeks ahead{week_of}"
    )
    out = console()
    rows = table(out, "lab", "played as", "wins", "95% interval", "bankrupt", numbers_from=2)
    best = max(fc.win) if len(fc.win) else 0.0
    for i, x in enumerate(labs):
        rows.add_row(
            names[i],
            played_as[x],
            f"{fc.win[i]:.1%}",
            f"{odds.low[i]:.1%}-{odds.high[i]:.1%}",
            f"{fc.bankrupt[i]:.1%}",
            style="cyan" if fc.win[i] == best and best > 0 else None,
        )
    if fc.no_winner:
        rows.add_row("undecided", "", f"{fc.no_winner:.1%}", "", "", style="dim")
    show(out, rows)
    if pct["p50"] is None:
        print("AGI: not within the horizon")
    else:
        print(
            f"AGI in {fc.agi_share:.0%} of futures: p10 {dates['p10']}, median {dates['p50']}, p90 {dates['p90']}"
        )
    if fc.on_points:
        print(f"No AGI by the last week in {fc.on_points:.0%} of futures: the best model wins on points")
    for v, w in zip(variants, compared, strict=True):
        print(
            f"What if {v.words}: {names[lab]} wins {w.book_win:.1%} -> {w.variant_win:.1%}, "
            f"{w.difference * 100:+.1f} points (95%: {w.low * 100:+.1f} to {w.high * 100:+.1f}) on the same "
            f"{w.futures:,} futures (two separate forecasts: +-{w.independent_half_width * 100:.1f})"
        )
    return 0


def _what_if_doc(words: str, w: Any) -> dict[str, Any]:
    return {
        "what_if": words,
        "futures": w.futures,
        "book_win": w.book_win,
        "variant_win": w.variant_win,
        "difference": w.difference,
        "difference_95": [w.low, w.high],
        "independent_half_width": w.independent_half_width,
    }


@contextlib.contextmanager
def _executor(args: argparse.Namespace, pool: Any) -> Iterator[tuple[Any, int]]:
    """--dask's executor, or a pool of --workers processes kept for every wave (none for one)."""
    with executor_for(args) as (executor, workers):
        if executor is not None or workers <= 1:
            yield executor, workers
            return
        with pool(workers) as own:
            yield own, workers
