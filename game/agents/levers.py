"""Levers: a lab's week as a few discrete choices, for learning agents (game/rl/), over a
whole batch of games at once.

Each lever picks one preset of a decision kind (option 0 does nothing new); the presets
are sized from the lab's own figures (a share of its cash, of the credit lenders offer,
of the largest round investors would take, a run as long as N weeks of its training
compute). `mask` says, per game, which options the engine would take now without a
refusal (REFUSALS: what a person's decision would be refused for), and the levers' money
shares add up to less than the cash, so any combination of allowed options is taken
whole. The engine may still cut an allowed order or turbines when the other labs ask for
the same supply or permits in the same week (a cut is not a refusal).

With `ai_assist`, every lever has one more option, last: "as the AI would" (the built-in
AI's decisions of that kind, policies.decide). A lab with every lever on it plays exactly
as the AI does. The AI's own choices are not masked and may be refused.
"""

from __future__ import annotations

import attrs
import numpy as np

from game.engine import codes, compute, economy, policies, terms
from game.engine.actions import Actions
from game.engine.params import HOURS_PER_WEEK, TRAIN
from game.engine.state import RUN_EMPTY, World
from game.engine.training import MAX_RUN_FLOP

# name, its options (the labels of option 0, 1, ...) and the Actions fields it writes
LEVERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("buy", ("none", "GPUs for 10% of cash", "GPUs for 25% of cash"), ("order_count",)),
    ("halls", ("none", "50 MW of halls", "200 MW of halls"), ("build_mw",)),
    ("power", ("none", "100 MW of turbines", "a substation upgrade"), ("turbine_mw", "substation")),
    ("run", ("none", "a 13-week run", "a 26-week run"), ("start_flop",)),
    ("money", ("none", "raise the largest round", "borrow a quarter of the credit"), ("raise_usd", "borrow_usd", "repay_usd")),
    ("split", ("keep", "train 60/30/10", "serve 35/55/10", "research 45/30/25"), ("split",)),
    ("staff", ("keep", "people budget -20%", "people budget +25%"), ("staff_usd_week",)),
    ("rent", ("none", "rent for 2% of cash a week, 52 weeks"), ("offer_partner", "offer_gpu", "offer_count",
     "offer_start", "offer_weeks", "offer_price", "offer_site", "offer_invest", "offer_share", "offer_contract",
     "exit")),
)  # fmt: skip
AI_OPTION = "as the AI would"
BUY_SHARES = (0.10, 0.25)  # of cash; with POWER_SHARE, under 1 in all
POWER_SHARE = 0.20  # the most turbines or a substation may cost, of cash
TURBINE_MW = 100.0
HALL_MW = (50.0, 200.0)
RUN_WEEKS = (13, 26)
BORROW_SHARE = 0.25  # of the credit lenders offer now (a new quarter may reprice the GPUs it rests on)
SPLITS = np.array([[0.60, 0.30, 0.10], [0.35, 0.55, 0.10], [0.45, 0.30, 0.25]])
STAFF_FACTORS = (0.8, 1.25)
RENT_SHARE = 0.02  # a rental's weekly cost, of cash
RENT_WEEKS = 52
MIN_USD = 1e6  # the smallest round or loan worth asking for
# What a person's decision would be refused for (Session: HARD, and spending past the cash).
REFUSALS = (
    codes.ORDER_NOT_ON_SALE | codes.ORDER_NO_SLOT | codes.RAISE_TOO_SOON | codes.RUN_NO_SLOT
    | codes.RUN_TOO_SMALL | codes.SUBSTATION_BUSY | codes.BORROW_LIMIT | codes.BAD_INDEX
    | codes.ORDER_NO_CASH | codes.NO_CASH | codes.RAISE_UNDER_WAY
)  # fmt: skip


def sizes(ai_assist: bool) -> tuple[int, ...]:
    """The number of options of each lever (a MultiDiscrete's nvec)."""
    return tuple(len(options) + ai_assist for _, options, _ in LEVERS)


@attrs.frozen(eq=False)
class Plan:
    """Every lever's preset for one lab in every game (B,), and which options the engine
    would take now: `allowed` (B, sum of sizes) bool, lever after lever."""

    lab: int
    gpu: np.ndarray  # the GPU to buy: the most FLOP/s per dollar on sale
    vendor: np.ndarray  # its cheapest integrator
    buy: np.ndarray  # (B, 2) GPUs
    site: np.ndarray  # the lab's main site (most halls)
    turbines: np.ndarray  # MW
    runs: np.ndarray  # (B, 2) FLOP
    raise_usd: np.ndarray
    borrow_usd: np.ndarray
    staff: np.ndarray  # (B, 2) USD a week
    partner: np.ndarray  # rental: partner, GPU, count and price
    rent_gpu: np.ndarray
    rent_count: np.ndarray
    rent_price: np.ndarray
    allowed: np.ndarray


def plan(world: World, lab: int, ai: Actions, ai_assist: bool, earlier: Plan | None = None) -> Plan:
    """Lab `lab`'s presets this week. `ai`: the AI's actions for every lab this week (a
    lab asking for a substation before this one takes the site's upgrade); `earlier`: the
    plan of a lab before this one that an agent plays (the same)."""
    p, w = world.params, world
    B = w.batch
    alive = ~w.bankrupt[:, lab] & ~w.done
    cash = np.maximum(w.cash[:, lab], 0.0)
    rows = np.arange(B)

    price = compute.week_server_price(p, w)  # (B, V, G)
    cheapest = price.min(1)  # (B, G)
    selling = compute.on_sale(p, w)
    value = np.where(selling, p.gpu_flops * p.gpu_mfu / cheapest, -1.0)
    gpu = np.argmax(value, -1)
    vendor = np.argmin(price[rows, :, gpu], -1)
    unit = cheapest[rows, gpu]
    left = compute.supply_left(p, w)[rows, gpu]
    buy = np.floor(np.minimum(np.outer(cash / unit, BUY_SHARES), left[:, None]))
    slot_free = (w.order_count[:, lab] == 0).any(-1)
    buy_ok = (selling.any(-1) & slot_free)[:, None] & (buy >= 1)

    built = w.hall_mw[:, lab] + w.hall_building[:, lab]  # (B, S)
    site = np.argmax(built, -1)
    room = compute.turbine_room(p, w)[rows, site]
    turbines = np.floor(np.minimum(room, TURBINE_MW))
    turbine_ok = (turbines >= 1) & (turbines * p.site_turbine_usd_per_mw[site] <= POWER_SHARE * cash)
    idle = (w.substation_left[rows, site] == 0) & (w.grid_mw[rows, site] < p.site_grid_max[site] - 1e-9)
    taken = ai.substation[rows, :lab, site].any(-1)
    if earlier is not None:
        theirs = earlier.allowed[:, _offset("power") + 2] & (earlier.site == site)
        taken = taken | theirs
    sub_ok = idle & ~taken & (compute.substation_cost(p)[site] <= POWER_SHARE * cash)

    _, useful, n = compute.lab_flops(p, w)
    share = w.split[:, lab, TRAIN]
    rate, _ = compute.training_rate(share * useful[:, lab], share * n[:, lab], p.rules.training)
    runs = np.minimum(np.outer(rate, RUN_WEEKS), MAX_RUN_FLOP)
    run_ok = (w.run_phase[:, lab] == RUN_EMPTY).any(-1)[:, None] & (runs >= p.rules.training.min_run_flop)

    round_terms = economy.round_terms(p, w)
    raise_usd = round_terms.largest[:, lab]
    raise_ok = round_terms.ready[:, lab] & (w.round_usd[:, lab] <= 0) & (raise_usd >= MIN_USD)
    borrow_usd = BORROW_SHARE * economy.credit_headroom(p, w)[:, lab]
    borrow_ok = borrow_usd >= MIN_USD

    staff_now = w.staff_usd_week[:, lab].astype(np.float64)
    staff = np.outer(staff_now, STAFF_FACTORS)

    free = compute.partner_free(p, w)  # (B, P, G)
    free = np.where(w.patience[:, lab, :, None] >= 1, free, 0.0)
    best = np.argmax(free.reshape(B, -1), -1)
    partner, rent_gpu = np.divmod(best, free.shape[-1])
    rent_price = terms.list_price(p, w, partner[:, None], rent_gpu[:, None])[:, 0]
    weekly = np.maximum(rent_price, 1e-9) * HOURS_PER_WEEK
    rent_count = np.floor(np.minimum(free[rows, partner, rent_gpu], RENT_SHARE * cash / weekly))
    rent_ok = (rent_count >= 1) & (rent_price > 0)

    options = [
        [buy_ok[:, 0], buy_ok[:, 1]],
        [np.ones(B, bool), np.ones(B, bool)],
        [turbine_ok, sub_ok],
        [run_ok[:, 0], run_ok[:, 1]],
        [raise_ok, borrow_ok],
        [np.ones(B, bool)] * len(SPLITS),
        [np.ones(B, bool)] * len(STAFF_FACTORS),
        [rent_ok],
    ]
    columns = []
    for lever in options:
        columns.append(np.ones(B, bool))  # option 0: nothing new
        columns += [ok & alive for ok in lever]
        if ai_assist:
            columns.append(alive)
    allowed = np.stack(columns, -1)
    return Plan(lab, gpu, vendor, buy, site, turbines, runs, raise_usd, borrow_usd, staff, partner, rent_gpu,
                rent_count, rent_price, allowed)  # fmt: skip


def _offset(name: str) -> int:
    """The column of a lever's option 0 in `Plan.allowed` (without the AI option)."""
    names = [lever for lever, _, _ in LEVERS]
    return sum(len(options) for _, options, _ in LEVERS[: names.index(name)])


def write(
    fields: dict[str, np.ndarray], world: World, pl: Plan, choice: np.ndarray, ai: Actions | None
) -> None:
    """Write the lab's chosen options (B, levers) into the week's action arrays `fields`
    (Actions' fields, every lab). Levers at option 0 write nothing (the lab does nothing
    new of that kind); the AI option (with `ai`) copies the AI's fields of that kind."""
    lab, w = pl.lab, world
    B = w.batch
    rows = np.arange(B)
    c = {name: choice[:, i] for i, (name, _, _) in enumerate(LEVERS)}
    for name in ("order_count", "build_mw", "turbine_mw", "substation", "start_flop", "raise_usd", "borrow_usd",
                 "repay_usd", "exit"):  # fmt: skip
        fields[name][:, lab] = 0
    fields["split"][:, lab] = -1.0
    fields["staff_usd_week"][:, lab] = -1.0
    fields["offer_partner"][:, lab] = -1
    fields["offer_site"][:, lab] = -1
    fields["offer_contract"][:, lab] = -1
    for name in (
        "offer_gpu",
        "offer_count",
        "offer_start",
        "offer_weeks",
        "offer_price",
        "offer_invest",
        "offer_share",
    ):
        fields[name][:, lab] = 0

    for k in (1, 2):
        g = rows[c["buy"] == k]
        fields["order_count"][g, lab, pl.vendor[g], pl.gpu[g]] = pl.buy[g, k - 1].astype(np.int64)
        g = rows[c["halls"] == k]
        fields["build_mw"][g, lab, pl.site[g]] = HALL_MW[k - 1]
        g = rows[c["run"] == k]
        fields["start_flop"][g, lab, 0] = pl.runs[g, k - 1]
        g = rows[c["staff"] == k]
        fields["staff_usd_week"][g, lab] = pl.staff[g, k - 1]
    g = rows[c["power"] == 1]
    fields["turbine_mw"][g, lab, pl.site[g]] = pl.turbines[g]
    g = rows[c["power"] == 2]
    fields["substation"][g, lab, pl.site[g]] = True
    fields["raise_usd"][:, lab] = np.where(c["money"] == 1, pl.raise_usd, 0.0)
    fields["borrow_usd"][:, lab] = np.where(c["money"] == 2, pl.borrow_usd, 0.0)
    for k in range(len(SPLITS)):
        fields["split"][c["split"] == k + 1, lab] = SPLITS[k]
    g = rows[c["rent"] == 1]
    fields["offer_partner"][g, lab] = pl.partner[g]
    fields["offer_gpu"][g, lab] = pl.rent_gpu[g]
    fields["offer_count"][g, lab] = pl.rent_count[g].astype(np.int64)
    fields["offer_start"][g, lab] = w.week[g]
    fields["offer_weeks"][g, lab] = RENT_WEEKS
    fields["offer_price"][g, lab] = pl.rent_price[g]
    if ai is None:
        return
    for i, (_, options, names) in enumerate(LEVERS):
        g = rows[choice[:, i] == len(options)]
        if g.size:
            for field in names:
                fields[field][g, lab] = getattr(ai, field)[g, lab]


def actions(world: World, ctl: policies.Controllers, choices: dict[int, np.ndarray], plans: dict[int, Plan],
            ai: Actions, ai_assist: bool) -> Actions:  # fmt: skip
    """The week's Actions: the AI's for every lab, but the levers `choices` (lab -> (B,
    levers) option indices) for the labs agents play."""
    fields = {f.name: getattr(ai, f.name).copy() for f in attrs.fields(Actions)}
    for lab, choice in choices.items():
        write(fields, world, plans[lab], choice, ai if ai_assist else None)
    return Actions(**fields)
