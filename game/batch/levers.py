"""The family of player strategies the exploit search explores (search.py).

A strategy is the hard AI of the lab's own style with every lever turned: each lever has
an intensity (a multiplier on what the AI chose, or an amount the AI never asks for) and
a timing (the week from the game's start until which it is pulled; after it, the AI's
own choice stands). A candidate is a point of the unit cube, two coordinates a lever,
and `Levers` applies a batch of candidates, one row of values per game, to the AI's
Actions for one lab: every rewrite is an array operation over the whole batch, so the
games of many candidates play in one batch.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np

from game.engine import compute, deals, economy
from game.engine.actions import Actions
from game.engine.state import World

ALWAYS = 0.95  # a timing coordinate above this pulls the lever for the whole game
TERM_WEEKS = (4, 260)  # rental terms the lever may ask for, weeks
POOL_TERM_WEEKS = 52  # the term of a rental the AI did not ask for itself, before the term lever
MAX_RESEARCH = 0.6  # research share the lever may reach


@attrs.frozen
class Lever:
    """One lever: its range, the value that leaves the AI's choice as it is, and whether
    it moves on a log scale (multipliers)."""

    name: str
    what: str
    lo: float
    hi: float
    neutral: float
    log: bool = False
    unit: str = "x"  # x: a multiplier; share: of what there is; weeks

    def value(self, u: np.ndarray) -> np.ndarray:
        """The lever's value at unit coordinates u (any shape)."""
        u = np.clip(u, 0.0, 1.0)
        if self.log:
            return self.lo * (self.hi / self.lo) ** u
        return self.lo + (self.hi - self.lo) * u

    def unit_of(self, value: float) -> float:
        """The unit coordinate of a value (the inverse of `value`)."""
        if self.log:
            return math.log(value / self.lo) / math.log(self.hi / self.lo)
        return (value - self.lo) / (self.hi - self.lo)

    def describe(self, value: float) -> str:
        if self.unit == "x":
            return f"{self.name} x{value:.2g}"
        if self.unit == "share":
            return f"{self.name} {value:.0%}"
        return f"{self.name} {value:.0f} weeks"


# design: ranges far enough past the AI's choices to show whether more of one thing
# always wins (a multiplier of 8 rents or buys eight times what the hard AI would).
LEVERS: tuple[Lever, ...] = (
    Lever("rent", "GPUs asked for in each new rental, times the AI's", 0.25, 8.0, 1.0, log=True),
    Lever("pool", "asks for this share of the largest partner pool, every week", 0.0, 1.0, 0.0, unit="share"),
    Lever("price", "price offered per GPU-hour, times the AI's", 0.6, 1.6, 1.0, log=True),
    Lever("term", "rental term, times the AI's", 0.25, 4.0, 1.0, log=True),
    Lever("buy", "GPUs ordered from NVIDIA, times the AI's", 0.05, 8.0, 1.0, log=True),
    Lever("halls", "hall MW started, times the AI's", 0.05, 8.0, 1.0, log=True),
    Lever("grid", "claims this share of every site's free grid with halls", 0.0, 1.0, 0.0, unit="share"),
    Lever(
        "raise",
        "asks investors for this share of the most they offer, when they may",
        0.0,
        1.0,
        0.0,
        unit="share",
    ),  # fmt: skip
    Lever("borrow", "borrows this share of its credit headroom", 0.0, 1.0, 0.0, unit="share"),
    Lever("staff", "people budget, times the AI's", 0.5, 4.0, 1.0, log=True),
    Lever("research", "research share of compute, times the AI's", 0.25, 4.0, 1.0, log=True),
    Lever("run", "size of each training run (its length), times the AI's", 0.25, 6.0, 1.0, log=True),
    Lever("cadence", "at least this many weeks between run starts", 0.0, 52.0, 0.0, unit="weeks"),
)
INDEX = {lever.name: j for j, lever in enumerate(LEVERS)}
DIMENSIONS = 2 * len(LEVERS)  # an intensity and a timing per lever


def neutral_point() -> np.ndarray:
    """The unit point that plays exactly as the hard AI (D,): every lever at its neutral
    value, pulled for the whole game."""
    u = np.ones(DIMENSIONS)
    u[: len(LEVERS)] = [lever.unit_of(lever.neutral) for lever in LEVERS]
    return u


def decode(u: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit points (C, D) as lever values (C, N) and the week each lever stops (C, N)."""
    u = np.atleast_2d(u)
    n = len(LEVERS)
    values = np.stack([lever.value(u[:, j]) for j, lever in enumerate(LEVERS)], -1)
    neutral = np.array([lever.neutral for lever in LEVERS])
    values = np.where(np.isclose(values, neutral, rtol=1e-9, atol=1e-12), neutral, values)  # exactly the AI's
    until = np.where(u[:, n:] >= ALWAYS, np.inf, np.floor(u[:, n:] / ALWAYS * horizon))
    return values, until


def leans(u: np.ndarray, horizon: int, tolerance: float = 0.15) -> list[str]:
    """The levers a candidate (D,) sets well away from the AI's choice (more than
    `tolerance` of their range), pulled for at least a few weeks, described."""
    neutral = neutral_point()
    n = len(LEVERS)
    return [
        leans_one(u, horizon, j)
        for j in range(n)
        if abs(u[j] - neutral[j]) > tolerance and decode(u, horizon)[1][0, j] >= 4
    ]


def leans_one(u: np.ndarray, horizon: int, j: int) -> str:
    """Lever j of a candidate (D,) described: its setting and how long it is pulled."""
    values, until = decode(u, horizon)
    stop = until[0, j]
    when = "whole game" if not np.isfinite(stop) else f"first {stop:.0f} weeks"
    return f"{LEVERS[j].describe(float(values[0, j]))} ({when})"


class Levers:
    """A batch of candidates' levers (one row per game) for lab `lab`: `__call__` turns
    the AI's Actions into the strategy's. Keeps the week of each game's last run start
    (for the cadence lever)."""

    def __init__(self, values: np.ndarray, until: np.ndarray, lab: int, start: int) -> None:
        self.values, self.until, self.lab, self.start = values, until, lab, start
        self.last_start = np.full(len(values), -(10**6), np.int64)

    def keep(self, index: np.ndarray) -> None:
        """Only the games at `index` play on (the others are over and left the batch)."""
        self.values, self.until, self.last_start = (
            self.values[index],
            self.until[index],
            self.last_start[index],
        )

    def _v(self, name: str, rel: np.ndarray) -> np.ndarray:
        j = INDEX[name]
        return np.where(rel < self.until[:, j], self.values[:, j], LEVERS[j].neutral)

    def __call__(self, world: World, acts: Actions) -> Actions:
        p, li = world.params, self.lab
        B = world.cash.shape[0]
        games = np.arange(B)
        rel = world.week - self.start
        v = {lever.name: self._v(lever.name, rel) for lever in LEVERS}
        alive = ~world.bankrupt[:, li] & ~world.done

        # Rentals: a new pool rental is larger, or one is asked for from the largest pool.
        partner = acts.offer_partner[:, li].copy()
        gpu = acts.offer_gpu[:, li].copy()
        count = acts.offer_count[:, li].astype(np.float64)
        weeks = acts.offer_weeks[:, li].copy()
        price = acts.offer_price[:, li].copy()
        site = acts.offer_site[:, li].copy()
        contract = acts.offer_contract[:, li].copy()
        invest = acts.offer_invest[:, li] > 0
        new = (partner >= 0) & ~invest & (contract < 0) & (count > 0)
        free = compute.partner_free(p, world)  # (B, P, G)
        pool = free[games, np.maximum(partner, 0), np.clip(gpu, 0, free.shape[2] - 1)]
        count = np.where(new, count * v["rent"], count)
        count = np.where(new & (site < 0), np.maximum(count, v["pool"] * pool), count)
        weeks = np.where(new & (v["term"] != 1.0), np.clip(np.round(weeks * v["term"]), *TERM_WEEKS), weeks)
        slot_free = (world.contract_partner[:, li] < 0).any(-1)
        ask = alive & (partner < 0) & (v["pool"] > 0) & slot_free
        if ask.any():
            G = free.shape[2]
            flops = free * p.gpu_flops[None, None, :]
            pick = np.argmax(flops.reshape(B, -1), -1)
            best_p, best_g = pick // G, pick % G
            largest = free[games, best_p, best_g]
            listed = p.partner_price[best_p, best_g] * compute.older_factor(p, world)[np.arange(B), best_g]
            ask &= largest * v["pool"] >= 1.0
            partner = np.where(ask, best_p, partner)
            gpu = np.where(ask, best_g, gpu)
            count = np.where(ask, np.floor(largest * v["pool"]), count)
            weeks = np.where(ask, np.clip(np.round(POOL_TERM_WEEKS * v["term"]), *TERM_WEEKS), weeks)
            price = np.where(ask, listed, price)
            site = np.where(ask, -1, site)
            contract = np.where(ask, -1, contract)
            acts = acts.replace(
                offer_start=_col(acts.offer_start, li, np.where(ask, world.week, acts.offer_start[:, li]))
            )
            acts = acts.replace(
                offer_invest=_col(acts.offer_invest, li, np.where(ask, 0.0, acts.offer_invest[:, li]))
            )
            acts = acts.replace(
                offer_share=_col(acts.offer_share, li, np.where(ask, 0.0, acts.offer_share[:, li]))
            )
        offering = (partner >= 0) & (acts.offer_invest[:, li] <= 0)
        price = np.where(offering, price * v["price"], price)

        # Purchases, halls and grid claims.
        order = np.floor(acts.order_count[:, li] * v["buy"][:, None, None]).astype(np.int64)
        build = acts.build_mw[:, li] * v["halls"][:, None]
        site_free = deals.site_free_mw(p, world)  # (B, S)
        claim = np.where(alive[:, None], v["grid"][:, None] * site_free, 0.0)
        build = np.maximum(build, np.where(claim >= 1.0, claim, 0.0))

        # Money: rounds and loans.
        terms = economy.round_terms(p, world)
        raise_usd = acts.raise_usd[:, li]
        raising = alive & terms.ready[:, li] & (v["raise"] > 0.05)
        raise_usd = np.where(raising, np.maximum(raise_usd, v["raise"] * terms.largest[:, li]), raise_usd)
        headroom = economy.credit_headroom(p, world)[:, li]
        borrow = np.where(
            alive, np.maximum(acts.borrow_usd[:, li], v["borrow"] * headroom), acts.borrow_usd[:, li]
        )

        # People, research and runs.
        chosen = np.where(
            acts.staff_usd_week[:, li] >= 0, acts.staff_usd_week[:, li], world.staff_usd_week[:, li]
        )
        staff = np.where(alive, chosen * v["staff"], acts.staff_usd_week[:, li])
        split = np.where(acts.split[:, li, :1] >= 0, acts.split[:, li], world.split[:, li])
        research = np.minimum(split[:, 2] * v["research"], MAX_RESEARCH)
        rest = (
            split[:, :2] / np.maximum(split[:, :2].sum(-1, keepdims=True), 1e-9) * (1.0 - research)[:, None]
        )
        split = np.where(alive[:, None], np.concatenate([rest, research[:, None]], -1), acts.split[:, li])
        start = acts.start_flop[:, li] * v["run"][:, None]
        wait = world.week - self.last_start < v["cadence"]
        start = np.where(wait[:, None], 0.0, start)
        self.last_start = np.where((start > 0).any(-1), world.week, self.last_start)

        return acts.replace(
            offer_partner=_col(acts.offer_partner, li, partner),
            offer_gpu=_col(acts.offer_gpu, li, gpu),
            offer_count=_col(acts.offer_count, li, np.floor(count).astype(np.int64)),
            offer_weeks=_col(acts.offer_weeks, li, weeks.astype(np.int64)),
            offer_price=_col(acts.offer_price, li, price),
            offer_site=_col(acts.offer_site, li, site),
            offer_contract=_col(acts.offer_contract, li, contract),
            order_count=_col(acts.order_count, li, order),
            build_mw=_col(acts.build_mw, li, build),
            raise_usd=_col(acts.raise_usd, li, raise_usd),
            borrow_usd=_col(acts.borrow_usd, li, borrow),
            staff_usd_week=_col(acts.staff_usd_week, li, staff),
            split=_col(acts.split, li, split),
            start_flop=_col(acts.start_flop, li, start),
        )


def _col(a: np.ndarray, lab: int, column: np.ndarray) -> np.ndarray:
    """`a` (B, L, ...) with lab `lab`'s entries replaced by `column` (B, ...)."""
    out = a.copy()
    out[:, lab] = column
    return out


def described(row: dict[str, Any], most: int = 4, worth: float = 2.0) -> list[str]:
    """A found strategy's levers for a report: for the best (taken apart lever by lever),
    the levers worth at least `worth` points of win share, most first; for the others,
    the levers set away from the AI's choice. At most `most`."""
    if "leans" in row:
        found = [f"{x['setting']}: {x['points']:+.0f} points" for x in row["leans"] if x["points"] >= worth]
        return found[:most] or ["no lever alone is worth 2 points"]
    return row["levers"][:most] + (
        [f"and {len(row['levers']) - most} more"] if len(row["levers"]) > most else []
    )
