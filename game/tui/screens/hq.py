"""The HQ dashboard: your lab at a glance, the race, the news."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Label,
    ProgressBar,
    Static,
)

from game.play.session import Session
from game.tui.format import bars, money

if TYPE_CHECKING:
    from game.tui.app import AgiRaceApp


# ------------------------------------------------------------------------- HQ
class HQScreen(Screen):
    """The dashboard: your lab at a glance, the race, the news."""

    BINDINGS = [
        Binding("n", "app.end_week", "End week", id="end-week"),
        Binding("f", "app.fast_forward", "Fast-forward", id="fast-forward"),
        Binding("m", "app.open('market')", "Market", id="market"),
        Binding("s", "app.open('sites')", "Sites", id="sites"),
        Binding("d", "app.open('deals')", "Deals", id="deals"),
        Binding("t", "app.open('training')", "Training", id="training"),
        Binding("c", "app.open('finance')", "Finance", id="finance"),
        Binding("r", "app.open('rivals')", "Rivals", id="rivals"),
        Binding("o", "app.open('forecast')", "Odds", id="forecast"),
        Binding("question_mark,h", "app.open('help')", "Help", id="help"),
        Binding("tab", "app.next_player", "Next player", id="next-player", show=False),
        Binding("ctrl+s", "app.save", "Save", id="save"),
        Binding("q", "app.request_quit", "Quit", id="quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="hq"):
            with Vertical(id="hq-left"):
                yield Static(id="lab-panel")
                yield Label("AGI progress")
                yield ProgressBar(total=100, show_eta=False, id="agi-you")
                yield Label("Rival's best (estimate)", id="rival-label")
                yield ProgressBar(total=100, show_eta=False, id="agi-rival")
                yield Static(id="runs-panel")
            with Vertical(id="hq-right"):
                yield DataTable(id="race", cursor_type="none", zebra_stripes=True)
                yield Static(id="charts")
                yield Static(id="news")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#race", DataTable)
        table.add_columns("lab", "model", "compute", "users", "cash", "value")
        self.refresh_view()

    def refresh_view(self) -> None:
        app = cast("AgiRaceApp", self.app)
        session: Session | None = app.session
        assert session is not None  # the HQ shows a game
        lab = app.player
        snap = session.snapshot(lab)
        name = session.lab_name(lab)
        self.sub_title = f"{name} - week {session.week} - {session.date.isoformat()}"
        c = snap["compute"]
        runway = "no burn" if math.isinf(snap["runway"]) else f"{snap['runway']:,.0f} weeks"
        lines = [
            f"[b]{name}[/b]  {session.date:%d %b %Y} (week {session.week})",
            f"Cash {money(snap['cash'])}   burn {money(snap['burn'])}/week   runway {runway}",
            f"Debt {money(snap['debt'])}   valuation {money(snap['valuation'])}   your share {snap['share']:.1%}",
            f"Users {snap['users'] / 1e6:,.0f}M   revenue {money(snap['revenue'])}/week",
            f"Compute (EFLOP/s): training {c['training'] / 1e18:,.0f}, inference {c['inference'] / 1e18:,.0f}, "
            f"research {c['research'] / 1e18:,.0f}",
            f"GPUs working {snap['gpus']:,.0f}, in warehouse {snap['warehouse']:,}, on order {snap['on_order']:,}",
            f"Best model {snap['best_model']:.2f} (AGI at {session.params.agi_capability:.1f})   software {snap['software']:+.2f}",
        ]
        for site in snap["sites"]:
            lines.append(
                f"  {site['name']}: {site['used_mw']:,.0f} of {min(site['hall_mw'], site['power_mw']):,.0f} MW used"
                + (f", {site['building_mw']:,.0f} MW being built" if site["building_mw"] else "")
            )
        self.query_one("#lab-panel", Static).update("\n".join(lines))
        self.query_one("#agi-you", ProgressBar).update(progress=100 * snap["agi_progress"])
        rivals = [i for i in range(session.params.n_labs) if i != lab]
        best_rival = max(rivals, key=lambda i: session.world.best_model[0, i])
        rival_cap = float(session.world.best_model[0, best_rival])
        self.query_one("#rival-label", Label).update(
            f"Rival's best: {session.lab_name(best_rival)} (estimate)"
        )
        self.query_one("#agi-rival", ProgressBar).update(progress=100 * session.agi_progress(rival_cap))
        runs = ["[b]Training runs[/b]"]
        for run in snap["runs"]:
            eta = f", ~{run['eta_weeks']:,.0f} weeks left" if run["eta_weeks"] is not None else ""
            post = (
                f", {run['post_weeks_left']} weeks to release" if run["post_weeks_left"] is not None else ""
            )
            runs.append(
                f"{run['phase']} {run['flop']:.1e} FLOP -> {run['capability']:.2f}: {run['progress']:.0%}{eta}{post}"
            )
        if len(runs) == 1:
            runs.append("none (press t to plan one)")
        self.query_one("#runs-panel", Static).update("\n".join(runs))
        table = self.query_one("#race", DataTable)
        table.clear()
        w = session.world
        from game.engine import compute

        peak, _, _ = compute.lab_flops(session.params, w)
        for i in range(session.params.n_labs):
            table.add_row(
                session.lab_name(i),
                f"{w.best_model[0, i]:.2f}",
                f"{peak[0, i] / 1e18:,.0f} EF",
                f"{w.users[0, i] / 1e6:,.0f}M",
                money(float(w.cash[0, i])),
                money(float(w.valuation[0, i])),
            )
        history = session.history[-40:]
        charts = ["[b]The race, week by week[/b] (shared scale)"]
        for title, key, fmt in (
            ("capability", "capability", "{:.2f}"),
            ("compute", "compute", "{:.2e}"),
            ("cash", "cash", "{:.2e}"),
        ):
            mine = [h[key][lab] for h in history]
            theirs = [h[key][best_rival] for h in history]
            lo, hi = min(mine + theirs), max(mine + theirs)
            charts.append(f"{title:<10} you   {bars(mine, lo, hi)} {fmt.format(mine[-1])}")
            charts.append(f"{'':<10} rival {bars(theirs, lo, hi)} {fmt.format(theirs[-1])}")
        self.query_one("#charts", Static).update("\n".join(charts))
        news = [f"w{week}: {text}" for week, text in session.news[-8:]]
        self.query_one("#news", Static).update("[b]News[/b]\n" + ("\n".join(reversed(news)) or "quiet week"))

    def on_screen_resume(self) -> None:
        self.refresh_view()
