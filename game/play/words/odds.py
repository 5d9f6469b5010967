"""The what-if in words: the syntax a player types, what a variant of the week is, and
why one cannot be played (play/odds.py's parser and variants)."""

from __future__ import annotations

WHAT_IF_SYNTAX = (
    "'buy COUNT GPU [VENDOR]' (an extra order), 'run FLOP' (start a run now), "
    "'raise USD' (a round), 'skip-round' (drop the booked round), 'without N' (drop decision N of the book)"
)

# what a typed amount is, by the decision it belongs to
AMOUNTS = {"buy": "buy: the count", "run": "run: the FLOP", "raise": "raise: the USD"}


def also(label: str) -> str:
    """A variant that adds a decision (its label in the book)."""
    return f"you also {label[:1].lower()}{label[1:]}"


def skip_round() -> str:
    return "you skip the round"


def without(label: str) -> str:
    return f"without '{label}'"


def no_decision(number: int) -> str:
    return f"there is no decision number {number} in the week's book"


def no_round() -> str:
    return "there is no round in the week's book to skip"


def refused(label: str, reasons: list[str]) -> str:
    """A variant's decision the week would refuse, with the week's reasons."""
    return f"{label}: " + "; ".join(reasons)


def not_a_number(amount: str, text: str) -> str:
    return f"{AMOUNTS[amount]}: not a number: {text!r}"


def out_of_range(amount: str, lo: float, hi: float) -> str:
    return f"{AMOUNTS[amount]}: must be between {lo:,.0f} and {hi:.0e}"


def whole_count() -> str:
    return f"{AMOUNTS['buy']} must be a whole number"


def unknown(what: str, value: str, known: tuple[str, ...]) -> str:
    """An unknown GPU (`what` "gpu") or vendor ("vendor") and the ones there are."""
    return f"buy: unknown {'GPU' if what == 'gpu' else 'vendor'} {value!r} (one of {', '.join(known)})"


def not_a_decision(text: str) -> str:
    return f"not a decision: {text!r}; write one of {WHAT_IF_SYNTAX}"


def not_a_number_in_book(text: str) -> str:
    return f"without: give a decision's number in the book, got {text!r}"


def bankruptcy(share: float, stop: str, style: str, runway: str | None) -> str:
    """The odds' bankruptcy figure and what it counts: the share of futures in which the
    lab runs out of cash and credit before its future ends, with the AI playing it after
    the week as booked; beside a runway that says otherwise (`runway`, the dashboard's
    words, when the share is high), why the two differ."""
    text = (
        f"bankruptcy for you: {share:.1%} of futures (it ends the game): in that share of them your "
        f"lab runs out of cash and credit before AGI or {stop} (the forecast's end), played by the AI {style} after your "
        "week as booked."
    )
    if runway is not None:
        text += (
            f" Your runway ({runway}) counts only what you have committed today; in these futures "
            "the AI goes on buying, building, renting and hiring, which the runway does not count."
        )
    return text
