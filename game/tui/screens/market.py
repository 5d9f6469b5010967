"""Market: buy GPUs from NVIDIA through an integrator, with each chip's figures."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, DataTable

from game.play import decisions, market
from game.play.words import plural
from game.tui import bounds
from game.tui.format import count, day, money, mw, weeks
from game.tui.screens.base import FormScreen
from game.tui.widgets.form import FieldKeys, choice, field_keys, keys_hint, number, preset_key, row
from game.tui.widgets.table import RowTable

NEWER_WARN_WEEKS = 13  # a newer generation this soon after delivery is in the preview


class MarketScreen(FieldKeys, FormScreen):
    TITLE_TEXT = "Market: buy GPUs from NVIDIA through Dell or Supermicro"
    BINDINGS = [
        *field_keys({"g": "gpu", "c": "count", "i": "vendor"}),
        preset_key("a", "preset('afford')", "max affordable"),
        preset_key("h", "preset('halls')", "fits the halls"),
    ]
    SAYS_DROPPED = True

    def info(self) -> ComposeResult:
        table: DataTable[str] = RowTable(id="gpus")
        table.tooltip = (
            "PF/s: dense BF16 PFLOP/s per GPU. TF/$k: TFLOP/s per $1,000 of servers (what a dollar "
            "buys). PF/MW: PFLOP/s per MW all-in (what your power buys). Left: NVIDIA's supply this quarter."
        )
        yield table

    def fields(self) -> ComposeResult:
        p = self.session.params
        rows = market.market_rows(self.turn)
        # The GPU and integrator the player last ordered through this form, while on sale
        # (the form went back to H100 on every visit); else H100, else the first on sale.
        last_gpu, last_vendor = self._remembered().get(self.lab, ("H100", p.integrator_ids[0]))
        first = next(
            (r.id for r in rows if r.on_sale and r.id == last_gpu),
            next(
                (r.id for r in rows if r.on_sale and r.id == "H100"),
                next((r.id for r in rows if r.on_sale), rows[0].id),
            ),
        )
        yield keys_hint()
        yield row("GPU", choice("gpu", [(r.id, r.id) for r in rows], value=first), key="g")
        presets = (
            Button("max affordable (alt+a)", id="afford", compact=True),
            Button("fills your halls (alt+h)", id="halls", compact=True),
        )
        yield row("Count", number("count", bounds.GPUS, "10000"), key="c", extras=presets)
        vendors = [(v.name, v.id) for v in p.catalog.integrators]
        vendors.append(("Soonest: split between them", market.SOONEST))
        vendor = last_vendor if last_vendor in (*p.integrator_ids, market.SOONEST) else p.integrator_ids[0]
        yield row("Integrator", choice("vendor", vendors, value=vendor), key="i")

    def action_preset(self, which: str) -> None:
        """Count: the most the cash left after this week's orders buys, or what fills the
        built, powered halls that nothing will fill."""
        gpu, vendor = str(self.value("gpu")), str(self.value("vendor"))
        if which == "afford":
            n = market.affordable(self.turn, gpu, vendor)
            why = f"{count(n)} {gpu}: what your cash after this week's orders buys, within NVIDIA's supply"
            none = f"Your cash after this week's orders buys no {gpu}"
        else:
            fits = market.fits_halls(self.turn, gpu)
            n = min(fits, int(max(market.supply_for(self.turn, gpu), 0.0)))  # no more than NVIDIA has
            room = market.empty_powered_mw(self.turn)
            why = f"{count(n)} {gpu} fill the {mw(room)} of powered halls no GPU (installed, waiting or on order) will fill"
            if n < fits:  # a tester's preset asked several times the quarter's supply
                why = f"{count(n)} {gpu}, all NVIDIA has left this quarter: {count(fits)} would fill your {mw(room)} of empty powered halls"
            none = (
                "Your powered halls are spoken for: the GPUs installed, waiting and on order fill them "
                "(build halls or power first: s)"
            )
        if n < 1:
            self.say(none, failed=True)
            return
        self.fill(count=str(n))
        self.say(why)

    @on(Button.Pressed, "#afford")
    def _afford(self) -> None:
        self.action_preset("afford")

    @on(Button.Pressed, "#halls")
    def _halls(self) -> None:
        self.action_preset("halls")

    def on_mount(self) -> None:
        table = self.query_one("#gpus", DataTable)
        for name in ("GPU", "on sale", "PF/s", "$/GPU", "TF/$k", "PF/MW", "kW", "left"):
            table.add_column(name, key=name)
        for r in market.market_rows(self.turn):
            table.add_row(
                r.id,
                "yes" if r.on_sale else "from " + day(r.on_sale_date),
                f"{r.pflops:.2f}",
                money(r.price),
                f"{r.flops_per_kusd:.0f}",
                f"{r.flops_per_mw:,.0f}",
                f"{r.kw:.2f}",
                self._left(r),
                key=r.id,
            )
        super().on_mount()

    def _left(self, r: market.GpuRow) -> str:
        """NVIDIA's supply left this quarter after this week's orders (it kept showing
        80,000 GB200 left after a play-tester booked 80,000)."""
        return count(max(market.supply_for(self.turn, r.id), 0.0)) if r.on_sale else "-"

    def refresh_view(self) -> None:
        super().refresh_view()
        table = self.query_one("#gpus", DataTable)
        if table.row_count:  # filled on mount: a booking changes what is left
            for r in market.market_rows(self.turn):
                table.update_cell(r.id, "left", self._left(r), update_width=True)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#gpu").value = str(event.row_key.value)  # type: ignore[attr-defined]

    def _orders(self) -> list[decisions.BuyGpus]:
        """The order as the fields stand: one, or one per integrator when it is split for
        the soonest delivery."""
        n = int(bounds.GPUS.parse(self.text("count")))
        gpu, vendor = str(self.value("gpu")), str(self.value("vendor"))
        if vendor != market.SOONEST:
            return [decisions.BuyGpus(gpu, vendor, n)]
        left = int(max(market.supply_for(self.turn, gpu), 0.0))
        if 1 <= left < n:  # each part would get its share of what is left: booked as that much
            n = left
        parts = market.soonest_split(self.turn, gpu, n)
        if not parts:
            raise decisions.Refused(f"All {market.ORDER_SLOTS} order slots are taken by orders in flight")
        return [decisions.BuyGpus(gpu, v, k) for v, k in parts]

    def _order(self) -> decisions.BuyGpus:
        """The order as one (a split's cheapest part stands for it where one is named)."""
        return self._orders()[0]

    def decision(self) -> decisions.BuyGpus:
        orders = self._orders()
        if len(orders) > 1:  # booked by confirm, all or none
            raise decisions.Refused("an order split between integrators is added with Enter")
        self._remembered()[self.lab] = (orders[0].gpu, str(self.value("vendor")))
        return orders[0]

    def confirm(self) -> None:
        """One order, or a split's orders all or none (each its own entry in the book, so
        b cancels either)."""
        try:
            orders = self._orders()
        except decisions.Refused as err:
            self.say(str(err), failed=True)
            return
        if len(orders) == 1:
            super().confirm()
            return
        self._remembered()[self.lab] = (orders[0].gpu, market.SOONEST)
        self.submit_all(list(orders))

    def _remembered(self) -> dict[int, tuple[str, str]]:
        """lab -> the GPU and integrator of its last order through this form, kept by the
        app for this game (a new or loaded game starts again from H100)."""
        kept = self.app.__dict__.get("_market_choice")
        if kept is None or kept[0] is not self.session:
            kept = (self.session, {})
            self.app.__dict__["_market_choice"] = kept
        chosen: dict[int, tuple[str, str]] = kept[1]
        return chosen

    def preview(self) -> str:
        orders = self._orders()
        d = orders[0]
        row_ = next(r for r in market.market_rows(self.turn) if r.id == d.gpu)
        if not row_.on_sale:
            return f"{d.gpu} goes on sale on {day(row_.on_sale_date)}."
        n = sum(o.count for o in orders)
        left = max(market.supply_for(self.turn, d.gpu), 0.0)
        booked = " after your orders this week" if left < row_.supply_left else ""
        short = (
            f" NVIDIA has only {count(left)} left this quarter{booked}: when orders ask for more, each"
            " gets its share of what is left, so you may get fewer."
            if n > left
            else f" NVIDIA has {count(left)} left this quarter{booked}."
        )
        if str(self.value("vendor")) == market.SOONEST:
            asked = int(bounds.GPUS.parse(self.text("count")))
            cut = (
                f" NVIDIA has only {count(left)} left this quarter{booked}: the split books that many, not {count(asked)}."
                if n < asked
                else short
            )
            return self._split(orders) + cut + self._slots_split(orders)
        q = market.order_quote(self.turn, d.gpu, d.vendor, d.count)
        queue = f" + {weeks(q.queue_weeks)} of queue" if q.queue_weeks > 0 else ""
        # Orders through one integrator queue together: after one is booked, this is another.
        ahead = [
            b
            for b in self.session.book(self.lab)
            if isinstance(b, decisions.BuyGpus) and b.vendor == d.vendor
        ]
        vendor = self._vendor(d.vendor)
        another = (
            f"Another order, after your {plural(len(ahead), 'order')} via {vendor} this week: "
            if ahead
            else ""
        )
        # A week's orders through one integrator are one delivery: the ones booked come with
        # this one (a play-tester read 18 Aug on the market and 15 Sep in the book).
        together = f" (your other {vendor} orders this week with it)" if ahead else ""
        return another + (
            f"{money(q.unit)} a GPU in servers: {money(q.total)} for {count(d.count)}. Needs {mw(q.mw)} "
            f"of powered halls. Lead time {weeks(q.lead_weeks)}{queue}: delivered around "
            f"{day(q.arrive_date)}{together}.{self._newer(d.gpu, q.arrive_week)}{short}{self._slots(d)}"
        )

    def _vendor(self, vendor: str) -> str:
        return next(v.name for v in self.session.params.catalog.integrators if v.id == vendor)

    def _split(self, orders: list[decisions.BuyGpus]) -> str:
        """A split's parts, each with its date, against the best one integrator alone."""
        t, gpu = self.turn, orders[0].gpu
        n = sum(o.count for o in orders)
        quotes = [market.order_quote(t, gpu, o.vendor, o.count) for o in orders]
        parts = " and ".join(
            f"{count(o.count)} via {self._vendor(o.vendor)} (around {day(q.arrive_date)})"
            for o, q in zip(orders, quotes, strict=True)
        )
        alone = min((market.order_quote(t, gpu, v, n).arrive_week, v) for v in t.params.integrator_ids)
        last = max(q.arrive_week for q in quotes)
        total = sum(q.total for q in quotes)
        head = (
            f"Soonest: {parts}; one integrator alone, {self._vendor(alone[1])}, would deliver around "
            f"{day(t.params.date_of(alone[0]))}."
            if len(orders) > 1
            else f"Soonest: all {count(n)} via {self._vendor(orders[0].vendor)}, around "
            f"{day(quotes[0].arrive_date)} (a split would not deliver sooner)."
        )
        return (
            f"{head} {money(total)} in servers for {count(n)}. Needs {mw(sum(q.mw for q in quotes))} of powered halls."
            f"{self._newer(gpu, last)}"
        )

    def _slots_split(self, orders: list[decisions.BuyGpus]) -> str:
        return self._slots(orders[0]) if len(orders) == 1 else ""

    def _newer(self, gpu: str, arrive: int) -> str:
        """A newer generation that ships before the order arrives or soon after: from
        that day the GPUs ordered are worth less (a play-tester's 84,000 H100 arrived the
        week B200 went on sale, and lost 30% of their value unwarned)."""
        t = self.turn
        newer = market.newer_generations(t, gpu, arrive + NEWER_WARN_WEEKS)
        if not newer:
            return ""
        h, week = newer[0]
        fall = 1.0 - float(t.params.catalog.nvidia.older_gen_price_factor)
        when = "before they arrive" if week <= arrive else f"{weeks(week - arrive)} after they arrive"
        return f" {h} goes on sale on {day(t.params.date_of(week))}, {when}: from then {gpu} is worth {fall:.0%} less."

    def _slots(self, d: decisions.BuyGpus) -> str:
        """The order slots left, when few are (an order past the last is refused)."""
        t = self.turn
        free = market.free_order_slots(t)
        again = any(
            isinstance(b, decisions.BuyGpus) and (b.gpu, b.vendor) == (d.gpu, d.vendor) for b in t.book
        )
        if free > 2 or again:  # another order of the same GPU and integrator this week joins it
            return ""
        if free == 0:
            return f" All {market.ORDER_SLOTS} order slots are taken by orders in flight: this one would be refused."
        return f" {plural(free, 'order slot')} of {market.ORDER_SLOTS} left (each GPU type and integrator ordered takes one until delivered)."
