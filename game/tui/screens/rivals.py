"""Rival intel: what news, leaks and hiring tell you about the other labs (estimates
with a band; released models are public), and the race of capability over time."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.play import intel, views
from game.tui import bindings
from game.tui.format import count, flops, money, rough
from game.tui.screens.base import GameScreen, plain, styled
from game.tui.widgets.charts import RaceChart


class RivalsScreen(GameScreen):
    BINDINGS = bindings.FORM

    def body(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static(
                styled("[b]Rival intel[/b]: estimates from news, leaks and hiring (~ +-35%)"),
                classes="form-title",
            )
            yield Static(id="intel", markup=False)
            yield Static(styled("[b]Capability over time[/b] (released models, every lab, one scale)"))
            yield RaceChart(self._series(), lambda x: f"{x:.2f}", id="race-chart")

    def _series(self) -> list[tuple[str, list[float]]]:
        s = self.session
        return [(s.lab_name(i), [h.capability[i] for h in s.history]) for i in range(s.params.n_labs)]

    def refresh_view(self) -> None:
        lines: list[Content] = []
        for r in intel.rival_views(self.turn):
            lines.append(
                styled(
                    "[b]$name[/b]: best model $cap ($pct of GPT-4's $gpt4 to AGI's ~$agi)",
                    name=r.name,
                    cap=f"{r.best_model:.2f}",
                    pct=f"{r.agi_progress:.0%}",
                    gpt4=f"{views.GPT4_CAPABILITY:.1f}",
                    agi=f"{self.session.params.agi_capability:.1f}",
                )
            )
            lines.append(
                plain(
                    f"  ~{count(rough(r.gpus))} GPUs, ~{flops(rough(r.compute))}; valued ~{money(rough(r.valuation))}; ~{count(rough(r.users))} users"
                )
            )
            for run in r.runs:
                size = f"{run.flop_low:.1e}-{run.flop_high:.1e}".replace("e+", "e")
                band = f"{run.capability_low:.1f}-{run.capability_high:.1f}"
                if run.phase == "training":
                    lines.append(plain(f"  training {size} FLOP -> capability {band}, in {run.eta_text}"))
                else:
                    lines.append(plain(f"  post-training a model of capability {band}: out within weeks"))
            if not r.runs:
                lines.append(plain("  no run under way that the press knows of"))
        self.query_one("#intel", Static).update(
            Content("\n").join(lines) if lines else plain("You race alone.")
        )
        chart = self.query_one("#race-chart", RaceChart)
        chart.series = self._series()
        chart.refresh()
