"""Rival intel."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import (
    Static,
)

from game.tui.format import money
from game.tui.screens.decision import DecisionScreen


class RivalsScreen(DecisionScreen):
    """What the news lets you know about the other labs (estimates)."""

    TITLE_TEXT = "Rival intel (from the news: estimates, rounded)"

    def fields(self) -> ComposeResult:
        yield Static(id="intel")

    def on_mount(self) -> None:
        from game.engine import compute

        s = self.session
        w, p = s.world, s.params
        peak, _, n = compute.lab_flops(p, w)
        lines = []
        for i in range(p.n_labs):
            if i == self.lab:
                continue
            rough = lambda x: float(f"{x:.1g}")  # noqa: E731 - the press rounds to one figure
            running = [k for k in range(w.run_phase.shape[-1]) if w.run_phase[0, i, k] != 0]
            lines += [
                f"[b]{s.lab_name(i)}[/b]",
                f"  best model about {w.best_model[0, i]:.1f}; {len(running)} run(s) under way",
                f"  about {rough(n[0, i]):,.0f} GPUs, {rough(peak[0, i] / 1e18):,.0f} EFLOP/s",
                f"  valued near {money(rough(float(w.valuation[0, i])))}; about {rough(w.users[0, i] / 1e6):,.0f}M users",
            ]
        self.query_one("#intel", Static).update("\n".join(lines))
        self.query_one("#confirm").display = False
