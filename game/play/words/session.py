"""The game as a person plays it, in words: why the session will not take a decision,
an offer or a save now (a Refused's message, from play/session.py and play/book.py),
what a cancel did, the autosave's trouble, and what a replay of a save found
(play/replay.py)."""

from __future__ import annotations

from game.play.words.numbers import money, money_down

GO_AHEAD = " Go ahead?"  # the question a decision that needs confirming ends with


# ------------------------------------------------------------------ who plays
def not_playable_in_scenario(lab: str) -> str:
    return f"{lab} is not a playable lab in this scenario"


def not_playable_in_save(lab: str) -> str:
    return f"{lab} is not a playable lab in this save"


def changes_hands(humans: tuple[str, ...]) -> str:
    return f"this save is played by {', '.join(humans)}; it can't change hands"


def game_over() -> str:
    return "the game is over"


def week_playing_decide() -> str:
    """A decision or a talk while a week is being played."""
    return "a week is being played; decide when it ends"


def week_playing_save() -> str:
    return "a week is being played; save when it ends"


def not_yours(lab: str) -> str:
    return f"{lab} is not yours to play"


# ------------------------------------------------------------ a saved book
def unknown_decision(kind: str) -> str:
    return f"unknown decision {kind!r}"


def not_booked_again(kind: str, why: str) -> str:
    """A decision of a save's book that its load could not book again."""
    return f"The save's book held a decision ({kind}) that could not be booked again: {why}."


# ------------------------------------------------------------------ the book
def replaces_setting(said: str) -> str:
    """What a decision will do, when it takes the place of the week's earlier one."""
    return f"{said} (replaces this week's earlier setting)"


def booked_already(label: str) -> str:
    return (
        f"{label} is in this week's orders already (b lists them); "
        "to add another, change a figure or make the first one larger"
    )


def refused(reasons: list[str]) -> str:
    """The engine's reasons, together."""
    return "; ".join(reasons)


def costs_too_much(label: str, cost: float, cash: float, credit: float = 0.0) -> str:
    """`cash`: what the lab has after the week's other decisions; `credit`: what lenders
    would lend (orders are paid in cash: a loan first pays for them)."""
    text = f"{label} costs {money(cost)}; after this week's other decisions you have {money(max(cash, 0.0))}"
    if credit >= 1e6:
        text += f" (lenders would lend up to {money_down(credit)}: borrow first on the Money screen)"
    return text


def low_runway(label: str, weeks: float, cash: float) -> str:
    return f"{label} leaves {weeks:,.1f} weeks of runway (cash {money(cash)}).{GO_AHEAD}"


def runway_before_round(label: str, weeks: float, closes_in: float, cash: float) -> str:
    """A decision after which the cash and credit run out before the round's cash comes."""
    return (
        f"{label} leaves {weeks:,.1f} weeks of runway (cash {money(cash)}), and your round's cash comes in "
        f"{closes_in:,.0f} weeks: out of cash and credit before then, the lab is bankrupt.{GO_AHEAD}"
    )


def over_covenant(label: str, before: float, after: float, trigger: float, sweep: float) -> str:
    """A decision that takes the debt over the covenant (debt over the GPUs' value)."""
    return (
        f"{label} takes your debt from {before:.0%} to {after:.0%} of your GPUs' value, over the "
        f"{trigger:.0%} covenant: the lenders would take up to {sweep:.0%} of your cash every week against "
        f"the debt, at a penalty rate, until it is back under.{GO_AHEAD}"
    )


def same_run_again(label: str) -> str:
    return f"{label} is in this week's orders already. Book a second run of the same size beside it?"


def unasked(refusal: str) -> str:
    """A refusal without its question (for whoever cannot answer it)."""
    return refusal.removesuffix(GO_AHEAD)


def no_decision(number: int) -> str:
    """`number` counts from 1, as the book shows it."""
    return f"there is no decision number {number} this week"


def cancelled(label: str, dropped: list[tuple[str, str]]) -> str:
    """A decision taken out of the book, and those it took with it: (label, why)."""
    text = f"Cancelled: {label}"
    if dropped:
        text += "; also cancelled, as it no longer goes through: " + "; ".join(
            f"{other} ({why})" for other, why in dropped
        )
    return text


def restored(labels: list[str], refused: list[tuple[str, str]]) -> str:
    """Cancelled decisions booked again (the undo of a cancel), and those the book no
    longer takes: (label, why)."""
    text = "Booked again: " + "; ".join(labels) if labels else "Nothing booked again"
    if refused:
        text += "; not booked, as it no longer goes through: " + "; ".join(
            f"{label} ({why})" for label, why in refused
        )
    return text


def nothing_to_restore() -> str:
    """Undo with no cancel this week to undo."""
    return "No cancelled decision to bring back this week."


# ------------------------------------------------------------------ an offer's terms
def offer_unknown(key: str, value: object) -> str:
    """An offer naming an id the game does not know; `key` the offer's field."""
    return f"unknown {key} {value!r}"


def offer_out_of_range(key: str, lo: float, hi: float) -> str:
    return f"{key} must be between {lo:g} and {hi:,g}"


def offer_not_whole(key: str) -> str:
    return f"{key} must be a whole number"


# ------------------------------------------------------------------ saves
def autosave_failed(error: object) -> str:
    return f"Autosave failed, the game goes on: {error}"


def origin_differs(path: object, origin: str) -> str:
    return f"{path}: its origin {origin!r} has other labs or another start date"


def origin_later(path: object, origin: str) -> str:
    return f"{path}: its origin {origin!r} starts after the save's week"


def replayed(weeks: int, origin: object, differ: list[str]) -> str:
    """A replay of `weeks` from `origin`: identical to the save, or the fields that differ."""
    if differ:
        return f"replayed {weeks} weeks from {origin}: differs from the save in {', '.join(differ)}"
    return f"replayed {weeks} weeks from {origin}: identical to the save"
