"""One lab's view as a fixed vector of numbers, for learning agents, over a batch of games.

The same fogged view as the protocol's observation (observe.py): the lab's own figures in
full, rivals only as the player's screens show them (their released models, which are
public, and the intel estimates of game/play/intel.py: the truth times the same
deterministic fog, drawn for (game, lab, month)), never their true state. Money, counts
and compute are signed log10 (`slog`); every feature is clipped to [-LIMIT, LIMIT].
"""

from __future__ import annotations

import numpy as np

from game.engine import compute, economy, rng
from game.engine.state import RUN_POST, RUN_PRETRAIN, World
from game.engine.training import capability
from game.play.intel import FOG_SIGMA, INTEL_STREAM

LIMIT = 100.0
OWN = (
    "week_share", "alive", "cash_slog", "debt_slog", "credit_slog", "burn_slog", "revenue_slog",
    "runway_years", "valuation_slog", "founder_share", "revenue_share", "users_slog", "best_model_log10",
    "software_log10", "split_training", "split_inference", "split_research", "staff_slog", "staff_usd_slog",
    "gpus_slog", "compute_slog", "warehouse_slog", "on_order_slog", "training", "run_done", "run_flop_slog",
    "round_ready", "round_max_slog", "round_closing_slog", "agi_threshold_mid_log10",
)  # fmt: skip
RIVAL = (
    "best_model_log10", "gpus_est_slog", "compute_est_slog", "valuation_est_slog", "users_est_slog",
    "training", "run_flop_est_slog", "run_capability_est_log10",
)  # fmt: skip


def names(n_labs: int) -> tuple[str, ...]:
    """The features' names, in order: the lab's own, then each rival's (r1_..., r2_...)."""
    return OWN + tuple(f"r{i}_{name}" for i in range(1, n_labs) for name in RIVAL)


def slog(x: np.ndarray) -> np.ndarray:
    """Signed log10(1 + |x|): money, counts and FLOP/s on one scale."""
    return np.sign(x) * np.log10(1.0 + np.abs(x))


def fog(world: World, lab: int) -> np.ndarray:
    """The fog multipliers (B, 8) of a rival lab's estimates this week: intel's own draw
    (game/play/intel.py, _fog) for every game of the batch."""
    key = rng.key(world.seed, world.game * 16 + lab, world.week // 4)
    z = rng.normal(key, INTEL_STREAM, (8,))
    return np.exp(FOG_SIGMA * np.clip(z, -2.0, 2.0))


def features(world: World, lab: int) -> np.ndarray:
    """Lab `lab`'s view (B, F) float32, F = len(names(L))."""
    p, w = world.params, world
    peak, _, n = compute.lab_flops(p, w)
    pre = w.run_phase[:, lab] == RUN_PRETRAIN
    flop = np.where(pre, w.run_flop[:, lab], 0.0)
    done = np.where(pre, w.run_done[:, lab] / np.maximum(w.run_flop[:, lab], 1.0), 0.0)
    terms = economy.round_terms(p, w)
    runway = economy.runway_weeks(p, w)[:, lab]
    own = [
        w.week / max(p.last_week, 1),
        (~w.bankrupt[:, lab] & ~w.done).astype(np.float64),
        slog(w.cash[:, lab]),
        slog(w.debt[:, lab]),
        slog(economy.credit_headroom(p, w)[:, lab]),
        slog(economy.net_burn(p, w)[:, lab]),
        slog(w.revenue_fast[:, lab]),
        np.minimum(runway, 520.0) / 52.0,
        slog(w.valuation[:, lab]),
        w.founder_share[:, lab],
        w.revenue_share[:, lab],
        slog(w.users[:, lab]),
        w.best_model[:, lab],
        w.software[:, lab],
        *(w.split[:, lab, k] for k in range(3)),
        slog(w.staff[:, lab]),
        slog(w.staff_usd_week[:, lab]),
        slog(n[:, lab]),
        slog(peak[:, lab]),
        slog(w.warehouse[:, lab].sum(-1)),
        slog(w.order_count[:, lab].sum(-1)),
        pre.any(-1).astype(np.float64),
        done.max(-1),
        slog(flop.max(-1)),
        terms.ready[:, lab].astype(np.float64),
        slog(terms.largest[:, lab]),
        slog(w.round_usd[:, lab]),
        np.full(w.batch, p.agi_capability),
    ]
    rivals = []
    for i in range(p.n_labs):
        if i == lab:
            continue
        f = fog(world, i)
        going = (w.run_phase[:, i] == RUN_PRETRAIN) | (w.run_phase[:, i] == RUN_POST)
        big = np.argmax(np.where(going, w.run_flop[:, i], -1.0), -1)
        rows = np.arange(w.batch)
        run_flop = w.run_flop[rows, i, big] * f[rows, 4 + big]
        cap = capability(np.maximum(run_flop, 1.0), w.run_software[rows, i, big]) + np.log10(f[:, 7])
        any_run = going.any(-1)
        rivals += [
            w.best_model[:, i],
            slog(n[:, i] * f[:, 0]),
            slog(peak[:, i] * f[:, 0]),
            slog(w.valuation[:, i] * f[:, 1]),
            slog(w.users[:, i] * f[:, 2]),
            any_run.astype(np.float64),
            np.where(any_run, slog(run_flop), 0.0),
            np.where(any_run, cap, 0.0),
        ]
    out = np.stack([np.asarray(x, dtype=np.float64) for x in own + rivals], -1)
    return np.clip(np.nan_to_num(out, nan=0.0, posinf=LIMIT, neginf=-LIMIT), -LIMIT, LIMIT).astype(np.float32)
