"""The command line: argument parsing and printing only; the work is in engine/,
saves.py and simulate.py. A bad flag or value exits 2 with one line saying what is
wrong."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from game.catalog import Catalog, CatalogError, default_catalog
from game.engine.compute import training_rate
from game.saves import SaveError, load_scenario

PROG = "agi-race"


class UsageError(Exception):
    """A problem with what the user typed; the message is shown as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# ------------------------------------------------------------------ value checkers
def _number(text: str, what: str, lo: float, hi: float, integer: bool = False) -> float:
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise argparse.ArgumentTypeError(f"must be {kind}, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    if not lo <= value <= hi:
        raise argparse.ArgumentTypeError(f"must be between {lo:g} and {hi:g}, got {text}")
    return value


def _checker(what: str, lo: float, hi: float, integer: bool = False) -> Any:
    def check(text: str) -> float:
        return _number(text, what, lo, hi, integer)

    check.__name__ = what
    return check


RUNS = _checker("--runs", 1, 10_000_000, integer=True)
WEEKS = _checker("--weeks", 1, 5_000, integer=True)
SEED = _checker("--seed", 0, 2**63 - 1, integer=True)
OFFSET = _checker("--offset", 0, 2**40, integer=True)
CHUNK = _checker("--chunk", 1, 1_000_000, integer=True)
WORKERS = _checker("--workers", 1, 256, integer=True)
COUNT = _checker("--count", 1, 100_000_000, integer=True)
FLOP = _checker("--flop", 1, 1e40)
MFU = _checker("--mfu", 0.01, 1.0)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="AGI Race: the AI compute race, in your terminal.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    sim = sub.add_parser("simulate", help="play many games headless and summarise them")
    sim.add_argument("--scenario", required=True, help="short name (file stem in saves/) or path")
    sim.add_argument("--runs", type=RUNS, required=True, help="number of games")
    sim.add_argument("--weeks", type=WEEKS, help="weeks to play (default: to the end of the game)")
    sim.add_argument("--seed", type=SEED, help="default: the scenario's seed")
    sim.add_argument(
        "--offset", type=OFFSET, help="number games from K (for shards; default: the file's game)"
    )
    _policy_option(sim, "AI style for a lab (builder, partner, incumbent); repeatable")
    sim.add_argument("--difficulty", help="AI difficulty (easy, normal, hard); default: the scenario's")
    sim.add_argument("--chunk", type=CHUNK, default=10_000, help="games per batch (bounds memory)")
    sim.add_argument(
        "--workers",
        type=WORKERS,
        default=1,
        help="processes to share the chunks (results are identical to one process)",
    )
    sim.add_argument(
        "--json", metavar="FILE", help="write summary and per-game records as JSON (- for stdout)"
    )
    sim.add_argument("--save-to", metavar="FILE", help="save the final state (with --runs 1) as a scenario")

    off = sub.add_parser(
        "offer", help="make a partner an offer in a scenario's first week and hear the answer"
    )
    off.add_argument("--scenario", required=True)
    off.add_argument("--lab", required=True)
    off.add_argument("--partner", required=True)
    off.add_argument("--gpu", help="GPU type (not for --invest)")
    off.add_argument("--count", type=_checker("--count", 1, 100_000_000, integer=True))
    off.add_argument("--term", type=_checker("--term", 1, 520, integer=True), help="weeks")
    off.add_argument("--price", type=_checker("--price", 0, 1000), help="USD per GPU-hour")
    off.add_argument("--site", help="a site for the partner to build at (default: its own datacenters)")
    off.add_argument(
        "--start-week", type=_checker("--start-week", 0, 5000, integer=True), help="weeks from now"
    )
    off.add_argument(
        "--invest", type=_checker("--invest", 1, 1e13), help="ask the partner to invest USD instead"
    )
    off.add_argument("--share", type=_checker("--share", 0, 1), help="share of revenue offered for --invest")
    off.add_argument("--seed", type=SEED)
    off.add_argument("--json", action="store_true")

    play = sub.add_parser("play", help="play in the terminal (the default with no command)")
    play.add_argument("--scenario", help="start a new game from a scenario")
    play.add_argument("--load", metavar="FILE", help="continue a saved game")
    play.add_argument("--lab", help="your lab (xai, openai, or both for two players)")
    play.add_argument("--difficulty", help="the rival's difficulty (easy, normal, hard)")
    play.add_argument("--seed", type=SEED)
    play.add_argument(
        "--autosave-every",
        type=_checker("--autosave-every", 0, 520, integer=True),
        help="weeks between autosaves (default 4; 0 turns autosave off)",
    )

    fc = sub.add_parser("forecast", help="the odds from a save: thousands of futures played by the AI")
    fc.add_argument("file")
    fc.add_argument("--futures", type=_checker("--futures", 1, 1_000_000, integer=True), default=2000)
    fc.add_argument("--weeks", type=WEEKS, help="how far ahead (default: to the end of the game)")
    fc.add_argument(
        "--workers",
        type=WORKERS,
        default=1,
        help="processes to share the futures (the forecast is the same as with one)",
    )
    _policy_option(
        fc, "AI style to play a lab in the futures (default: a human's lab as it has played lately)"
    )
    fc.add_argument("--json", action="store_true")

    sub.add_parser("scenarios", help="list the shipped scenarios and your saves")
    check = sub.add_parser("check-save", help="validate a scenario or save file")
    check.add_argument("file")
    rep = sub.add_parser("replay", help="replay a save's log and check it reaches the saved state")
    rep.add_argument("file")

    calc = sub.add_parser("calc", help="what-if calculators")
    calc_sub = calc.add_subparsers(dest="calc", parser_class=_Parser)
    train = calc_sub.add_parser("train", help="how long a training run takes")
    train.add_argument("--gpu", required=True)
    train.add_argument("--count", type=COUNT, required=True)
    train.add_argument("--flop", type=FLOP, required=True, help="compute budget C in FLOP")
    train.add_argument("--mfu", type=MFU, help="model FLOP utilisation (default: the GPU's)")
    train.add_argument("--json", action="store_true")
    power = calc_sub.add_parser("power", help="site power a fleet needs")
    power.add_argument("--gpu", required=True)
    power.add_argument("--count", type=COUNT, required=True)
    power.add_argument("--json", action="store_true")
    return parser


# ----------------------------------------------------------------------- commands
def _gpu(catalog: Catalog, gpu_id: str) -> Any:
    for g in catalog.gpus:
        if g.id == gpu_id:
            return g
    raise UsageError(f"unknown GPU {gpu_id!r} (known: {', '.join(catalog.gpu_ids)})")


def _policy_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--policy", action="append", default=[], metavar="LAB=STYLE", help=help)


def _policies(catalog: Catalog, items: list[str], lab_ids: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        lab, sep, style = item.partition("=")
        if not sep:
            raise UsageError(f"--policy must look like LAB=STYLE, got {item!r}")
        if lab not in lab_ids:
            raise UsageError(f"--policy: lab {lab!r} is not in this scenario (labs: {', '.join(lab_ids)})")
        if style not in catalog.style_ids:
            raise UsageError(f"--policy: unknown style {style!r} (known: {', '.join(catalog.style_ids)})")
        out[lab] = style
    return out


def cmd_calc_train(args: argparse.Namespace, catalog: Catalog) -> int:
    gpu = _gpu(catalog, args.gpu)
    mfu = args.mfu if args.mfu is not None else gpu.default_mfu
    rate, hours_lost = training_rate(args.count * gpu.flops * mfu, args.count, catalog.rules.training)
    weeks = args.flop / float(rate)
    days = weeks * 7.0
    gpu_hours = args.count * days * 24.0
    mwh = gpu_hours * gpu.kw_all_in / 1000.0
    power_price = catalog.rules.finance.reference_power_usd_per_mwh
    result = {
        "gpu": gpu.id,
        "count": args.count,
        "flop": args.flop,
        "mfu": mfu,
        "availability": 1.0 - float(hours_lost) / 168.0,
        "days": days,
        "gpu_hours": gpu_hours,
        "energy_mwh": mwh,
        "energy_cost_usd": mwh * power_price,
        "rent_cost_usd": gpu_hours * gpu.rent_usd_hour,
        "capability_at_gpt4_software": float(np.log10(args.flop)),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.flop:.3g} FLOP on {args.count:,} {gpu.id} at MFU {mfu:.0%}")
    print(f"  wall-clock      {days:,.1f} days ({weeks:,.1f} weeks)")
    print(f"  availability    {result['availability']:.1%} (hardware faults)")
    print(f"  GPU-hours       {gpu_hours:,.0f}")
    print(
        f"  energy          {mwh:,.0f} MWh (${result['energy_cost_usd'] / 1e6:,.1f}M at ${power_price:g}/MWh)"
    )
    print(f"  rented cost     ${result['rent_cost_usd'] / 1e6:,.1f}M at ${gpu.rent_usd_hour:g}/GPU-hour")
    return 0


def cmd_calc_power(args: argparse.Namespace, catalog: Catalog) -> int:
    gpu = _gpu(catalog, args.gpu)
    mw = args.count * gpu.kw_all_in / 1000.0
    sites = [
        {
            "site": s.id,
            "grid_mw": s.grid_mw,
            "grid_max_mw": s.grid_max_mw,
            "fits_grid_today": s.grid_mw >= mw,
            "hall_cost_usd": mw * s.build_usd_per_mw,
            "hall_weeks": math.ceil(mw / s.build_mw_per_week),
        }
        for s in catalog.sites
    ]
    result = {"gpu": gpu.id, "count": args.count, "kw_per_gpu": gpu.kw_all_in, "mw": mw, "sites": sites}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.count:,} {gpu.id} need {mw:,.1f} MW all-in ({gpu.kw_all_in:g} kW per GPU)")
    print(f"  {'site':<10} {'grid MW':>8} {'max MW':>8} {'halls':>10} {'build':>8}")
    for s in sites:
        mark = "" if s["fits_grid_today"] else "  (grid short)"
        print(
            f"  {s['site']:<10} {s['grid_mw']:>8,.0f} {s['grid_max_mw']:>8,.0f}"
            f" {'$' + format(s['hall_cost_usd'] / 1e9, ',.2f') + 'B':>10} {s['hall_weeks']:>5} wk{mark}"
        )
    return 0


def _fmt_money(x: float | None) -> str:
    if x is None:
        return "-"
    return f"${x / 1e9:,.1f}B"


def _fmt_flops(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x / 1e18:,.0f} EF/s"


def print_summary(summary: dict[str, Any], lab_ids: tuple[str, ...], out: Any = None) -> None:
    n = summary["games"]
    w = (out or sys.stdout).write
    w(f"{n:,} games\n\n")
    w(
        f"{'lab':<10} {'wins':>7} {'bankrupt':>9} {'capability p50':>15} {'compute p50':>14} {'cash p10':>10} {'cash p50':>10} {'cash p90':>10}\n"
    )
    for lab in lab_ids:
        cash = summary["cash"][lab]
        w(
            f"{lab:<10} {summary['win_rate'][lab]:>7.1%} {summary['bankruptcies'][lab]:>9,}"
            f" {summary['capability'][lab]['p50']:>15.2f} {_fmt_flops(summary['compute'][lab]['p50']):>14}"
            f" {_fmt_money(cash['p10']):>10} {_fmt_money(cash['p50']):>10} {_fmt_money(cash['p90']):>10}\n"
        )
    w(f"{'no winner':<10} {summary['win_rate']['none']:>7.1%}\n\n")
    w("\ndeals signed (lab: partner count):\n")
    for lab in lab_ids:
        per = summary["deals_signed"].get(lab, {})
        w(f"  {lab:<10} " + (", ".join(f"{q} {k:,}" for q, k in per.items()) or "none") + "\n")
    answers = summary["answers"]
    if answers:
        w("partners' answers (answer:reason): " + ", ".join(f"{k} {v:,}" for k, v in answers.items()) + "\n")
    fired = summary["events_fired"]
    if fired:
        top = list(fired.items())[:8]
        w(f"events fired (times, top {len(top)}): " + ", ".join(f"{k} {v:,}" for k, v in top) + "\n")
    w("\n")
    ends = ", ".join(f"{k} {v:,}" for k, v in summary["ends"].items())
    w(f"ends: {ends}\n")
    d = summary["agi_date"]
    wk = summary["agi_week"]
    if wk["p50"] is None:
        w("AGI: never reached\n")
    else:
        w(
            f"AGI in {summary['agi_share']:.1%} of games: p10 {d['p10']} (week {wk['p10']:.0f}),"
            f" median {d['p50']} (week {wk['p50']:.0f}), p90 {d['p90']} (week {wk['p90']:.0f})\n"
        )


def cmd_simulate(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.play.simulate import simulate
    from game.saves import save_doc, write_save

    scn = load_scenario(args.scenario, catalog)
    styles = _policies(catalog, args.policy, scn.lab_ids)
    if args.difficulty is not None and args.difficulty not in catalog.difficulty_ids:
        raise UsageError(
            f"--difficulty: unknown level {args.difficulty!r} (known: {', '.join(catalog.difficulty_ids)})"
        )
    if args.save_to and args.runs != 1:
        raise UsageError(f"--save-to saves one game: use it with --runs 1 (got --runs {args.runs})")
    show = args.runs >= 1000 or args.runs > args.chunk

    def progress(done: int, total: int) -> None:
        if show:
            print(f"simulated {done:,} / {total:,} games", file=sys.stderr)

    result = simulate(
        scn,
        catalog,
        runs=args.runs,
        seed=args.seed,
        offset=args.offset,
        weeks=args.weeks,
        styles=styles,
        difficulty=args.difficulty,
        chunk=args.chunk,
        progress=progress,
        workers=args.workers,
        keep_last=bool(args.save_to),
    )
    seed = scn.meta.seed if args.seed is None else args.seed
    first = scn.meta.game if args.offset is None else args.offset
    if args.save_to:
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
        write_save(Path(args.save_to), doc)
    doc = {
        "scenario": scn.name,
        "seed": seed,
        "offset": first,
        "runs": args.runs,
        "summary": result.summary,
        "games": result.games,
    }
    if args.json == "-":
        json.dump(doc, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"{scn.meta.title}: seed {seed}, games {first:,}..{first + args.runs - 1:,}")
    print_summary(result.summary, scn.lab_ids)
    if args.save_to:
        print(f"saved the final state to {args.save_to}")
    if args.json:
        try:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, indent=1)
        except OSError as err:
            raise UsageError(f"--json: cannot write {args.json}: {err.strerror or err}") from None
    return 0


def cmd_offer(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.engine import deals
    from game.engine.actions import Actions
    from game.play.words import offer_message
    from game.saves import initial_world, scenario_params

    scn = load_scenario(args.scenario, catalog)
    if args.lab not in scn.lab_ids:
        raise UsageError(f"--lab: {args.lab!r} is not in this scenario (labs: {', '.join(scn.lab_ids)})")
    if args.partner not in catalog.partner_ids:
        raise UsageError(
            f"--partner: unknown partner {args.partner!r} (known: {', '.join(catalog.partner_ids)})"
        )
    if args.invest is None:
        missing = [f for f in ("gpu", "count", "term", "price") if getattr(args, f) is None]
        if missing:
            raise UsageError("a rental offer needs " + ", ".join(f"--{m}" for m in missing))
        _gpu(catalog, args.gpu)
    if args.site is not None and args.site not in catalog.site_ids:
        raise UsageError(f"--site: unknown site {args.site!r} (known: {', '.join(catalog.site_ids)})")
    params = scenario_params(scn, catalog)
    world = initial_world(scn, params, 1, seed=args.seed)
    lab = scn.lab_ids.index(args.lab)
    a = Actions.idle(world)
    week = int(world.week[0])
    a.offer_partner[0, lab] = catalog.partner_ids.index(args.partner)
    a.offer_gpu[0, lab] = catalog.gpu_ids.index(args.gpu) if args.gpu else 0
    a.offer_count[0, lab] = args.count or 0
    a.offer_weeks[0, lab] = args.term or 0
    a.offer_price[0, lab] = args.price or 0.0
    a.offer_start[0, lab] = week + (args.start_week or 0)
    a.offer_site[0, lab] = catalog.site_ids.index(args.site) if args.site else -1
    a.offer_invest[0, lab] = args.invest or 0.0
    a.offer_share[0, lab] = args.share or 0.0
    ans = deals.evaluate(params, world, a)
    answer = deals.ANSWERS[int(ans.answer[0, lab])]
    result: dict[str, Any] = {
        "answer": answer,
        "reason": deals.REASONS[int(ans.reason[0, lab])],
        "message": offer_message(params, a, ans, 0, lab),
        "asking_price": float(ans.required_price[0, lab]),
    }
    if answer == "counter":
        if args.invest:
            result["terms"] = {"invest": args.invest, "share": float(ans.share[0, lab])}
        else:
            result["terms"] = {
                "count": int(ans.count[0, lab]),
                "start_week": int(ans.start[0, lab]) - week,
                "term": int(ans.weeks[0, lab]),
                "price": float(ans.price[0, lab]),
            }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(result["message"])
    return 0


def cmd_play(args: argparse.Namespace | None, catalog: Catalog) -> int:
    from game.play.session import Refused, Session

    session = None
    if args is not None and args.load:
        if args.scenario:
            raise UsageError("use --scenario or --load, not both")
        session = Session.load(Path(args.load), catalog)
    elif args is not None and args.scenario:
        if args.difficulty is not None and args.difficulty not in catalog.difficulty_ids:
            raise UsageError(
                f"--difficulty: unknown level {args.difficulty!r} (known: {', '.join(catalog.difficulty_ids)})"
            )
        humans = None
        if args.lab:
            humans = ("xai", "openai") if args.lab == "both" else (args.lab,)
        try:
            session = Session.new(
                args.scenario, humans=humans, difficulty=args.difficulty, seed=args.seed, catalog=catalog
            )
        except Refused as err:
            raise UsageError(f"--lab: {err}") from None
    from game.tui.app import AgiRaceApp

    app = AgiRaceApp(session=session, catalog=catalog)
    if args is not None and args.autosave_every is not None:
        app.autosave_every = int(args.autosave_every)
    app.run()
    return 0


def cmd_forecast(args: argparse.Namespace, catalog: Catalog) -> int:
    import time

    from game.play.session import Session

    session = Session.load(Path(args.file), catalog)
    styles = _policies(catalog, args.policy, session.params.lab_ids)
    played_as = session.guessed_styles() | styles
    t0 = time.perf_counter()
    fc = session.forecast(futures=args.futures, weeks=args.weeks, styles=styles, workers=args.workers)
    seconds = time.perf_counter() - t0
    labs = session.params.lab_ids
    pct = fc.agi_percentiles()
    dates = {
        k: (session.params.date_of(round(v)).isoformat() if v is not None else None) for k, v in pct.items()
    }
    doc = {
        "file": args.file,
        "week": session.week,
        "futures": fc.futures,
        "weeks_played": fc.weeks_played,
        "win": {lab: float(fc.win[i]) for i, lab in enumerate(labs)},
        "no_winner": fc.no_winner,
        "bankrupt": {lab: float(fc.bankrupt[i]) for i, lab in enumerate(labs)},
        "agi_share": fc.agi_share,
        "agi_week": pct,
        "agi_date": dates,
        "played_as": played_as,
    }
    if args.json:
        print(json.dumps(doc, indent=2))
        return 0
    print(
        f"{fc.futures:,} futures from week {session.week} ({session.date.isoformat()}), {fc.weeks_played} weeks ahead"
    )
    for i, lab in enumerate(labs):
        print(
            f"  {catalog.lab(lab).name:<16} wins {fc.win[i]:6.1%}   bankrupt {fc.bankrupt[i]:6.1%}"
            f"   played as {played_as[lab]}"
        )
    if fc.no_winner:
        print(f"  {'undecided':<16}      {fc.no_winner:6.1%}")
    if pct["p50"] is None:
        print("AGI: not within the horizon")
    else:
        print(
            f"AGI in {fc.agi_share:.0%} of futures: p10 {dates['p10']}, median {dates['p50']}, p90 {dates['p90']}"
        )
    print(f"({seconds:.1f} s)", file=sys.stderr)
    return 0


def _describe(scn: Any) -> str:
    state = f"week {scn.meta.week} ({scn.date.isoformat()})"
    if scn.result is not None:
        state += f", over: {scn.result.end}" + (f", {scn.result.winner} won" if scn.result.winner else "")
    humans = f"; you: {', '.join(scn.humans)}" if scn.humans else ""
    return f"{scn.meta.title} - {state}, labs {', '.join(scn.lab_ids)}{humans}"


def cmd_scenarios(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.paths import scenarios_dir
    from game.saves import user_dir

    groups = [("shipped scenarios", scenarios_dir(), "*.toml"), ("your saves", user_dir(), "*.toml"),
              ("autosaves", user_dir() / "autosave", "*.toml")]  # fmt: skip
    for label, folder, pattern in groups:
        files = sorted(folder.glob(pattern)) if folder.is_dir() else []
        print(f"{label} ({folder}):")
        if not files:
            print("  (none)")
        for path in files:
            try:
                scn = load_scenario(path, catalog)
            except SaveError as err:
                print(f"  {path.stem:<24} unreadable: {str(err).removeprefix(str(path)).lstrip(': ')}")
                continue
            print(f"  {path.stem:<24} {_describe(scn)}")
    return 0


def cmd_check_save(args: argparse.Namespace, catalog: Catalog) -> int:
    scn = load_scenario(Path(args.file), catalog)
    print(f"{args.file}: valid. {_describe(scn)}; {len(scn.log)} logged actions")
    return 0


def cmd_replay(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.play.replay import replay

    scn = load_scenario(Path(args.file), catalog)
    ok, message = replay(scn, catalog)
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        catalog = default_catalog()
        if args.command is None:
            return cmd_play(None, catalog)
        commands = {
            "play": cmd_play,
            "simulate": cmd_simulate,
            "offer": cmd_offer,
            "forecast": cmd_forecast,
            "scenarios": cmd_scenarios,
            "check-save": cmd_check_save,
            "replay": cmd_replay,
        }
        if args.command in commands:
            return commands[args.command](args, catalog)
        if args.command == "calc":
            if args.calc == "train":
                return cmd_calc_train(args, catalog)
            if args.calc == "power":
                return cmd_calc_power(args, catalog)
            raise UsageError("calc needs a calculator: train or power")
        raise UsageError(f"unknown command {args.command!r}")
    except (UsageError, SaveError, CatalogError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
