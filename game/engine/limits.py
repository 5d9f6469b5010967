"""The one table of limits on what the game accepts: the most a decision may ask for, and
the most a state or a save file may hold.

Everything that bounds a number reads it here: the engine's clips (an action beyond a
limit is clipped to it), the action log, the save schema and the loader's checks
(game/saves/records.py, game/saves/checks.py). So a value the game accepts is a value it
can save, and a file the loader accepts is a state the engine can play and save again.
The forms and the CLI should read the same names.

Each limit is far above what a game reaches and below what would overflow the engine's
arrays (game/engine/state.py STORED_AS: GPUs in int32, weeks in int16).
"""

from __future__ import annotations

from typing import Final

# ------------------------------------------------------------------- time
MAX_WEEKS: Final = 10_000  # weeks: the longest game; weeks in a file lie within +-MAX_WEEKS
MAX_TERM_WEEKS: Final = 520  # weeks: the longest term an offer names, and its furthest start
# weeks: a contract ends at most this far after the week (a start MAX_TERM_WEEKS away, a
# term of MAX_TERM_WEEKS; an amendment never extends one past it)
MAX_CONTRACT_AHEAD_WEEKS: Final = 2 * MAX_TERM_WEEKS
MAX_RUN_WEEKS: Final = 104  # weeks: the longest run a standing order of runs back to back sizes

# ------------------------------------------------------------------- GPUs
MAX_ORDER_GPUS: Final = 10_000_000  # GPUs: one week's order through one integrator, of one type
MAX_GPUS: Final = 100_000_000  # GPUs in one place: a warehouse, a site, an order, a contract, an offer
MAX_OFFER_GPUS: Final = MAX_GPUS  # GPUs one offer (or amendment) asks for

# ------------------------------------------------------------------- prices
MAX_PRICE_USD_HOUR: Final = 1_000.0  # USD per GPU-hour: the most an offer can name
# A partner's standing counter as a multiple of its list price. Its standing counter only
# ever lowers an ask that is at most a few times the list price, so keeping it at most
# 100x changes no answer; a counter to an offer at MAX_PRICE_USD_HOUR can be ~350x.
MAX_COUNTER_RATIO: Final = 100.0

# ------------------------------------------------------------------- money
MAX_ACTION_USD: Final = 1e15  # USD: the most a week's borrowing, repayment or round may ask for
MAX_INVEST_USD: Final = 1e13  # USD: the most an investment offer may ask of a partner
MAX_STAFF_USD_WEEK: Final = 1e11  # USD a week: the largest people budget
# USD: the most money a file may hold (a valuation has no bound: it grows with
# capability): far above what a game reaches, where a lab's largest lever, its people,
# is at most MAX_STAFF_USD_WEEK, and below what would overflow.
MAX_USD: Final = 1e18
MAX_STAFF: Final = 1e8  # researchers a lab may employ

# ------------------------------------------------------------------- research
# log10 multiplier: a lab's software efficiency (and a run's) lies within +-MAX_SOFTWARE;
# the week's research and events never take it past (a file at the bound plays and saves).
MAX_SOFTWARE: Final = 100.0

# ------------------------------------------------------------------- power
MAX_BUILD_MW: Final = 10_000.0  # MW of halls a lab may start at a site in one week
MAX_TURBINE_MW: Final = 100_000.0  # MW of gas turbines a lab may order at a site in one week
# MW of halls a lab may have at a site, built and under way: 10,000 MW a week for 10,000
# weeks; the engine starts no hall beyond it.
MAX_HALL_MW: Final = 1e8
MAX_SITE_MW: Final = 1e5  # MW: a site's grid, a lab's grid share, its turbines
