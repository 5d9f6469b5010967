"""Deals with the cloud partners."""

from __future__ import annotations

import math
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import (
    Button,
    Input,
    Label,
    Select,
    Static,
)

from game.play.session import Refused
from game.tui.format import money, parse_number
from game.tui.screens.decision import DecisionScreen
from game.tui.widgets.form import row


class DealsScreen(DecisionScreen):
    TITLE_TEXT = "Deals: make a partner an offer (answers come at once; each round costs patience)"

    def fields(self) -> ComposeResult:
        p = self.session.params
        yield Static(id="partners")
        yield row(
            "Partner",
            Select(
                [(q.name, q.id) for q in p.catalog.partners],
                value=p.partner_ids[0],
                id="partner",
                allow_blank=False,
            ),
        )
        yield row(
            "GPU", Select([(g.id, g.id) for g in p.catalog.gpus], value="H100", id="gpu", allow_blank=False)
        )
        yield row("Count", Input(value="20000", id="count"))
        yield row("Start (weeks from now)", Input(value="0", id="start"))
        yield row("Term (weeks)", Input(value="52", id="weeks"))
        yield row("Price (USD per GPU-hour)", Input(value="2.8", id="price"))
        yield row(
            "Build at your site (optional)",
            Select([(s.name, s.id) for s in p.catalog.sites], id="site", prompt="their own datacenters"),
        )
        yield Label("Or leave a contract early (its number; the partner's penalty applies)")
        with Horizontal(classes="buttons"):
            yield Input(placeholder="contract number", id="exit-slot")
            yield Button("Leave contract", id="exit", variant="error")

    def on_mount(self) -> None:
        super().on_mount()
        self._partners()

    def _partners(self) -> None:
        s, p, lab = self.session, self.session.params, self.lab
        w = s.world
        lines = ["[b]Partners[/b]"]
        for k, q in enumerate(p.catalog.partners):
            lines.append(
                f"{q.name}: relationship {w.relationship[0, lab, k]:+.2f}, patience {w.patience[0, lab, k]:.0f} offers"
            )
        for k in range(w.contract_partner.shape[-1]):
            if w.contract_partner[0, lab, k] >= 0:
                lines.append(
                    f"  contract {k}: {p.partner_ids[int(w.contract_partner[0, lab, k])]} "
                    f"{int(w.contract_count[0, lab, k]):,} {p.gpu_ids[int(w.contract_gpu[0, lab, k])]} "
                    f"${w.contract_price[0, lab, k]:.2f}/h, weeks {w.contract_start[0, lab, k]}-{w.contract_end[0, lab, k]}"
                )
        self.query_one("#partners", Static).update("\n".join(lines))

    def _offer(self) -> dict[str, Any]:
        offer = {
            "partner": str(self.value("partner")),
            "gpu": str(self.value("gpu")),
            "count": int(parse_number(self.value("count"), "count", 1, 10_000_000, integer=True)),
            "start": self.session.week
            + int(parse_number(self.value("start"), "start", 0, 520, integer=True)),
            "weeks": int(parse_number(self.value("weeks"), "term", 1, 520, integer=True)),
            "price": parse_number(self.value("price"), "price", 0.01, 1000),
        }
        site = self.value("site")
        if site is not Select.NULL and site is not None:
            offer["site"] = str(site)
        return offer

    def preview(self) -> str:
        p = self.session.params
        o = self._offer()
        q, g = p.partner_ids.index(o["partner"]), p.gpu_ids.index(o["gpu"])
        if p.partner_price[q, g] <= 0:
            return f"{p.catalog.partners[q].name} does not rent {o['gpu']}."
        total = o["count"] * o["price"] * 168 * o["weeks"]
        return f"List price ${p.partner_price[q, g]:.2f}/GPU-hour. This offer is worth {money(total)} over {o['weeks']} weeks."

    def decide(self) -> str:
        answer, words, ans = self.session.offer(self.lab, self._offer())
        self._partners()
        if answer == "counter":
            lab = self.lab
            self.query_one("#count", Input).value = str(int(ans.count[0, lab]))
            self.query_one("#price", Input).value = f"{math.ceil(float(ans.price[0, lab]) * 100) / 100:.2f}"
            words += "  (their terms are filled in: confirm to accept)"
        return words

    @on(Button.Pressed, "#exit")
    def _exit(self) -> None:
        message = self.query_one("#message", Static)
        try:
            slot = int(parse_number(self.value("exit-slot"), "contract number", 0, 99, integer=True))
            text = self.session.leave_contract(self.lab, slot)
        except Refused as err:
            message.update(f"[red]{err}[/red]")
            return
        message.update(text)
        self.app.notify(text)
