"""What a lab knows and should act on: alerts about its own lab, fogged intel about its
rivals (runs under way with a size and ETA band, as news, leaks and hiring would tell
it), and the debrief when the game ends.

Rival figures are the truth seen through a deterministic fog: each estimate is the true
value times a log-normal error drawn for (game, lab, month, field), so it holds for a
few weeks and then moves, and the same game shows the same estimates.
"""

from __future__ import annotations

import math

import attrs
import numpy as np

from game.engine import compute, rng
from game.engine.state import RUN_POST, RUN_PRETRAIN
from game.engine.training import agi_range, capability
from game.play import market, risk
from game.play.alert import INFORMATIONAL, Alert
from game.play.desk import LabTurn
from game.play.filling import fill_now
from game.play.standing import renewal_waits
from game.play.views import (
    SiteView,
    agi_progress,
    contracts_view,
    investment_terms,
    lab_view,
    money_view,
    people_view,
    run_schedule,
    site_views,
)
from game.play.words import alerts as say
from game.play.words.alerts import HINTS

RUNWAY_ALERT_WEEKS = 12
CONTRACT_ALERT_WEEKS = 4
RIVAL_RUN_ALERT_WEEKS = 6
ROUND_RIVAL_MARGIN = 0.25  # a round whose value can fall this share before its line: no rivals warned of
# (a rival's release took a tester's value on its merits down about 20%)
RUN_ENDING_WEEKS = 3  # weeks before your run's end that the next one should be planned
EMPTY_HALLS_MW = 10  # powered, empty halls worth telling the player about
ALERT_MIN_MW = 5  # halls without power or an unused grid claim worth an alert (1 MW ones stopped fast-forward)
NEW_GPU_WEEKS = 4  # weeks a GPU newly on sale is an alert (`a` stops the week it starts)
CLAIM_ALERT_WEEKS = 8  # weeks before an unused grid claim lapses that it is an alert
INTEL_STREAM = 900  # rng stream of the fog (the engine uses streams below 900 and 1000+)
FOG_SIGMA = 0.35  # log-normal spread of an estimate (about +-35%)
BAND = math.exp(1.5 * FOG_SIGMA)  # an estimate's band holds the truth ~87% of the time


def alerts(t: LabTurn) -> tuple[Alert, ...]:
    lab = t.lab
    p, w = t.params, t.world
    out: list[Alert] = []
    training = (w.run_phase[0, lab] == RUN_PRETRAIN).any()
    planned = any(d.kind == "run" for d in t.book) or any(r.kind in ("run", "runs") for r in t.standing)
    if not training and not planned and not t.over:
        out.append(Alert("no-run", say.no_run(), "error", screen="training", hint=HINTS["plan_run"]))
    elif training and not planned:
        etas = [r.eta_weeks for r in lab_view(t).runs if r.eta_weeks is not None]
        if etas and max(etas) <= RUN_ENDING_WEEKS:
            out.append(
                Alert(
                    "run-ending",
                    say.run_ending(max(round(max(etas)), 1)),
                    "warning",
                    screen="training",
                )
            )
    out.extend(new_gpu_alerts(t))
    out.extend(claim_alerts(t))
    empty = empty_alert(t)
    if empty is not None:
        out.append(empty)
    v = lab_view(t)
    if v.warehouse:
        out.append(
            Alert(
                "warehouse",
                say.warehouse(v.warehouse, v.warehouse_mw),
                "warning",
                screen="sites",
            )
        )
    coming: list[tuple[Alert, SiteView]] = []  # halls whose power is on its way: one line for several
    for site in site_views(t):
        if site.outage_weeks > 0:
            out.append(
                Alert(
                    f"outage:{site.id}",
                    say.outage(site.short_name, site.outage_weeks),
                    "warning",
                    INFORMATIONAL,
                )
            )
            continue
        if site.unpowered_halls_mw >= ALERT_MIN_MW:
            alert = unpowered_alert(site)
            if alert.actionable:
                out.append(alert)
            else:
                coming.append((alert, site))
        if site.dark_mw >= 1:
            out.append(dark_alert(site))
    if len(coming) == 1:
        out.append(coming[0][0])
    elif coming:  # four sites' lines filled an 80x24 dashboard's alerts
        waits = [(c.short_name, c.unpowered_halls_mw, _power_weeks(c)) for _, c in coming]
        out.append(Alert("unpowered-coming", say.unpowered_sites(waits), "information", INFORMATIONAL, "sites"))
    # after this week's orders, as the dashboard reads it (a sale booked to fix it was ignored)
    runway = risk.runway_weeks(t, t.preview.world if t.book else None)
    if runway < RUNWAY_ALERT_WEEKS:
        out.append(
            Alert(
                "runway",
                say.runway(round(runway)),
                "error",
                screen="finance",
            )
        )
    money = money_view(t)
    if money.round_ready and money.largest > 0 and not money.booked_round:
        out.append(
            Alert(
                "round",
                say.round_open(money.largest, money.pre_money, money.down_round),
                "information",
                screen="finance",
            )
        )
    people = people_view(t)
    if people.staff >= 1 and people.wage > 0 and people.laying_off and not t.over:
        text = say.layoffs(people.staff, people.staff * people.wage, people.budget)
        out.append(Alert("people", text, "warning", screen="training"))
    invest = investment_terms(t)
    if invest is not None and invest.now and invest.usd > 0:
        out.append(
            Alert(
                "investment",
                say.investment(invest.name, invest.usd, invest.share),
                "information",
                screen="deals",
            )
        )
    if money.in_breach:
        out.append(
            Alert(
                "covenant",
                say.covenant(money.leverage, money.covenant),
                "error",
                screen="finance",
                hint=HINTS["repay_or_raise"],
            )
        )
    out.extend(risk.risk_alerts(t))
    for c in contracts_view(t):
        if 0 < c.weeks_left <= CONTRACT_ALERT_WEEKS:
            renewal = renewal_waits(t, c.slot)  # a renewal that waits lapsed unnoticed
            out.append(
                Alert(
                    f"contract:{c.slot}",
                    say.contract_ending(c.partner, c.count, c.gpu, c.weeks_left, renewal),
                    "warning",
                    screen="deals",
                    hint=HINTS["rent"],
                )
            )
    ahead = round_rivals(t)
    health = risk.round_health(t)
    if ahead and health is not None and not health.at_risk:  # (at risk, its own alert says more)
        text = say.round_rival(ahead, health.usd, health.closes, health.margin)
        out.append(Alert("round-rival", text, "warning", screen="finance", hint=HINTS["plan_without_round"]))
    mine = float(w.best_model[0, lab])
    for rival in rival_views(t):
        for run in rival.runs:
            if run.eta_high <= RIVAL_RUN_ALERT_WEEKS and run.capability_high > mine:
                text = say.rival_run(
                    rival.name, run.capability_text, run.phase == "post-training", run.eta_text
                )
                out.append(
                    Alert(
                        f"rival-run:{rival.index}",
                        text,
                        "error" if run.capability_high >= agi_range(p)[0] else "warning",
                        INFORMATIONAL,
                        screen="rivals",
                    )
                )
                break
    rank = {"error": 0, "warning": 1, "information": 2}
    return tuple(sorted(out, key=lambda a: rank.get(a.severity, 3)))  # the screens show the first few


def new_gpu_alerts(t: LabTurn) -> list[Alert]:
    """A GPU type on sale since fewer than NEW_GPU_WEEKS weeks, the slip included: a
    decision to make (buy it, point a fill order at it), so fast-forward to something
    you can act on stops the week it goes on sale."""
    p, w = t.params, t.world
    if t.over:
        return []
    start = compute.on_sale_week(p, w)[0]
    week = int(w.week[0])
    out = []
    for h in np.flatnonzero((start <= week) & (start > week - NEW_GPU_WEEKS)):
        before = [g for g in range(len(p.gpu_ids)) if start[g] < start[h]]
        best = max((float(p.gpu_flops[g]) for g in before), default=0.0)
        older = [p.gpu_ids[g] for g in np.flatnonzero(p.gpu_newer_gen[:, h])]
        fall = 1.0 - float(p.catalog.nvidia.older_gen_price_factor)
        text = say.new_gpu(p.gpu_ids[h], week - int(start[h]), float(p.gpu_flops[h]) / 1e15, best / 1e15, older, fall)
        out.append(Alert(f"new-gpu:{p.gpu_ids[h]}", text, "information", screen="market"))
    return out


def empty_alert(t: LabTurn) -> Alert | None:
    """Powered halls that stand empty beyond what the GPUs in the warehouse, on order and
    in this week's book will fill, over all the lab's sites (it was per site, and silent
    while any GPU was on order: 411 MW stood empty behind one small order)."""
    spare = market.empty_powered_mw(t)
    if spare < EMPTY_HALLS_MW or t.over:
        return None
    most = t.params.catalog.sites[int(np.argmax(market.powered_room_mw(t)))].name.split(",")[0]
    fills = [r for r in t.standing if r.kind == "fill"]
    if fills:  # a fill order buys them as it can: told, not to act on; and why it waits, if it does
        now = fill_now(t, fills[0].gpu, fills[0].vendor)
        if now.count > 0 or now.supply:  # it buys, or waits for NVIDIA: nothing to act on
            return Alert("empty", say.empty_halls(spare, most, True, now.why), "information", INFORMATIONAL, "orders")
        # it waits (the GPU not on sale yet, the cash, the slots): the player may act, and
        # fast-forward stops when the empty MW double (a tester's 80 MW became 428 in one `a`)
        return Alert("empty", say.empty_halls(spare, most, True, now.why), "information", screen="orders", amount=_grows(spare))
    return Alert("empty", say.empty_halls(spare, most), "information", screen="market", amount=_grows(spare))


EMPTY_GROWTH_MW = 50  # empty halls stop fast-forward when doubled from this size up (10 -> 20 MW did)


def _grows(spare: float) -> float:
    """The empty halls' figure for fast-forward's doubling, from EMPTY_GROWTH_MW up."""
    return spare if spare >= EMPTY_GROWTH_MW else 0.0


def claim_alerts(t: LabTurn) -> list[Alert]:
    """Grid a substation upgrade won for the lab that no hall draws on, within
    CLAIM_ALERT_WEEKS of lapsing (engine/grid.py: the MW go back to the site and the
    deposit held for them is forfeit)."""
    from game.engine import grid

    p, w, lab = t.params, t.world, t.lab
    if t.over:
        return []
    unused = grid.unused_claim(w)[0, lab]
    left = p.rules.grid.claim_lapse_weeks - w.grid_idle[0, lab]
    out = []
    for s in np.flatnonzero((unused >= ALERT_MIN_MW) & (left <= CLAIM_ALERT_WEEKS)):
        name = p.catalog.sites[s].name.split(",")[0]
        halls = float(w.hall_mw[0, lab, s] + w.hall_building[0, lab, s])
        text = say.claim_lapsing(name, float(unused[s]), max(int(left[s]), 1), halls, float(w.turbine_mw[0, lab, s]))
        out.append(Alert(f"claim:{p.site_ids[s]}", text, "warning", screen="sites", hint=HINTS["build_halls"]))
    return out


def _fog(t: LabTurn, lab: int, field: int, shape: tuple[int, ...] = ()) -> np.ndarray:
    """Multipliers exp(sigma z) for a rival's estimates, fixed for four weeks at a time."""
    w = t.world
    key = rng.key(w.seed, w.game * 16 + lab, w.week // 4)
    z = rng.normal(key, INTEL_STREAM + field, shape)[0]
    return np.exp(FOG_SIGMA * np.clip(z, -2.0, 2.0))  # at worst half or double the truth


@attrs.frozen
class RivalRun:
    phase: str
    flop_low: float
    flop_high: float
    capability_low: float
    capability_high: float
    eta_low: float  # weeks (0 when in post-training)
    eta_high: float

    @property
    def capability_text(self) -> str:
        return say.rival_capability(self.capability_low, self.capability_high)

    @property
    def eta_text(self) -> str:
        return say.rival_eta(self.eta_low, self.eta_high)


def round_rivals(t: LabTurn) -> list[str]:
    """Rivals whose run may ship a better model than the lab's before its round closes:
    a rival's release lowers the lab's value on its merits, which the investors judge
    (a play-tester's $20B round walked away the week after OpenAI released, unwarned)."""
    health = risk.round_health(t)
    if health is None or health.margin > ROUND_RIVAL_MARGIN:  # far above the line: a release will not
        return []  # take it there (a tester's `a` stopped on it at 40% above the line)
    post = int(t.params.rules.training.post_training_weeks)
    mine = float(t.world.best_model[0, t.lab])
    return [
        r.name
        for r in rival_views(t)
        if any(
            run.capability_high > mine and (run.phase == "post-training" or run.eta_low + post <= health.weeks_left + 1)
            for run in r.runs
        )
    ]


@attrs.frozen
class RivalView:
    index: int
    name: str
    best_model: float  # released: public
    agi_progress: float
    gpus: float  # estimates from here on
    compute: float  # FLOP/s
    valuation: float
    users: float
    runs: tuple[RivalRun, ...]


def rival_views(t: LabTurn) -> tuple[RivalView, ...]:
    lab = t.lab
    p, w = t.params, t.world
    peak, _, n = compute.lab_flops(p, w)
    out = []
    for i in range(p.n_labs):
        if i == lab:
            continue
        fog = _fog(t, i, 0, (8,))
        runs = []
        for k in range(w.run_phase.shape[-1]):
            phase = int(w.run_phase[0, i, k])
            if phase not in (RUN_PRETRAIN, RUN_POST):
                continue
            flop = float(w.run_flop[0, i, k]) * fog[4 + k]
            cap = float(capability(flop, w.run_software[0, i, k])) + math.log10(fog[7])
            if phase == RUN_PRETRAIN:
                going = np.flatnonzero(w.run_phase[0, i] == RUN_PRETRAIN).tolist()
                eta = float(run_schedule(p, w, i)[going.index(k)]) * fog[3]
                eta_low, eta_high = eta / BAND, eta * BAND
            else:
                eta_low = eta_high = 0.0
            runs.append(
                RivalRun(
                    "training" if phase == RUN_PRETRAIN else "post-training",
                    flop / BAND,
                    flop * BAND,
                    cap - math.log10(BAND),
                    cap + math.log10(BAND),
                    eta_low,
                    eta_high,
                )
            )
        out.append(
            RivalView(
                index=i,
                name=t.lab_name(i),
                best_model=float(w.best_model[0, i]),
                agi_progress=agi_progress(p, float(w.best_model[0, i])),
                gpus=float(n[0, i]) * fog[0],
                compute=float(peak[0, i]) * fog[0],
                valuation=float(w.valuation[0, i]) * fog[1],
                users=float(w.users[0, i]) * fog[2],
                runs=tuple(runs),
            )
        )
    return tuple(out)


def dark_alert(site: SiteView) -> Alert:
    """Installed GPUs without power: to act on, unless the power on its way covers them
    (a play-tester's fast-forward kept stopping on it after the turbines were ordered)."""
    turbines = (site.turbines_pending_mw, site.turbines_weeks) if site.turbines_pending_mw else None
    grid = (site.grid_coming_mw, site.grid_weeks) if site.grid_coming_mw else None
    text = say.dark(site.short_name, site.dark_mw, turbines, grid)
    if site.turbines_pending_mw + site.grid_coming_mw >= max(site.unpowered_halls_mw, site.dark_mw) - 1e-6:
        return Alert(f"dark:{site.id}", text, "information", INFORMATIONAL, "sites")
    return Alert(f"dark:{site.id}", text, "error", screen="sites", hint=HINTS["power"])


def _power_weeks(site: SiteView) -> int:
    """Weeks until the power on its way to a site's unpowered halls is there (the later of
    its turbines and grid, as far as either is needed)."""
    turbines = site.turbines_weeks if site.turbines_pending_mw else 0
    if site.turbines_pending_mw >= site.unpowered_halls_mw - 1e-6:
        return int(turbines)
    return int(max(turbines, site.grid_weeks if site.grid_coming_mw else 0))


def unpowered_alert(site: SiteView) -> Alert:
    """Halls without power, and the power already on its way to them."""
    turbines = (site.turbines_pending_mw, site.turbines_weeks) if site.turbines_pending_mw else None
    grid = (site.grid_coming_mw, site.grid_weeks) if site.grid_coming_mw else None
    enough = site.turbines_pending_mw + site.grid_coming_mw >= site.unpowered_halls_mw - 1e-6
    text = say.unpowered(site.short_name, site.unpowered_halls_mw, turbines, grid, enough)
    if enough:
        return Alert(f"unpowered:{site.id}", text, "information", INFORMATIONAL, "sites")
    return Alert(f"unpowered:{site.id}", text, "warning", screen="sites", hint=HINTS["power"])


# The debrief lives in game/play/debrief.py; these names stay importable from here.
from game.play.debrief import GPT4_NEXT, Debrief, _first_week_at, debrief  # noqa: E402, F401
