"""`agi-race offer`: make a partner an offer in a scenario's first week and hear the answer."""

from __future__ import annotations

import argparse
from typing import Any

from game.catalog import Catalog
from game.cli.output import add_json, emit_json, json_target
from game.cli.usage import SEED, UsageError, checker, gpu, gpu_help, one_of
from game.play.decisions import MAX_INVEST_USD, MAX_OFFER_GPUS, MAX_PRICE_USD_HOUR, MAX_TERM_WEEKS

RENTAL = ("gpu", "count", "term", "price", "site", "start_week")  # the terms of a rental offer
INVESTMENT = ("invest", "share")  # the terms of an investment request


def add_parser(sub: Any, catalog: Catalog | None, scenarios: str) -> None:
    def ids(names: tuple[str, ...]) -> str:
        return f" ({one_of(names)})" if catalog else ""

    off = sub.add_parser(
        "offer",
        help="make a partner an offer in a scenario's first week and hear the answer",
        description="A rental offer names --gpu, --count, --term and --price (and maybe --site and "
        "--start-week); an investment request names --invest (and maybe --share). One or the other.",
    )
    off.add_argument(
        "--scenario", required=True, help=f"a shipped scenario ({scenarios}), a save's name or a path"
    )
    off.add_argument(
        "--lab", required=True, help="the lab making the offer" + ids(catalog.lab_ids if catalog else ())
    )
    off.add_argument(
        "--partner", required=True, help="the partner" + ids(catalog.partner_ids if catalog else ())
    )
    off.add_argument("--gpu", help="GPU type to rent, " + gpu_help(catalog) + "; a rental needs it")
    off.add_argument(
        "--count",
        type=checker("--count", 1, MAX_OFFER_GPUS, integer=True),
        help="GPUs to rent; a rental needs it",
    )
    off.add_argument(
        "--term",
        type=checker("--term", 1, MAX_TERM_WEEKS, integer=True),
        help="weeks the rental lasts; a rental needs it",
    )
    off.add_argument(
        "--price", type=checker("--price", 0, MAX_PRICE_USD_HOUR), help="USD per GPU-hour; a rental needs it"
    )
    off.add_argument(
        "--site",
        help="a site for the partner to build at"
        + ids(catalog.site_ids if catalog else ())
        + " (default: its own datacenters)",
    )
    off.add_argument(
        "--start-week",
        type=checker("--start-week", 0, MAX_TERM_WEEKS, integer=True),
        help="weeks from now the rental starts (default: 0, now)",
    )
    off.add_argument(
        "--invest",
        type=checker("--invest", 1, MAX_INVEST_USD),
        help="ask the partner to invest this many USD (default: a rental, not an investment)",
    )
    off.add_argument(
        "--share",
        type=checker("--share", 0, 1),
        help="share of revenue offered for --invest, 0-1 (default: 0)",
    )
    off.add_argument("--seed", type=SEED, help="the week's seed (default: the scenario's)")
    add_json(off, "the answer")
    off.set_defaults(run=run)


def _given(args: argparse.Namespace, names: tuple[str, ...]) -> list[str]:
    return ["--" + n.replace("_", "-") for n in names if getattr(args, n) is not None]


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    from game.play.offers import hear_offer
    from game.saves import Offer, load_scenario

    rental, investment = _given(args, RENTAL), _given(args, INVESTMENT)
    if rental and investment:
        raise UsageError(
            f"{' '.join(rental)} (a rental) cannot go with {' '.join(investment)} (an investment): make one offer"
        )
    gpu_id = None
    if args.invest is None:
        if args.share is not None:
            raise UsageError("--share goes with --invest (the revenue share offered for an investment)")
        missing = [f for f in ("gpu", "count", "term", "price") if getattr(args, f) is None]
        if missing:
            raise UsageError("a rental offer needs " + ", ".join(f"--{m}" for m in missing))
        gpu_id = gpu(catalog, args.gpu).id
    scn = load_scenario(args.scenario, catalog)
    if args.lab not in scn.lab_ids:
        raise UsageError(f"--lab: {args.lab!r} is not in this scenario (labs: {one_of(scn.lab_ids)})")
    if args.partner not in catalog.partner_ids:
        raise UsageError(
            f"--partner: unknown partner {args.partner!r} (known: {one_of(catalog.partner_ids)})"
        )
    if args.site is not None and args.site not in catalog.site_ids:
        raise UsageError(f"--site: unknown site {args.site!r} (known: {one_of(catalog.site_ids)})")
    if args.invest is not None:
        offer = Offer(partner=args.partner, invest=args.invest, share=args.share or 0.0)
    else:
        offer = Offer(
            partner=args.partner, gpu=gpu_id or "", count=args.count, weeks=args.term, price=args.price,
            start=args.start_week or 0, site=args.site or "",
        )  # fmt: skip
    json_to = json_target(args)
    result = hear_offer(scn, catalog, args.lab, offer, args.seed)
    if not emit_json("offer", result.as_json(), args.json, json_to):
        print(result.message)
    return 0
