"""What the deals screen says of a partner before an offer: which GPUs it can supply this
week, and the limits its answer will hold to (its pool, the share of it one customer may
hold, what is free for the lab, its build speed and the power a build at the lab's site
needs). Figures read from the lab's turn and the play layer; nothing here decides."""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label, Static

from game.play import market, review, views
from game.play.decisions import Refused
from game.play.desk import LabTurn
from game.play.words import plural
from game.tui import bounds
from game.tui.format import count, day, mw, mw_down
from game.tui.widgets.form import keyed, number


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


def amend_fields() -> ComposeResult:
    """The deals form's row that amends the contract selected in its table: GPUs and weeks
    to add, the price offered for them, and under it the price the partner would ask."""
    yield Label("Or amend the selected contract (same partner and GPUs):", id="amend-target")
    with Horizontal(classes="row split"):
        yield Label(keyed("+ GPUs", "u"))
        yield number("more-gpus", bounds.MORE_GPUS, "0", tooltip="GPUs to add for the rest of the term")
        yield Label(keyed("+ weeks", "w"))
        yield number("more-weeks", bounds.MORE_WEEKS, "26", tooltip="weeks to add at the end")
        yield Label(keyed("$/h", "h"))
        yield number("more-price", bounds.PRICE, "2.5", tooltip="price per GPU-hour for what you add")
        yield Button("Propose", id="amend", compact=True)
    yield Static(id="amend-facts", markup=False)


def amendment(t: LabTurn, c: views.ContractView | None, more_text: str, weeks_text: str) -> str:
    """What the partner would ask for adding `more_text` GPUs and `weeks_text` weeks to
    contract `c`, by the rule its answer follows: its pool's crowding with the lab's own
    GPUs in it, over the weeks left and those added (an extension showed a new rental's
    facts: a play-tester offered the $2.00 list and was countered at $3.54). "" while a
    field holds no number or no contract is chosen."""
    if c is None:
        return ""
    try:
        more = int(bounds.MORE_GPUS.parse(more_text))
        weeks = c.weeks_left + int(bounds.MORE_WEEKS.parse(weeks_text))
    except Refused:
        return ""
    listed, _ = market.list_price(t, c.partner_id, c.gpu, weeks)
    return amend_price(c.partner, c.gpu, market.crowding(t, c.partner_id, c.gpu, more, t.week, weeks), listed)


def amend_price(partner: str, gpu: str, c: market.Crowding, listed: float) -> str:
    """What `partner` would ask for an amendment of a `gpu` contract: its pool's crowding
    with the lab's own GPUs in it (they stay rented), against the list price."""
    if c.factor <= 1.005:
        return f"{partner} asks about its list price for these, ${c.price:.2f}/GPU-hour (list ${listed:.2f})."
    return (
        f"{partner}'s {gpu} pool is {c.full:.0%} spoken for, yours included: expect about "
        f"${c.price:.2f}/GPU-hour for these, x{c.factor:.2f} its price (list ${listed:.2f})."
    )
