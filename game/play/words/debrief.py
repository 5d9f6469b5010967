"""The game's end in words: how it ended, why the winner won, the player's decisions
that mattered and the score part by part, from the figures play/debrief.py gathers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import attrs

from game.engine.params import Params
from game.engine.state import END_REASONS, World
from game.play.words.numbers import day, money, plural

EDGES = {"compute": "more compute", "software": "better software", "luck": "a lucky run"}
SCORE_PARTS = ("AGI win", "weeks early", "your stake")  # economy.SCORE_PARTS' order


def ending(reason: str, who: str | None, agi_date: dt.date | None, week: int | None = None) -> str:
    """How a game ended (END_REASONS' name), who won (None: nobody), when AGI came (the
    date, and the game's week when known)."""
    who = who or "nobody"
    if reason == "agi" and agi_date is not None:
        return f"{who} reaches AGI on {day(agi_date)}" + (f", in week {week}." if week is not None else ".")
    if reason == "bankrupt":
        return f"Bankruptcy ends the race. {who} is left standing."
    return f"The last week passes without AGI; {who} has the strongest model."


def result(p: Params, w: World, lab_name: Callable[[int], str]) -> str:
    """How game 0 of `w` ended, in a sentence: who reached AGI and when, or what ended it."""
    winner, reason = int(w.winner[0]), END_REASONS[int(w.end_reason[0])]
    when = p.date_of(int(w.agi_week[0])) if reason == "agi" else None
    return ending(reason, lab_name(winner) if winner >= 0 else None, when, int(w.agi_week[0]))


def nobody() -> str:
    return "nobody"


def threshold(drawn: float, low: float, high: float) -> str:
    return f"the AGI threshold this game drew: {drawn:.2f} (you were told {low:.1f} to {high:.1f})"


@attrs.frozen
class Race:
    """Why the winner won, in figures: its edge over the rival it is measured against
    (the player if the player lost, else the runner-up) and what stands behind it."""

    reason: str  # END_REASONS' name: agi, bankrupt, time
    winner: str
    rival: str
    edge: str  # a key of EDGES, or "" for none that decided it
    edge_oom: float  # its size in orders of magnitude (inf: the rival had no working GPUs)
    best_winner: float
    best_rival: float
    compute_oom: float | None  # the winner's FLOP/s over the rival's (log10); None: one had no GPUs
    lacking: str  # who had no working GPUs at the end, when compute_oom is None
    software_oom: float  # the winner's software over the rival's (orders of magnitude)
    others_bankrupt: tuple[str, ...] = ()  # labs bankrupt at a bankruptcy's end, the winner aside
    all_others_bankrupt: bool = False
    run: tuple[float, float, float] | None = None  # the winning run: FLOP, promised, delivered
    needed: float = 0.0  # the threshold the game drew
    milestone: float = 0.0  # a capability both labs' shipping dates are given for
    reached: tuple[dt.date, dt.date] | None = None  # when the winner, the rival shipped past it


def why(r: Race) -> list[str]:
    """The decisive edge first, then the winning run and the figures behind it."""
    name, them = r.winner, r.rival
    if r.reason == "bankrupt" and r.all_others_bankrupt:
        head = f"{name} was left standing: the others went bankrupt"
    elif r.reason == "bankrupt":
        broke = " and ".join(r.others_bankrupt) or them
        head = f"{broke} went bankrupt; {name} had the strongest model of the labs left standing"
    elif r.reason == "time":
        head = (
            f"no model reached the threshold; {name} had the strongest "
            f"({r.best_winner:.2f} against {them}'s {r.best_rival:.2f})"
        )
    elif r.edge and math.isinf(r.edge_oom):
        head = f"{name} was first past the threshold; its edge over {them}: {EDGES[r.edge]} ({them} had no working GPUs)"
    elif r.edge:
        head = f"{name} was first past the threshold; its edge over {them}: {EDGES[r.edge]} ({r.edge_oom:+.2f} orders of magnitude)"
    else:
        head = f"{name} was first past the threshold with no edge over {them} in compute or software: its run came first"
    out = [head]
    if r.run is not None:
        flop, planned, got = r.run
        size_oom = math.log10(max(flop, 1.0))
        out.append(
            f"its winning run: {flop:.1e} FLOP ({size_oom:.2f}) + software {planned - size_oom:.2f}"
            f" (x{10 ** (planned - size_oom):,.0f} on every FLOP) = {planned:.2f} promised, {got:.2f} delivered (luck {got - planned:+.2f}); {r.needed:.2f} needed"
        )
    best = r.best_winner - r.best_rival
    out.append(f"{name}'s best model {r.best_winner:.2f} against {them}'s {r.best_rival:.2f} ({best:+.2f})")
    if r.compute_oom is not None:
        out.append(
            f"compute: {10**r.compute_oom:,.1f}x {them}'s FLOP/s at the end ({r.compute_oom:+.2f} orders of magnitude)"
        )
    else:
        out.append(f"compute: {r.lacking} had no working GPUs at the end")
    ahead = "ahead of" if r.software_oom >= 0 else "behind"
    out.append(f"software: {abs(r.software_oom):.2f} orders of magnitude of efficiency {ahead} {them}")
    if r.reached is not None:
        first, second = r.reached
        out.append(f"timing: {name} shipped past {r.milestone:.1f} on {day(first)}, {them} on {day(second)}")
    return out


@attrs.frozen
class Played:
    """The player's decisions that mattered, as totals from the log."""

    gpus: int  # ordered
    halls_mw: float
    turbines_mw: float
    runs: int
    largest_run: float  # FLOP (0 when no run)
    raised: float  # USD asked of investors
    offers: int  # to partners
    idle_weeks: int  # with no training run under way


def played(d: Played) -> list[str]:
    out = [
        f"ordered {d.gpus:,} GPUs (supply and cash may have cut some)",
        f"ordered {d.halls_mw:,.0f} MW of halls and {d.turbines_mw:,.0f} MW of turbines",
        f"started {plural(d.runs, 'training run')}"
        + (f", the largest {d.largest_run:.1e} FLOP" if d.runs else ""),
        f"asked investors for {money(d.raised)} in all; made {plural(d.offers, 'offer')} to partners",
    ]
    if d.idle_weeks:
        out.append(f"{plural(d.idle_weeks, 'week')} with no training run under way")
    return out


@attrs.frozen
class Score:
    """How a lab's score was reached, part by part (economy.score_parts' figures)."""

    won: bool
    winner: str | None  # the lab that reached AGI first (None: nobody did)
    weeks_left: int  # of the game, when the lab reached AGI
    last_week: int
    whole_early: float  # the most the earliness part can give
    bankrupt: bool
    share: float  # the founders' share of the lab
    value: float  # the lab's value, USD
    whole_stake: float  # the most the stake part can give
    counted: float  # the share of the stake's points the value earns


def score_why(s: Score) -> tuple[str, str, str]:
    """How each part of the score was reached, in SCORE_PARTS' order."""
    if s.winner is None:
        win = "nobody reached AGI: no win to score"
    else:
        win = f"{s.winner} reached AGI first"
    if s.won:
        left = s.weeks_left / max(s.last_week, 1)
        early = f"{plural(s.weeks_left, 'week')} of {s.last_week:,} left: {s.whole_early:,.0f} x {left:.0%}"
    else:
        early = f"only a win scores for earliness (up to {s.whole_early:,.0f})"
    if s.bankrupt:
        stake = "a bankrupt lab's stake scores nothing"
    else:
        stake = (
            f"{s.share:.0%} of {money(s.value)}: {s.whole_stake:,.0f} x {s.share:.0%} owned x "
            f"{s.counted:.0%} for the value"
        )
    return win, early, stake
