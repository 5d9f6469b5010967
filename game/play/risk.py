"""Money risks before they strike: a round's health against the investors' walk-away
line, the covenant against the lenders' trigger (and what the next GPU generation does to
it), and a runway that follows the lab's commitments week by week: builds that end,
rentals that end, a round that closes.

The rules are the engine's (economy.close_rounds, enforce_covenants, compute.build_out):
this module reads them and says where the lab stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import numpy as np

from game.engine import compute, economy
from game.engine.state import World
from game.play.alert import Alert
from game.play.desk import LabTurn
from game.play.runway import PROJECTION_WEEKS, Projection, project
from game.play.words import risk as say
from game.play.words.alerts import HINTS
from game.play.words.numbers import money as say_money

ROUND_RISK_MARGIN = 0.10  # the round is at risk when the value is within 10% of the line
# (a week's news can move the value on its merits by more than 5%: a narrower margin let
# rounds fail with no warning in a play-test)
COVENANT_RISK_POINTS = 0.08  # leverage within 8 points of the covenant is within reach
NEXT_GEN_WEEKS = 26  # a generation shipping within half a year counts for the covenant


@attrs.frozen
class RoundHealth:
    """A round under way (B = 1, one lab)."""

    usd: float  # what it brings if it closes
    closes: dt.date  # the day its cash is in hand
    weeks_left: int  # weeks until the step that closes it
    basis: float  # the lab's value on its merits when investors agreed
    value: float  # the value on its merits now
    line: float  # below this when it closes, the investors walk away
    walk_away: float  # the fall that makes them walk (a fraction)

    @property
    def margin(self) -> float:
        """How much more the value can fall before the line, as a share of today's value."""
        return (self.value - self.line) / max(self.value, 1.0)

    @property
    def at_risk(self) -> bool:
        return self.margin < ROUND_RISK_MARGIN

    def forecast(self, fmt: Callable[[float], str] = say_money) -> str:
        """One line: where it stands and what would trip it."""
        return say.round_forecast(
            self.value, self.line, self.basis, self.walk_away, self.margin, self.closes, fmt
        )


@attrs.frozen
class CovenantHealth:
    debt: float
    collateral: float  # what the lab's GPUs would fetch today
    leverage: float  # debt over collateral
    trigger: float  # the covenant: past it lenders sweep cash
    sweep: float  # the share of cash they sweep a week
    next_gen: str  # the GPU whose launch cuts the GPUs' value ("": none launches then, or none is due)
    next_gen_date: dt.date | None
    leverage_after: float  # leverage once it ships (today's debt; GPUs on order delivered by then count)
    collateral_after: float = 0.0  # what the GPUs would fetch once it ships (those GPUs too)
    lends: float = 0.0  # the share of the GPUs' value lenders lend against (loan to value)

    @property
    def in_breach(self) -> bool:
        return self.debt > 0 and self.leverage > self.trigger

    @property
    def at_risk(self) -> bool:
        """Within reach of the trigger: close to it now, or over it once the next generation ships."""
        if self.debt <= 0 or self.in_breach:
            return False
        return self.leverage > self.trigger - COVENANT_RISK_POINTS or (
            self.next_gen_date is not None and self.leverage_after > self.trigger
        )

    def forecast(self, fmt: Callable[[float], str] = say_money) -> str:
        """One line: where it stands and what would trip it."""
        return say.covenant_forecast(
            self.debt, self.collateral, self.leverage, self.trigger, self.sweep, self.in_breach,
            self.next_gen, self.next_gen_date, self.leverage_after, fmt, self.lends,
        )  # fmt: skip


def round_health(t: LabTurn) -> RoundHealth | None:
    """The round the lab has under way, and how close its investors are to walking away."""
    lab = t.lab
    p, w = t.params, t.world
    usd = float(w.round_usd[0, lab])
    if usd <= 0:
        return None
    walk = float(p.rules.finance.round_walk_away)
    basis = float(w.round_basis[0, lab])
    close = int(w.round_close[0, lab])
    return RoundHealth(
        usd=usd,
        closes=p.date_of(close + 1),
        weeks_left=max(close - t.week, 0),
        basis=basis,
        value=float(economy.fundamental_value(p, w)[0, lab]),
        line=basis * (1.0 - walk),
        walk_away=walk,
    )


def covenant_health(t: LabTurn) -> CovenantHealth:
    lab = t.lab
    p, w = t.params, t.world
    owned = compute.owned_gpus(w)[0, lab].astype(np.float64)  # (G,)
    row = int(compute.week_row(p, w)[0])
    base = p.gpu_price * w.price_mult[0]  # (G,) before the older-generation factor
    on_sale = compute.on_sale_week(p, w)  # (1, G), as late as a slip made it
    now = compute.older_factor(p, w)[0]
    collateral = float(owned @ (base * now))
    debt = float(w.debt[0, lab])
    name, when, after = "", None, collateral
    last = min(row + NEXT_GEN_WEEKS, p.last_week)
    for r in range(row + 1, last + 1):
        then = compute.older_factor_at(p, on_sale, np.array([r]))[0]
        if owned.any() and not np.allclose(then[owned > 0], now[owned > 0]):
            launched = np.flatnonzero(on_sale[0] == r)
            name = p.gpu_ids[int(launched[0])] if len(launched) else ""  # words: "a newer generation"
            when = p.date_of(r)
            arriving = np.zeros_like(owned)  # GPUs on order that are delivered before it ships
            due = (w.order_count[0, lab] > 0) & (w.order_arrive[0, lab] <= r)
            np.add.at(arriving, w.order_gpu[0, lab][due], w.order_count[0, lab][due])
            after = float((owned + arriving) @ (base * then))
            break
    f = p.rules.finance
    return CovenantHealth(
        debt=debt,
        collateral=collateral,
        leverage=debt / max(collateral, 1.0) if debt > 0 else 0.0,
        trigger=float(f.covenant_ltv),
        sweep=float(f.covenant_sweep),
        next_gen=name,
        next_gen_date=when,
        leverage_after=debt / max(after, 1.0) if debt > 0 else 0.0,
        collateral_after=after,
        lends=float(f.loan_to_value),
    )


def projection(t: LabTurn, world: World | None = None, horizon: int = PROJECTION_WEEKS) -> Projection:
    """The lab's money week by week from `world` (default: the game's; a preview's world
    gives the runway after this week's orders): runway.project."""
    return project(t.params, t.world if world is None else world, t.lab, horizon)


def runway_weeks(t: LabTurn, world: World | None = None) -> float:
    """Weeks of cash and credit as the README counts them: a round under way counts
    (its cash comes the week it closes), builds and rentals cost until they end."""
    return projection(t, world).weeks


def runway_without_round(t: LabTurn) -> float | None:
    """The runway if the round under way fell through (None: no round is closing, or it
    does not change the runway)."""
    with_round = projection(t)
    if with_round.round_counted <= 0:
        return None
    bare = project(t.params, t.world, t.lab, PROJECTION_WEEKS, with_round=False).weeks
    return bare if bare < with_round.weeks - 0.5 else None


def risk_alerts(t: LabTurn) -> list[Alert]:
    """A round whose investors are close to walking away; a covenant within reach."""
    out = []
    health = round_health(t)
    if health is not None and health.at_risk:
        out.append(
            Alert(
                "round-risk",
                say.round_at_risk(health.usd, health.closes, health.forecast()),
                "warning",
                screen="finance",
                hint=HINTS["plan_without_round"],
            )
        )
    cov = covenant_health(t)
    if cov.at_risk:
        out.append(Alert("covenant-risk", cov.forecast(), "warning", screen="finance", hint=HINTS["repay"]))
    return out


def runway_text(weeks: float) -> str:
    """A runway as the screens say it: weeks, or past the projection's horizon."""
    return say.runway(weeks, PROJECTION_WEEKS)


def building_per_week(t: LabTurn) -> float:
    """What the halls under construction cost this week (part of the burn until they are
    done; a paused site's cost nothing)."""
    lab = t.lab
    p, w = t.params, t.world
    return float(economy.building_per_week(p, w)[0, lab])
