"""The order book in words: what each decision is (its label in the book) and why the
game will not take one (a Refused's message), from play/decisions.py's and
play/exits.py's figures."""

from __future__ import annotations

import datetime as dt
import math

from game.play.words.numbers import day, money

# the things a decision names by id, and the quantities it checks: (noun, unit)
THINGS = {"gpu": "GPU", "integrator": "integrator", "site": "site"}
QUANTITIES = {
    "mw": ("megawatts", " MW"),
    "run_flop": ("a run's compute budget", " FLOP"),
    "usd": ("the amount", " USD"),
    "share": ("a share", ""),
    "staff_usd_week": ("the people budget", " USD a week"),
}


def bound(x: float) -> str:
    """A limit as a person writes it: 1,000,000 or 1e+40 for the astronomical."""
    return f"{x:,.0f}" if abs(x) < 1e16 else f"{x:.0e}"


# ------------------------------------------------------------------ why not
def unknown(thing: str, value: object) -> str:
    return f"unknown {THINGS[thing]} {value!r}"


def not_a_number(quantity: str) -> str:
    return f"{QUANTITIES[quantity][0]} must be a number"


def out_of_range(quantity: str, lo: float, hi: float) -> str:
    what, unit = QUANTITIES[quantity]
    return f"{what} must be between {bound(lo)} and {bound(hi)}{unit}"


def whole_count(most: int) -> str:
    return f"the count must be a whole number from 1 to {most:,}"


def not_on_sale(gpu: str, until: dt.date) -> str:
    return f"{gpu} is not on sale until {day(until)}"


def no_supply(gpu: str) -> str:
    return f"NVIDIA's {gpu} supply for this quarter is spoken for"


def permit_room(site: str, mw: float) -> str:
    return f"the permits at {site} allow {math.floor(max(mw, 0) + 1e-9):,.0f} MW more"


def upgrade_booked(site: str) -> str:
    return f"an upgrade at {site} is already in this week's orders"


def upgrade_under_way(site: str, weeks: int) -> str:
    return f"an upgrade at {site} is already under way ({weeks} weeks left)"


def grid_at_max(site: str, mw: float) -> str:
    return f"{site}'s grid is at its maximum ({mw:,.0f} MW)"


def run_slots_busy() -> str:
    return "all run slots are busy; wait for a release"


def no_contract(slot: int) -> str:
    return f"there is no contract number {slot}"


def leaving_booked(slot: int) -> str:
    return f"leaving contract {slot} is already in this week's orders"


def round_booked() -> str:
    return "a round is already in this week's orders"


def round_not_yet(opens: dt.date, weeks: int) -> str:
    return f"investors will hear your next round from {day(opens)} (in {weeks} weeks)"


def lend_room(usd: float) -> str:
    return f"lenders will lend {money(max(usd, 0.0))} more against your GPUs"


def no_debt() -> str:
    return "you have no debt to repay"


def shares_all_zero() -> str:
    return "the shares cannot all be zero"


def split_already(training: float, serving: float, research: float) -> str:
    return f"the split is already {training:.0%} training, {serving:.0%} serving, {research:.0%} research"


def split_total(typed: float) -> str:
    """A split whose shares, as typed (percent), do not add up to 100."""
    return f"train, serve and research must add up to 100% (these add up to {typed:,.0f}%)"


def staff_already(usd_week: float) -> str:
    return f"the people budget is already {money(usd_week)} a week"


# exits: ways out of a commitment
def no_halls_building(site: str) -> str:
    return f"no halls are under construction at {site}"


def stopping_booked(site: str) -> str:
    return f"stopping the halls at {site} is already in this week's orders"


def halls_have_order(site: str) -> str:
    return f"the halls at {site} have another order this week (b lists them)"


def not_paused(site: str) -> str:
    return f"construction at {site} is not paused"


def paused_already(site: str) -> str:
    return f"construction at {site} is paused already"


def owned_only(owned: int, gpu: str, selling: int) -> str:
    return f"you own {owned:,} {gpu}" + (f", {selling:,} on sale already" if selling else "")


def contract_has_order(slot: int) -> str:
    return f"contract {slot} already has an order this week (b lists them)"


# ------------------------------------------------------------------ labels
def buy(count: int, gpu: str, vendor: str) -> str:
    return f"Buy {count:,} {gpu} via {vendor}"


def halls(mw: float, site: str) -> str:
    return f"Build {mw:,.0f} MW of halls at {site}"


def turbines(mw: float, site: str) -> str:
    return f"Order {mw:,.0f} MW of gas turbines at {site}"


def substation(site: str) -> str:
    return f"Substation upgrade at {site}"


def run(flop: float) -> str:
    return f"Start a {flop:.2e} FLOP run"


def leave(slot: int) -> str:
    return f"Leave contract {slot}"


def raise_round(usd: float) -> str:
    return f"Raise up to {money(usd)}"


def borrow(usd: float) -> str:
    return f"Borrow {money(usd)} against your GPUs"


def repay(usd: float) -> str:
    return f"Repay {money(usd)} of debt"


def split(training: float, serving: float, research: float, typed: float) -> str:
    """The compute split as the form says it; `typed` the shares' sum as entered."""
    scaled = f" (your {typed:,.0f}% scaled to 100%)" if abs(typed - 100) > 0.5 else ""
    return f"Split: train {training:.0%}, serve {serving:.0%}, research {research:.0%}{scaled}"


def staff(usd_week: float) -> str:
    return f"People budget {money(usd_week)} a week"


def stop_halls(site: str) -> str:
    return f"Stop building halls at {site}"


def pause_halls(site: str, resume: bool) -> str:
    return f"{'Resume' if resume else 'Pause'} building halls at {site}"


def sell(count: int, gpu: str) -> str:
    return f"Sell {count:,} {gpu} (used)"


def sublet(slot: int) -> str:
    return f"Sublet contract {slot}"
