"""`agi-race simulate`: many games headless, summarised."""

from __future__ import annotations

import argparse
from typing import Any

from game.catalog import Catalog
from game.cli.cluster import add_dask, check_dask, executor_for
from game.cli.output import add_json, checked_output, console, emit_json, json_target, show, table
from game.cli.progress import progress_bar
from game.cli.usage import RUNS, SEED, WEEKS, WORKERS, UsageError, add_policy, add_quiet, checker, one_of
from game.cli.usage import difficulties as parse_difficulties
from game.cli.usage import policies as parse_policies

OFFSET = checker("--offset", 0, 2**40, integer=True)
CHUNK = checker("--chunk", 1, 1_000_000, integer=True)


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    levels = f" ({one_of(catalog.difficulty_ids)})" if catalog else ""
    sim = sub.add_parser("simulate", help="play many games headless and summarise them")
    sim.add_argument(
        "--scenario", required=True, help=f"a shipped scenario ({scenarios}), a save's name or a path"
    )
    sim.add_argument("--runs", type=RUNS, required=True, help="number of games")
    sim.add_argument("--weeks", type=WEEKS, help="weeks to play (default: to the end of the game)")
    sim.add_argument("--seed", type=SEED, help="the games' seed (default: the scenario's)")
    sim.add_argument(
        "--offset", type=OFFSET, help="number games from K, for shards (default: the scenario's game)"
    )
    add_policy(sim, catalog, "AI style for a lab", "the scenario's")
    sim.add_argument(
        "--difficulty",
        action="append",
        default=[],
        metavar="LEVEL|LAB=LEVEL",
        help=f"AI skill{levels}: LEVEL for every lab or LAB=LEVEL for one; repeatable (default: the scenario's)",
    )
    sim.add_argument("--chunk", type=CHUNK, default=10_000, help="games per batch (bounds memory)")
    sim.add_argument(
        "--workers", type=WORKERS, default=1, help="processes to share the chunks (results are identical)"
    )
    add_dask(sim)
    sim.add_argument(
        "--shard-out",
        metavar="DIR",
        help="write each shard's games to a columnar .npz file in DIR instead of memory; the summary "
        "merges them (`agi-race summarise DIR` again later; default: games in memory)",
    )
    add_json(sim, "the summary and one record per game (with --shard-out, the summary)")
    sim.add_argument(
        "--save-to",
        metavar="FILE",
        help="save the final state as a scenario (with --runs 1) to FILE (default: not saved)",
    )
    add_quiet(sim)
    sim.set_defaults(run=run)
    add_summarise(sub)


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.batch.simulate import simulate
    from game.saves import load_scenario, save_doc, write_save

    if args.save_to is not None and args.runs != 1:
        raise UsageError(f"--save-to saves one game: use it with --runs 1 (got --runs {args.runs})")
    save_to = checked_output(args.save_to, "--save-to") if args.save_to is not None else None
    json_to = json_target(args)
    if save_to is not None and json_to is not None and save_to.resolve() == json_to.resolve():
        raise UsageError("--save-to and --json name the same file")
    check_dask(args)
    scn = load_scenario(args.scenario, catalog)
    styles = parse_policies(catalog, args.policy, scn.lab_ids)
    difficulty = parse_difficulties(catalog, args.difficulty, scn.lab_ids)
    if save_to is not None and isinstance(difficulty, dict):
        raise UsageError("--save-to: a save has one difficulty for every AI lab; give --difficulty LEVEL")
    shard_out = None
    if args.shard_out:
        from game.batch.shards import folder_ready

        shard_out = folder_ready(args.shard_out)
    with (
        executor_for(args) as (executor, workers),
        progress_bar("simulating", "games", quiet=args.quiet) as report,
    ):
        result = simulate(
            scn,
            catalog,
            runs=args.runs,
            seed=args.seed,
            offset=args.offset,
            weeks=args.weeks,
            styles=styles,
            difficulty=difficulty,
            chunk=args.chunk,
            progress=report,
            workers=workers,
            keep_last=save_to is not None,
            executor=executor,
            shard_out=shard_out,
        )
    seed = scn.meta.seed if args.seed is None else args.seed
    first = scn.meta.game if args.offset is None else args.offset
    if save_to is not None:
        assert result.last is not None  # keep_last asked for it
        ctl = result.controllers
        doc = save_doc(
            scn,
            result.last,
            0,
            log=scn.log,
            humans=(),
            ai=dict(zip(scn.lab_ids, ctl.style, strict=True)),
            difficulty=ctl.difficulty[0],
        )
        write_save(save_to, doc)
    out = {
        "scenario": scn.name,
        "seed": seed,
        "offset": first,
        "runs": args.runs,
        "summary": result.summary,
    }
    if shard_out is None:
        out["games"] = result.games
    if emit_json("simulate", out, args.json, json_to):
        return 0
    print(f"{scn.meta.title}: seed {seed}, games {first:,}..{first + args.runs - 1:,}")
    print_summary(result.summary, scn.lab_ids)
    if save_to is not None:
        print(f"saved the final state to {args.save_to}")
    if shard_out is not None:
        print(f"the games are in {shard_out} (agi-race summarise {shard_out})")
    return 0


def add_summarise(sub: Any) -> None:
    s = sub.add_parser("summarise", help="the summary of a simulation written with --shard-out DIR")
    s.add_argument("folder", metavar="DIR", help="the folder simulate --shard-out wrote")
    add_json(s, "the summary")
    s.set_defaults(run=run_summarise)


def run_summarise(args: argparse.Namespace, catalog: Catalog) -> int:
    """Merge the shards one at a time: the summary simulate prints for the same games."""
    from pathlib import Path

    from game.batch.shards import summarise_dir

    json_to = json_target(args)
    manifest, summary = summarise_dir(Path(args.folder))
    first, runs = manifest["offset"], manifest["runs"]
    out = {"scenario": manifest["scenario"], "seed": manifest["seed"], "offset": first, "runs": runs,
           "summary": summary}  # fmt: skip
    if emit_json("summarise", out, args.json, json_to):
        return 0
    print(f"{manifest['scenario']}: seed {manifest['seed']}, games {first:,}..{first + runs - 1:,}")
    print_summary(summary, tuple(manifest["labs"]))
    return 0


def _money(x: float | None) -> str:
    return "-" if x is None else f"${x / 1e9:,.1f}B"


def _flops(x: float | None) -> str:
    return "-" if x is None else f"{x / 1e18:,.0f} EF/s"


def print_summary(summary: dict[str, Any], lab_ids: tuple[str, ...]) -> None:
    """The summary of a batch of games: a table per lab, then deals, answers, events,
    how the games ended and when AGI came."""
    out = console()
    print(f"{summary['games']:,} games\n")
    rows = table(
        out, "lab", "wins", "bankrupt", "capability p50", "compute p50", "cash p10", "cash p50", "cash p90"
    )
    for lab in lab_ids:
        cash = summary["cash"][lab]
        rows.add_row(
            lab,
            f"{summary['win_rate'][lab]:.1%}",
            f"{summary['bankruptcies'][lab]:,}",
            f"{summary['capability'][lab]['p50']:.2f}",
            _flops(summary["compute"][lab]["p50"]),
            _money(cash["p10"]),
            _money(cash["p50"]),
            _money(cash["p90"]),
            style="cyan" if summary["win_rate"][lab] == max(summary["win_rate"].values()) else None,
        )
    rows.add_row("no winner", f"{summary['win_rate']['none']:.1%}", style="dim")
    show(out, rows)
    print()
    print("deals signed (lab: partner count):")
    for lab in lab_ids:
        per = summary["deals_signed"].get(lab, {})
        print(f"  {lab:<10} " + (", ".join(f"{q} {k:,}" for q, k in per.items()) or "none"))
    answers = summary["answers"]
    if answers:
        print("partners' answers (answer:reason): " + ", ".join(f"{k} {v:,}" for k, v in answers.items()))
    fired = summary["events_fired"]
    if fired:
        top = list(fired.items())[:8]
        print(f"events fired (times, top {len(top)}): " + ", ".join(f"{k} {v:,}" for k, v in top))
    print()
    print("ends: " + ", ".join(f"{k} {v:,}" for k, v in summary["ends"].items()))
    d = summary["agi_date"]
    wk = summary["agi_week"]
    if wk["p50"] is None:
        print("AGI: never reached")
    else:
        print(
            f"AGI in {summary['agi_share']:.1%} of games: p10 {d['p10']} (week {wk['p10']:.0f}),"
            f" median {d['p50']} (week {wk['p50']:.0f}), p90 {d['p90']} (week {wk['p90']:.0f})"
        )
