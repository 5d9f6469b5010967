"""What partners say: the answer to an offer in words, with its numbers, and the figures
a partner's counter is met by. Shared by the command line and the terminal game; the
engine only gives codes and figures."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from game.engine import deals, terms
from game.engine.params import HOURS_PER_WEEK, Params


def cents_up(usd: float) -> float:
    """A partner's counter price to the cent, rounded up: the price that meets it (the
    message and the filled-in offer say the same)."""
    return math.ceil(usd * 100 - 1e-9) / 100


def share_up(share: float) -> float:
    """A share of revenue a partner asks, as a percent to 0.1 rounded up: the share that
    meets it (the message, the alert and the filled-in form say the same)."""
    return math.ceil(share * 1000 - 1e-9) / 10


def billions_down(usd: float) -> float:
    """An amount a partner would put in, in billions to 0.01 rounded down: asking for it
    is not asking for more than it would give."""
    return math.floor(usd / 1e7 + 1e-9) / 100


def offer_message(p: Params, a: Any, ans: deals.Answers, b: int, lab: int) -> str:
    """One partner's answer to lab `lab` in game `b`, in its own words."""
    cat = p.catalog
    partner = cat.partners[int(a.offer_partner[b, lab])]
    who = partner.name
    gpu = cat.gpu_ids[int(ans.gpu[b, lab])]  # an amendment's is its contract's
    answer, reason = int(ans.answer[b, lab]), int(ans.reason[b, lab])
    count = int(ans.count[b, lab])
    asked = int(a.offer_count[b, lab])
    start, weeks = int(ans.start[b, lab]), int(ans.weeks[b, lab])
    price, offered = float(ans.price[b, lab]), float(a.offer_price[b, lab])
    site = int(a.offer_site[b, lab])
    site_name = cat.sites[site].name if site >= 0 else ""
    when = f"{p.date_of(start):%d %b %Y}"
    total = count * price * HOURS_PER_WEEK * weeks
    if a.offer_invest[b, lab] > 0:
        invest = float(a.offer_invest[b, lab])
        share = float(ans.share[b, lab])
        texts = {
            (
                deals.ACCEPT,
                deals.OK,
            ): f"{who}: Agreed. ${invest / 1e9:,.1f}B for {share:.1%} of your revenue.",
            (deals.COUNTER, deals.SHARE): (
                f"{who}: We can put in ${billions_down(float(ans.invest[b, lab])):,.2f}B, not "
                f"${invest / 1e9:,.2f}B, for {share_up(share):.1f}% of your revenue."
                if ans.invest[b, lab] < invest
                else f"{who}: For that money we need {share_up(share):.1f}% of your revenue."
            ),
            (deals.REJECT, deals.NOT_INVESTOR): f"{who} does not invest in your lab.",
            (deals.REJECT, deals.TOO_SOON): (
                f"{who}: We invest in a lab once every {int(p.partner_invest_every[int(a.offer_partner[b, lab])])} "
                "weeks at most; ask again then."
            ),
            (deals.STALL, deals.NO_MODEL): f"{who}: Ship a model first; then we can talk about money.",
        }
        return texts.get((answer, reason), _common(who, answer, reason))
    slot = int(ans.contract[b, lab])
    added = [f"{count:,} more {gpu}"] if count else []
    added += [f"{weeks} more weeks"] if weeks else []
    deal = (
        f"{who}: Deal. Contract {slot}: {' and '.join(added) or 'nothing added'}, at ${price:.2f} per "
        "GPU-hour for what is added."
        if slot >= 0
        else f"{who}: Deal. {count:,} {gpu} from {when} for {weeks} weeks at "
        f"${price:.2f} per GPU-hour: ${total / 1e9:,.2f}B in all."
    )
    texts = {
        (deals.ACCEPT, deals.OK): deal,
        (
            deals.COUNTER,
            deals.PRICE,
        ): f"{who}: We can do it at ${cents_up(price):.2f} per GPU-hour, not ${offered:.2f}.",
        (deals.COUNTER, deals.NO_CAPACITY): (
            f"{who}: We can free up {count:,} {gpu} from {when}, not {asked:,}, at ${cents_up(price):.2f} per GPU-hour."
        ),
        (deals.COUNTER, deals.CREDIT): (
            f"{who}: For a company of your means we can commit {count:,} {gpu}, not {asked:,}, at ${cents_up(price):.2f}."
        ),
        (deals.COUNTER, deals.CUSTOMER_LIMIT): (
            f"{who}: We rent at most {int(ans.customer_cap[b, lab]):,} {gpu} to one customer: {count:,}, "
            f"not {asked:,}, at ${cents_up(price):.2f} per GPU-hour. More than that is a build to order at a site."
        ),
        (deals.STALL, deals.CUSTOMER_LIMIT): (
            f"{who}: You already rent all the {gpu} we let one customer hold "
            f"({int(ans.customer_cap[b, lab]):,}). More than that is a build to order at a site."
        ),
        (deals.COUNTER, deals.UTILISATION): (
            f"{who}: We can do it at ${cents_up(price):.2f} per GPU-hour, not ${offered:.2f}."
        ),
        (deals.STALL, deals.NO_POWER): (
            f"{who}: {site_name} does not have the power. We would need "
            f"{math.ceil(float(ans.need_mw[b, lab]) * 10) / 10:,.1f} MW of its grid with our margin; "
            f"{math.floor(float(ans.free_mw[b, lab]) * 10) / 10:,.1f} MW is free there (your halls do not count)."
        ),
        (deals.STALL, deals.TOO_FAST): (
            f"{who}: We cannot build {asked:,} {gpu} that fast. At {partner.build_gpus_per_week:,.0f} a week the "
            f"earliest start is {p.date_of(int(ans.earliest_start[b, lab])):%d %b %Y}."
        ),
        (deals.STALL, deals.NO_CAPACITY): f"{who}: Our {gpu} capacity is promised elsewhere for now.",
        (
            deals.STALL,
            deals.CREDIT,
        ): f"{who}: Your balance sheet cannot carry a deal this size. Come back after you raise.",
        (deals.STALL, deals.NO_SLOT): f"{who}: You already run too many contracts; let one end first.",
        (deals.REJECT, deals.BELOW_COST): (
            f"{who}: ${offered:.2f} per GPU-hour is below what the GPUs cost us (${float(ans.cost[b, lab]):.2f})."
        ),
        (deals.REJECT, deals.NOT_OFFERED): f"{who} does not rent out {gpu}.",
    }
    text = texts.get((answer, reason), _common(who, answer, reason))
    k = int(a.offer_partner[b, lab])
    if answer == deals.COUNTER and (
        reason == deals.UTILISATION or price >= DEAR * list_price(p, ans, k, b, lab)
    ):
        text += " " + why_dear(p, ans, k, b, lab)
    return text


DEAR = 1.2  # a counter this far over the list price says what raised it


def list_price(p: Params, ans: deals.Answers, k: int, b: int, lab: int) -> float:
    """Partner `k`'s list price this week for the GPU answered for: its cost (in the
    answer, this week's) at the catalog's ratio of price to cost (the generation's
    discount is the same for both)."""
    g = int(ans.gpu[b, lab])
    cost = float(p.partner_cost[k, g])
    return float(ans.cost[b, lab]) * float(p.partner_price[k, g]) / cost if cost > 0 else 0.0


def why_dear(p: Params, ans: deals.Answers, k: int, b: int, lab: int) -> str:
    """What raised a counter's price over the list price, by the rule that did it
    (deals.evaluate): how full the partner's pool would be with these GPUs, past the knee
    of its price curve; else its cost, below which it never rents."""
    d = p.rules.deals
    gpu = p.catalog.gpu_ids[int(ans.gpu[b, lab])]
    price, listed = float(ans.price[b, lab]), list_price(p, ans, k, b, lab)
    used, pool, count = float(ans.utilisation[b, lab]), float(ans.pool[b, lab]), int(ans.count[b, lab])
    factor = float(terms.utilisation_markup(p, np.asarray(used)))
    ratio = f"{price / listed:.1f}x its ${listed:.2f} list" if listed > 0 else "over its list"
    if factor > 1.005 and pool > 0:
        owner = int(ans.pool_partner[b, lab])
        whose = "its" if owner == k else f"the {p.catalog.partners[owner].name}"
        resold = "" if whose == "its" else " it resells"
        return (
            f"Why {ratio}: {f'with these {count:,}' if count > 0 else 'as it stands'}, {whose} {gpu} pool{resold} ({pool:,.0f}) would be "
            f"{used:.0%} spoken for ("
            + (f"{max(used * pool - count, 0):,.0f} held already, yours included" if count > 0 else f"{used * pool:,.0f} held, yours included")
            + "), and past "
            f"{d.utilisation_knee:.0%} its price rises, up to {1 + d.utilisation_premium:.0f}x when "
            f"full: x{factor:.2f} on its ${price / factor:.2f} ask."
        )
    return f"Why {ratio}: {gpu} costs it ${float(ans.cost[b, lab]):.2f} a GPU-hour, and it never rents below that."


def _common(who: str, answer: int, reason: int) -> str:
    if reason == deals.NO_CONTRACT:
        return f"{who}: We have no such contract with you to change."
    if reason == deals.PATIENCE:
        return f"{who}: We are done talking for now. Try again in a few weeks."
    if reason == deals.RELATIONSHIP:
        return f"{who}: After how things have gone between us, we are not interested."
    return f"{who}: {deals.ANSWERS[answer]} ({deals.REASONS[reason]})."
