"""Deals: offer a cloud partner a rental, ask Microsoft to invest, leave a contract.
Talks happen now (each round costs the partner's patience) and a partner that accepts
signs at once, so every offer is reviewed first, with the terms the contract would
have; leaving a contract goes in the week's book."""

from __future__ import annotations

import math

import attrs
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from game.play import decisions, market, review, views
from game.play.book import check_offer
from game.play.decisions import Refused
from game.play.words import billions_down, cents_up, plural, share_up
from game.saves import Offer
from game.tui import bounds
from game.tui.format import count, day, money, parse_number
from game.tui.screens import reviews
from game.tui.screens.contracts import ContractTalks
from game.tui.widgets import partner as partner_facts
from game.tui.widgets.form import FieldKeys, choice, field_keys, keyed, keys_hint, number, preset_key, row
from game.tui.widgets.table import RowTable

DEFAULTS = {"count": "20000", "start": "0", "weeks": "52"}  # the form's figures for a new partner


class DealsScreen(FieldKeys, ContractTalks):
    TITLE_TEXT = "Deals: partners answer at once; every round costs patience"
    CONFIRM = "Review the offer"
    BINDINGS = [
        *field_keys(
            {"p": "partner", "g": "gpu", "c": "count", "s": "start", "t": "weeks", "r": "price", "a": "site",
             "i": "invest", "v": "share", "u": "more-gpus", "w": "more-weeks", "h": "more-price"}
        ),
        preset_key("l", "all_free", "all free"),
        preset_key("k", "at_list", "at list price"),
    ]  # fmt: skip
    ENTER = {
        "invest": "_invest", "share": "_invest", "more-gpus": "_amend", "more-weeks": "_amend", "more-price": "_amend",
        "site": "confirm",  # the offer's last field (the amendment's follow it)
    }  # fmt: skip

    def info(self) -> ComposeResult:
        yield Static(id="partners", markup=False)
        yield RowTable(id="contracts")

    def _fields(self) -> ComposeResult:
        p = self.session.params
        yield keys_hint()
        partners = [(q.name, q.id) for q in p.catalog.partners]
        yield row("Partner", choice("partner", partners, value=p.partner_ids[0]), key="p")
        self._gpu_ids = self._rented_by(p.partner_ids[0]) or list(p.gpu_ids)
        gpus = [(g, g) for g in self._gpu_ids]
        yield row("GPU", choice("gpu", gpus, value=self._default_gpu(self._gpu_ids)), key="g")
        yield Static("", id="partner-facts", classes="hint", markup=False)  # its limits, before an offer
        free = Button("all free (alt+l)", id="all-free", compact=True)
        listed = Button("at list price (alt+k)", id="at-list", compact=True)
        yield row(
            "Count", number("count", bounds.OFFER_GPUS, DEFAULTS["count"]), key="c", extras=(free, listed)
        )
        yield row("Start in (weeks)", number("start", bounds.OFFER_START, DEFAULTS["start"]), key="s")
        yield row("Term (weeks)", number("weeks", bounds.OFFER_TERM, DEFAULTS["weeks"]), key="t")
        yield row("Price $/GPU-hour", number("price", bounds.PRICE, "2.8"), key="r")
        sites = [(s.name.split(",")[0], s.id) for s in p.catalog.sites]
        yield row("At your site", choice("site", sites, prompt="their own datacenters"), key="a")
        invest = views.investment_terms(self.turn)
        if invest is not None and invest.now:  # (not offered while it waits: the info says until when)
            # Its terms this week: the most it would put in (rounded down) for the share
            # it would ask (rounded up), so asking as filled in is accepted.
            yield Label(f"Or ask {invest.name} to invest, for a share of your revenue:")
            with Horizontal(classes="row split"):
                yield Label(keyed("invest $", "i"))
                yield number(
                    "invest", bounds.INVEST_USD, f"{billions_down(invest.usd):g}B", tooltip="USD to ask for"
                )
                yield Label(keyed("for % of revenue", "v"))
                yield number(
                    "share",
                    bounds.INVEST_SHARE,
                    f"{share_up(invest.share):.1f}",
                    tooltip="% of your revenue offered",
                )
                yield Button(f"Ask {invest.name}", id="ask-invest", compact=True)
            self.investor: str | None = invest.partner
        else:
            self.investor = None

    def buttons(self) -> ComposeResult:
        yield from super().buttons()
        yield Button("Leave the selected contract", id="exit", variant="error", compact=True)

    def amendments(self) -> ComposeResult:
        yield from partner_facts.amend_fields()

    def fields(self) -> ComposeResult:
        yield from self._fields()
        yield from self.amendments()

    def on_mount(self) -> None:
        self._target: str | None = None  # the contract an amendment is for (its slot)
        self._counter: Offer | None = None  # the offer a partner's counter filled in
        self.query_one("#contracts", DataTable).add_columns(
            "#", "partner", "GPUs", "$/h", "from", "until", "$/week", "leave for"
        )
        self._price_from_list()
        super().on_mount()

    def _default_gpu(self, gpus: list[str]) -> str:
        """The GPU the form starts at: the scenario's second (H100 in 2024) if offered."""
        ids = self.session.params.gpu_ids
        usual = ids[min(1, len(ids) - 1)]
        return usual if usual in gpus else gpus[0]

    def _rented_by(self, partner: str) -> list[str]:
        return partner_facts.supplied(self.turn, partner)

    def _update_preview(self) -> None:
        super()._update_preview()
        self._show_facts()
        self._show_amend_facts()

    def _show_facts(self) -> None:
        """The partner's limits for the offer as the fields stand (its pool at the start
        week, a customer's share of it, what is free, its build speed, power at the site)."""
        partner, gpu, site = self.value("partner"), self.value("gpu"), self.value("site")
        p = self.session.params
        if partner not in p.partner_ids or gpu not in p.gpu_ids:
            return
        try:
            start = self.session.week + int(bounds.OFFER_START.parse(self.text("start")))
        except Refused:
            start = self.session.week
        try:
            asked: int | None = int(bounds.OFFER_GPUS.parse(self.text("count")))
        except Refused:
            asked = None
        chosen = str(site) if site in p.site_ids else None
        try:
            weeks = int(bounds.OFFER_TERM.parse(self.text("weeks")))
        except Refused:
            weeks = int(DEFAULTS["weeks"])
        self.show(
            "partner-facts",
            partner_facts.facts(self.turn, str(partner), str(gpu), start, asked, chosen, weeks),
        )

    def _price_from_list(self) -> None:
        """The price field starts at the partner's asking price for this GPU and term (it
        said $2.80 while the list price had fallen to $2.00)."""
        partner, gpu = str(self.value("partner")), str(self.value("gpu"))
        try:
            weeks = int(bounds.OFFER_TERM.parse(self.text("weeks")))
        except Refused:
            weeks = int(DEFAULTS["weeks"])
        if partner not in self.session.params.partner_ids or gpu not in self.session.params.gpu_ids:
            return
        price, discount = market.list_price(self.turn, partner, gpu, weeks)
        if price > 0:
            self.query_one("#price", Input).value = f"{cents_up(price * (1 - discount)):.2f}"

    @on(Select.Changed, "#partner")
    def _new_partner(self) -> None:
        """Another partner: the form starts again (its GPUs, the usual count and term, its
        list price, its own datacenters), so nothing of the last partner's talks stays."""
        partner = self.value("partner")
        if partner not in self.session.params.partner_ids:
            return
        rents = self._rented_by(str(partner)) or list(self.session.params.gpu_ids)
        gpus = self.query_one("#gpu", Select)
        with self.prevent(Select.Changed):
            if rents != self._gpu_ids:
                self._gpu_ids = rents
                gpus.set_options([(g, g) for g in rents])
            gpus.value = self._default_gpu(rents)
            self.query_one("#site", Select).clear()
        with self.prevent(Input.Changed):
            for widget_id, value in DEFAULTS.items():
                self.query_one(f"#{widget_id}", Input).value = value
            self._price_from_list()
        self._counter = None
        self._update_preview()

    @on(Select.Changed, "#gpu")
    def _new_terms(self) -> None:
        with self.prevent(Input.Changed):
            self._price_from_list()
        self._update_preview()

    def action_all_free(self) -> None:
        """Count: all the GPUs of this type the partner has free at the start week."""
        try:
            o = self._offer()
        except Refused as err:
            self.say(str(err), failed=True)
            return
        free = review.partner_free(self.turn, o.partner, o.gpu, o.start)
        if free:
            self.fill(count=str(free))
        name = self.session.catalog.partners[self.session.params.partner_ids.index(o.partner)].name
        self.say(
            f"{name} has {count(free)} {o.gpu} free from the start week"
            if free
            else f"{name} has no {o.gpu} free then: ask for a build at your site, or later"
        )

    def action_at_list(self) -> None:
        """Count: the most GPUs the partner rents from its own pool before it is full
        enough to ask more than its list price."""
        try:
            o = self._offer()
        except Refused as err:
            self.say(str(err), failed=True)
            return
        name = self.session.catalog.partners[self.session.params.partner_ids.index(o.partner)].name
        if o.site:
            self.say(
                f"A build at your site is priced by {name}'s build, not its pool: clear the site first",
                failed=True,
            )
            return
        n = market.most_at_list(self.turn, o.partner, o.gpu, o.start, o.weeks)
        if n < 1 and review.partner_free(self.turn, o.partner, o.gpu, o.start) < 1:
            self.say(
                f"{name} has no {o.gpu} free for you then: ask for a build at your site, or later",
                failed=True,
            )
            return
        if n < 1:
            self.say(
                f"{name}'s {o.gpu} pool is past the point where its price rises: any rental costs more than its list",
                failed=True,
            )
            return
        c = market.crowding(self.turn, o.partner, o.gpu, n, o.start, o.weeks)
        sure = math.ceil(c.price * (1 + c.swing) * 100) / 100  # its list, at the most the week's draw makes it
        self.fill(count=str(n), price=f"{sure:.2f}")
        self.hold_message()
        self.say(
            f"{count(n)} {o.gpu}: the most {name} rents you before its pool is full enough to ask more than its "
            f"list; at ${sure:.2f}/GPU-hour, its price at the most the week's draw makes it, it accepts"
        )

    @on(Button.Pressed, "#at-list")
    def _at_list_pressed(self) -> None:
        self.action_at_list()

    @on(Button.Pressed, "#all-free")
    def _all_free_pressed(self) -> None:
        self.action_all_free()

    def refresh_view(self) -> None:
        s = self.session
        lines = [
            "Partners: relationship from -1 (hostile) to +1 (close); patience = offers heard before they stop"
        ]
        for q in views.partner_views(self.turn):
            lines.append(
                f"  {q.name}: relationship {q.relationship:+.2f}, patience {plural(math.ceil(q.patience), 'offer')}"
            )
        owed = views.lab_view(self.turn).revenue_share
        if owed > 0:
            who = s.catalog.partners[s.params.partner_ids.index(self.investor)].name if self.investor else "investors"  # fmt: skip
            lines.append(f"  You owe {who} {owed:.1%} of your revenue.")
        invest = views.investment_terms(self.turn)
        if invest is not None:
            again = views.next_investment(self.turn, invest.partner)
            if again is not None:
                lines.append(f"  {invest.name} invests again from {day(again)}.")
            elif invest.now:
                lines.append(
                    f"  {invest.name} would invest up to {money(invest.usd)} now, for "
                    f"{share_up(invest.share):.1f}% of your revenue."
                )
        self.show("partners", "\n".join(lines))
        table = self.query_one("#contracts", DataTable)
        table.clear()  # then the cursor comes back to the contract the player chose
        rows = views.contracts_view(self.turn)
        for c in rows:
            table.add_row(
                str(c.slot), c.partner, f"{count(c.count)} {c.gpu}", f"${c.price:.2f}", f"{c.start_date:%b %Y}", f"{c.end_date:%b %Y}",
                money(c.usd_week), money(c.exit_penalty), key=str(c.slot),
            )  # fmt: skip
        keys = [str(c.slot) for c in rows]
        if self._target not in keys:  # the first time, or the contract ended or was left
            self._retarget(keys[0] if keys else None)
        if self._target is not None:
            table.move_cursor(row=keys.index(self._target), animate=False)
        self._show_target()
        super().refresh_view()

    def _offer(self) -> Offer:
        site = self.value("site")
        return Offer(
            partner=str(self.value("partner")),
            gpu=str(self.value("gpu")),
            count=int(parse_number(self.text("count"), "count", 1, decisions.MAX_ORDER_GPUS, integer=True)),
            start=self.session.week
            + int(parse_number(self.text("start"), "start", 0, decisions.MAX_TERM_WEEKS, integer=True)),
            weeks=int(parse_number(self.text("weeks"), "term", 1, decisions.MAX_TERM_WEEKS, integer=True)),
            price=parse_number(self.text("price"), "price", 0.01, decisions.MAX_PRICE_USD_HOUR),
            site=str(site) if site is not Select.NULL and site is not None else "",
        )

    def preview(self) -> str:
        s = self.session
        o = self._offer()
        name = s.catalog.partners[s.params.partner_ids.index(o.partner)].name
        price, discount = market.list_price(self.turn, o.partner, o.gpu, o.weeks)
        if price <= 0:
            return f"{name} does not rent out {o.gpu}."
        t = review.rental_terms(self.turn, o)
        off = f", {discount:.0%} off for {o.weeks} weeks" if discount > 0.005 else ""
        c = market.crowding(self.turn, o.partner, o.gpu, o.count, o.start, o.weeks)
        crowded = (
            (
                f" It can rent you {c.count:,} of the {o.count:,} asked; with them"
                if c.count < o.count
                else f" With these {c.count:,}"
            )
            + f" its {o.gpu} pool would be {c.full:.0%} spoken for, "
            f"and a pool that full costs x{c.factor:.2f}: expect about ${c.price:.2f}/GPU-hour "
            f"(+-{c.swing:.0%} with the week); fewer GPUs cost less."
            if c.factor > 1.005 and o.site == "" and c.count > 0
            else ""
        )
        return (
            f"{name}'s list price ${price:.2f}/GPU-hour{off} (rents fall as newer GPUs ship).{crowded} This "
            f"offer: {money(t.total)} over {plural(t.end_week - t.start_week, 'week')} from "
            f"{day(t.start_date)} ({money(t.usd_week)} a week). Enter reviews it before it is sent."
        )

    def confirm(self) -> None:  # an offer is talked through now, not queued: reviewed first
        try:
            offer = self._offer()
            check_offer(self.session.params, self.session.week, offer)
            terms = review.rental_terms(self.turn, offer)
        except Refused as err:
            self.say(str(err), failed=True)
            return
        self._review(reviews.rental(terms, counter=offer == self._counter), lambda: self._send(offer))

    def _send(self, offer: Offer) -> None:
        reply = self._talk(offer)
        if reply is None:
            return
        self._counter = None
        if reply.answer == "counter":
            self._counter = attrs.evolve(
                offer, count=reply.count, price=float(f"{cents_up(reply.price):.2f}")
            )
            self.fill(count=str(reply.count), price=f"{cents_up(reply.price):.2f}")
            self._rental_counter(reply, self._counter, self._send)
            return
        self._answered(reply.words)

    @on(Button.Pressed, "#ask-invest")
    def _invest(self) -> None:
        try:
            usd = bounds.INVEST_USD.parse(self.text("invest"))
            share = bounds.INVEST_SHARE.parse(self.text("share")) / 100.0
        except Refused as err:
            self.say(str(err), failed=True)
            return
        offer = Offer(partner=self.investor or "", invest=usd, share=share)
        terms = review.investment_terms(self.turn, offer)
        self._review(reviews.investment(terms, counter=offer == self._counter), lambda: self._ask(offer))

    def _ask(self, offer: Offer) -> None:
        reply = self._talk(offer)
        if reply is None:
            return
        self._counter = None
        if reply.answer == "counter":  # a counter names the amount and share it would take
            invest, share = f"{billions_down(reply.invest):g}B", f"{share_up(reply.share):.1f}"
            self.fill(invest=invest, share=share)
            usd = parse_number(invest, "investment", 0, decisions.MAX_INVEST_USD, unit="$")
            countered = Offer(partner=self.investor or "", invest=usd, share=float(share) / 100.0)
            self._counter = countered
            terms = review.investment_terms(self.turn, countered)
            self._answered(
                reply.words,
                reviews.investment(terms, counter=True, heard=reply.words),
                lambda: self._ask(countered),
            )
            return
        self._answered(reply.words)
