"""The debrief when the game ends: the AGI threshold the game drew, the winner's run, why
the winner won (its real edge over the lab it beat), the player's decisions that
mattered, and the player's score part by part. The figures are gathered here; the
words are words/debrief.py's."""

from __future__ import annotations

import math

import attrs
import numpy as np

from game.engine import compute, economy
from game.engine.state import END_REASONS
from game.engine.training import agi_range, agi_threshold
from game.play.desk import LabTurn
from game.play.words import debrief as say

GPT4_NEXT = 27.0  # a milestone the debrief times: two orders of magnitude past GPT-4
EDGE_OOM = 0.05  # an edge smaller than this (orders of magnitude) does not decide a race
WORKING_FLOPS = 1e15  # a lab with less peak FLOP/s than this has no working GPUs


@attrs.frozen
class Debrief:
    result: str
    winner: str
    reason: str  # agi, bankrupt, time
    why: tuple[str, ...]  # why the winner won: its edge, its run, compute, software, timing
    decisions: tuple[str, ...]  # the player's decisions that mattered
    score: tuple[tuple[str, float], ...]  # the player's score by part
    total: float
    threshold: str = ""  # the AGI threshold the game drew, and the range the player was told
    score_why: tuple[str, ...] = ()  # how each part of the score was reached, in score's order
    race: say.Race | None = None  # why's figures (None when nobody won)


def debrief(t: LabTurn) -> Debrief:
    lab = t.lab
    p, w = t.params, t.world
    winner = int(w.winner[0])
    reason = END_REASONS[int(w.end_reason[0])]
    low, high = agi_range(p)
    drawn = float(agi_threshold(p, w)[0])
    points = tuple(float(x) for x in economy.score_parts(p, w)[0, lab])
    race = race_figures(t, winner, reason, drawn) if winner >= 0 else None
    return Debrief(
        result=t.result,
        winner=t.lab_name(winner) if winner >= 0 else say.nobody(),
        reason=reason,
        why=tuple(say.why(race)) if race is not None else (),
        decisions=tuple(say.played(played(t))),
        score=tuple(zip(say.SCORE_PARTS, points, strict=True)),
        total=float(sum(points)),
        threshold=say.threshold(drawn, low, high),
        score_why=say.score_why(score_figures(t)),
        race=race,
    )


def race_figures(t: LabTurn, winner: int, reason: str, drawn: float) -> say.Race:
    """Why `winner` won, against the player if the player lost, else against the
    runner-up: the edge that decided it (only one the winner really had: a rival
    without working GPUs is out-computed whatever its software), the winning run and
    the figures behind it."""
    lab = t.lab
    p, w = t.params, t.world
    peak, _, _ = compute.lab_flops(p, w)
    others = [i for i in range(p.n_labs) if i != winner]
    rival = lab if winner != lab else max(others, key=lambda i: float(w.best_model[0, i]), default=winner)
    runs_w, runs_r = float(peak[0, winner]) >= WORKING_FLOPS, float(peak[0, rival]) >= WORKING_FLOPS
    hw = math.log10(max(float(peak[0, winner]), 1.0) / max(float(peak[0, rival]), 1.0))
    soft = float(w.software[0, winner] - w.software[0, rival])
    run = _winning_run(t, winner) if reason == "agi" else None
    out_computed = math.inf if runs_w and not runs_r else 0.0
    edges = {"compute": hw if runs_w and runs_r else out_computed, "software": soft}
    if run is not None:
        edges["luck"] = run[2] - run[1]
    edge, size = max(edges.items(), key=lambda kv: kv[1])
    first, then = _first_week_at(t, winner, GPT4_NEXT), _first_week_at(t, rival, GPT4_NEXT)
    broke = [i for i in others if bool(w.bankrupt[0, i])]
    return say.Race(
        reason=reason,
        winner=t.lab_name(winner),
        rival=t.lab_name(rival),
        edge=edge if size > EDGE_OOM else "",
        edge_oom=size,
        best_winner=float(w.best_model[0, winner]),
        best_rival=float(w.best_model[0, rival]),
        compute_oom=hw if runs_w and runs_r else None,
        lacking=t.lab_name(rival if not runs_r else winner),
        software_oom=soft,
        others_bankrupt=tuple(t.lab_name(i) for i in broke),
        all_others_bankrupt=len(broke) == len(others),
        run=run,
        needed=drawn,
        milestone=GPT4_NEXT,
        reached=(p.date_of(first), p.date_of(then)) if first is not None and then is not None else None,
    )


def _winning_run(t: LabTurn, winner: int) -> tuple[float, float, float] | None:
    """The run that reached AGI: (its FLOP, the capability it promised, what it came
    out at), from the last week's report; None when that is not known (a finished game
    loaded from a save)."""
    r = t.last_report
    if r is None or not bool(r.released[0, winner]) or not bool(np.asarray(r.agi)[0, winner]):
        return None
    return (
        float(r.released_flop[0, winner]),
        float(r.released_planned[0, winner]),
        float(r.released_capability[0, winner]),
    )


def _first_week_at(t: LabTurn, lab: int, cap: float) -> int | None:
    """The week the lab first had a model of `cap`, if the history saw it happen (None
    when the lab was past it at the history's start: a game begun from a later save)."""
    for i, h in enumerate(t.history):
        if h.capability[lab] >= cap:  # a point is kept as a week ends: it was the week before
            return h.week - 1 if i > 0 else None
    return None


def played(t: LabTurn) -> say.Played:
    """The player's decisions that mattered, from the log: totals by kind."""
    lab = t.lab
    lab_id = t.params.lab_ids[lab]
    entries = [e for e in t.log if e.lab == lab_id]
    runs = [f for e in entries for f in e.runs]
    weeks = [h for h in t.history if h.week < t.week]  # each week's start: weeks played
    # A week trained if a run was pretraining at its start or at the next week's (a run
    # booked in a week trains in it): a standing order's next run, booked the week after
    # the last one ended, counted every hand-over as a week with no run.
    after = {h.week: h for h in t.history}
    trained = [h.training[lab] or (h.week + 1 in after and after[h.week + 1].training[lab]) for h in weeks]
    return say.Played(
        gpus=sum(o.count for e in entries for o in e.orders),
        halls_mw=sum(sum(e.build.values()) for e in entries),
        turbines_mw=sum(sum(e.turbines.values()) for e in entries),
        runs=len(runs),
        largest_run=max(runs, default=0.0),
        raised=sum(e.raise_usd for e in entries),
        offers=sum(len(e.offers) for e in entries),
        idle_weeks=trained.count(False),
    )


def score_figures(t: LabTurn) -> say.Score:
    """How the lab's score was reached (economy.score_parts' rule, part by part)."""
    lab = t.lab
    p, w = t.params, t.world
    r = p.rules.score
    reason = END_REASONS[int(w.end_reason[0])]
    winner = int(w.winner[0])
    value = float(w.valuation[0, lab])
    return say.Score(
        won=reason == "agi" and winner == lab,
        winner=t.lab_name(winner) if reason == "agi" else None,
        weeks_left=max(p.last_week - int(w.agi_week[0]), 0),
        last_week=p.last_week,
        whole_early=r.agi_win_points * r.early_share_of_win,
        bankrupt=bool(w.bankrupt[0, lab]),
        share=float(w.founder_share[0, lab]),
        value=value,
        whole_stake=r.agi_win_points * r.stake_share_of_win,
        counted=value / (value + r.stake_value_ref_usd) if value > 0 else 0.0,
    )
