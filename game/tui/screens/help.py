"""How to play."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import (
    Static,
)

from game.tui.screens.decision import DecisionScreen


class HelpScreen(DecisionScreen):
    TITLE_TEXT = "How to play"

    def fields(self) -> ComposeResult:
        yield Static(HELP_TEXT)

    def on_mount(self) -> None:
        self.query_one("#confirm").display = False


HELP_TEXT = """\
Each turn is a week. Make your decisions on the screens below, then press n to end the week
(f fast-forwards until something needs you; f again stops). The first lab to release a model
at the AGI capability wins; run out of cash and credit and you are out.

  m  Market     buy GPUs from NVIDIA via Dell or Supermicro; they arrive after the lead time
  s  Sites      build halls (MW), order gas turbines, upgrade substations: GPUs only run in
                halls that have power
  d  Deals      offer Oracle, Microsoft or CoreWeave a rental; they accept, counter, stall
                (with a reason) or reject. A counter's terms are filled in: confirm to accept.
  t  Training   start a run (C FLOP, or N parameters with D = 20N) and set the compute split
  c  Finance    raise a round (dilutes you) or borrow against your GPUs; last week's P&L
  r  Rivals     what the news says about the others
  o  Odds       a forecast: hundreds of futures played from this week
  ctrl+s save, ctrl+p the command palette (every action, and themes), q quit.

Capability is log10 of a model's effective compute (GPT-4 is 25.3). Effective compute is the
run's FLOP times your software efficiency when it started; research raises that ~3x a year,
faster with research compute and a stronger model."""
