"""Training runs are a choice: each release costs a fixed slice of compute (post-training
runs on the training fleet beside the next run), which a longer run pays less often; a
shorter run ships sooner and starts from newer software."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import training
from game.engine.state import RUN_POST, RUN_PRETRAIN
from game.engine.turn import step
from tests.conftest import idle, quiet

XAI = 0


def two_runs(world, post_weeks_left: int):
    """xAI's Grok 2 in post-training (`post_weeks_left` weeks left, 0: none) beside a
    run in pretraining."""
    phase = world.run_phase.copy()
    phase[:, XAI] = 0
    phase[:, XAI, 0] = RUN_PRETRAIN
    flop, done = world.run_flop.copy(), world.run_done.copy()
    flop[:, XAI, 0], done[:, XAI, 0] = 1e30, 0.0
    left = world.run_post_left.copy()
    left[:, XAI] = 0
    if post_weeks_left:
        phase[:, XAI, 1] = RUN_POST
        flop[:, XAI, 1], done[:, XAI, 1] = 3e25, 3e25
        left[:, XAI, 1] = post_weeks_left
    return quiet(attrs.evolve(world, run_phase=phase, run_flop=flop, run_done=done, run_post_left=left))


def test_a_run_in_post_training_takes_its_share_of_the_training_compute(world, params):
    alone, _ = step(two_runs(world, 0), idle(world))
    beside, _ = step(two_runs(world, 4), idle(world))
    w = params.rules.training.post_training_compute
    assert w > 0
    ratio = beside.run_done[:, XAI, 0] / alone.run_done[:, XAI, 0]
    assert ratio == pytest.approx(np.full(ratio.shape, 1.0 / (1.0 + w)), rel=1e-6)


def test_the_projection_shares_the_compute_as_the_engine_does(world, params):
    """The screens' finish-week projection counts the run in post-training as the step
    does: a run with 10 weeks of compute at today's rate, beside a run with 4 weeks of
    post-training left, ends 4 x w / (1 + w) weeks later than alone."""
    w = params.rules.training.post_training_compute
    alone = training.finish_weeks(np.array([100.0]), 10.0)
    beside = training.finish_weeks(np.array([100.0]), 10.0, [4], w)
    assert alone[0] == pytest.approx(10.0)
    assert beside[0] == pytest.approx(10.0 + 4 * w / (1 + w))


@settings(max_examples=50, deadline=None)
@given(
    flop=st.lists(st.floats(1.0, 1e3), min_size=1, max_size=4),
    post=st.lists(st.integers(1, 12), max_size=3),
    weight=st.floats(0.0, 2.0),
)
def test_post_training_beside_a_run_never_makes_it_finish_sooner(flop, post, weight):
    alone = training.finish_weeks(np.array(flop), 10.0)
    beside = training.finish_weeks(np.array(flop), 10.0, post, weight)
    assert (beside >= alone - 1e-9).all()
    assert (beside <= alone + max(post, default=0) + 1e-9).all()


def chain(
    weeks: int, horizon: int, fleet_growth: float, software_growth: float, post: int, w: float
) -> float:
    """The best capability a lab has at `horizon` weeks when it starts a run sized for
    `weeks` of its current training rate each time none is pretraining (the engine's
    rules: a fixed budget at the start, software of the start, post-training beside the
    next run), on a fleet growing `fleet_growth` and software `software_growth` orders of
    magnitude a week. A week-by-week model of training.advance for one lab."""
    best = -np.inf
    run, done, start_sw = 0.0, 0.0, 0.0
    posts: list[tuple[int, float]] = []  # (weeks of post-training left, capability)
    for t in range(horizon):
        rate = 10 ** (fleet_growth * t)
        if run == 0.0:
            run, done, start_sw = rate * weeks, 0.0, software_growth * t
        done += rate / (1 + w * len(posts))
        posts = [(q - 1, cap) for q, cap in posts]
        best = max([best] + [cap for q, cap in posts if q <= 0])
        posts = [(q, cap) for q, cap in posts if q > 0]
        if done >= run:
            posts.append((post, float(training.capability(run, start_sw))))
            run = 0.0
    return best


def test_each_run_length_wins_in_some_situation(params):
    """On a fleet that no longer grows and slow software, one long run beats back-to-back
    short ones at the same date (the fixed slice per release and log10 of the budget);
    on a fast-growing fleet with fast software, short runs beat it (newer software, budgets
    resized to the growing fleet)."""
    t = params.rules.training
    post, w = t.post_training_weeks, t.post_training_compute
    flat = {"fleet_growth": 0.0, "software_growth": 0.003, "post": post, "w": w}
    assert chain(40, 100, **flat) > chain(12, 100, **flat)
    fast = {"fleet_growth": 0.03, "software_growth": 0.02, "post": post, "w": w}
    assert chain(12, 100, **fast) > chain(40, 100, **fast)
