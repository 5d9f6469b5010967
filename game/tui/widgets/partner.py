"""What the deals screen says of a partner before an offer: which GPUs it can supply this
week, and the limits its answer will hold to (its pool, the share of it one customer may
hold, what is free for the lab, its build speed and the power a build at the lab's site
needs). Figures read from the lab's turn and the play layer; nothing here decides."""

from __future__ import annotations

import numpy as np

from game.play import market, review, views
from game.play.desk import LabTurn
from game.play.words import plural
from game.tui.format import count, day, mw, mw_down


def supplied(t: LabTurn, partner: str) -> list[str]:
    """The GPUs `partner` rents out this week: those it prices that are in its pool now or
    on sale (a build to order); a GPU not yet on sale (VR200 in 2024) is not offered."""
    p = t.params
    k = p.partner_ids.index(partner)
    selling = {r.id: r.on_sale for r in market.market_rows(t)}
    pool = p.partner_capacity[min(t.week, p.last_week), k]
    return [g for i, g in enumerate(p.gpu_ids) if p.partner_price[k, i] > 0 and (pool[i] > 0 or selling[g])]


def facts(
    t: LabTurn, partner: str, gpu: str, start: int, asked: int | None, site: str | None, weeks: int = 52
) -> str:
    """A partner's limits for an offer of `asked` `gpu` from week `start` for `weeks` (None:
    no count yet), in their own datacenters or at the lab's `site`; and the price a pool
    that full asks, beside the count (the preview below the form said it, out of sight at
    80x24: a play-tester was countered at 3x the list)."""
    p = t.params
    k, g = p.partner_ids.index(partner), p.gpu_ids.index(gpu)
    name = t.catalog.partners[k].name
    pool = float(p.partner_capacity[int(np.clip(start, 0, p.last_week)), k, g])
    share = float(p.partner_customer_share[k])
    free = review.partner_free(t, partner, gpu, start)
    when = "now" if start <= t.week else f"from {day(p.date_of(start))}"
    yours = sum(c.count for c in views.contracts_view(t) if c.partner_id == partner and c.gpu == gpu)
    held = (
        f"{name}'s {gpu} pool {when}: {count(pool)}; one customer may hold {share:.0%} of it "
        f"({count(np.floor(pool * share))}); free for you: {count(free)}"
        + (f" (you rent {count(yours)} now)." if yours else ".")
        if pool > 0
        else f"{name} has no {gpu} in its datacenters {when}: only a build at your site."
    )
    if asked and not site and pool > 0:
        c = market.crowding(t, partner, gpu, asked, start, weeks)
        if c.factor > 1.005 and c.count > 0:
            held += (
                f" With {count(c.count)} its pool would be {c.full:.0%} spoken for: expect about "
                f"${c.price:.2f}/GPU-hour, x{c.factor:.2f} its price."
            )
    build = float(p.partner_build[k])
    margin = float(p.partner_power_margin[k])
    need = (
        f"{mw((asked or 0) * float(p.gpu_kw[g]) / 1000 * margin)} for {count(asked)} {gpu}" if asked else ""
    )
    rows = {r.id: r for r in market.site_rows(t)}
    where = rows.get(site) if site else None
    room = ""
    if where is not None:  # the partner's build draws on the site's free grid, not the lab's halls
        name_there = where.name.split(",")[0]
        room = f"; {name_there} has {mw_down(where.grid_free_mw)} of grid free (your halls do not count)"
        if asked and asked * float(p.gpu_kw[g]) / 1000 * margin > where.grid_free_mw:
            room += ": too little"
    weeks_to_build = int(np.ceil(asked / build)) if asked and build > 0 else 0
    builds = (
        f"A build at your site: ~{count(build)} a week"
        + (
            f" ({plural(weeks_to_build, 'week')} for {count(asked or 0)}: start in {weeks_to_build} or later)"
            if weeks_to_build
            else ""
        )
        + f", on {margin:.1f}x the GPUs' power{': ' + need if need else ''}{room}."
    )
    return f"{held}\n{builds}"


def amend_price(partner: str, gpu: str, c: market.Crowding, listed: float) -> str:
    """What `partner` would ask for an amendment of a `gpu` contract: its pool's crowding
    with the lab's own GPUs in it (they stay rented), against the list price."""
    if c.factor <= 1.005:
        return f"{partner} asks about its list price for these, ${c.price:.2f}/GPU-hour (list ${listed:.2f})."
    return (
        f"{partner}'s {gpu} pool is {c.full:.0%} spoken for, yours included: expect about "
        f"${c.price:.2f}/GPU-hour for these, x{c.factor:.2f} its price (list ${listed:.2f})."
    )
