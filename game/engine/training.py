"""Training runs: start, progress, post-training, release; capability and AGI.

A run has a compute budget C (FLOP; C = 6ND for N parameters on D tokens). It takes the
lab's training share of compute each week, split evenly between its active runs, where
a run in post-training counts as `post_training_compute` of a run (post-training runs on
the same fleet: each release costs a fixed slice of compute, which a longer run pays less
often). When C is done it spends `post_training_weeks` in post-training, then is released as a model
whose capability is log10(C) + the lab's software efficiency when the run started,
moved by a draw (rules.training.capability_noise): a run can turn out better or worse
than its compute says. A model is AGI when its capability reaches the game's threshold,
drawn per game within the band the player is told (`agi_threshold`, `agi_range`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import codes, memo, ops, rng
from game.engine.actions import amount
from game.engine.compute import first_free_slot, training_rate
from game.engine.params import Params
from game.engine.state import RUN_EMPTY, RUN_POST, RUN_PRETRAIN

State = Any

MAX_RUN_FLOP = 1e40  # the largest compute budget a run may have (the step clips to it; saves hold it)


def chinchilla_flop(params_n: np.ndarray | float, p: Params) -> np.ndarray:
    """Compute budget of a compute-optimal run of N parameters (D = tokens_per_param x N)."""
    t = p.rules.training
    n = np.asarray(params_n, dtype=np.float64)
    return t.flop_per_param_token * n * (t.tokens_per_param * n)


def capability(flop: np.ndarray | float, software: np.ndarray | float) -> np.ndarray:
    """log10 effective compute of a model (the capability players see)."""
    return np.log10(np.maximum(np.asarray(flop, dtype=np.float64), 1.0)) + software


@memo.derived
def agi_threshold(p: Params, s: State) -> np.ndarray:
    """Each game's AGI threshold (B,): the scenario's capability moved by a draw uniform
    within +-rules.training.agi_band, keyed by the game alone (seed and index), so the
    same game always has the same threshold and a forecast's futures (other game
    numbers) do not know it."""
    band = p.rules.training.agi_band
    if band <= 0:
        return np.full(s.seed.shape, p.agi_capability)
    u = rng.uniform(rng.key(s.seed, s.game, np.zeros_like(s.game)), rng.AGI_THRESHOLD)
    return p.agi_capability + band * (2.0 * u - 1.0)


def agi_range(p: Params) -> tuple[float, float]:
    """The range every game's AGI threshold lies in: what a player is told."""
    band = p.rules.training.agi_band
    return (p.agi_capability - band, p.agi_capability + band)


def start_runs(p: Params, s: State, a: Any, refuse: Any, alive: np.ndarray) -> None:
    """Start the week's new runs (B, L, R budgets; 0 = none), each in a free run slot."""
    flop = amount(a.start_flop, MAX_RUN_FLOP)
    asked = (flop > 0) & alive[..., None]
    if not np.count_nonzero(asked):
        return
    big_enough = flop >= p.rules.training.min_run_flop
    refuse(ops.anyof(asked & ~big_enough), codes.RUN_TOO_SMALL)
    R = s.run_phase.shape[-1]
    for k in np.flatnonzero((asked & big_enough).any((0, 1))):
        want = asked[..., k] & big_enough[..., k]
        slot, has = first_free_slot(s.run_phase == RUN_EMPTY)
        refuse(want & ~has, codes.RUN_NO_SLOT)
        start = want & has
        onehot = (np.arange(R) == slot[..., None]) & start[..., None]
        s.run_phase = np.where(onehot, RUN_PRETRAIN, s.run_phase)
        s.run_flop = np.where(onehot, flop[..., k, None], s.run_flop)
        s.run_done = np.where(onehot, 0.0, s.run_done)
        s.run_software = np.where(onehot, s.software[..., None], s.run_software)
        s.run_post_left = np.where(onehot, 0, s.run_post_left)


def advance(
    p: Params,
    s: State,
    train_useful_flops: np.ndarray,
    train_gpus: np.ndarray,
    fault_draw: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One week of pretraining and post-training. Returns (released (B, L) bool,
    capability released (B, L), the capability its compute promised before the run's
    noise (B, L), hours lost to faults (B, L), the released run's compute budget in FLOP
    (B, L))."""
    # Post-training first, so a run that finishes pretraining this week gets its full
    # post-training time.
    post = s.run_phase == RUN_POST
    left = np.where(post, s.run_post_left - 1, s.run_post_left)
    ship = post & (left <= 0)

    pre = s.run_phase == RUN_PRETRAIN
    n_active = ops.total(pre)
    rate, hours_lost = training_rate(train_useful_flops, train_gpus, p.rules.training, fault_draw)
    sharing = n_active + p.rules.training.post_training_compute * ops.total(post)
    share = rate / np.maximum(sharing, 1.0)
    done = np.where(pre, np.minimum(s.run_done + share[..., None], s.run_flop), s.run_done)
    finished = pre & (done >= s.run_flop)

    post_weeks = p.rules.training.post_training_weeks
    if post_weeks == 0:
        ship = ship | finished
    hours = np.where(n_active > 0, hours_lost, 0.0)
    if not np.count_nonzero(ship):  # no model ships this week (most weeks): no release
        s.run_phase = np.where(finished, RUN_POST, s.run_phase)
        s.run_done = done
        s.run_post_left = np.where(finished, post_weeks, np.maximum(left, 0))
        shape = s.cash.shape
        return np.zeros(shape, bool), np.zeros(shape), np.zeros(shape), hours, np.zeros(shape)
    cap = planned = capability(s.run_flop, s.run_software)
    noise = p.rules.training.capability_noise
    if noise > 0:  # the run's noise, drawn in the games that ship (only shipped runs read it)
        rows = np.flatnonzero(ship.any((1, 2)))
        z = rng.normal(rng.game_week(s)[rows], rng.RUN_OUTCOME, ship.shape[1:])
        cap = cap.copy()
        cap[rows] = cap[rows] + noise * ops.clip(z, -2.5, 2.5)
    best = np.where(ship, cap, -np.inf).argmax(-1)  # the run released
    released_cap = ops.pick(cap, best)
    released_planned = ops.pick(planned, best)
    released_flop = ops.pick(s.run_flop, best)
    released = ops.anyof(ship)
    s.best_model = np.where(released, np.maximum(s.best_model, released_cap), s.best_model)

    phase = np.where(finished, RUN_POST, s.run_phase)
    phase = np.where(ship, RUN_EMPTY, phase)
    s.run_phase = phase
    s.run_done = np.where(ship, 0.0, done)
    s.run_flop = np.where(ship, 0.0, s.run_flop)
    s.run_software = np.where(ship, 0.0, s.run_software)  # an empty slot is all zeros
    s.run_post_left = np.where(finished, post_weeks, np.where(ship, 0, np.maximum(left, 0)))
    zero = np.zeros_like(released_cap)
    return (
        released,
        np.where(released, released_cap, zero),
        np.where(released, released_planned, zero),
        hours,
        np.where(released, released_flop, zero),
    )


def finish_weeks(
    remaining: np.ndarray, rate: float, post_left: Any = (), post_compute: float = 0.0
) -> np.ndarray:
    """Weeks until each of a lab's runs finishes pretraining (the same order as
    `remaining`, FLOP left per run) when it trains `rate` FLOP a week, shared as `advance`
    shares it: evenly between the runs still going, beside the runs in post-training
    (`post_left`: weeks each has left) that count as `post_compute` of a run each. A
    projection at today's compute; inf where nothing trains."""
    left = np.asarray(remaining, dtype=np.float64).copy()
    out = np.full(left.shape, np.inf)
    if rate <= 0:
        return out
    ends = sorted(float(q) for q in post_left if q > 0)
    going = [i for i in range(len(left))]
    t = 0.0
    while going:
        in_post = sum(1 for q in ends if q > t + 1e-12)
        per = rate / max(len(going) + post_compute * in_post, 1.0)
        to_finish = min(left[i] for i in going) / per
        to_post_end = min((q - t for q in ends if q > t + 1e-12), default=np.inf)
        dt = min(to_finish, to_post_end)
        t += dt
        for i in going:
            left[i] -= per * dt
        done = [i for i in going if left[i] <= 1e-9 * max(per, 1.0)]
        for i in done:
            out[i] = t
        going = [i for i in going if i not in done]
    return out
