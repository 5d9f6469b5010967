"""The news: what the week's Report says, as typed items for the screens.

An item knows its week, the lab it is about, its kind, whether only that lab's player
may see it (deliveries, refusals, a partner's private answer) and whether it needs the
player's attention now (a notification) or belongs in the news log. Screens decide how
to show an item by these fields, never by reading its text.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog
from game.engine import codes, deals, economy
from game.engine.params import Params
from game.engine.turn import Report
from game.play.words import news as say
from game.play.words.news import event_text  # noqa: F401 (news' name for it)
from game.play.words.partners import offer_message

# kinds
RELEASE, DELIVERY, INSTALL, RAISE, REFUSED, BANKRUPT, RENTAL, EVENT, DEAL, RESULT, NOTE = (
    "release", "delivery", "install", "raise", "refused", "bankrupt", "rental", "event", "deal",
    "result", "note",
)  # fmt: skip
SLIP, BUILD, COVENANT = "slip", "build", "covenant"


INVESTMENT = economy.FLOWS.index("investment")


@attrs.frozen
class NewsItem:
    week: int
    text: str
    kind: str
    lab: int | None = None  # the lab it is about; None for the market or the game
    private: bool = False  # only `lab`'s player sees it
    urgent: bool = False  # worth a notification, not only a line in the news log

    def seen_by(self, lab: int) -> bool:
        return not self.private or self.lab == lab


def week_news(
    p: Params,
    catalog: Catalog,
    r: Report,
    human: np.ndarray,
    world: Any = None,
    asked: Any = None,
    before: Any = None,
) -> list[NewsItem]:
    """The items of the week in `r` (B = 1, game 0). `human` (L,) marks the people's labs:
    their deliveries, installs and refusals are theirs alone. `world`: the state the week
    left (for the GPUs that went on sale in it, as late as a slip made them). `asked`: the
    week's Actions, to tell a loan asked for from credit the lenders drew on their own;
    `before`: the state the week started from, for grid claims that lapsed in it."""
    week = int(r.week[0])
    out: list[NewsItem] = []
    if world is not None:
        out.extend(_on_sale_news(p, world, week))
    if asked is not None and world is not None:
        out.extend(_credit_news(p, r, human, world, asked, week, before))
    if before is not None and world is not None:
        out.extend(_lapse_news(p, human, before, world, week))
    for lab in range(p.n_labs):
        name = catalog.lab(p.lab_ids[lab]).name
        mine = bool(human[lab])
        if r.released[0, lab]:
            got = float(r.released_capability[0, lab])
            # the player knows what its compute promised: say how it turned out
            promised = float(r.released_planned[0, lab]) if mine else None
            out.append(NewsItem(week, say.released(name, got, promised), RELEASE, lab, urgent=True))
        if mine and r.delivered[0, lab].sum():
            out.append(NewsItem(week, say.delivered(int(r.delivered[0, lab].sum())), DELIVERY, lab, True))
        if mine and r.installed[0, lab].sum():
            out.append(NewsItem(week, say.installed(int(r.installed[0, lab].sum())), INSTALL, lab, True))
        if r.gpus_sold[0, lab].sum():
            sold = [(int(n), p.gpu_ids[g]) for g, n in enumerate(r.gpus_sold[0, lab]) if n > 0]
            if mine:
                usd = float(r.flows[0, lab, economy.FLOW_INDEX["gpu_sales"]])
                out.append(NewsItem(week, say.sold(sold, usd), DELIVERY, lab, True))
            else:  # the used market sees the GPUs, not the price
                out.append(NewsItem(week, say.rival_sold(name, sold), DELIVERY, lab))
        if r.raised[0, lab] > 0:
            text = say.raised(name, float(r.raised[0, lab]), bool(r.down_round[0, lab]))
            out.append(NewsItem(week, text, RAISE, lab))
        invested = r.flows[0, lab, INVESTMENT]
        if invested > 0:
            partner = catalog.partners[int(r.offer_partner[0, lab])].name
            out.append(NewsItem(week, say.invested(partner, name, float(invested)), RAISE, lab))
        if r.round_failed[0, lab]:
            text = say.round_failed(name, p.rules.finance.round_walk_away)
            out.append(NewsItem(week, text, RAISE, lab, urgent=mine))
        refused = int(r.refused[0, lab])
        cuts = [
            (int(n), int(got), p.gpu_ids[g])
            for g, (n, got) in enumerate(zip(r.order_asked[0, lab], r.ordered[0, lab], strict=True))
            if got < n
        ]
        if mine and cuts:  # with its figures: ordered, taken, and the money that stays
            text = say.order_cut(cuts, float(r.order_unfilled_usd[0, lab]), refused)
            out.append(NewsItem(week, text, REFUSED, lab, True, urgent=True))
            refused &= ~say.ORDER_CUTS  # told there
        if mine and refused:
            text = say.refused(refused, _where(p, asked, lab, refused))
            out.append(NewsItem(week, text, REFUSED, lab, True, urgent=True))
        if r.went_bankrupt[0, lab]:
            out.append(NewsItem(week, say.bankrupt(name), BANKRUPT, lab, urgent=True))
        if r.rented[0, lab] and not mine:
            partner = catalog.partners[int(r.offer_partner[0, lab])].name
            out.append(NewsItem(week, say.rents(name, int(r.rented[0, lab]), partner), RENTAL, lab))
        out.extend(_position_news(p, catalog, r, lab, name, mine))
    for c, card in enumerate(catalog.events):
        labs = np.flatnonzero(r.events[0, :, c])
        if not len(labs):
            continue
        for lab in labs[:1] if card.scope == "game" else labs:
            text = say.event(card, p, int(lab), float(r.event_values[0, lab, c]))
            about = None if card.scope == "game" else int(lab)
            out.append(NewsItem(week, text, EVENT, about, urgent=about is None or bool(human[about])))
    return out


def _on_sale_news(p: Params, world: Any, week: int) -> list[NewsItem]:
    """A GPU on sale from the week `world` is at (the news of `week`, the week played); a
    new generation names the GPUs whose prices, rents and collateral value fall with it
    (compute.older_factor)."""
    from game.engine import compute

    out = []  # on sale in the week the world is at now: from the next decisions on
    for h in np.flatnonzero(compute.on_sale_week(p, world)[0] == int(world.week[0])):
        older = [p.gpu_ids[g] for g in np.flatnonzero(p.gpu_newer_gen[:, h])]
        fall = 1.0 - float(p.catalog.nvidia.older_gen_price_factor)
        out.append(NewsItem(week, say.on_sale(p.gpu_ids[h], older, fall), EVENT, None, urgent=bool(older)))
    return out


CASH_LEFT_USD = 1e6  # cash at a week's start above this: the credit line's draw is news that stops


def _where(p: Params, asked: Any, lab: int, refused: int) -> dict[int, list[str]]:
    """The sites a site-bound refusal was about, from the week's actions (the turbines or
    substation the lab asked for): "the site's turbine permit limit" named none."""
    if asked is None:
        return {}
    names = [site.name.split(",")[0] for site in p.catalog.sites]
    bound = {codes.TURBINE_LIMIT: asked.turbine_mw[0, lab] > 0, codes.SUBSTATION_BUSY: asked.substation[0, lab]}
    return {code: [names[s] for s in np.flatnonzero(at)] for code, at in bound.items() if refused & code}


def _credit_news(
    p: Params, r: Report, human: np.ndarray, world: Any, asked: Any, week: int, before: Any = None
) -> list[NewsItem]:
    """A player's cash that ran out, covered from the credit line the week's step drew on
    (what was borrowed beyond a loan the book asked for): the debt grew with no decision.
    Urgent (it stops fast-forward) the week the cash runs out, not each week after while
    the line keeps paying: `f` stopped on it every week."""
    borrowed = r.flows[0, :, economy.FLOW_INDEX["borrowed"]]
    drawn = np.maximum(borrowed - np.nan_to_num(asked.borrow_usd[0], posinf=0.0), 0.0)
    had_cash = np.ones(p.n_labs, bool) if before is None else before.cash[0] >= CASH_LEFT_USD
    out = []
    for lab in np.flatnonzero(human & (drawn >= 0.5e6)):
        debt, room = float(world.debt[0, lab]), float(economy.credit_headroom(p, world)[0, lab])
        text = say.credit_drawn(float(drawn[lab]), debt, room)
        out.append(NewsItem(week, text, COVENANT, int(lab), True, urgent=bool(had_cash[lab])))
    return out


def _lapse_news(p: Params, human: np.ndarray, before: Any, world: Any, week: int) -> list[NewsItem]:
    """A player's grid claim that lapsed this week (engine/grid.py): the MW it lost at
    the site and the deposit forfeit with them."""
    from game.engine import grid

    lapsed = np.where(
        (world.grid_idle[0] == 0) & (before.grid_idle[0] > 0), before.grid_alloc[0] - world.grid_alloc[0], 0.0
    )  # the claim's idle weeks start again only when it lapses or a hall draws on it
    lapsed = np.where(grid.unused_claim(before)[0] >= lapsed - 1e-6, lapsed, 0.0)
    out = []
    for lab, s in zip(*np.nonzero(human[:, None] & (lapsed >= 1.0)), strict=True):
        site = p.catalog.sites[s].name.split(",")[0]
        lost = float(before.grid_deposit[0, lab, s] - world.grid_deposit[0, lab, s])
        out.append(NewsItem(week, say.claim_lapsed(site, float(lapsed[lab, s]), lost), COVENANT, int(lab), True, True))
    return out


def week_summary(news: list[NewsItem], lab: int, since: int) -> list[NewsItem]:
    """What changed for `lab` from week `since` on, as its player reads it: its own news
    and the game's (events, results), not other labs' rentals and rounds; what needs the
    player first, notes (standing orders waiting, autosaves) last, each in week order."""
    mine = [n for n in news if n.week >= since and n.seen_by(lab) and (n.lab == lab or n.lab is None)]
    return sorted(mine, key=lambda n: (not n.urgent, n.kind == NOTE))


def is_mine(item: NewsItem, lab: int) -> bool:
    """An item about `lab` or about the whole game (the news log's first part)."""
    return item.seen_by(lab) and (item.lab == lab or item.lab is None)


def _position_news(p: Params, catalog: Catalog, r: Report, lab: int, name: str, mine: bool) -> list[NewsItem]:
    """What else moved the lab's position this week: its partners' builds that slipped or
    came online, lenders' sweeps, and (for a player's lab) the partner's answer
    to an offer the week's step heard."""
    week = int(r.week[0])
    out: list[NewsItem] = []
    for k in np.flatnonzero(r.contract_partner[0, lab] >= 0):
        site = int(r.contract_site[0, lab, k])
        if site < 0:
            continue
        partner = catalog.partners[int(r.contract_partner[0, lab, k])].name
        gpu, count = p.gpu_ids[int(r.contract_gpu[0, lab, k])], int(r.contract_count[0, lab, k])
        where = catalog.sites[site].name
        start = int(r.contract_start[0, lab, k])
        if r.slipped[0, lab, k]:
            slip = p.rules.deals.slip_weeks
            text = say.build_slipped(partner, count, gpu, name, where, slip, p.date_of(start))
            out.append(NewsItem(week, text, SLIP, lab, urgent=mine))
        elif start == week:
            out.append(
                NewsItem(week, say.build_online(partner, count, gpu, name, where), BUILD, lab, urgent=mine)
            )
    if r.covenant_breach[0, lab]:
        text = say.covenant_sweep(name, float(r.covenant_swept[0, lab]), p.rules.finance.covenant_ltv)
        out.append(NewsItem(week, text, COVENANT, lab, private=mine, urgent=mine))
    answer = int(r.offer_answer[0, lab])
    if mine and answer not in (deals.NONE, deals.ACCEPT) and int(r.offer_partner[0, lab]) >= 0:
        partner = catalog.partners[int(r.offer_partner[0, lab])].name
        text = say.offer_answered(partner, deals.ANSWERS[answer], deals.REASONS[int(r.offer_reason[0, lab])])
        out.append(NewsItem(week, text, DEAL, lab, private=True, urgent=True))
    return out


def talk_news(p: Params, catalog: Catalog, week: int, a: Any, ans: Any, lab: int) -> list[NewsItem]:
    """One round of talks in `week` (B = 1): the partner's answer, the lab's alone, and, if
    a deal is signed, the news everyone reads (an investment, or a rental of more GPUs,
    said as the week's news says it of a lab the AI plays)."""
    out = [NewsItem(week, offer_message(p, a, ans, 0, lab), DEAL, lab, private=True)]
    if int(ans.answer[0, lab]) != deals.ACCEPT:
        return out
    name = catalog.lab(p.lab_ids[lab]).name
    partner = catalog.partners[int(a.offer_partner[0, lab])].name
    if ans.invest[0, lab] > 0:
        out.append(NewsItem(week, say.invested(partner, name, float(ans.invest[0, lab])), RAISE, lab))
    elif ans.count[0, lab] > 0:
        out.append(NewsItem(week, say.rents(name, int(ans.count[0, lab]), partner), RENTAL, lab))
    return out
