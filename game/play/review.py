"""The exact terms of a binding step, before it is taken: a rental or an amendment a
partner may sign at once, an investment, a loan, a round. Each is the figure the engine
will apply (the contract it writes if the partner accepts, the rate at the leverage a
loan leaves, the round's price and dilution), so the review, the confirmation and the
outcome agree. Figures only: the screens put them in words.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np

from game.engine import contracts, deals, economy, limits
from game.engine.params import HOURS_PER_WEEK, WEEKS_PER_YEAR
from game.play import decisions as dec
from game.play import risk, runway
from game.play.desk import LabTurn
from game.saves import Offer


@attrs.frozen
class RentalTerms:
    """The contract a rental offer (or an amendment) becomes if the partner accepts it as
    it stands: what is signed at once and binds until it ends or is left at a penalty."""

    partner: str  # name
    gpu: str
    count: int  # GPUs in the contract once signed (an amendment: with those it had)
    added: int  # GPUs the offer adds (a new contract: all of them)
    more_weeks: int  # weeks an amendment adds at the end (a new contract: its term)
    price: float  # USD per GPU-hour of the contract as signed (an amendment: its GPUs' mean by count)
    offered_price: float  # USD per GPU-hour the offer names
    start_week: int
    start_date: dt.date
    end_week: int
    end_date: dt.date
    site: str | None  # a build at the lab's site (its short name), or None: their datacenters
    usd_week: float  # rent a week once it runs
    total: float  # rent over the term, from its start (or this week) to its end
    exit_penalty: float  # leaving it the week it is signed
    patience: float  # offers the partner hears now, this one included
    amend: bool
    later_price: float = 0.0  # an extension's: USD per GPU-hour from `reprice_week` (0: none)
    reprice_week: int = -1  # the week the later price starts (-1: none)
    reprice_date: dt.date | None = None


@attrs.frozen
class InvestmentTerms:
    partner: str
    usd: float  # cash that comes in this week if it accepts
    share: float  # of revenue it takes from then on
    owed_after: float  # the lab's whole share of revenue owed, then
    patience: float


@attrs.frozen
class LoanTerms:
    usd: float
    debt_after: float
    rate: float  # a year, at the leverage the loan leaves (what the engine charges)
    leverage_after: float
    covenant: float
    interest_week: float  # on all the debt, at that rate
    next_gen: str = ""  # the GPU whose launch cuts the GPUs' value within half a year ("": none)
    next_gen_date: dt.date | None = None
    leverage_next_gen: float = 0.0  # the debt after the loan over the GPUs' value once it ships


@attrs.frozen
class RoundTerms:
    asked: float
    usd: float  # what investors commit (at most their offer)
    pre_money: float
    post_money: float
    cash_weeks: int  # weeks until the cash is in hand
    cash_date: dt.date
    share_before: float
    share_after: float
    walk_away: float  # the fall in value on its merits that makes investors leave
    down: bool
    runway_without: float = float("inf")  # weeks cash and credit last without it (the book's orders paid)
    merits: float = 0.0  # the lab's value on its merits now: the walk-away line is measured from it


def _patience(t: LabTurn, partner: str) -> float:
    lab = t.lab
    return float(t.world.patience[0, lab, t.params.partner_ids.index(partner)])


def rental_terms(t: LabTurn, offer: Offer) -> RentalTerms:
    """The contract `offer` signs if accepted (the engine's own terms: deals.negotiate)."""
    lab = t.lab
    p, w = t.params, t.world
    week, k = t.week, p.partner_ids.index(offer.partner)
    price, count, weeks = float(offer.price), int(offer.count), int(offer.weeks)
    slot = int(offer.contract)
    site: str | None = offer.site or None
    if slot >= 0:  # an amendment: GPUs for the rest of the term, weeks at its end
        at = (0, lab, slot)
        c_count, c_start, c_end = (int(f[at]) for f in (w.contract_count, w.contract_start, w.contract_end))
        start = max(c_start, week)  # the offer's bounds as deals.evaluate takes them
        added = min(count, max(limits.MAX_GPUS - c_count, 0))
        more = min(weeks, max(week + limits.MAX_CONTRACT_AHEAD_WEEKS - c_end, 0))
        after = contracts.amended_terms(
            c_count, w.contract_price[at], c_end, w.contract_reprice[at], w.contract_later_price[at],
            start, added, more, price,
        )  # fmt: skip
        total_count, end, sign_price = int(after.count), int(after.end), float(after.price)
        later, reprice = float(after.later_price), int(after.reprice)
        gpu = p.gpu_ids[int(w.contract_gpu[at])]
        s = int(w.contract_site[at])
        site = p.site_ids[s] if s >= 0 else None
    else:
        start = min(max(int(offer.start), week), week + limits.MAX_TERM_WEEKS)
        added, more, gpu = count, weeks, offer.gpu
        total_count, end, sign_price, later, reprice = count, start + weeks, price, 0.0, -1
    usd_week = total_count * sign_price * HOURS_PER_WEEK
    owed = float(contracts.rent_between(total_count, sign_price, later, reprice, start, end, week))
    site_name = p.catalog.sites[p.site_ids.index(site)].name.split(",")[0] if site else None
    return RentalTerms(
        partner=p.catalog.partners[k].name,
        gpu=gpu,
        count=total_count,
        added=added,
        more_weeks=more,
        price=sign_price,
        offered_price=price,
        start_week=start,
        start_date=p.date_of(start),
        end_week=end,
        end_date=p.date_of(end),
        site=site_name,
        usd_week=usd_week,
        total=owed,
        exit_penalty=float(p.partner_exit_penalty[k]) * owed,
        later_price=later,
        reprice_week=reprice,
        reprice_date=p.date_of(reprice) if reprice >= 0 else None,
        patience=_patience(t, offer.partner),
        amend=slot >= 0,
    )


def investment_terms(t: LabTurn, offer: Offer) -> InvestmentTerms:
    """What an investment signs if the partner accepts it as asked (deals.negotiate)."""
    lab = t.lab
    p, w = t.params, t.world
    share = float(offer.share)
    owed = min(float(w.revenue_share[0, lab]) + share, 0.9)
    name = p.catalog.partners[p.partner_ids.index(offer.partner)].name
    return InvestmentTerms(name, float(offer.invest), share, owed, _patience(t, offer.partner))


def loan_terms(t: LabTurn, usd: float) -> LoanTerms:
    """A loan of `usd` on top of this week's book: the rate the engine charges at the
    leverage it leaves (a dry run of the week's decisions with it)."""
    lab = t.lab
    p = t.params
    after = t.preview_of([*t.book, dec.Borrow(usd)]).world
    rate = float(economy.interest_rate(p, after)[0, lab])
    debt = float(after.debt[0, lab])
    cov = risk.covenant_health(t)  # what a new generation does to the GPUs' value
    return LoanTerms(
        usd=usd,
        debt_after=debt,
        rate=rate,
        leverage_after=float(economy.leverage(p, after)[0, lab]),
        covenant=float(p.rules.finance.covenant_ltv),
        interest_week=debt * rate / WEEKS_PER_YEAR,
        next_gen=cov.next_gen if cov.next_gen_date else "",
        next_gen_date=cov.next_gen_date,
        leverage_next_gen=debt / max(cov.collateral_after, 1.0) if cov.next_gen_date else 0.0,
    )


def round_terms(t: LabTurn, usd: float) -> RoundTerms:
    """A round asking `usd`: what investors commit, at what price, when the cash comes
    and the dilution (economy.round_terms, the step's own)."""
    lab = t.lab
    p, w = t.params, t.world
    terms = economy.round_terms(p, w)
    got, pre = min(usd, float(terms.largest[0, lab])), float(terms.pre_money[0, lab])
    weeks = int(np.asarray(terms.cash_in_weeks(p, np.array(got))).reshape(-1)[0])
    share = float(w.founder_share[0, lab])
    return RoundTerms(
        asked=usd,
        usd=got,
        pre_money=pre,
        post_money=pre + got,
        cash_weeks=weeks,
        cash_date=p.date_of(t.week + weeks),
        share_before=share,
        share_after=float(economy.diluted(share, pre, got)),
        walk_away=float(p.rules.finance.round_walk_away),
        down=bool(terms.down[0, lab]),
        runway_without=runway.project(p, t.preview.world, lab, with_round=False).weeks,
        merits=float(economy.fundamental_value(p, w)[0, lab]),
    )


def partner_free(t: LabTurn, partner: str, gpu: str, start: int) -> int:
    """GPUs of a type a partner could rent the lab from `start`: its free pool (what the
    labs and outside customers do not hold) up to its limit for one customer less what
    the lab rents there already, or the pool it resells for a lab it is tied to (the
    engine's capacity rule, deals.evaluate, before other labs' asks this week)."""
    lab = t.lab
    p, w = t.params, t.world
    k, g = p.partner_ids.index(partner), p.gpu_ids.index(gpu)
    L = w.cash.shape[1]
    row = np.full((1, L), int(np.clip(start, 0, p.last_week)))
    free_all, room_all, _ = deals.pools(p, w, row, np.full((1, L), g))
    free, room = free_all[0, lab], room_all[0, lab]  # (P,)
    tied = p.partner_ties[k, lab] > 0
    sources = p.partner_sources[k]
    resold = min(float((sources * free).sum()), float((sources * room).sum())) if tied else 0.0
    return int(max(min(float(free[k]), float(room[k])), resold))
