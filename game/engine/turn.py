"""One week: `step(world, actions) -> (world, report)`, in a fixed order.

0. decisions: the week's actions (money, ways out: halls stopped or paused, GPUs sold,
   contracts sublet (exits.py), orders, halls and power, offers to partners, contract
   exits, runs, split); partners' builds may slip
1. deliveries   2. installs   3. power and construction   4. compute allocation
5. training progress and releases   6. research   7. users, revenue and costs
8. contracts end   9. events (their own module, when present)
10. valuation, AGI and bankruptcy checks, the end of the game   11. week += 1

Games already over are returned unchanged. The step is pure: it never changes its
inputs, prints or reads files.
"""

from __future__ import annotations

import operator
from types import SimpleNamespace
from typing import Any

import attrs
import numpy as np

from game.engine import codes, compute, deals, economy, events, exits, limits, ops, research, rng, training
from game.engine.actions import Actions, amount, checked
from game.engine.params import INFER, RESEARCH, TRAIN
from game.engine.state import (
    EMPTY_CONTRACT,
    END_AGI,
    END_BANKRUPT,
    END_TIME,
    STORED_AS,
    World,
    array_fields,
    keep_where,
    rebuilt,
    stored,
)

_FIELDS = array_fields()
_STORED = tuple(STORED_AS)


@attrs.frozen(eq=False)
class Report:
    """What happened in the week, as arrays (shapes as in World)."""

    week: np.ndarray  # (B,) the week that was played
    flows: np.ndarray  # (B, L, F) cash flows by economy.FLOWS, signed
    compute: np.ndarray  # (B, L, 3) peak FLOP/s by use: training, inference, research
    ordered: np.ndarray  # (B, L, G) GPUs ordered
    order_asked: np.ndarray  # (B, L, G) GPUs the orders asked for (of GPUs on sale)
    order_unfilled_usd: np.ndarray  # (B, L) what the part not taken would have cost (never charged)
    delivered: np.ndarray  # (B, L, G)
    installed: np.ndarray  # (B, L, G)
    offer_answer: np.ndarray  # (B, L) deals.ACCEPT ... REJECT, deals.NONE if no offer
    offer_reason: np.ndarray  # (B, L) deals.REASONS index
    offer_partner: np.ndarray  # (B, L) the partner asked, -1 if none
    rented: np.ndarray  # (B, L) GPUs in contracts signed this week
    raised: np.ndarray  # (B, L) USD raised in a round that closed this week
    round_opened: np.ndarray  # (B, L) USD committed in a round started this week (closes later)
    down_round: np.ndarray  # (B, L) bool: the round that closed was priced below the last one
    round_failed: np.ndarray  # (B, L) bool: investors walked away from a round due to close
    covenant_breach: np.ndarray  # (B, L) bool: debt over the covenant; lenders swept cash
    covenant_swept: np.ndarray  # (B, L) USD the lenders swept from cash against the debt
    released: np.ndarray  # (B, L) bool: a model shipped
    released_capability: np.ndarray  # (B, L)
    released_planned: np.ndarray  # (B, L): what its compute promised, before the run's noise
    released_flop: np.ndarray  # (B, L): the released run's compute budget, FLOP
    fault_hours: np.ndarray  # (B, L) cluster hours lost to hardware faults
    events: np.ndarray  # (B, L, C) bool: cards of the events deck that fired (game cards: every lab)
    event_values: np.ndarray  # (B, L, C) the size of each fired card's first effect
    gpus_lost: np.ndarray  # (B, L, G) GPUs destroyed by events
    gpus_sold: np.ndarray  # (B, L, G) GPUs sold on the used market (exits.py)
    refused: np.ndarray  # (B, L) int: codes.* bits of actions that were refused
    went_bankrupt: np.ndarray  # (B, L) bool
    agi: np.ndarray  # (B, L) bool: reached AGI this week
    ended: np.ndarray  # (B,) bool: the game ended this week
    slipped: np.ndarray  # (B, L, K) bool: partner builds at the lab's sites that slipped this week
    # The lab's contracts after the week's decisions (slips included): what the news names
    # when a build slips or comes online (contract_start == week).
    contract_partner: np.ndarray  # (B, L, K) -1 for an empty slot
    contract_gpu: np.ndarray  # (B, L, K)
    contract_site: np.ndarray  # (B, L, K) -1 for capacity in the partner's datacenters
    contract_count: np.ndarray  # (B, L, K)
    contract_start: np.ndarray  # (B, L, K)


_set = SimpleNamespace.__setattr__


class Working(SimpleNamespace):
    """The step's working copy of a World: the same arrays under the same names. Rules
    assign new arrays to it and never change one in place; an array assigned here is made
    read-only, so an in-place write fails at once (memo.py relies on it)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, np.ndarray):
            value.setflags(write=False)  # (cheaper than through .flags, made on each read)
        _set(self, name, value)


def working_copy(world: World) -> Working:
    """A step's working copy of `world`, with a copy of its derived cache."""
    s = Working(**{name: getattr(world, name) for name in array_fields()})
    s.derived = dict(world.derived)
    return s


def finished(world: World, s: Working) -> World:
    """The World the working copy `s` has become (its arrays cast to their stored types)."""
    held = vars(s)
    arrays: dict[str, Any] = stored({name: held[name] for name in _FIELDS})  # read-only, as Working keeps them
    for name in _STORED:
        if arrays[name] is not held[name]:  # cast to its stored type: a new array
            arrays[name].setflags(write=False)
    new = rebuilt(world, arrays)
    # A value stays valid while the fields it read are the same (memo serves a World's own
    # values without checking them again, so only those are kept): its getter reads them
    # from the new World (an entry without one is never carried).
    kept = new.derived
    for rule, entry in s.derived.items():
        getter = entry[3]
        if getter is not None and all(map(operator.is_, getter(new), entry[4])):
            kept[rule] = entry
    return new


def _normalised_split(current: np.ndarray, asked: np.ndarray) -> np.ndarray:
    keep = ops.anyof(asked < 0, -1, True) | ~np.isfinite(asked).all(-1, keepdims=True)
    clean = np.where(np.isfinite(asked), np.maximum(asked, 0.0), 0.0)
    total = ops.total(clean, -1, True)
    keep = keep | (total <= 0)
    return np.where(keep, current, clean / np.where(total > 0, total, 1.0))


@attrs.define
class Decided:
    """A week after its decisions (step 0) and before anything else happens: the working
    copy, the ledger of the decisions' cash flows, the refusals, and what they did."""

    s: Working
    ledger: economy.Ledger
    refused: np.ndarray  # (B, L) codes.* bits
    alive: np.ndarray  # (B, L) labs still playing
    news_possible: np.ndarray  # (B, L, C) event cards whose conditions held as the week began
    actions: Actions  # the actions as the step read them (indices made safe)
    raised: np.ndarray
    down_round: np.ndarray
    round_failed: np.ndarray
    round_opened: np.ndarray
    ordered: np.ndarray
    order_asked: np.ndarray
    order_unfilled_usd: np.ndarray
    answers: deals.Answers
    rented: np.ndarray
    sold: np.ndarray
    slipped: np.ndarray  # (B, L, K) partner builds that slipped this week


def decide(world: World, actions: Actions) -> Decided:
    """Step 0 of the week: a new quarter's supply and prices, then every lab's decisions
    (money, rounds, orders, halls and power, offers, contract exits, runs, split). The
    weekly step starts with it; the game asks it alone for a dry run of a lab's orders."""
    p = world.params
    s = working_copy(world)
    B, L = s.cash.shape
    refused = np.zeros((B, L), np.int64)

    def refuse(mask: np.ndarray, code: int) -> None:
        nonlocal refused
        if np.count_nonzero(mask):  # (refusals are rare: most weeks nothing to mark)
            refused = refused | np.where(mask, code, 0)

    alive = ~s.bankrupt & ~s.done[:, None]
    actions, bad_index = checked(actions, len(p.partner_ids), len(p.gpu_ids), len(p.site_ids))
    refuse(bad_index & alive, codes.BAD_INDEX)
    ledger = economy.Ledger(s)
    news_possible = events.eligible(p, s)

    # New quarter: NVIDIA's allocation renews and its price follows last quarter's demand.
    new_quarter, s.price_mult = compute.week_price_mult(p, s)
    s.nvidia_ordered = np.where(new_quarter, 0.0, s.nvidia_ordered)
    s.nvidia_requested = np.where(new_quarter, 0.0, s.nvidia_requested)

    # 0. decisions
    s.split = np.where(alive[..., None], _normalised_split(s.split, actions.split), s.split)
    s.staff_usd_week = np.where(
        alive & (actions.staff_usd_week >= 0),
        amount(actions.staff_usd_week, limits.MAX_STAFF_USD_WEEK),
        s.staff_usd_week,
    )
    economy.borrow_and_repay(p, s, actions, ledger, refuse, alive)
    raised, down_round, round_failed = economy.close_rounds(p, s, ledger, alive)
    round_opened = economy.open_rounds(p, s, actions, refuse, alive)
    sold = exits.apply(p, s, actions, ledger, alive)
    ordered, order_asked, order_unfilled_usd = compute.place_orders(p, s, actions, ledger.pay, refuse, alive)
    compute.order_power(p, s, actions, ledger.pay, refuse, alive)
    deals.recover(p, s)
    answers = deals.negotiate(p, s, actions, ledger)
    signed = (answers.answer == deals.ACCEPT) & ~(deals.offered_investment(actions) > 0)
    rented = np.where(signed, answers.count, 0)
    deals.exit_contracts(p, s, actions.exit, ledger)
    slipped = deals.slip_builds(p, s)
    training.start_runs(p, s, actions, refuse, alive)
    return Decided(
        s, ledger, refused, alive, news_possible, actions, raised, down_round, round_failed, round_opened,
        ordered, order_asked, order_unfilled_usd, answers, rented, sold, slipped,
    )  # fmt: skip


DRY_RUN_SALT = np.uint64(0x5EED_D0E5_0F_1A7E)  # a dry run draws other numbers than the week will


def dry_run(world: World, actions: Actions) -> tuple[World, np.ndarray, np.ndarray]:
    """What `actions`' decisions would do this week, and nothing else: the state after
    step 0 and the week's construction (halls are paid as they are built; no deliveries,
    revenue, running costs or events), the cash flows (B, L, F) and the refusals (B, L).
    Its random numbers are not the week's (another seed), so a dry run tells nothing of
    the draws the week will make."""
    salted = attrs.evolve(world, seed=world.seed ^ DRY_RUN_SALT)
    d = decide(salted, actions)
    compute.build_out(world.params, d.s, d.ledger.pay)  # deterministic: no draw
    return finished(world, d.s), d.ledger.flows, d.refused


def step(world: World, actions: Actions) -> tuple[World, Report]:
    """Play one week of every game in the batch."""
    p = world.params
    d = decide(world, actions)
    s, ledger, alive, news_possible, actions = d.s, d.ledger, d.alive, d.news_possible, d.actions
    B, L = s.cash.shape
    raised, down_round, round_failed, round_opened = d.raised, d.down_round, d.round_failed, d.round_opened
    ordered, answers, rented = d.ordered, d.answers, d.rented
    refused = d.refused
    contracts = {name: getattr(s, name) for name in ("contract_partner", "contract_gpu", "contract_site",
                                                     "contract_count", "contract_start")}  # fmt: skip

    # 1-3. deliveries, installs, power and construction
    delivered = compute.deliver(p, s)
    installed = compute.install(p, s, alive)
    compute.build_out(p, s, ledger.pay)

    # 4. allocation
    peak, useful, n_gpus = compute.lab_flops(p, s)
    use = s.split * peak[..., None]  # (B, L, 3)

    # 5. training
    fault_draw = 0.5 + rng.uniform(rng.game_week(s), rng.FAULTS, (L,))
    released, released_cap, released_planned, fault_hours, released_flop = training.advance(
        p, s, s.split[..., TRAIN] * useful, s.split[..., TRAIN] * n_gpus, fault_draw
    )

    # 6. research: hiring, then the week's progress
    _, _, hiring = research.hire(p, s, alive & ~s.bankrupt)
    ledger.pay("hiring", hiring)
    grown = s.software + research.growth_per_week(p, s, use[..., RESEARCH])
    s.software = np.minimum(grown, limits.MAX_SOFTWARE)  # a file at the bound plays and saves

    # 7. users, revenue, costs
    served = economy.market(p, s, use[..., INFER])
    economy.operate(p, s, served, ledger)

    # 8. contracts that end this week stop holding capacity
    over = ops.nonzero((s.contract_partner >= 0) & (s.contract_end <= s.week[:, None, None] + 1))
    if len(over[0]):
        for name, empty in EMPTY_CONTRACT.items():  # an empty slot is all zeros, its indices -1
            field = getattr(s, name).copy()
            field[over] = empty
            setattr(s, name, field)

    # 9. events
    fired, event_values, gpus_lost = events.apply(p, s, alive, ledger, news_possible)
    s.mood = s.mood + (1.0 - s.mood) * p.rules.finance.mood_reversion_per_week

    # 10. lenders enforce their covenants, money settles, then the end of the game
    repaid = ledger.flows[..., economy.FLOW_INDEX["repaid"]].copy()
    breach = economy.enforce_covenants(p, s, ledger) & alive
    swept = repaid - ledger.flows[..., economy.FLOW_INDEX["repaid"]]
    went_bankrupt = economy.settle(p, s, ledger) & alive
    economy.mark_valuation(p, s)

    agi = alive & ~s.bankrupt & (s.best_model >= training.agi_threshold(p, s)[:, None])
    any_agi = ops.anyof(agi)
    human_broke = ops.anyof(s.bankrupt & p.human[None, :])
    all_broke = s.bankrupt.all(-1)
    out_of_time = s.week >= p.last_week
    ended = ~s.done & (any_agi | human_broke | all_broke | out_of_time)
    if np.count_nonzero(ended):  # (else no game ends: the end fields stay)
        agi_winner = np.where(agi, s.best_model, -np.inf).argmax(-1)
        standing = ~s.bankrupt & (s.best_model > 0)
        leader = np.where(ops.anyof(standing), np.where(standing, s.best_model, -np.inf).argmax(-1), -1)
        broke = human_broke | all_broke
        reason = np.where(any_agi, END_AGI, np.where(broke, END_BANKRUPT, np.where(out_of_time, END_TIME, 0)))
        s.end_reason = np.where(ended, reason, s.end_reason)
        s.winner = np.where(ended, np.where(any_agi, agi_winner, leader), s.winner)
        s.agi_week = np.where(ended & any_agi, s.week, s.agi_week)
        s.done = s.done | ended

    # 11.
    s.week = s.week + 1
    new = keep_where(world.done, world, finished(world, s))
    report = Report(
        week=world.week,
        flows=ledger.flows,
        compute=use,
        ordered=ordered,
        order_asked=d.order_asked,
        order_unfilled_usd=d.order_unfilled_usd,
        delivered=delivered,
        installed=installed,
        offer_answer=answers.answer,
        offer_reason=answers.reason,
        offer_partner=np.where(answers.answer != deals.NONE, actions.offer_partner, -1),
        rented=rented,
        raised=raised,
        round_opened=round_opened,
        down_round=down_round,
        round_failed=round_failed,
        covenant_breach=breach,
        released=released,
        released_capability=released_cap,
        released_planned=released_planned,
        released_flop=released_flop,
        fault_hours=fault_hours,
        events=fired,
        event_values=event_values,
        gpus_lost=gpus_lost,
        gpus_sold=d.sold,
        refused=refused,
        went_bankrupt=went_bankrupt,
        agi=agi,
        ended=ended,
        covenant_swept=swept,
        slipped=d.slipped,
        **contracts,
    )
    return new, report


def negotiate_now(world: World, actions: Actions) -> tuple[World, deals.Answers, np.ndarray]:
    """One round of talks between weeks: the partners answer `actions`' offers at once
    (the week does not advance). Returns the world, the answers and the cash flows
    (B, L, F) of accepted investments."""
    p = world.params
    s = working_copy(world)
    ledger = economy.Ledger(s)
    actions, _ = checked(actions, len(p.partner_ids), len(p.gpu_ids), len(p.site_ids))
    answers = deals.negotiate(p, s, actions, ledger)
    new = keep_where(world.done, world, finished(world, s))
    return new, answers, ledger.flows
