"""Codes the step reports instead of text: why an action was refused (a bit mask per
lab and week). The words for each live with whoever shows them (CLI, TUI)."""

from __future__ import annotations

ORDER_NOT_ON_SALE = 1 << 0
ORDER_NO_SUPPLY = 1 << 1
ORDER_NO_CASH = 1 << 2
ORDER_NO_SLOT = 1 << 3
RENT_NO_CAPACITY = 1 << 4
RENT_NO_SLOT = 1 << 5
RENT_NO_CREDIT = 1 << 6
RAISE_TOO_SOON = 1 << 7
RUN_NO_SLOT = 1 << 8
RUN_TOO_SMALL = 1 << 9
TURBINE_LIMIT = 1 << 10
SUBSTATION_BUSY = 1 << 11
BORROW_LIMIT = 1 << 12
NO_CASH = 1 << 13

REFUSAL_TEXT = {
    ORDER_NOT_ON_SALE: "that GPU is not on sale yet",
    ORDER_NO_SUPPLY: "NVIDIA's supply for the quarter is spoken for",
    ORDER_NO_CASH: "not enough cash for the whole order",
    ORDER_NO_SLOT: "too many orders already in flight",
    RENT_NO_CAPACITY: "the partner has no free GPUs of that type",
    RENT_NO_SLOT: "too many contracts already",
    RENT_NO_CREDIT: "the partner wants four weeks of rent in cash",
    RAISE_TOO_SOON: "investors will not hear a new round so soon",
    RUN_NO_SLOT: "too many training runs at once",
    RUN_TOO_SMALL: "that run is too small to be worth a release",
    TURBINE_LIMIT: "the site's turbine permit limit is reached",
    SUBSTATION_BUSY: "a substation upgrade is already under way there",
    BORROW_LIMIT: "lenders will not lend more against your GPUs",
    NO_CASH: "not enough cash",
}


def describe(mask: int) -> list[str]:
    """The reasons in a refusal mask, in code order."""
    return [text for bit, text in REFUSAL_TEXT.items() if mask & bit]
