"""What an agent sees each week: what the player's screens show, as compact JSON.

The own lab in full (game/play/views.py: money, compute, runs, sites, orders, contracts,
what investors and partners would do); rivals only through the fog of war
(game/play/intel.py: released models are public, the rest are estimates with bands),
never their true state. Numbers carry their unit in the key (`_usd`, `_mw`, `_flops`
FLOP/s, `_flop` FLOP, `_wk` weeks, `_log10`); every figure is rounded to 4 significant
digits; weeks are game weeks (0 = the scenario's start). A week's observation stays
under OBS_MAX_BYTES.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from game.engine import compute, economy
from game.play import intel, views
from game.play.market import list_price
from game.play.words import refusals

if TYPE_CHECKING:
    from game.play.session import OfferReply, Session

OBS_MAX_BYTES = 4096
TALKS_BYTES = 400  # room kept for the partners' answers to a week's offers


def num(x: float) -> float | None:
    """A figure for JSON: 4 significant digits; None for infinity (no limit) and NaN."""
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.4g}")


def observation(
    session: Session, lab: int, refused: int = 0, talks: tuple[OfferReply, ...] = ()
) -> dict[str, Any]:
    """Lab `lab`'s week, as its player sees it. `refused`: codes.* bits of what the engine
    refused or cut last week; `talks`: the partners' answers to the offers just made."""
    p, w = session.params, session.world
    v = views.lab_view(session.turn(lab))
    m = views.money_view(session.turn(lab))
    own: dict[str, Any] = {
        "cash_usd": num(v.cash),
        "debt_usd": num(v.debt),
        "credit_usd": num(v.credit),
        "burn_usd_wk": num(v.burn),
        "revenue_usd_wk": num(v.revenue),
        "runway_wk": num(v.runway),
        "valuation_usd": num(v.valuation),
        "founder_share": num(v.share),
        "revenue_share": num(v.revenue_share),
        "users": num(v.users),
        "best_model_log10": num(v.best_model),
        "software_log10": num(v.software),
        "agi_range_log10": [num(v.agi_low), num(v.agi_high)],
        "split": [num(x) for x in v.split],
        "staff": num(float(w.staff[0, lab])),
        "staff_usd_wk": num(v.staff_usd_week),
        "gpus": num(v.gpus),
        "warehouse_gpus": v.warehouse,
        "on_order_gpus": v.on_order,
        "compute_flops": [num(v.compute[k]) for k in ("training", "inference", "research")],
        "round": {
            "ready": m.round_ready,
            "max_usd": num(m.largest),
            "pre_money_usd": num(m.pre_money),
            "closing_usd": num(m.closing),
            "next_week": max(int(economy.next_round_week(p, w)[0, lab]), session.week),
        },
        "runs": [
            {
                "phase": r.phase,
                "flop": num(r.flop),
                "done": num(r.progress),
                "capability_log10": num(r.capability),
                "eta_wk": num(r.eta_weeks) if r.eta_weeks is not None else r.post_weeks_left,
            }
            for r in v.runs
        ],
        "sites": [
            _nonzero(
                {
                    "site": s.id,
                    "halls_mw": num(s.hall_mw),
                    "building_mw": num(s.building_mw),
                    "power_mw": num(s.power_mw),
                    "used_mw": num(s.used_mw),
                    "turbines_coming_mw": num(s.turbines_pending_mw),
                    "grid_coming_mw": num(s.grid_coming_mw),
                    "gpus": s.gpus,
                }
            )
            for s in v.sites
        ],  # fmt: skip
        "orders": _orders(session, lab),
        "contracts": [
            {
                "slot": c.slot,
                "partner": c.partner_id,
                "gpu": c.gpu,
                "count": c.count,
                "price_usd_hr": num(c.price),
                "end_week": session.week + c.weeks_left,
            }
            for c in views.contracts_view(session.turn(lab))
        ],
    }
    obs: dict[str, Any] = {
        "date": session.date.isoformat(),
        "last_week": p.last_week,
        "lab": own,
        "market": _market(session),
        "partners": _partners(session, lab),
        "rivals": [_rival(p.lab_ids[r.index], r) for r in intel.rival_views(session.turn(lab))],
        "alerts": [a.key for a in intel.alerts(session.turn(lab))],
    }
    if refused:
        obs["refused_last_week"] = refusals(refused)
    for shrink in _SHRINK:  # the least needed go first in a week too long for OBS_MAX_BYTES
        if len(json.dumps(obs, separators=(",", ":"))) <= OBS_MAX_BYTES - TALKS_BYTES:
            break
        shrink(obs)
    if talks:
        obs["talks"] = [
            {"answer": t.answer, "count": t.count, "price_usd_hr": num(t.price), "invest_usd": num(t.invest),
             "share": num(t.share)}
            for t in talks
        ]  # fmt: skip
    return obs


def _orders(session: Session, lab: int) -> list[list[Any]]:
    """GPUs on order: [gpu, integrator, count, week they arrive], soonest first."""
    p, w = session.params, session.world
    rows = [
        [p.gpu_ids[int(w.order_gpu[0, lab, k])], p.integrator_ids[int(w.order_vendor[0, lab, k])],
         int(w.order_count[0, lab, k]), int(w.order_arrive[0, lab, k])]
        for k in range(w.order_count.shape[-1])
        if w.order_count[0, lab, k] > 0
    ]  # fmt: skip
    return sorted(rows, key=lambda r: r[3])


def _market(session: Session) -> list[dict[str, Any]]:
    """The GPUs on sale: the server price through the cheapest integrator (`vendor`),
    NVIDIA's supply left this quarter (each GPU's figures are in hello's "gpus")."""
    p, w = session.params, session.world
    price = compute.week_server_price(p, w)[0]  # (V, G)
    selling, left = compute.on_sale(p, w)[0], compute.supply_left(p, w)[0]
    return [
        {
            "gpu": g,
            "price_usd": num(price[:, i].min()),
            "vendor": p.integrator_ids[int(price[:, i].argmin())],
            "supply_left": num(left[i]),
        }
        for i, g in enumerate(p.gpu_ids)
        if selling[i]
    ]


def _partners(session: Session, lab: int) -> list[dict[str, Any]]:
    """Each partner's standing with the lab, the GPUs it can rent out and its list price
    for each ([GPUs, USD per GPU-hour]), and (for an investor) what it would invest now."""
    p, w = session.params, session.world
    free = compute.partner_free(p, w)[0]  # (P, G)
    invest = views.investment_terms(session.turn(lab))
    out = []
    for k, q in enumerate(session.catalog.partners):
        rent = {
            g: [num(free[k, i]), num(list_price(session.turn(lab), q.id, g)[0])]
            for i, g in enumerate(p.gpu_ids)
            if free[k, i] >= 1
        }
        row: dict[str, Any] = {
            "partner": q.id,
            "relationship": num(w.relationship[0, lab, k]),
            "patience": num(w.patience[0, lab, k]),
            "rent_gpus_usd_hr": {g: x for g, x in rent.items() if x[1]},
        }
        if invest is not None and invest.partner == q.id:
            row["invest"] = {"now": invest.now, "max_usd": num(invest.usd), "share": num(invest.share)}
        out.append(row)
    return out


def _no_alerts(obs: dict[str, Any]) -> None:
    obs["alerts"] = []


def _partner_ids(obs: dict[str, Any]) -> None:
    obs["partners"] = [{"partner": q["partner"]} for q in obs["partners"]]


def _rival_runs(obs: dict[str, Any]) -> None:
    for r in obs["rivals"]:
        r["runs"] = [{"phase": run["phase"]} for run in r["runs"]]


def _site_totals(obs: dict[str, Any]) -> None:
    keep = ("site", "halls_mw", "power_mw", "gpus")
    obs["lab"]["sites"] = [{k: v for k, v in row.items() if k in keep} for row in obs["lab"]["sites"]]


# How a week too long to send is shortened, step by step (README: the observation).
_SHRINK = (_no_alerts, _partner_ids, _rival_runs, _site_totals)


def static_facts(session: Session) -> dict[str, Any]:
    """What does not change in a game, for hello: each GPU's figures (dense BF16 PFLOP/s,
    all-in kW) and each site's build rate and cost and permits."""
    p = session.params
    return {
        "gpus": {g.id: {"pflops": num(g.flops / 1e15), "kw": num(g.kw_all_in)} for g in session.catalog.gpus},
        "sites": {
            site: {
                "build_mw_wk": num(p.site_build_mw_per_week[s]),
                "build_usd_per_mw": num(p.site_build_usd_per_mw[s]),
                "turbine_usd_per_mw": num(p.site_turbine_usd_per_mw[s]),
                "grid_max_mw": num(p.site_grid_max[s]),
            }
            for s, site in enumerate(p.site_ids)
        },
    }


def _nonzero(row: dict[str, Any]) -> dict[str, Any]:
    """A row without its zero figures (a site's: most are 0 at most sites)."""
    return {k: v for k, v in row.items() if v != 0}


def _rival(lab_id: str, r: intel.RivalView) -> dict[str, Any]:
    return {
        "lab": lab_id,
        "best_model_log10": num(r.best_model),
        "gpus_est": num(r.gpus),
        "compute_flops_est": num(r.compute),
        "valuation_usd_est": num(r.valuation),
        "users_est": num(r.users),
        "runs": [
            {
                "phase": run.phase,
                "flop_range": [num(run.flop_low), num(run.flop_high)],
                "capability_range_log10": [num(run.capability_low), num(run.capability_high)],
                "eta_range_wk": [num(run.eta_low), num(run.eta_high)],
            }
            for run in r.runs
        ],
    }
