"""The records of a game's log, its standing orders and its week's book: what a human
lab decided in a week (`LogEntry`, with its GPU orders and its offers to partners), the
orders it set to be taken for it each week (`Standing`) and what it had booked for the
week when the game was saved (`Booked`). They are the values the play layer makes and
passes (a form's offer is an `Offer`, a week's decisions a `LogEntry`), the values replay
reads and the values a save writes as `[[log]]`, `[[standing]]` and `[[book]]` tables,
through the same schema as the rest of the file (game/saves/records.py,
game.catalog.schema)."""

from __future__ import annotations

from typing import Any

import attrs

from game.catalog import Choice, num
from game.catalog.schema import Items, Record
from game.catalog.specs import Keyed, Num, Numbers, Ref, Refs, Shares, _field
from game.engine.limits import (
    MAX_GPUS,
    MAX_INVEST_USD,
    MAX_OFFER_GPUS,
    MAX_PRICE_USD_HOUR,
    MAX_STAFF_USD_WEEK,
    MAX_TERM_WEEKS,
    MAX_TURBINE_MW,
    MAX_USD,
    MAX_WEEKS,
)
from game.engine.state import CONTRACT_SLOTS, RUN_SLOTS
from game.engine.training import MAX_RUN_FLOP

WEEK = Num(-MAX_WEEKS, MAX_WEEKS, "week", integer=True)
SPLIT = Shares(("training", "inference", "research"))
USD = MAX_USD


def _week(default: Any = attrs.NOTHING, **meta: Any) -> Any:
    return _field(WEEK, default=default, **meta)


# ------------------------------------------------------------------------ [[log]]
@attrs.frozen
class LogOrder:
    gpu: str = _field(Ref("gpu"))
    vendor: str = _field(Ref("integrator"))
    count: int = num(0, MAX_GPUS, "GPUs", integer=True)


@attrs.frozen
class Offer:
    """An offer to a partner: a rental (gpu, count, start week, weeks, price, maybe a site
    to build at, or a contract slot to amend) or an investment (`invest` > 0) for a share
    of revenue. The deals form, an agent or a standing order makes one; the session hears
    it, the log keeps it and the save writes it as it was made."""

    partner: str = _field(Ref("partner"))
    gpu: str = _field(Ref("gpu"), default="")
    count: int = num(0, MAX_OFFER_GPUS, "GPUs", integer=True, default=0)
    start: int = _week(default=0)
    weeks: int = num(0, MAX_TERM_WEEKS, "weeks", integer=True, default=0)
    price: float = num(
        -1, MAX_PRICE_USD_HOUR, "USD per GPU-hour", default=0.0
    )  # -1: a negative price was offered
    site: str = _field(Ref("site"), default="")
    invest: float = num(0, MAX_INVEST_USD, "USD", default=0.0)
    share: float = num(0, 1, "fraction", default=0.0)
    contract: int = num(-1, CONTRACT_SLOTS - 1, "contract slot", integer=True, default=-1)  # amend it

    @property
    def investment(self) -> bool:
        """An investment ask (the partner weighs `invest` and `share`), not a rental."""
        return self.invest > 0


@attrs.frozen
class LogEntry:
    """What a human lab decided in a week (the engine's Actions, game/saves/log.py)."""

    week: int = _week()
    lab: str = _field(Ref("game_lab"))
    orders: tuple[LogOrder, ...] = _field(Items(LogOrder, 10_000), default=())
    # halls asked for: the step starts at most MAX_BUILD_MW; older games logged up to MAX_TURBINE_MW
    build: dict[str, float] = _field(Keyed("site", Num(0, MAX_TURBINE_MW, "MW")), default={})
    turbines: dict[str, float] = _field(Keyed("site", Num(0, MAX_TURBINE_MW, "MW")), default={})
    substation: tuple[str, ...] = _field(Refs("site"), default=())
    split: tuple[float, ...] | None = _field(SPLIT, default=None)
    runs: tuple[float, ...] = _field(
        Numbers(Num(1, MAX_RUN_FLOP, "FLOP"), RUN_SLOTS, "budgets (FLOP)"), default=()
    )
    offer: Offer | None = _field(Record(Offer), default=None)
    offers: tuple[Offer, ...] = _field(Items(Offer, 10_000), default=())
    exits: tuple[int, ...] = _field(
        Numbers(Num(0, CONTRACT_SLOTS - 1, "slot", integer=True), CONTRACT_SLOTS, "contract slots"),
        default=(),
    )
    # Asks up to USD load (games before the limits table logged them so); the step takes
    # at most MAX_ACTION_USD, and the game logs what it takes.
    raise_usd: float = num(0, USD, "USD", default=0.0)
    borrow_usd: float = num(0, USD, "USD", default=0.0)
    repay_usd: float = num(0, USD, "USD", default=0.0)
    staff_usd_week: float = num(-1, MAX_STAFF_USD_WEEK, "USD per week", default=-1.0)  # -1: unchanged
    # ways out (version 10): sites whose construction stops, pauses or resumes, GPUs sold,
    # contract slots sublet
    cancel_halls: tuple[str, ...] = _field(Refs("site"), default=())
    pause_halls: tuple[str, ...] = _field(Refs("site"), default=())
    resume_halls: tuple[str, ...] = _field(Refs("site"), default=())
    sell: dict[str, int] = _field(Keyed("gpu", Num(0, MAX_GPUS, "GPUs", integer=True)), default={})
    sublets: tuple[int, ...] = _field(
        Numbers(Num(0, CONTRACT_SLOTS - 1, "slot", integer=True), CONTRACT_SLOTS, "contract slots"),
        default=(),
    )


# ------------------------------------------------------------------- [[standing]]
STANDING_KINDS = ("run", "renew", "fill", "runs", "raise")


@attrs.frozen
class Standing:
    """A standing order of a human lab (game/play/standing.py): the next training run
    when the current one ends (`flop`), runs back to back of `weeks` each, a round of the
    most investors offer each time they will hear one, a contract renewed at its end (`contract` slot,
    with its partner and GPU), or powered halls filled with a GPU as they finish (`gpu`
    through `vendor`)."""

    lab: str = _field(Ref("game_lab"))
    kind: str = _field(Choice(STANDING_KINDS))
    flop: float = num(0, MAX_RUN_FLOP, "FLOP", default=0.0)
    contract: int = num(-1, CONTRACT_SLOTS - 1, "contract slot", integer=True, default=-1)
    partner: str = _field(Ref("partner", blank=True), default="")
    gpu: str = _field(Ref("gpu", blank=True), default="")
    vendor: str = _field(Ref("integrator", blank=True), default="")
    # a renewal's terms: the weeks it adds (0: the term the contract had) and the most it
    # offers per GPU-hour (0: the partner's list price of the day, whatever it is)
    weeks: int = num(0, MAX_TERM_WEEKS, "weeks", integer=True, default=0)
    max_price: float = num(0, MAX_PRICE_USD_HOUR, "USD per GPU-hour", default=0.0)
    # the week the order last put a decision in the book (-1: never): a run's is done once
    # that week is played, and a save made during that week books it again when loaded
    placed: int = num(-1, MAX_WEEKS, "week", integer=True, default=-1)


# ----------------------------------------------------------------------- [[book]]
# The kinds of decision a week's book holds (game/play/decisions.py and exits.py name
# theirs the same; a test keeps the two lists equal).
BOOK_KINDS = (
    "order", "halls", "turbines", "substation", "split", "staff", "run", "raise", "borrow", "repay", "exit",
    "cancel_halls", "pause_halls", "resume_halls", "sell", "sublet",
)  # fmt: skip


@attrs.frozen
class Booked:
    """One decision of a human lab's book for the file's week (version 11): what the
    player had booked when the game was saved, booked again when it is loaded. A kind
    uses the fields its decision has (a GPU order: gpu, vendor, count); the others stay
    at their defaults. The loader checks the bounds; booking it again checks the rest,
    with the engine's rules, as the forms do."""

    lab: str = _field(Ref("game_lab"))
    kind: str = _field(Choice(BOOK_KINDS))
    gpu: str = _field(Ref("gpu", blank=True), default="")
    vendor: str = _field(Ref("integrator", blank=True), default="")
    site: str = _field(Ref("site", blank=True), default="")
    count: int = num(0, MAX_GPUS, "GPUs", integer=True, default=0)
    mw: float = num(0, MAX_TURBINE_MW, "MW", default=0.0)
    usd: float = num(0, USD, "USD", default=0.0)
    usd_week: float = num(0, MAX_STAFF_USD_WEEK, "USD per week", default=0.0)
    slot: int = num(0, CONTRACT_SLOTS - 1, "contract slot", integer=True, default=0)
    flop: float = num(0, MAX_RUN_FLOP, "FLOP", default=0.0)
    # a split's shares, in any proportion (the form's percentages)
    training: float = num(0, 100, "share", default=0.0)
    inference: float = num(0, 100, "share", default=0.0)
    research: float = num(0, 100, "share", default=0.0)
