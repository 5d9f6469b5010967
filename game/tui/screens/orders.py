"""Standing orders and ways out: the orders the game takes each week until cancelled
(the next run, renewals, filling powered halls), and the ways out of a commitment (stop
or pause halls under construction, sell GPUs used, sublet a contract), each with its
preview before it goes into the week's book."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Button, DataTable, Input, Select, Static

from game.play import exits, standing
from game.play.decisions import Decision, Refused
from game.tui import bindings, bounds
from game.tui.screens.base import FormScreen, plain, styled
from game.tui.widgets.form import FieldKeys, choice, field_keys, keys_hint, number, row
from game.tui.widgets.standing import standing_rows
from game.tui.widgets.table import RowTable

# The keys to the form's fields (alt + the underlined letter), as every form has them
KEYS = {
    "s": "standing-kind",
    "l": "flop",
    "e": "run-weeks",
    "r": "renew-weeks",
    "m": "renew-price",
    "w": "way",
    "g": "count",
}
STANDING_CHROME = 2 + 2 + 1 + 2 + 3 + 2  # the page's padding and bar, the table's border and bar, "#"


class OrdersScreen(FieldKeys, FormScreen):
    TITLE_TEXT = "Standing orders and ways out"
    BINDINGS = bindings.FORM + bindings.STANDING + field_keys(KEYS)
    CONFIRM = "Add way out to this week's orders"
    AUTO_FOCUS = "#standing-kind"  # x cancels from the table; the fields take typing
    # Enter in a standing order's field sets the standing order; only the way out's own
    # field takes the way out (Enter in a renewal's weeks used to book the way out below)
    ENTER = {
        "standing-kind": "set_standing",  # (a list: Enter there when no field follows it)
        "flop": "set_standing",
        "run-weeks": "set_standing",
        "renew-weeks": "set_standing",
        "renew-price": "set_standing",
    }

    def info(self) -> ComposeResult:
        yield Static(styled("[b]Standing orders[/b] (x cancels the selected one)"))
        yield RowTable(id="standing")

    def fields(self) -> ComposeResult:
        yield keys_hint()
        yield row("Standing", choice("standing-kind", self._standing_options(), value="run"), key="s")
        yield row(
            "Run FLOP",
            number("flop", bounds.RUN_FLOP, "1e26"),
            "the next run's compute budget: 1e26, 3e25",
            key="l",
        )
        yield row(
            "Each run (weeks)",
            number("run-weeks", bounds.RUN_WEEKS, "13"),
            "each run's weeks of pretraining: its FLOP is what your training compute does in them",
            key="e",
        )
        renew = "a renewal's weeks (empty: the term the contract has now)"
        yield row(
            "Renew weeks", number("renew-weeks", bounds.RENEW_WEEKS, placeholder="its term"), renew, key="r"
        )
        most = "the most a renewal offers per GPU-hour (empty: the partner's list price of the day)"
        yield row(
            "Most $/GPU-h", number("renew-price", bounds.RENEW_PRICE, placeholder="list price"), most, key="m"
        )
        yield Static("", id="standing-preview", markup=False)
        yield Button("Set standing order", id="set-standing", compact=True)
        yield Static(styled("[b]Ways out[/b]"))
        ways = self._way_options()
        yield row(
            "Way out",
            choice("way", ways, value=ways[0][1] if ways else Select.NULL, prompt="Nothing to get out of"),
            key="w",
        )
        yield row(
            "GPUs to sell",
            number("count", bounds.SELL_GPUS, "1000"),
            "how many GPUs to sell (the warehouse's go first)",
            key="g",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._standing_fields()
        self._way_fields()

    # ------------------------------------------------------------- options
    def _standing_options(self) -> list[tuple[str, str]]:
        s, p, w, lab = self.session, self.session.params, self.session.world, self.lab
        out = [
            ("Next run when the current one ends", "run"),
            ("Runs back to back, sized in weeks", "runs"),
            ("Rounds: the most investors offer", "raise"),
        ]
        for k in range(w.contract_partner.shape[-1]):
            partner = int(w.contract_partner[0, lab, k])
            if partner >= 0:
                name = s.catalog.partners[partner].name
                out.append((f"Renew contract {k} ({name})", f"renew:{k}"))
        for gpu in p.gpu_ids:
            for vendor, integrator in zip(p.integrator_ids, p.catalog.integrators, strict=True):
                out.append((f"Fill halls: {gpu} via {integrator.name}", f"fill:{gpu}:{vendor}"))
        return out

    def _way_options(self) -> list[tuple[str, str]]:
        s, p, w, lab = self.session, self.session.params, self.session.world, self.lab
        out = []
        for i, site in enumerate(p.site_ids):
            name = p.catalog.sites[i].name.split(",")[0]
            building = float(w.hall_building[0, lab, i])
            if bool(w.hall_paused[0, lab, i]):
                out.append((f"Resume halls at {name}", f"resume:{site}"))
            elif building > 0:
                out.append((f"Pause halls at {name}", f"pause:{site}"))
            if building > 0:
                out.append((f"Stop building halls at {name}", f"cancel:{site}"))
        owned = w.warehouse[0, lab] + w.installed[0, lab].sum(0)
        for g, gpu in enumerate(p.gpu_ids):
            if owned[g] > 0:
                out.append((f"Sell {gpu} used ({int(owned[g]):,} owned)", f"sell:{gpu}"))
        for k in range(w.contract_partner.shape[-1]):
            partner = int(w.contract_partner[0, lab, k])
            if partner >= 0:
                out.append((f"Sublet contract {k} ({s.catalog.partners[partner].name})", f"sublet:{k}"))
        return out

    # ------------------------------------------------------------- standing
    def _standing_order(self) -> standing.StandingOrder:
        kind = str(self.value("standing-kind"))
        if kind == "run":
            flop = bounds.RUN_FLOP.parse(self.text("flop"))
            return standing.run_order(self.session, self.lab, flop)
        if kind == "raise":
            return standing.StandingOrder(self.lab, "raise")
        if kind == "runs":
            return standing.runs_order(
                self.session, self.lab, round(bounds.RUN_WEEKS.parse(self.text("run-weeks")))
            )
        if kind.startswith("renew:"):
            weeks, most = self.text("renew-weeks").strip(), self.text("renew-price").strip()
            return standing.renew_order(
                self.session,
                self.lab,
                int(kind.split(":")[1]),
                weeks=round(bounds.RENEW_WEEKS.parse(weeks)) if weeks else 0,
                max_price=bounds.RENEW_PRICE.parse(most) if most else 0.0,
            )
        if kind.startswith("fill:"):
            _, gpu, vendor = kind.split(":")
            return standing.fill_order(self.session, self.lab, gpu, vendor)
        raise Refused("choose a standing order")

    @on(Select.Changed, "#standing-kind")
    def _standing_fields(self) -> None:
        """Only the fields of the kind chosen: a run's budget, a renewal's terms."""
        kind = str(self.value("standing-kind"))
        self.query_one("#flop").parent.display = kind == "run"  # type: ignore[union-attr]
        self.query_one("#run-weeks").parent.display = kind == "runs"  # type: ignore[union-attr]
        for widget_id in ("renew-weeks", "renew-price"):
            self.query_one(f"#{widget_id}").parent.display = kind.startswith("renew:")  # type: ignore[union-attr]

    @on(Select.Changed, "#way")
    def _way_fields(self) -> None:
        """The GPU count only for a sale: Enter in it booked whatever way out was chosen
        (a play-tester's Enter there paused the halls at Memphis)."""
        self.query_one("#count").parent.display = str(self.value("way")).startswith("sell:")  # type: ignore[union-attr]

    @on(Button.Pressed, "#set-standing")
    def set_standing(self) -> None:
        try:
            text = standing.add(self.session, self._standing_order())
        except Refused as err:
            self.say(str(err), failed=True)
            return
        self.refresh_view()
        self.say(text + " (the game takes it at the start of each week)")

    def action_cancel_standing(self) -> None:
        table = self.query_one("#standing", DataTable)
        if table.row_count == 0:
            self.say("No standing order to cancel.", failed=True)
            return
        if self.focused is not table:  # x in the form cancelled the table's row, unseen
            table.focus()
            self.say("x cancels the highlighted order of this table: x again to cancel it.", failed=True)
            return
        row_index = table.cursor_row
        mine = standing.orders(self.session, self.lab)
        try:
            text = standing.cancel(self.session, self.lab, row_index)
        except Refused as err:
            self.say(str(err), failed=True)
            return
        self._cancelled: standing.StandingOrder | None = mine[row_index]  # u sets it again (x asked nothing)
        self.refresh_view()
        self.say(f"{text} (u sets it again)")

    def action_restore_standing(self) -> None:
        gone = getattr(self, "_cancelled", None)
        if gone is None:
            self.say("No cancelled standing order to set again.", failed=True)
            return
        try:
            text = standing.add(self.session, gone)
        except Refused as err:
            self.say(str(err), failed=True)
            return
        self._cancelled = None
        self.refresh_view()
        self.say(text)

    # ------------------------------------------------------------- ways out
    def decision(self) -> Decision:
        way = self.value("way")
        if way is Select.NULL or not way:
            raise Refused("nothing to get out of: no halls under construction, GPUs or contracts")
        what, _, arg = str(way).partition(":")
        if what == "cancel":
            return exits.CancelHalls(arg)
        if what in ("pause", "resume"):
            return exits.ResumeHalls(arg) if what == "resume" else exits.PauseHalls(arg)
        if what == "sell":
            return exits.SellGpus(arg, int(bounds.SELL_GPUS.parse(self.text("count"))))
        return exits.Sublet(int(arg))

    def preview(self) -> str:
        d = self.decision()
        d.check(self.session.params, self.session.world, self.lab, self.session.book(self.lab))
        return exits.preview(self.turn, d)

    def on_resize(self, event: Resize) -> None:
        if self.is_mounted:
            self.refresh_view()  # the orders wrap to the new width

    def refresh_view(self) -> None:
        table = self.query_one("#standing", DataTable)
        rows = standing_rows(self.session, self.lab)
        table.clear(columns=True)  # an order's words wrap in its row to the terminal's width
        table.add_column("#", width=2)
        width = self.app.size.width - STANDING_CHROME
        table.add_column("standing order", width=max(20, min(width, max((len(t) for t in rows), default=0))))
        for i, text in enumerate(rows):
            table.add_row(str(i + 1), text, key=str(i), height=None)
        table.display = table.row_count > 0
        try:
            order = self._standing_order()
            self.show("standing-preview", plain(standing.describe(self.session, order)))
        except Refused as err:
            self.show("standing-preview", plain(str(err)))
        super().refresh_view()

    @on(Select.Changed, "#standing-kind")
    @on(Select.Changed, "#way")
    @on(Input.Changed, "#flop")
    @on(Input.Changed, "#run-weeks")
    @on(Input.Changed, "#renew-weeks")
    @on(Input.Changed, "#renew-price")
    def _choice_changed(self) -> None:
        self.refresh_view()

    def confirm(self) -> None:
        """A way out that sells, sublets or drops what was paid for is reviewed first (a
        play-tester's arrow slipped in the list and booked a sublet unasked)."""
        from game.tui.screens.dialogs import ReviewScreen

        try:
            d = self.decision()
        except Refused as err:
            self.say(str(err), failed=True)
            return
        if not isinstance(d, exits.Sublet | exits.SellGpus | exits.CancelHalls):
            self.submit(d)
            return
        note = "It goes in this week's orders: b cancels it until the week ends; then it is done."
        terms = [exits.preview(self.turn, d)]
        self.app.push_screen(
            ReviewScreen(f"Review: {d.label(self.session.params)}", terms, note, "Add to the orders"),
            lambda yes: self.submit(d) if yes else self.say("Not added: nothing changed."),
        )

    def submit(self, decision: Decision, confirmed: bool = False) -> None:
        super().submit(decision, confirmed)
        self._reload_ways()

    def _reload_ways(self) -> None:
        """The ways out follow the book (a site paused this week offers no second pause)."""
        select = self.query_one("#way", Select)
        options = self._way_options()
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options(options)
            values = [v for _, v in options]
            if values:
                select.value = current if current in values else values[0]
        self.refresh_view()
