"""The week's news in words: what a lab released, bought, raised and lost, the week's
refusals, partners' builds, lenders' sweeps and events, from the figures play/news.py
reads off the week's report."""

from __future__ import annotations

import datetime as dt
import re

from game.catalog import EventCard
from game.engine import codes
from game.engine.params import Params
from game.engine.state import ORDER_SLOTS
from game.play.words.numbers import day, money, money_down, plural

REFUSAL_TEXT = {
    codes.ORDER_NOT_ON_SALE: "that GPU is not on sale yet",
    codes.ORDER_NO_SUPPLY: "NVIDIA's supply for the quarter is spoken for",
    codes.ORDER_NO_CASH: "not enough cash for the whole order",
    codes.ORDER_NO_SLOT: f"{ORDER_SLOTS} orders are already in flight, the most a lab can have (each integrator and GPU type is one)",
    codes.RAISE_TOO_SOON: "investors will not hear a new round so soon",
    codes.RUN_NO_SLOT: "too many training runs at once",
    codes.RUN_TOO_SMALL: "that run is too small to be worth a release",
    codes.TURBINE_LIMIT: "the site's turbine permit limit is reached",
    codes.SUBSTATION_BUSY: "a substation upgrade is already under way there",
    codes.BORROW_LIMIT: "lenders will not lend more against your GPUs",
    codes.NO_CASH: "not enough cash",
    codes.BAD_INDEX: "a partner, GPU, site or slot that does not exist",
    codes.RAISE_UNDER_WAY: "a round is still closing",
}


def refusals(mask: int, where: dict[int, list[str]] | None = None) -> list[str]:
    """The reasons in a refusal mask, in code order; `where`: the sites a site-bound
    reason was about, by code."""
    where = where or {}
    return [
        text + (f" ({', '.join(where[bit])})" if where.get(bit) else "")
        for bit, text in REFUSAL_TEXT.items()
        if mask & bit
    ]


def refused(mask: int, where: dict[int, list[str]] | None = None) -> str:
    return f"Refused: {'; '.join(refusals(mask, where))}."


ORDER_CUTS = codes.ORDER_NO_SUPPLY | codes.ORDER_NO_CASH | codes.ORDER_NO_SLOT  # what cuts an order short


def order_cut(cuts: list[tuple[int, int, str]], usd: float, mask: int) -> str:
    """GPU orders the vendors took only part of: (asked, taken, GPU) by kind, what the rest
    would have cost (never charged: it stays in the cash) and the refusal bits that say why."""
    what = "; ".join(f"{asked:,} {gpu} ordered, the vendor took {taken:,}" for asked, taken, gpu in cuts)
    why = "; ".join(refusals(mask & ORDER_CUTS))
    rest = sum(asked - taken for asked, taken, _ in cuts)
    return (
        f"Your GPU order was cut{f' ({why})' if why else ''}: {what}. "
        f"Refunded: the {money(usd)} for the {rest:,} not taken was not charged and stays in your cash."
    )


def released(lab: str, capability: float, promised: float | None = None) -> str:
    """A release; `promised` (the player's own lab) what its compute promised."""
    text = f"{lab} releases a model at capability {capability:.2f}."
    if promised is None:
        return text
    off = round(capability, 2) - round(promised, 2)  # the difference of the figures shown
    turned = (
        "as promised"
        if abs(off) < 0.005
        else f"it came out {abs(off):.2f} {'better' if off > 0 else 'worse'}"
    )
    return text[:-1] + f" (its compute promised {promised:.2f}: {turned})."


def delivered(gpus: int) -> str:
    return f"{gpus:,} GPUs delivered."


def installed(gpus: int) -> str:
    return f"{gpus:,} GPUs installed."


def sold(counts: list[tuple[int, str]], usd: float) -> str:
    """GPUs sold on the used market: (count, GPU) by kind, and what they fetched."""
    what = ", ".join(f"{n:,} {gpu}" for n, gpu in counts)
    return f"Sold {what} on the used market for {money(usd)}."


def on_sale(gpu: str, older: list[str], fall: float) -> str:
    """A GPU on sale from this week; `older`: the GPUs it is a new generation over."""
    text = f"NVIDIA's {gpu} is on sale."
    if older:
        text += (
            f" A new generation: {', '.join(older)} fall {fall:.0%} in price, in rent and in"
            " what lenders count them for."
        )
    return text


def rival_sold(lab: str, counts: list[tuple[int, str]]) -> str:
    """Another lab's GPUs on the used market: it sells them when its money is about to run out."""
    what = ", ".join(f"{n:,} {gpu}" for n, gpu in counts)
    return f"{lab} sells {what} on the used market, short of money."


def raised(lab: str, usd: float, down: bool) -> str:
    return f"{lab} raises {money(usd)}{' in a down round' if down else ''}."


def invested(partner: str, lab: str, usd: float) -> str:
    return f"{partner} invests {money(usd)} in {lab} for a share of its revenue."


def round_failed(lab: str, walk_away: float) -> str:
    return (
        f"{lab}'s investors walk away from the round due to close: the lab's value on its "
        f"merits fell more than {walk_away:.0%} since they agreed. No money comes in."
    )


def bankrupt(lab: str) -> str:
    return f"{lab} is bankrupt."


def rents(lab: str, gpus: int, partner: str) -> str:
    return f"{lab} rents {gpus:,} GPUs from {partner}."


def _build(partner: str, gpus: int, gpu: str, lab: str, site: str) -> str:
    return f"{partner}'s build of {gpus:,} {gpu} for {lab} at {site}"


def build_slipped(partner: str, gpus: int, gpu: str, lab: str, site: str, weeks: int, online: dt.date) -> str:
    return (
        f"{_build(partner, gpus, gpu, lab, site)} slips {plural(weeks, 'week')}: it now comes online on "
        f"{day(online)}, and the contract ends as much later."
    )


def build_online(partner: str, gpus: int, gpu: str, lab: str, site: str) -> str:
    return f"{_build(partner, gpus, gpu, lab, site)} comes online this week."


def credit_drawn(usd: float, debt: float, room: float) -> str:
    """Cash that ran out this week, covered from the credit line: the debt it left and what
    the lenders still lend."""
    return (
        f"Cash ran out: the lenders' credit line covered {money(usd)} this week. Debt is now "
        f"{money(debt)}; {money_down(room)} more can be drawn before the lab is bankrupt"
    )


def claim_lapsed(site: str, mw: float, deposit: float) -> str:
    """Grid the lab won at a site and never drew on, gone back to the site."""
    text = f"{site}: {mw:,.0f} MW of your grid claim lapsed, unused by any hall; the site's other labs may take it"
    return text + (f"; its {money(deposit)} deposit is forfeit" if deposit >= 0.5e6 else "")


def covenant_sweep(lab: str, usd: float, covenant: float) -> str:
    return (
        f"Lenders sweep {money(usd)} of {lab}'s cash against its debt: "
        f"the debt is over {covenant:.0%} of its GPUs' value."
    )


def offer_answered(partner: str, answer: str, reason: str) -> str:
    """A partner's answer the week's step heard: its code words (deals.ANSWERS, REASONS)."""
    return f"{partner} answers your offer: {answer} ({reason.replace('_', ' ')})."


def event_text(card: EventCard, p: Params, lab: int, value: float) -> str:
    """A card's text with its numbers."""
    effect = card.effects[0]
    fields: dict[str, str] = {
        "lab": p.catalog.lab(p.lab_ids[lab]).name,
        "value": f"{abs(value):,.0f}" if abs(value) >= 1 else f"{abs(value):.2f}",
        "value_pct": f"{abs(value - 1) if effect.op == 'mul' else abs(value):.0%}",
        "value_b": f"{abs(value) / 1e9:,.2f}",
        "value_usd": money(abs(value)),
        "site": next((s.name for s in p.catalog.sites if s.id == effect.site), ""),
        "gpu": effect.gpu,
        "partner": effect.partner,
    }
    try:
        text = card.text.format(**fields)
    except (KeyError, IndexError, ValueError):
        return card.text
    return re.sub(r"\b1 (more )?weeks\b", r"1 \1week", text)  # "for 1 week", "1 more week"


def event(card: EventCard, p: Params, lab: int, value: float) -> str:
    """An event as the news says it: its title, then its text."""
    return card.title + ": " + event_text(card, p, lab, value)
