"""The words a player reads, one module per concern. play/ works out what is so (figures,
ids, dates, records); the English is formed here and only here, so a second language is
a second set of these modules and touches no rule and no view.

    numbers    money, counts with their nouns, dates: shared by sentences and screens
    partners   what a partner answers to an offer
    news       the week's news, the engine's refusal codes, event cards' texts
    decisions  the order book: what a decision is, and why one is refused
    describe   what a decision will do, with the engine's figures (confirmations, previews)
    alerts     what a lab should act on now, and its rivals' runs as leaks tell of them
    risk       a round's and a covenant's health, the runway
    guide      the first-game guide's next step
    odds       the what-if syntax and its variants
    debrief    how the game ended, why the winner won, the score part by part

Each function here takes figures, names and ids and returns the English; the play
modules import a concern as `say` (`from game.play.words import news as say`), so a
second language is a sibling set of these modules with the same functions, chosen where
that import is. The names below were the old single module's and stay importable here.
"""

from game.play.words.debrief import result
from game.play.words.news import REFUSAL_TEXT, refusals
from game.play.words.numbers import day, money, plural
from game.play.words.partners import billions_down, cents_up, offer_message, share_up

__all__ = [
    "REFUSAL_TEXT", "billions_down", "cents_up", "day", "money", "offer_message", "plural", "refusals", "result",
    "share_up",
]  # fmt: skip
