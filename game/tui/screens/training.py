"""Training runs and the compute split."""

from __future__ import annotations

import math

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
from game.tui.format import parse_number
from game.tui.screens.decision import DecisionScreen
from game.tui.widgets.form import row


class TrainingScreen(DecisionScreen):
    TITLE_TEXT = "Training: plan a run (by compute budget, or by model size with D = 20N)"

    def fields(self) -> ComposeResult:
        yield row(
            "Plan by",
            Select(
                [
                    ("Compute budget C (FLOP)", "flop"),
                    ("Parameters N (Chinchilla: D = 20N, C = 6ND)", "params"),
                ],
                value="flop",
                id="mode",
                allow_blank=False,
            ),
        )
        yield row("Amount", Input(value="1e26", id="amount"))
        yield Label("Compute split: training / inference / research (%)")
        with Horizontal():
            split = self.session.world.split[0, self.lab]
            yield Input(value=f"{split[0] * 100:.0f}", id="train")
            yield Input(value=f"{split[1] * 100:.0f}", id="infer")
            yield Input(value=f"{split[2] * 100:.0f}", id="research")
        yield Button("Set split", id="split")

    def _flop(self) -> float:
        from game.engine.training import chinchilla_flop

        amount = parse_number(self.value("amount"), "amount", 1, 1e40)
        if self.value("mode") == "params":
            return float(chinchilla_flop(amount, self.session.params))
        return amount

    def preview(self) -> str:
        s = self.session
        flop = self._flop()
        eta = s._eta(self.lab, flop)
        cap = math.log10(flop) + float(s.world.software[0, self.lab])
        weeks = "never at today's compute" if math.isinf(eta) else f"~{eta:,.0f} weeks of training"
        post = s.params.rules.training.post_training_weeks
        return f"{flop:.2e} FLOP: {weeks} + {post} weeks of post-training; capability {cap:.2f} (best now {s.world.best_model[0, self.lab]:.2f})"

    def decide(self) -> str:
        return self.session.start_run(self.lab, self._flop())

    @on(Button.Pressed, "#split")
    def _split(self) -> None:
        message = self.query_one("#message", Static)
        try:
            shares = [parse_number(self.value(k), k, 0, 100) for k in ("train", "infer", "research")]
            text = self.session.set_split(self.lab, *shares)
        except Refused as err:
            message.update(f"[red]{err}[/red]")
            return
        message.update(text)
