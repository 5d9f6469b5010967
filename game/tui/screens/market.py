"""Market: buy GPUs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import (
    Input,
    Select,
)

from game.tui.format import parse_number
from game.tui.screens.decision import DecisionScreen
from game.tui.widgets.form import row


class MarketScreen(DecisionScreen):
    TITLE_TEXT = "Market: buy GPUs from NVIDIA through an integrator"

    def fields(self) -> ComposeResult:
        p = self.session.params
        yield row(
            "GPU", Select([(g.name, g.id) for g in p.catalog.gpus], value="H100", id="gpu", allow_blank=False)
        )
        yield row("Count", Input(value="10000", id="count"))
        yield row(
            "Integrator",
            Select(
                [(v.name, v.id) for v in p.catalog.integrators],
                value=p.integrator_ids[0],
                id="vendor",
                allow_blank=False,
            ),
        )

    def preview(self) -> str:
        from game.engine import compute

        s, p = self.session, self.session.params
        gpu, vendor = str(self.value("gpu")), str(self.value("vendor"))
        count = parse_number(self.value("count"), "count", 1, 10_000_000, integer=True)
        g, v = p.gpu_ids.index(gpu), p.integrator_ids.index(vendor)
        unit = s.unit_price(g, v)
        left = p.supply_per_quarter[compute.week_row(p, s.world)[0], g] - s.world.nvidia_ordered[0, g]
        mw = count * p.gpu_kw[g] / 1000
        lead = int(p.integrator_lead[v])
        return (
            f"${unit:,.0f} per GPU in servers -> ${count * unit / 1e9:,.2f}B. NVIDIA has {max(left, 0):,.0f} {gpu} "
            f"left this quarter. Lead time {lead} weeks+. Needs {mw:,.1f} MW of powered halls."
        )

    def decide(self) -> str:
        count = parse_number(self.value("count"), "count", 1, 10_000_000, integer=True)
        return self.session.order_gpus(
            self.lab, str(self.value("gpu")), int(count), str(self.value("vendor"))
        )
