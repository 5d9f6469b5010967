"""The debrief when the game ends: the AGI threshold the game drew, the winner's run, why
the winner won (its real edge over the lab it beat), the player's decisions that
mattered, and the player's score part by part."""

from __future__ import annotations

import math

import attrs
import numpy as np

from game.engine import compute
from game.engine.state import END_REASONS
from game.engine.training import agi_range, agi_threshold
from game.play.desk import LabTurn
from game.play.words import plural, score_lines

GPT4_NEXT = 27.0  # a milestone the debrief times: two orders of magnitude past GPT-4
EDGE_OOM = 0.05  # an edge smaller than this (orders of magnitude) does not decide a race


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


def debrief(t: LabTurn) -> Debrief:
    lab = t.lab
    p, w = t.params, t.world
    winner = int(w.winner[0])
    reason = END_REASONS[int(w.end_reason[0])]
    low, high = agi_range(p)
    drawn = float(agi_threshold(p, w)[0])
    threshold = f"the AGI threshold this game drew: {drawn:.2f} (you were told {low:.1f} to {high:.1f})"
    parts = score_lines(p, w, lab, t.lab_name)
    return Debrief(
        result=t.result,
        winner=t.lab_name(winner) if winner >= 0 else "nobody",
        reason=reason,
        why=tuple(_why(t, winner, reason, drawn)) if winner >= 0 else (),
        decisions=tuple(_decisions(t)),
        score=tuple((name, points) for name, points, _ in parts),
        total=float(sum(points for _, points, _ in parts)),
        threshold=threshold,
        score_why=tuple(text for _, _, text in parts),
    )


def _why(t: LabTurn, winner: int, reason: str, drawn: float) -> list[str]:
    """Why `winner` won, against the player if the player lost, else against the
    runner-up: the edge that decided it first (only one the winner really had), then
    the winning run and the figures behind it."""
    lab = t.lab
    p, w = t.params, t.world
    peak, _, _ = compute.lab_flops(p, w)
    others = [i for i in range(p.n_labs) if i != winner]
    rival = lab if winner != lab else max(others, key=lambda i: float(w.best_model[0, i]), default=winner)
    name, them = t.lab_name(winner), t.lab_name(rival)
    best_w, best_r = float(w.best_model[0, winner]), float(w.best_model[0, rival])
    both_run = float(peak[0, rival]) >= 1e15 and float(peak[0, winner]) >= 1e15
    hw = math.log10(max(float(peak[0, winner]), 1.0) / max(float(peak[0, rival]), 1.0))
    soft = float(w.software[0, winner] - w.software[0, rival])
    run = _winning_run(t, winner) if reason == "agi" else None
    edges = {"more compute": hw if both_run else 0.0, "better software": soft}
    if run is not None:
        edges["a lucky run"] = run[2] - run[1]
    edge, size = max(edges.items(), key=lambda kv: kv[1])
    if reason == "bankrupt":
        head = f"{name} was left standing: the others went bankrupt"
    elif reason == "time":
        head = f"no model reached the threshold; {name} had the strongest ({best_w:.2f} against {them}'s {best_r:.2f})"
    elif size > EDGE_OOM:
        head = f"{name} was first past the threshold; its edge over {them}: {edge} ({size:+.2f} orders of magnitude)"
    else:
        head = f"{name} was first past the threshold with no edge over {them} in compute or software: its run came first"
    out = [head]
    if run is not None:
        flop, planned, got = run
        size_oom = math.log10(max(flop, 1.0))
        out.append(
            f"its winning run: {flop:.1e} FLOP ({size_oom:.2f}) + software {planned - size_oom:.2f}"
            f" = {planned:.2f} promised, {got:.2f} delivered (luck {got - planned:+.2f}); {drawn:.2f} needed"
        )
    out.append(f"{name}'s best model {best_w:.2f} against {them}'s {best_r:.2f} ({best_w - best_r:+.2f})")
    if both_run:
        out.append(f"compute: {10**hw:,.1f}x {them}'s FLOP/s at the end ({hw:+.2f} orders of magnitude)")
    else:
        lacking = them if float(peak[0, rival]) < 1e15 else name
        out.append(f"compute: {lacking} had no working GPUs at the end")
    out.append(
        f"software: {abs(soft):.2f} orders of magnitude of efficiency {'ahead of' if soft >= 0 else 'behind'} {them}"
    )
    first = _first_week_at(t, winner, GPT4_NEXT)
    mine = _first_week_at(t, rival, GPT4_NEXT)
    if first is not None and mine is not None:
        when = p.date_of
        out.append(
            f"timing: {name} shipped past {GPT4_NEXT:.1f} on {when(first):%d %b %Y}, {them} on {when(mine):%d %b %Y}"
        )
    return out


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
        if h.capability[lab] >= cap:
            return h.week if i > 0 else None
    return None


def _decisions(t: LabTurn) -> list[str]:
    """The player's decisions that mattered, from the log: totals by kind."""
    lab = t.lab
    lab_id = t.params.lab_ids[lab]
    entries = [e for e in t.log if e.lab == lab_id]
    bought = sum(o.count for e in entries for o in e.orders)
    runs = [f for e in entries for f in e.runs]
    halls = sum(sum(e.build.values()) for e in entries)
    turbines = sum(sum(e.turbines.values()) for e in entries)
    raised = sum(e.raise_usd for e in entries)
    offers = sum(len(e.offers) for e in entries)
    played = [h for h in t.history if h.week < t.week]  # each week's start: weeks played
    idle = sum(1 for h in played if not h.training[lab])
    out = [
        f"ordered {bought:,} GPUs (supply and cash may have cut some)",
        f"ordered {halls:,.0f} MW of halls and {turbines:,.0f} MW of turbines",
        f"started {plural(len(runs), 'training run')}"
        + (f", the largest {max(runs):.1e} FLOP" if runs else ""),
        f"asked investors for ${raised / 1e9:,.1f}B in all; made {plural(offers, 'offer')} to partners",
    ]
    if idle:
        out.append(f"{plural(idle, 'week')} with no training run under way")
    return out
