"""The number fields of the forms: each one's name, range and unit, read from the one table
of limits (game/engine/limits.py, re-exported by game/play/decisions.py).

A field checks what is typed as it is typed (widgets/form.py turns a Bound into a Textual
validator) and the form parses it on submit with the same Bound, so the word shown while
typing is the word a refused submit says."""

from __future__ import annotations

import attrs

from game.play import decisions
from game.tui.format import parse_number


@attrs.frozen
class Bound:
    """What a number field accepts: `what` names it in a message; lo..hi from the table of
    limits; `unit` is "$" for money or a word after the figure ("GPU", "week", "MW").
    An optional field may be left empty (its form then reads no figure)."""

    what: str
    lo: float
    hi: float
    integer: bool = False
    unit: str = ""
    optional: bool = False

    def parse(self, text: str) -> float:
        """The number typed, or decisions.Refused saying what is wrong with it."""
        return parse_number(text, self.what, self.lo, self.hi, self.integer, self.unit)


# ------------------------------------------------------------------- the fields
GPUS = Bound("count", 1, decisions.MAX_ORDER_GPUS, integer=True, unit="GPU")
OFFER_GPUS = Bound("count", 1, decisions.MAX_ORDER_GPUS, integer=True)
HALL_MW = Bound("megawatts", 1, decisions.MAX_BUILD_MW, unit="MW")
TURBINE_MW = Bound("megawatts", 1, decisions.MAX_TURBINE_MW, unit="MW")
LOAN_USD = Bound("amount", 1e6, decisions.MAX_ACTION_USD, unit="$")
RUN_AMOUNT = Bound("amount", 1, decisions.MAX_RUN_FLOP)
RUN_FLOP = Bound("run FLOP", 1, decisions.MAX_RUN_FLOP, unit="FLOP")
RUN_WEEKS = Bound("weeks a run", 1, decisions.MAX_RUN_WEEKS, integer=True, unit="week")
SELL_GPUS = Bound("GPUs to sell", 1, decisions.MAX_ORDER_GPUS, integer=True, unit="GPU")
SHARE_PCT = {k: Bound(k, 0, 100, unit="%") for k in ("train", "infer", "research")}
STAFF_USD = Bound("people budget", 0, decisions.MAX_STAFF_USD_WEEK, unit="$")
# deals: the offer and amendment fields mirror the figures the deals form parses into an
# offer (same names and ranges), so a refused offer says what the field said while typing
OFFER_START = Bound("start", 0, decisions.MAX_TERM_WEEKS, integer=True)
OFFER_TERM = Bound("term", 1, decisions.MAX_TERM_WEEKS, integer=True)
PRICE = Bound("price", 0.01, decisions.MAX_PRICE_USD_HOUR)
INVEST_USD = Bound("investment", 1e6, decisions.MAX_INVEST_USD, unit="$")
INVEST_SHARE = Bound("share", 0, 90, unit="%")
MORE_GPUS = Bound("GPUs to add", 0, decisions.MAX_ORDER_GPUS, integer=True)
MORE_WEEKS = Bound("weeks to add", 0, decisions.MAX_TERM_WEEKS, integer=True)
# a standing renewal's terms, each left empty for the contract's term and the list price
RENEW_WEEKS = Bound("renewal weeks", 1, decisions.MAX_TERM_WEEKS, unit="week", optional=True)
RENEW_PRICE = Bound("most per GPU-hour", 0.01, decisions.MAX_PRICE_USD_HOUR, optional=True)
# the title screen: a game's seed, left empty for the scenario's own
SEED = Bound("seed", 0, 2**63 - 1, integer=True, optional=True)
# the odds screen's what-if amount, by the kind of what-if
WHAT_IF = {
    "buy": Bound("amount", 1, decisions.MAX_ORDER_GPUS, integer=True, unit="GPU"),
    "run": Bound("amount", 1, decisions.MAX_RUN_FLOP, unit="FLOP"),
    "raise": Bound("amount", 1, decisions.MAX_ACTION_USD, unit="$"),
}
