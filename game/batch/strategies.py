"""Scripted strategies for the tournament: a lab played by the AI with one lever pushed
to its extreme (or with nothing done at all), World -> Actions over the whole batch.

Each strategy starts from the hard AI of the lab's own style (the strongest play the
game ships), changes some of its knobs, then rewrites some of its actions. A strategy
that beats the hard AI by a wide margin is a lever the rules make too cheap.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np

from game.engine import compute, deals
from game.engine.actions import Actions, merge
from game.engine.params import TRAIN
from game.engine.state import RUN_PRETRAIN, World

Adjust = Callable[..., Actions]  # (world, actions, mine (L,) bool, start=week the game began) -> actions

# The levers pushed (design: far enough past what the AI chooses to show whether more
# of one thing always wins).
STAFF_FACTOR = 4.0  # staff-heavy: four times the AI's people budget
EXPERT_STAFF_FACTOR = 1.5  # the expert: half as many people again as the AI hires
RESEARCH_SHARE = 0.35  # research-heavy: a third of the compute on research
GIANT_RUN_WEEKS = 104  # one giant run: two years of today's training compute
LOWBALL = 0.7  # lowball offers: 70% of the partner's list price, never its counter
HUGE = 1e15  # "as much as the rules allow": the step caps it
HOARD_WEEKS = 104  # cloud hoarding: two-year terms


@attrs.frozen
class Strategy:
    name: str
    description: str
    knobs: dict[str, float] = attrs.field(factory=dict)  # AI knobs changed for the lab
    adjust: Adjust | None = None  # then its actions rewritten (mine: (L,) bool)


def _lab_mask(world: World, mine: np.ndarray) -> np.ndarray:
    return np.broadcast_to(mine, world.cash.shape)


def _idle(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    return merge(_lab_mask(world, mine), Actions.idle(world), acts)


def _no_rentals(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    return acts.replace(offer_partner=np.where(mine, -1, acts.offer_partner))


def _no_building(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    m3, m4 = mine[None, :, None], mine[None, :, None, None]
    return acts.replace(
        order_count=np.where(m4, 0, acts.order_count),
        build_mw=np.where(m3, 0.0, acts.build_mw),
        turbine_mw=np.where(m3, 0.0, acts.turbine_mw),
        substation=np.where(m3, False, acts.substation),
    )


def _max_debt(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    return acts.replace(borrow_usd=np.where(mine, HUGE, acts.borrow_usd))


def _raise_always(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    return acts.replace(raise_usd=np.where(mine, HUGE, acts.raise_usd))


def _more_staff(factor: float) -> Adjust:
    def adjust(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
        p = world.params
        default = np.array([p.catalog.lab(lab).staff_usd_week for lab in p.lab_ids])
        chosen = np.where(acts.staff_usd_week >= 0, acts.staff_usd_week, world.staff_usd_week)
        budget = np.maximum(chosen, default) * factor
        return acts.replace(staff_usd_week=np.where(mine, budget, acts.staff_usd_week))

    return adjust


_staff_heavy = _more_staff(STAFF_FACTOR)


def _research_heavy(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    split = np.where(acts.split[..., :1] >= 0, acts.split, world.split)
    research = np.full(split.shape[:-1], RESEARCH_SHARE)
    rest = split[..., :2] / np.maximum(split[..., :2].sum(-1, keepdims=True), 1e-9) * (1 - RESEARCH_SHARE)
    heavy = np.concatenate([rest, research[..., None]], -1)
    return acts.replace(split=np.where(mine[None, :, None], heavy, acts.split))


def _one_giant_run(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    """In the game's first week, one run of two years of the compute the lab has then;
    never another."""
    p = world.params
    peak, useful, n = compute.lab_flops(p, world)
    split = world.split[..., TRAIN]
    rate, _ = compute.training_rate(split * useful, split * n, p.rules.training)
    first = (world.week == start)[:, None] & (world.run_phase != RUN_PRETRAIN).all(-1)
    giant = np.zeros(acts.start_flop.shape)
    giant[..., 0] = np.where(first, rate * GIANT_RUN_WEEKS, 0.0)
    return acts.replace(start_flop=np.where(mine[None, :, None], giant, acts.start_flop))


def _lowball(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    p = world.params
    P, G = len(p.partner_ids), len(p.gpu_ids)
    listed = p.partner_price[np.clip(acts.offer_partner, 0, P - 1), np.clip(acts.offer_gpu, 0, G - 1)]
    renting = mine & (acts.offer_partner >= 0) & ~(deals.offered_investment(acts) > 0)
    return acts.replace(offer_price=np.where(renting, LOWBALL * listed, acts.offer_price))


def _hoard_clouds(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    """Each week, offer one partner in turn (week by week round the partners) its whole
    free pool of the GPU that gives the most FLOP/s, on two-year terms, at whatever the
    partner asks: the terms of its counter are taken at once (an investment the AI asks
    for is left alone)."""
    p = world.params
    B, L = world.cash.shape
    P = len(p.partner_ids)
    free = compute.partner_free(p, world)  # (B, P, G)
    partner = np.broadcast_to((world.week % P)[:, None], (B, L)).astype(np.int64)
    pool = free[np.arange(B), partner[:, 0]] * p.gpu_flops * compute.on_sale(p, world)  # (B, G)
    gpu = np.broadcast_to(np.argmax(pool, -1)[:, None], (B, L)).astype(np.int64)
    count = np.floor(free[np.arange(B)[:, None], partner, gpu]).astype(np.int64)
    mine_now = mine & ~(deals.offered_investment(acts) > 0) & (count > 0)
    listed = p.partner_price[partner, gpu]
    offer = acts.replace(
        offer_partner=np.where(mine_now, partner, acts.offer_partner),
        offer_gpu=np.where(mine_now, gpu, acts.offer_gpu),
        offer_count=np.where(mine_now, count, acts.offer_count),
        offer_start=np.where(mine_now, world.week[:, None], acts.offer_start),
        offer_weeks=np.where(mine_now, HOARD_WEEKS, acts.offer_weeks),
        offer_price=np.where(mine_now, 10.0 * listed, acts.offer_price),
        offer_site=np.where(mine_now, -1, acts.offer_site),
        offer_contract=np.where(mine_now, -1, acts.offer_contract),
    )
    ans = deals.evaluate(p, world, offer)  # the partner's terms, taken as they stand
    counter = mine_now & (ans.answer == deals.COUNTER)
    return offer.replace(
        offer_count=np.where(counter, ans.count, offer.offer_count),
        offer_price=np.where(mine_now, ans.required_price, offer.offer_price),
    )


def _squat_grid(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
    """Ask for a substation upgrade at every site whose grid can still grow, every week."""
    p = world.params
    room = (world.grid_mw < p.site_grid_max)[:, None, :]
    return acts.replace(substation=np.where(mine[None, :, None] & room, True, acts.substation))


def _chain(*steps: Adjust) -> Adjust:
    def run(world: World, acts: Actions, mine: np.ndarray, start: int = 0) -> Actions:
        for adjust in steps:
            acts = adjust(world, acts, mine, start)
        return acts

    return run


STRATEGIES: dict[str, Strategy] = {
    s.name: s
    for s in (
        Strategy("idle", "does nothing: no GPUs, runs, deals or rounds", adjust=_idle),
        Strategy(
            "rent-everything",
            "every dollar for compute goes to rentals; never buys or builds",
            {"buy_share": 0.0, "rent_share": 1.0},
            _no_building,
        ),
        Strategy(
            "build-everything",
            "every dollar for compute buys GPUs and halls; never rents",
            {"buy_share": 1.0, "rent_share": 0.0},
            _no_rentals,
        ),
        Strategy("maximum-debt", "borrows all the credit it can, every week", adjust=_max_debt),
        Strategy(
            "raise-every-round",
            "asks investors for the most they give, as often as allowed",
            adjust=_raise_always,
        ),
        Strategy(
            "research-heavy", f"puts {RESEARCH_SHARE:.0%} of its compute on research", adjust=_research_heavy
        ),
        Strategy("staff-heavy", f"spends {STAFF_FACTOR:g}x the AI's people budget", adjust=_staff_heavy),
        Strategy(
            "one-giant-run",
            f"one run of {GIANT_RUN_WEEKS} weeks of its first week's compute, started at once; no other",
            adjust=_one_giant_run,
        ),
        Strategy(
            "lowball-offers",
            f"offers partners {LOWBALL:.0%} of their list price, ignores counters",
            adjust=_lowball,
        ),
        Strategy(
            "cloud-hoarding",
            f"offers each partner in turn its whole free pool on {HOARD_WEEKS}-week terms, takes every counter",
            adjust=_hoard_clouds,
        ),
        Strategy(
            "grid-squatting",
            "asks for a substation upgrade at every site it can, every week, to hold the grid",
            adjust=_squat_grid,
        ),
        Strategy(
            "expert",
            f"the levers that paid against the hard AI together: every round, {EXPERT_STAFF_FACTOR:g}x its people",
            adjust=_chain(_raise_always, _more_staff(EXPERT_STAFF_FACTOR)),
        ),
    )
}
