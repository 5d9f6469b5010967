"""Orders and deliveries: this week's decisions with their cost against cash (cancel
any before the week ends), GPUs on order with their arrival dates, and what waits for
power."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import DataTable, Static

from game.play import intel, market, risk, views
from game.play.decisions import Refused
from game.play.words import session as say
from game.tui import bindings
from game.tui.format import count, day, money, mw
from game.tui.screens.base import GameScreen, error, plain, styled
from game.tui.widgets.standing import StandingPanel
from game.tui.widgets.table import RowTable

# The book's columns before the decision, with their widths (a date is 11 characters), and
# what the page takes beside the table: its padding and scroll bar, the table's focus
# border and scroll bar.
BOOK_COLUMNS = {"#": 2, "cash": 8, "arrives": 11}
BOOK_CHROME = 2 + 2 + 1 + 2
DECISION_MIN = 20


class BookScreen(GameScreen):
    BINDINGS = bindings.FORM + bindings.BOOK
    AUTO_FOCUS = "#book"  # the arrows move through this week's decisions at once

    def body(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static(
                styled(
                    "[b]This week's decisions[/b]: what each costs this week (x cancels one, u undoes)"
                ),
                classes="form-title",
            )
            yield RowTable(id="book")
            yield Static(id="totals", markup=False)
            yield StandingPanel(self.session, self.lab)
            yield Static(id="orders-title")
            yield DataTable(id="orders", cursor_type="none", zebra_stripes=True, show_cursor=False)
            yield Static(id="waiting", markup=False)
            yield Static(id="message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#orders", DataTable).add_columns("GPUs", "via", "arrive")
        super().on_mount()

    def on_resize(self, event: Resize) -> None:
        if self.is_mounted:
            self.refresh_view()  # the decisions wrap to the new width

    def _decision_width(self, labels: list[str]) -> int:
        """The decision column's width: what the terminal leaves beside the other columns
        (a long decision wraps onto more lines of its row rather than off the screen)."""
        room = self.app.size.width - BOOK_CHROME - sum(w + 2 for w in BOOK_COLUMNS.values()) - 2
        return max(DECISION_MIN, min(room, max((len(x) for x in labels), default=0)))

    def refresh_view(self) -> None:
        s, lab = self.session, self.lab
        self.query_one(StandingPanel).refresh_view()
        table = self.query_one("#book", DataTable)
        lines = views.book_view(self.turn)
        row = table.cursor_row
        table.clear(columns=True)
        for name, width in BOOK_COLUMNS.items():
            table.add_column(name, width=width)
        table.add_column("decision", width=self._decision_width([line.label for line in lines]))
        for line in lines:
            arrives = day(line.arrives) if line.arrives else ""
            table.add_row(
                str(line.index + 1), money(-line.cost), arrives, line.label, key=str(line.index), height=None
            )
        if lines:  # the cursor stays on the decision it was on
            table.move_cursor(row=min(row, len(lines) - 1), animate=False)
        v = views.lab_view(self.turn)
        preview = s.preview(lab)
        building = (
            f" and this week's work on halls under way {money(preview.building)}"
            if preview.building >= 0.5e6
            else ""
        )
        if preview.closing >= 0.5e6:
            building += f"; a round brings in {money(preview.closing)}"
        if lines:
            totals = (
                f"Cash {money(v.cash)}; these decisions "
                + (
                    f"cost {money(-preview.spend)}"
                    if preview.spend <= 0
                    else f"bring in {money(preview.spend)}"
                )
                + f" this week{building}; you keep {money(preview.cash_after)} before the week's "
                f"revenue and running costs. Runway after them: {risk.runway_text(risk.runway_weeks(self.turn, preview.world))}."
            )
        else:
            totals = bindings.rekey(
                "Nothing decided yet this week (m, s, t and c add decisions; deals, d, are signed at once).",
                getattr(self.app, "keymap", None),
            )
        talks = len(s.rounds.get(lab, []))
        if talks:  # talks are not decisions: what they signed binds already
            totals += (
                f"\nTalks with partners this week: {talks}. A deal a partner accepted is not in this list: "
                "it was signed at once, and is left (at its penalty) from the deals screen."
            )
        self.show("totals", totals)
        held = len(views.orders_view(self.turn))
        self.show(
            "orders-title",
            styled(
                f"[b]On order[/b]: {held} of the {market.ORDER_SLOTS} order slots held (each GPU type and "
                "integrator ordered takes one until delivered; o comes here)"
            ),
        )
        orders = self.query_one("#orders", DataTable)
        orders.clear()
        for o in views.orders_view(self.turn):
            orders.add_row(f"{count(o.count)} {o.gpu}", o.vendor, day(o.arrive_date))
        waiting = []
        if v.warehouse:
            waiting.append(
                f"In the warehouse: {count(v.warehouse)} GPUs waiting for {mw(v.warehouse_mw)} of powered halls."
            )
        for site in v.sites:
            if site.unpowered_halls_mw >= 1:
                waiting.append(
                    intel.unpowered_alert(site).text.removesuffix(" (s: turbines, substation)") + "."
                )
            if site.building_mw:
                state = "paused" if site.paused else "under construction"
                waiting.append(f"{site.short_name}: {mw(site.building_mw)} of halls {state}.")
        self.show("waiting", "\n".join(waiting) or "Nothing waits for power.")

    def action_see_orders(self) -> None:
        """Bring the GPUs on order into sight (below a long book at 80x24 they were out of
        reach: the arrows and PageDown move through the decisions)."""
        self.query_one("#orders", DataTable).focus()
        self.query_one("#orders-title").scroll_visible(animate=False, top=True)

    def action_cancel_decision(self) -> None:
        table = self.query_one("#book", DataTable)
        if table.row_count == 0:
            self.show("message", error("Nothing to cancel."))
            return
        if self.focused is not table:  # the highlighted decision may be out of sight: show it first
            table.focus()
            self.show("message", plain("x cancels the highlighted decision: pick it, then x again."))
            return
        row = table.cursor_row
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        before = self.session.book(self.lab)
        try:
            text = self.session.cancel(self.lab, int(str(key)))
        except Refused as err:
            self.show("message", error(str(err)))
            return
        after = self.session.book(self.lab)
        # what u brings back: the cancelled decision and any it took with it, this week
        self._undo = (self.session.week, [d for d in before if d not in after])
        hint = bindings.rekey(" (u brings it back)", getattr(self.app, "keymap", None), bindings.BOOK)
        self.show("message", plain(text + hint))
        self.refresh_view()
        if table.row_count:  # the cursor stays where it was (on the next decision)
            table.move_cursor(row=min(row, table.row_count - 1))

    def action_restore_decision(self) -> None:
        """Undo the last cancel this week: its decisions are booked again, after the
        book's checks (a decision the week no longer allows stays out, and says why)."""
        week, gone = getattr(self, "_undo", (-1, []))
        self._undo = (-1, [])
        if week != self.session.week or not gone:
            self.show("message", error(say.nothing_to_restore()))
            return
        labels, refused = [], []
        for decision in gone:
            try:
                self.session.decide(self.lab, decision, confirmed=True)
                labels.append(decision.label(self.session.params))
            except Refused as why:
                refused.append((decision.label(self.session.params), str(why)))
        self.show("message", (error if refused and not labels else plain)(say.restored(labels, refused)))
        self.refresh_view()
        table = self.query_one("#book", DataTable)
        if table.row_count:  # the cursor on the decision brought back (the book's last)
            table.move_cursor(row=table.row_count - 1)
