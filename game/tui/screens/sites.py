"""Sites and power: build halls, order gas turbines, upgrade substations."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, DataTable, Input, Select, Static

from game.play import decisions, market
from game.tui import bounds
from game.tui.format import money, mw, mw_down, weeks
from game.tui.screens.base import FormScreen
from game.tui.widgets.form import FieldKeys, choice, field_keys, keys_hint, number, rebound, row
from game.tui.widgets.table import RowTable

LEGEND = "free, max: grid MW · permits: turbine MW left · MW/wk: halls built a week"
WHAT = [("Halls (MW)", "halls"), ("Gas turbines (MW)", "turbines"), ("Substation upgrade", "substation")]


class SitesScreen(FieldKeys, FormScreen):
    TITLE_TEXT = "Sites and power: GPUs run only in halls that have power"
    BINDINGS = [
        *field_keys({"s": "site", "w": "what", "m": "mw"}),
        # up and down pick the site from the table from a field or a button (before the
        # form scrolls; page up and down still do), not from a dropdown or the table itself
        Binding("down", "next_site(1)", "next site", show=False, priority=True),
        Binding("up", "next_site(-1)", "previous site", show=False, priority=True),
    ]
    SAYS_DROPPED = True

    def info(self) -> ComposeResult:
        table: DataTable[str] = RowTable(id="site-table")
        table.tooltip = (
            "Free: grid MW no lab's halls hold yet; max: the grid with every substation upgrade. "
            "Halls/power: your halls built / the power you draw on (grid share + turbines). Permits: MW "
            "of turbines the permits still allow. $/MW: a hall's cost. MW/wk: MW of halls the site's "
            "crews finish a week (a lab's builds there queue)."
        )
        yield table
        yield Static(LEGEND, classes="hint", markup=False)

    def fields(self) -> ComposeResult:
        rows = market.site_rows(self.turn)
        yield keys_hint()
        yield row(
            "Site", choice("site", [(r.name.split(",")[0], r.id) for r in rows], value=rows[0].id), key="s"
        )
        yield row("What", choice("what", WHAT, value="halls"), key="w")
        yield row("Megawatts", number("mw", bounds.HALL_MW, "50"), key="m")

    def on_mount(self) -> None:
        table = self.query_one("#site-table", DataTable)
        table.add_columns("site", "free", "max", "halls/power", "permits", "$/MW", "MW/wk")
        for r in market.site_rows(self.turn):
            yours = f"{r.yours.hall_mw:,.0f}/{mw(r.yours.power_mw)}" if r.yours else "-"
            table.add_row(
                r.name.split(",")[0],
                mw_down(r.grid_free_mw),
                mw(r.grid_max_mw),
                yours,
                mw_down(r.turbine_room_mw),
                money(r.hall_usd_per_mw),
                f"{r.hall_mw_per_week:,.3g}",
                key=r.id,
            )
        super().on_mount()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#site").value = str(event.row_key.value)  # type: ignore[attr-defined]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The site list is the one place the form reads its site: the table's cursor sets
        it only when the player moves it in the table (a cursor that followed the list,
        late, set it back: a tester's halls went to Abilene with Atlanta typed)."""
        if event.data_table.has_focus:
            self.query_one("#site").value = str(event.row_key.value)  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_site":
            return isinstance(self.focused, Input | Button)
        return super().check_action(action, parameters)

    def action_next_site(self, step: int) -> None:
        """The next or previous site in the table's order (the list changes; the table's
        cursor follows it)."""
        select = self.query_one("#site", Select)
        ids = [r.id for r in market.site_rows(self.turn)]
        at = ids.index(str(select.value)) if select.value in ids else 0
        select.value = ids[min(max(at + step, 0), len(ids) - 1)]

    @on(Select.Changed, "#site")
    def _site_chosen(self, event: Select.Changed) -> None:
        table = self.query_one("#site-table", DataTable)
        if not event.select.is_blank():
            row = table.get_row_index(str(event.value))
            if row != table.cursor_row:
                table.move_cursor(row=row)

    def _mw(self) -> bounds.Bound:
        """The megawatts a week may ask for: turbines or halls (the one table's limits)."""
        return bounds.TURBINE_MW if self.value("what") == "turbines" else bounds.HALL_MW

    @on(Select.Changed, "#what")
    def _what_changed(self) -> None:
        field = self.query_one("#mw", Input)
        rebound(field, self._mw())
        # an upgrade's size is the site's (its preview says it): no megawatts to type
        if field.parent is not None:
            field.parent.display = self.value("what") != "substation"

    def decision(self) -> decisions.Decision:
        site, what = str(self.value("site")), self.value("what")
        if what == "substation":
            return decisions.UpgradeSubstation(site)
        amount = self._mw().parse(self.text("mw"))
        if what == "turbines":
            return decisions.OrderTurbines(site, amount)
        return decisions.BuildHalls(site, amount)

    def preview(self) -> str:
        r = next(x for x in market.site_rows(self.turn) if x.id == self.value("site"))
        return self._plan(r) + self._coming(r)

    def submit(self, decision: decisions.Decision, confirmed: bool = False) -> None:
        super().submit(decision, confirmed)
        if decision not in self.session.book(self.lab):
            return
        if isinstance(decision, decisions.BuildHalls):
            self._power_next(decision)
        elif isinstance(decision, decisions.OrderTurbines) and getattr(self, "_halls_mw", 0.0) > 0:
            self._halls_again(self._halls_mw)

    def _halls_again(self, mw_: float) -> None:
        """After the turbines for halls just booked: back to halls of the same size, so the
        next site takes Up or Down, Enter, Enter (each site took ten keys: a tester's most)."""
        self._halls_mw = 0.0
        self._turn_to("halls", mw_, f"Back to halls: Up or Down picks another site, Enter builds {mw(mw_)} there.")

    def _turn_to(self, what: str, mw_: float, words: str) -> None:
        """The form set to `what` of `mw_` MW, the focus in the megawatts, and `words` said
        after what was just added (the fields' change events leave them: hold_message)."""
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one("#what", Select).value = what
            field = self.query_one("#mw", Input)
            rebound(field, bounds.TURBINE_MW if what == "turbines" else bounds.HALL_MW)
            field.value = f"{mw_:g}"
        field.focus()
        field.select_all()
        self.hold_message()
        self._update_preview()
        added = str(self.query_one("#message", Static).render())
        self.say(f"{added} {words}")
        self._settle()  # as the form left them: leaving says nothing was dropped (it said so)

    def _power_next(self, halls: decisions.BuildHalls) -> None:
        """Halls booked that the power on its way will not run: the form turns to turbines
        for them, so one Enter orders them (halls, then turbines, took two passes through
        the form at every site: a play-tester's most used keys)."""
        need = market.turbines_for(self.turn, halls.site)
        self._halls_mw = halls.mw if need >= 1 else 0.0  # the form comes back to them after
        if need < 1:
            return
        r = next(x for x in market.site_rows(self.turn) if x.id == halls.site)
        free = (
            f" The {mw_down(r.grid_free_mw)} of grid free here is not counted: halls take it only as they finish,"
            " and other labs' halls may take it first."
            if r.grid_free_mw >= 1
            else ""
        )  # (a tester declined them beside 300 MW free; by his halls' end it was gone)
        self._turn_to("turbines", need, f"Enter orders {mw(need)} of turbines to run them.{free}")

    @staticmethod
    def _coming(r: market.SiteRow) -> str:
        """The power already on its way to the lab at this site."""
        y, parts = r.yours, []
        if y and y.turbines_pending_mw:
            parts.append(f"{mw(y.turbines_pending_mw)} of turbines in {weeks(y.turbines_weeks)}")
        if y and y.grid_coming_mw:
            parts.append(f"{mw(y.grid_coming_mw)} of grid in {weeks(y.grid_weeks)}")
        return f" Coming to you here: {', '.join(parts)}." if parts else ""

    def _plan(self, r: market.SiteRow) -> str:
        what = self.value("what")
        if what == "substation":
            if r.substation_weeks_left:  # one upgrade at a time at a site: this one would be refused
                return (
                    f"{r.name}: grid {mw(r.grid_mw)} of {mw(r.grid_max_mw)} possible. An upgrade is already "
                    f"under way ({weeks(r.substation_weeks_left)} left): another can start once it is done."
                )
            return (
                f"{r.name}: grid {mw(r.grid_mw)} of {mw(r.grid_max_mw)} possible. An upgrade adds "
                f"{mw(r.substation_mw)} for you in {weeks(r.substation_weeks)} for {money(r.substation_usd)}, "
                f"{money(r.substation_deposit_usd)} of it a deposit on the claim: it comes back as your halls "
                f"draw on the power, and is lost with the unused part after "
                f"{weeks(self.session.params.rules.grid.claim_lapse_weeks)} unused."
            )
        amount = self._mw().parse(self.text("mw"))
        if what == "turbines":
            return (
                f"{mw(amount)} of turbines: {money(amount * r.turbine_usd_per_mw)}, running in "
                f"{weeks(r.turbine_weeks)}; the permits allow {mw_down(r.turbine_room_mw)} more. Their fuel costs "
                f"more than this site's grid power ({money(r.power_usd_per_mwh)}/MWh)."
                + (
                    f" The {mw(r.yours.turbines_pending_mw)} on their way would then start with them."
                    if r.yours and r.yours.turbines_pending_mw and r.yours.turbines_weeks < r.turbine_weeks
                    else ""
                )
            )
        plan = market.hall_plan(self.turn, r.id, amount)
        spare = max(r.yours.power_mw - r.yours.hall_mw - r.yours.building_mw, 0.0) if r.yours else 0.0
        booked = market.booked_turbines(self.turn, r.id)
        power = f"your spare power here {mw(spare)}; " if spare >= 1 else ""
        if booked >= 1:  # (what is already on its way is said after, in "Coming to you here")
            power += f"{mw(booked)} of turbines in this week's orders; "
        behind = f", after the {mw(plan.ahead)} building or in this week's orders" if plan.ahead else ""
        return (
            f"{mw(amount)} of halls: {money(plan.cost)} paid as built, done in ~{plan.weeks:.0f} weeks "
            f"({mw(plan.rate)} a week here{behind}). Power: {power}{mw_down(r.grid_free_mw)} of grid free, taken by "
            "halls as they finish (other labs compete)."
        )
