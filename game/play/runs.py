"""A lab's training runs in the engine's terms: the training compute of a week, when
each run under way (and each planned one) finishes as the engine shares the compute,
and how far a capability is from GPT-4 to AGI."""

from __future__ import annotations

import attrs
import numpy as np

from game.engine import compute
from game.engine.params import TRAIN, Params
from game.engine.state import RUN_POST, RUN_PRETRAIN, World
from game.engine.training import finish_weeks

GPT4_CAPABILITY = 25.3  # log10 effective FLOP of GPT-4 (calibration: T1), the AGI bar's zero


def training_flops(p: Params, w: World, lab: int) -> float:
    """FLOP a lab's training share of today's compute does in a week (the engine's rate)."""
    _, useful, n = compute.lab_flops(p, w)
    share = w.split[0, lab, TRAIN]
    rate, _ = compute.training_rate(share * useful[0, lab], share * n[0, lab], p.rules.training)
    return float(rate)


def run_schedule(p: Params, w: World, lab: int, planned: tuple[float, ...] = ()) -> np.ndarray:
    """Weeks until each of the lab's pretraining runs finishes (in slot order), then each
    `planned` new run (FLOP), all sharing today's training compute as the engine shares
    it, beside the runs in post-training (training.finish_weeks)."""
    going = w.run_phase[0, lab] == RUN_PRETRAIN
    left = (w.run_flop[0, lab] - w.run_done[0, lab])[going]
    post = w.run_post_left[0, lab][w.run_phase[0, lab] == RUN_POST].tolist()
    return finish_weeks(
        np.concatenate([left, np.asarray(planned, dtype=np.float64)]),
        training_flops(p, w, lab),
        post,
        p.rules.training.post_training_compute,
    )


def run_eta_weeks(p: Params, w: World, lab: int, flop: float) -> float:
    """Weeks a new run of `flop` would take next to the lab's runs under way."""
    return float(run_schedule(p, w, lab, (flop,))[-1])


def flop_for_weeks(p: Params, w: World, lab: int, weeks: float) -> float:
    """The FLOP of a new run that would finish pretraining in `weeks` at today's training
    compute, shared with the runs under way as the engine shares it (run_eta_weeks's
    inverse); 0 when nothing trains."""
    rate = training_flops(p, w, lab)
    if rate <= 0 or weeks <= 0:
        return 0.0
    going = w.run_phase[0, lab] == RUN_PRETRAIN
    left = (w.run_flop[0, lab] - w.run_done[0, lab])[going]
    post = w.run_post_left[0, lab][w.run_phase[0, lab] == RUN_POST].tolist()

    def eta(flop: float) -> float:  # run_eta_weeks, with today's rate worked out once
        return float(finish_weeks(np.append(left, flop), rate, post, p.rules.training.post_training_compute)[-1])

    lo, hi = 0.0, rate * weeks  # alone it would do rate x weeks: sharing only slows it
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if eta(mid) <= weeks else (lo, mid)
    return lo


@attrs.frozen
class Serving:
    """What a serving share of the compute does for the lab's users this week, by the
    engine's market rule (economy.market and operate): the share their inference needs,
    the share of them it serves, and the API revenue a week it brings against what
    serving all of them would (subscriptions do not depend on it)."""

    need: float  # of today's peak compute, to serve every user
    served: float  # 0..1
    api: float  # USD a week
    api_full: float  # USD a week, every user served


def serving(p: Params, w: World, lab: int, share: float) -> Serving:
    peak = float(compute.lab_flops(p, w)[0][0, lab])
    need = float(w.users[0, lab]) * float(p.rules.market.inference_flops_per_user)
    served = min(peak * share / need, 1.0) if need > 0 else 1.0
    full = float(w.users[0, lab] * p.lab_api_rate[lab] * p.api_growth[compute.week_row(p, w)][0])
    return Serving(need / peak if peak > 0 else float("inf"), served, full * served, full)


def agi_progress(p: Params, cap: float) -> float:
    """How far from GPT-4 to the AGI threshold a capability is, 0..1."""
    return float(np.clip((cap - GPT4_CAPABILITY) / (p.agi_capability - GPT4_CAPABILITY), 0.0, 1.0))


BAND = 0.90  # the share of runs whose capability falls in the band the screens show
_Z = 1.6448536269514722  # the standard normal's 95th percentile: a 90% band is +-Z sigma


def capability_band(p: Params, cap: float) -> tuple[float, float]:
    """The range a run planned at capability `cap` releases within, 9 times in 10 (the
    engine's draw: cap + noise * z, z standard normal clipped at 2.5)."""
    noise = float(p.rules.training.capability_noise)
    return cap - _Z * noise, cap + _Z * noise
