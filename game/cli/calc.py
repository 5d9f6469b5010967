"""`agi-race calc train|power`: what-if calculators over the catalog's figures."""

from __future__ import annotations

import argparse
from typing import Any

from game.catalog import Catalog
from game.cli.output import add_json, console, emit_json, json_target, show, table
from game.cli.usage import COUNT, Parser, UsageError, checker, gpu, gpu_help

FLOP = checker("--flop", 1, 1e40)
MFU = checker("--mfu", 0.01, 1.0)


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    calc = sub.add_parser("calc", help="what-if calculators: train, power")
    calc_sub = calc.add_subparsers(dest="calc", parser_class=Parser, metavar="{train,power}")
    calc.set_defaults(run=_no_calculator)
    train = calc_sub.add_parser("train", help="how long a training run takes")
    train.add_argument("--gpu", required=True, help=gpu_help(catalog))
    train.add_argument("--count", type=COUNT, required=True, help="GPUs in the cluster")
    train.add_argument("--flop", type=FLOP, required=True, help="compute budget C in FLOP")
    train.add_argument("--mfu", type=MFU, help="model FLOP utilisation, 0.01-1 (default: the GPU's)")
    add_json(train, "the result")
    train.set_defaults(run=run_train)
    power = calc_sub.add_parser("power", help="site power a fleet needs")
    power.add_argument("--gpu", required=True, help=gpu_help(catalog))
    power.add_argument("--count", type=COUNT, required=True, help="GPUs in the fleet")
    add_json(power, "the result")
    power.set_defaults(run=run_power)


def _no_calculator(args: argparse.Namespace, catalog: Catalog) -> int:
    raise UsageError("calc needs a calculator: train or power")


def run_train(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.batch.calc import train_figures

    g = gpu(catalog, args.gpu)
    mfu = args.mfu if args.mfu is not None else g.default_mfu
    json_to = json_target(args)
    result = train_figures(catalog, g, args.count, args.flop, mfu)
    days, weeks, gpu_hours, mwh = result["days"], result["days"] / 7.0, result["gpu_hours"], result["energy_mwh"]
    power_price = catalog.rules.finance.reference_power_usd_per_mwh
    if emit_json("calc-train", result, args.json, json_to):
        return 0
    print(f"{args.flop:.3g} FLOP on {args.count:,} {g.id} at MFU {mfu:.0%}")
    print(f"  wall-clock      {days:,.1f} days ({weeks:,.1f} weeks)")
    print(f"  availability    {result['availability']:.1%} (hardware faults)")
    print(f"  GPU-hours       {gpu_hours:,.0f}")
    print(
        f"  energy          {mwh:,.0f} MWh (${result['energy_cost_usd'] / 1e6:,.1f}M at ${power_price:g}/MWh)"
    )
    print(f"  rented cost     ${result['rent_cost_usd'] / 1e6:,.1f}M at ${g.rent_usd_hour:g}/GPU-hour")
    return 0


def run_power(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.batch.calc import power_figures

    g = gpu(catalog, args.gpu)
    json_to = json_target(args)
    result = power_figures(catalog, g, args.count)
    mw, sites = result["mw"], result["sites"]
    if emit_json("calc-power", result, args.json, json_to):
        return 0
    print(f"{args.count:,} {g.id} need {mw:,.1f} MW all-in ({g.kw_all_in:g} kW per GPU)")
    out = console()
    rows = table(out, "site", "grid MW", "max MW", "halls", "build", "grid today")
    for s in sites:
        fits = s["fits_grid_today"]
        rows.add_row(
            s["site"],
            f"{s['grid_mw']:,.0f}",
            f"{s['grid_max_mw']:,.0f}",
            f"${s['hall_cost_usd'] / 1e9:,.2f}B",
            f"{s['hall_weeks']:,} wk",
            "enough" if fits else "short",
            style=None if fits else "yellow",
        )
    show(out, rows)
    return 0
