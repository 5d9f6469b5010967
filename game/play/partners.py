"""What the screens show of a lab's partners: relationships, patience, and the terms of
an investment (Microsoft's in OpenAI) by the engine's own rule."""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np

from game.engine import terms
from game.play.desk import LabTurn


@attrs.frozen
class PartnerView:
    id: str
    name: str
    relationship: float  # -1..1
    patience: float  # offers it will still hear


def next_investment(t: LabTurn, partner: str) -> dt.date | None:
    """The first week `partner` would invest in the lab again (deals' TOO_SOON rule); None
    if it would now, or not before the game ends."""
    lab = t.lab
    p, w = t.params, t.world
    week = int(w.last_invest_week[0, lab]) + int(p.partner_invest_every[p.partner_ids.index(partner)])
    return p.date_of(week) if t.week < week <= p.last_week else None


@attrs.frozen
class InvestmentTerms:
    partner: str  # id
    name: str
    usd: float  # the most it would put in this week
    share: float  # of the lab's revenue it would ask for that
    now: bool  # it would hear an ask this week (two years since its last, a model, patience, relations)


def investment_terms(t: LabTurn) -> InvestmentTerms | None:
    """The partner that invests in the lab (Microsoft in OpenAI) and its terms this week
    (the engine's own rule); None if no partner invests in it."""
    lab = t.lab
    p, w = t.params, t.world
    investors = [k for k, q in enumerate(t.catalog.partners) if p.lab_ids[lab] in q.invests_in]
    if not investors:
        return None
    k = investors[0]
    partner = np.full(w.cash.shape, k, np.int64)
    usd, share = terms.investment(p, w, partner)
    q = t.catalog.partners[k]
    now = bool(terms.investment_open(p, w, partner)[0, lab])
    return InvestmentTerms(q.id, q.name, float(usd[0, lab]), float(share[0, lab]), now)


def partner_views(t: LabTurn) -> tuple[PartnerView, ...]:
    lab = t.lab
    w = t.world
    return tuple(
        PartnerView(q.id, q.name, float(w.relationship[0, lab, k]), float(w.patience[0, lab, k]))
        for k, q in enumerate(t.catalog.partners)
    )
