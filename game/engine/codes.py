"""Codes the step reports instead of text: why an action was refused (a bit mask per
lab and week). The words for each are in game/words.py."""

from __future__ import annotations

ORDER_NOT_ON_SALE = 1 << 0
ORDER_NO_SUPPLY = 1 << 1
ORDER_NO_CASH = 1 << 2
ORDER_NO_SLOT = 1 << 3
RAISE_TOO_SOON = 1 << 7
RUN_NO_SLOT = 1 << 8
RUN_TOO_SMALL = 1 << 9
TURBINE_LIMIT = 1 << 10
SUBSTATION_BUSY = 1 << 11
BORROW_LIMIT = 1 << 12
NO_CASH = 1 << 13
BAD_INDEX = 1 << 14  # an action named a partner, GPU, site or slot that does not exist
RAISE_UNDER_WAY = 1 << 15  # a round is still closing
