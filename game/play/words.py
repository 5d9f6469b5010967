"""What partners say: the answer to an offer in words, with its numbers. Shared by the
command line and the terminal game; the engine only gives codes and figures."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from game.engine import codes, deals, economy
from game.engine.params import HOURS_PER_WEEK, Params
from game.engine.state import END_REASONS, World


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
            f"{who}: Our {gpu} pool would be {float(ans.utilisation[b, lab]):.0%} spoken for: near full, "
            f"the price rises. We can do it at ${cents_up(price):.2f} per GPU-hour, not ${offered:.2f}."
        ),
        (deals.STALL, deals.NO_POWER): (
            f"{who}: {site_name} does not have the power. We would need {ans.need_mw[b, lab]:,.0f} MW "
            f"with our margin; {ans.free_mw[b, lab]:,.0f} MW is free there."
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
    return texts.get((answer, reason), _common(who, answer, reason))


def _common(who: str, answer: int, reason: int) -> str:
    if reason == deals.NO_CONTRACT:
        return f"{who}: We have no such contract with you to change."
    if reason == deals.PATIENCE:
        return f"{who}: We are done talking for now. Try again in a few weeks."
    if reason == deals.RELATIONSHIP:
        return f"{who}: After how things have gone between us, we are not interested."
    return f"{who}: {deals.ANSWERS[answer]} ({deals.REASONS[reason]})."


REFUSAL_TEXT = {
    codes.ORDER_NOT_ON_SALE: "that GPU is not on sale yet",
    codes.ORDER_NO_SUPPLY: "NVIDIA's supply for the quarter is spoken for",
    codes.ORDER_NO_CASH: "not enough cash for the whole order",
    codes.ORDER_NO_SLOT: "too many orders already in flight",
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


def refusals(mask: int) -> list[str]:
    """The reasons in a refusal mask, in code order."""
    return [text for bit, text in REFUSAL_TEXT.items() if mask & bit]


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 week`, `3 weeks`, `1,200 GPUs`."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def money(x: float) -> str:
    """USD to about three significant figures, so a unit price times a count comes out as
    the total says: $1.2T, $3.40B, $24.0B, $560M, $12.5M, $39.9k, -$800. The screens
    and the sentences share it."""
    sign = "-" if x < 0 else ""
    a = abs(x)
    if not math.isfinite(a):
        return f"{sign}$inf"
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if a >= size * 0.9995:  # 999,960 is $1.00M, not $1,000k
            v = a / size
            digits = 2 if v < 9.995 else (1 if v < 99.95 else 0)
            if unit in ("M", "k") and digits == 2:
                digits = 1  # $4.5M, $12.5k: cents of millions read as noise
            return f"{sign}${v:,.{digits}f}{unit}"
    return f"{sign}${a:,.0f}"


def result(p: Params, w: World, lab_name: Callable[[int], str]) -> str:
    """How game 0 of `w` ended, in a sentence: who reached AGI and when, or what ended it."""
    reason = END_REASONS[int(w.end_reason[0])]
    winner = int(w.winner[0])
    who = lab_name(winner) if winner >= 0 else "nobody"
    if reason == "agi":
        return f"{who} reaches AGI on {p.date_of(int(w.agi_week[0])):%d %b %Y}."
    if reason == "bankrupt":
        return f"Bankruptcy ends the race. {who} is left standing."
    return f"The last week passes without AGI; {who} has the strongest model."


def score_lines(
    p: Params, w: World, lab: int, lab_name: Callable[[int], str]
) -> list[tuple[str, float, str]]:
    """The score of `lab` in game 0 of `w`, part by part: (part, points, how it was
    reached), in economy.SCORE_PARTS' order."""
    r = p.rules.score
    parts = economy.score_parts(p, w)[0, lab]
    win_pts, early_pts, stake_pts = (float(x) for x in parts)
    reason = END_REASONS[int(w.end_reason[0])]
    winner = int(w.winner[0])
    won = reason == "agi" and winner == lab
    if won:
        win = f"{lab_name(lab)} reached AGI first"
    elif reason == "agi":
        win = f"{lab_name(winner)} reached AGI first"
    else:
        win = "nobody reached AGI: no win to score"
    whole_early = r.agi_win_points * r.early_share_of_win
    if won:
        week = int(w.agi_week[0])
        left = max(p.last_week - week, 0)
        early = f"{plural(left, 'week')} of {p.last_week:,} left: {whole_early:,.0f} x {left / max(p.last_week, 1):.0%}"
    else:
        early = f"only a win scores for earliness (up to {whole_early:,.0f})"
    share, value = float(w.founder_share[0, lab]), float(w.valuation[0, lab])
    whole_stake = r.agi_win_points * r.stake_share_of_win
    if bool(w.bankrupt[0, lab]):
        stake = "a bankrupt lab's stake scores nothing"
    else:
        counted = value / (value + r.stake_value_ref_usd) if value > 0 else 0.0
        stake = f"{share:.0%} of {money(value)}: {whole_stake:,.0f} x {share:.0%} owned x {counted:.0%} for the value"
    names = ("AGI win", "weeks early", "your stake")
    return list(zip(names, (win_pts, early_pts, stake_pts), (win, early, stake), strict=True))
