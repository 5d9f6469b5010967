"""Deals: offer a cloud partner a rental, ask Microsoft to invest, leave a contract.
Talks happen now (each round costs the partner's patience); leaving a contract goes in
the week's book."""

from __future__ import annotations

import math
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from game.play import decisions, market, views
from game.play.decisions import Refused
from game.play.words import billions_down, cents_up, plural, share_up
from game.tui.format import count, day, money, parse_number
from game.tui.screens.base import FormScreen
from game.tui.widgets.form import choice, number, row


class DealsScreen(FormScreen):
    TITLE_TEXT = "Deals: partners answer at once; every round costs patience"
    CONFIRM = "Make the offer"

    def info(self) -> ComposeResult:
        yield Static(id="partners", markup=False)
        yield DataTable(id="contracts", cursor_type="row", zebra_stripes=True)

    def _fields(self) -> ComposeResult:
        p = self.session.params
        yield row(
            "Partner", choice("partner", [(q.name, q.id) for q in p.catalog.partners], value=p.partner_ids[0])
        )
        self._gpu_ids = self._rented_by(p.partner_ids[0]) or list(p.gpu_ids)
        yield row(
            "GPU",
            choice("gpu", [(g, g) for g in self._gpu_ids], value=self._default_gpu(self._gpu_ids)),
        )
        yield row("Count", number("count", "20000"))
        yield row("Start in (weeks)", number("start", "0"))
        yield row("Term (weeks)", number("weeks", "52"))
        yield row("Price $/GPU-hour", number("price", "2.8"))
        yield row(
            "At your site",
            choice(
                "site",
                [(s.name.split(",")[0], s.id) for s in p.catalog.sites],
                prompt="their own datacenters",
            ),
        )
        invest = views.investment_terms(self.turn)
        if invest is not None:
            # Its terms this week: the most it would put in (rounded down) for the share
            # it would ask (rounded up), so asking as filled in is accepted.
            yield Label(f"Or ask {invest.name} to invest, for a share of your revenue:")
            with Horizontal(classes="row split"):
                yield Label("invest $")
                yield number("invest", f"{billions_down(invest.usd):g}B", tooltip="USD to ask for")
                yield Label("for % of revenue")
                yield number("share", f"{share_up(invest.share):.1f}", tooltip="% of your revenue offered")
                yield Button(f"Ask {invest.name}", id="ask-invest", compact=True)
            self.investor: str | None = invest.partner
        else:
            self.investor = None

    def buttons(self) -> ComposeResult:
        yield from super().buttons()
        yield Button("Leave the selected contract", id="exit", variant="error", compact=True)

    def amendments(self) -> ComposeResult:
        yield Label("Or amend the selected contract (same partner and GPUs):")
        with Horizontal(classes="row split"):
            yield Label("+ GPUs")
            yield number("more-gpus", "0", tooltip="GPUs to add for the rest of the term")
            yield Label("+ weeks")
            yield number("more-weeks", "26", tooltip="weeks to add at the end")
            yield Label("$/h")
            yield number("more-price", "2.5", tooltip="price per GPU-hour for what you add")
            yield Button("Propose", id="amend", compact=True)

    def fields(self) -> ComposeResult:
        yield from self._fields()
        yield from self.amendments()

    def on_mount(self) -> None:
        self.query_one("#contracts", DataTable).add_columns(
            "#", "partner", "GPUs", "$/h", "from", "until", "$/week", "leave for"
        )
        self._price_from_list()
        super().on_mount()

    def _price_from_list(self) -> None:
        """The price field starts at the partner's asking price for this GPU and term (it
        said $2.80 while the list price had fallen to $2.00)."""
        try:
            o = self._offer()
        except Refused:
            return
        price, discount = market.list_price(self.turn, o["partner"], o["gpu"], o["weeks"])
        if price > 0:
            self.query_one("#price", Input).value = f"{cents_up(price * (1 - discount)):.2f}"

    def _default_gpu(self, gpus: list[str]) -> str:
        """The GPU the form starts at: the scenario's second (H100 in 2024) if offered."""
        ids = self.session.params.gpu_ids
        usual = ids[min(1, len(ids) - 1)]
        return usual if usual in gpus else gpus[0]

    def _rented_by(self, partner: str) -> list[str]:
        p = self.session.params
        k = p.partner_ids.index(partner)
        return [g for i, g in enumerate(p.gpu_ids) if p.partner_price[k, i] > 0]

    @on(Select.Changed, "#partner")
    def _partners_gpus(self) -> None:
        """The GPU list holds what the chosen partner rents out (a playtester picked B200
        from CoreWeave and was told it rents none); its list price follows."""
        partner = self.value("partner")
        if partner not in self.session.params.partner_ids:
            return
        rents = self._rented_by(str(partner))
        gpus = self.query_one("#gpu", Select)
        current = gpus.value
        if rents and rents != self._gpu_ids:
            self._gpu_ids = rents
            gpus.set_options([(g, g) for g in rents])
            gpus.value = current if current in rents else self._default_gpu(rents)
        self._price_from_list()

    @on(Select.Changed, "#gpu")
    def _new_terms(self) -> None:
        self._price_from_list()

    @on(DataTable.RowHighlighted, "#contracts")
    def _contract_price(self, event: DataTable.RowHighlighted) -> None:
        """An amendment starts at the selected contract's own price (the default $2.50
        more than doubled an A100 contract's $0.96). Only when the player picks another
        contract: the table refilled after an answer keeps what they typed."""
        if event.row_key.value == getattr(self, "_priced_slot", None):
            return
        self._priced_slot = event.row_key.value
        c = next(
            (c for c in views.contracts_view(self.turn) if str(c.slot) == event.row_key.value),
            None,
        )
        if c is not None and self.query("#more-price"):
            self.query_one("#more-price", Input).value = f"{c.price:.2f}"

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
        table.clear()
        for c in views.contracts_view(self.turn):
            table.add_row(
                str(c.slot), c.partner, f"{count(c.count)} {c.gpu}", f"${c.price:.2f}", f"{c.start_date:%b %Y}", f"{c.end_date:%b %Y}",
                money(c.usd_week), money(c.exit_penalty), key=str(c.slot),
            )  # fmt: skip
        super().refresh_view()

    def _offer(self) -> dict[str, Any]:
        offer: dict[str, Any] = {
            "partner": str(self.value("partner")),
            "gpu": str(self.value("gpu")),
            "count": int(
                parse_number(self.text("count"), "count", 1, decisions.MAX_ORDER_GPUS, integer=True)
            ),
            "start": self.session.week
            + int(parse_number(self.text("start"), "start", 0, decisions.MAX_TERM_WEEKS, integer=True)),
            "weeks": int(parse_number(self.text("weeks"), "term", 1, decisions.MAX_TERM_WEEKS, integer=True)),
            "price": parse_number(self.text("price"), "price", 0.01, decisions.MAX_PRICE_USD_HOUR),
        }
        site = self.value("site")
        if site is not Select.NULL and site is not None:
            offer["site"] = str(site)
        return offer

    def preview(self) -> str:
        s = self.session
        o = self._offer()
        name = s.catalog.partners[s.params.partner_ids.index(o["partner"])].name
        price, discount = market.list_price(self.turn, o["partner"], o["gpu"], o["weeks"])
        if price <= 0:
            return f"{name} does not rent out {o['gpu']}."
        total = market.rental_cost(o["count"], o["price"], o["weeks"])
        off = f", {discount:.0%} off for {o['weeks']} weeks" if discount > 0.005 else ""
        return (
            f"{name}'s list price ${price:.2f}/GPU-hour{off} (rents fall as newer GPUs ship). This offer: "
            f"{money(total)} over {o['weeks']} weeks from {day(s.params.date_of(o['start']))} "
            f"({money(total / o['weeks'])} a week)."
        )

    def confirm(self) -> None:  # an offer is talked through now, not queued
        try:
            reply = self.session.offer(self.lab, self._offer())
        except Refused as err:
            self.say(str(err), failed=True)
            return
        words = reply.words
        if reply.answer == "counter":
            self.fill(count=str(reply.count), price=f"{cents_up(reply.price):.2f}")
            words += "  (their terms are filled in: make the offer again to accept)"
        self.refresh_view()  # first: the answer is scrolled into sight after the page settles
        self.say(words)

    def submitted(self, field: Input) -> None:
        if field.id in ("invest", "share"):
            self._invest()
        elif field.id in ("more-gpus", "more-weeks", "more-price"):
            self._amend()
        else:
            self.confirm()

    @on(Button.Pressed, "#ask-invest")
    def _invest(self) -> None:
        try:
            usd = parse_number(self.text("invest"), "investment", 1e6, decisions.MAX_INVEST_USD, unit="$")
            share = parse_number(self.text("share"), "share", 0, 90) / 100.0
            reply = self.session.offer(self.lab, {"partner": self.investor, "invest": usd, "share": share})
        except Refused as err:
            self.say(str(err), failed=True)
            return
        words = reply.words
        if reply.answer == "counter":  # a counter names the amount and share it would take
            self.fill(invest=f"{billions_down(reply.invest):g}B", share=f"{share_up(reply.share):.1f}")
            words += "  (their terms are filled in: ask again to accept)"
        self.refresh_view()  # first: the answer is scrolled into sight after the page settles
        self.say(words)

    def _selected(self) -> views.ContractView | None:
        table = self.query_one("#contracts", DataTable)
        if table.row_count == 0:
            self.say("You have no contract.", failed=True)
            return None
        key = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        return next(c for c in views.contracts_view(self.turn) if c.slot == key)

    @on(Button.Pressed, "#amend")
    def _amend(self) -> None:
        contract = self._selected()
        if contract is None:
            return
        try:
            offer = {
                "partner": contract.partner_id,
                "contract": contract.slot,
                "count": int(
                    parse_number(
                        self.text("more-gpus"), "GPUs to add", 0, decisions.MAX_ORDER_GPUS, integer=True
                    )
                ),
                "weeks": int(
                    parse_number(
                        self.text("more-weeks"), "weeks to add", 0, decisions.MAX_TERM_WEEKS, integer=True
                    )
                ),
                "price": parse_number(self.text("more-price"), "price", 0.01, decisions.MAX_PRICE_USD_HOUR),
            }
            reply = self.session.offer(self.lab, offer)
        except Refused as err:
            self.say(str(err), failed=True)
            return
        words = reply.words
        if reply.answer == "counter":
            self.fill(**{"more-gpus": str(reply.count), "more-price": f"{cents_up(reply.price):.2f}"})
            words += "  (their terms are filled in: propose again to accept)"
        self.refresh_view()  # first: the answer is scrolled into sight after the page settles
        self.say(words)

    @on(Button.Pressed, "#exit")
    def _exit(self) -> None:
        contract = self._selected()
        if contract is not None:
            self.submit(decisions.LeaveContract(contract.slot))
