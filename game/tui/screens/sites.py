"""Sites and power."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import (
    Input,
    Select,
)

from game.tui.format import parse_number
from game.tui.screens.decision import DecisionScreen
from game.tui.widgets.form import row


class SitesScreen(DecisionScreen):
    TITLE_TEXT = "Sites and power: build halls, order turbines"

    def fields(self) -> ComposeResult:
        p = self.session.params
        yield row(
            "Site",
            Select(
                [(s.name, s.id) for s in p.catalog.sites], value=p.site_ids[0], id="site", allow_blank=False
            ),
        )
        yield row(
            "What",
            Select(
                [
                    ("Halls (MW)", "halls"),
                    ("Gas turbines (MW)", "turbines"),
                    ("Substation upgrade (one step)", "substation"),
                ],
                value="halls",
                id="what",
                allow_blank=False,
            ),
        )
        yield row("Megawatts", Input(value="50", id="mw"))

    def preview(self) -> str:
        s, p = self.session, self.session.params
        site = p.site_ids.index(str(self.value("site")))
        w = s.world
        free = w.grid_mw[0, site] - w.grid_alloc[0, :, site].sum()
        turb_room = (
            p.site_turbine_max[site] - (w.turbine_mw[0, :, site] + w.turbine_pending[0, :, site]).sum()
        )
        return (
            f"Grid {w.grid_mw[0, site]:,.0f} MW ({free:,.0f} unclaimed, up to {p.site_grid_max[site]:,.0f} with substations). "
            f"Halls ${p.site_build_usd_per_mw[site] / 1e6:,.1f}M/MW at {p.site_build_mw_per_week[site]:g} MW a week. "
            f"Turbines ${p.site_turbine_usd_per_mw[site] / 1e6:,.1f}M/MW in {p.site_turbine_weeks[site]} weeks; "
            f"{max(turb_room, 0):,.0f} MW permitted left. Power ${p.site_power_usd_per_mwh[site]:g}/MWh."
        )

    def decide(self) -> str:
        site = str(self.value("site"))
        if self.value("what") == "substation":
            return self.session.upgrade_substation(self.lab, site)
        mw = parse_number(self.value("mw"), "megawatts", 1, 5000)
        if self.value("what") == "turbines":
            return self.session.order_turbines(self.lab, site, mw)
        return self.session.build_halls(self.lab, site, mw)
