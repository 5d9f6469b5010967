"""The game's screens. Widgets show the Session's state and hand decisions to it; no
game rule lives here. A refused decision shows its reason in place and changes nothing."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
)
from textual.worker import get_current_worker

from game.catalog import Catalog
from game.engine import economy
from game.session import Refused, Session


def money(x: float) -> str:
    if abs(x) >= 1e9:
        return f"${x / 1e9:,.1f}B"
    return f"${x / 1e6:,.0f}M"


def row(label: str, widget: Any) -> Horizontal:
    """A form row: a label, then its field."""
    return Horizontal(Label(label, classes="row-label"), widget, classes="row")


BLOCKS = " ▁▂▃▄▅▆▇█"


def bars(values: list[float], lo: float, hi: float) -> str:
    """A one-line bar chart of `values` on the scale lo..hi (shared between series)."""
    span = hi - lo
    out = []
    for v in values:
        level = 8 if span <= 0 else int(round((v - lo) / span * 8))
        out.append(BLOCKS[max(0, min(8, level))])
    return "".join(out)


def parse_number(text: str, what: str, lo: float, hi: float, integer: bool = False) -> float:
    """A number typed by the player (1e25, 100000, 2.5, 1,000 are fine) or a Refused."""
    cleaned = text.replace(",", "").replace("_", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise Refused(f"{what}: type a number (got {text!r})") from None
    if not math.isfinite(value):
        raise Refused(f"{what}: type a finite number")
    if integer and value != int(value):
        raise Refused(f"{what}: must be a whole number")
    if not lo <= value <= hi:
        raise Refused(f"{what}: must be between {lo:,g} and {hi:,g}")
    return int(value) if integer else value


# ---------------------------------------------------------------------- title
class TitleScreen(Screen):
    """New game (scenario, lab, rival difficulty, seed) or load a save."""

    BINDINGS = [
        Binding("ctrl+n", "new", "New game", id="new-game"),
        Binding("ctrl+q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(
        self, catalog: Catalog, scenarios: list[tuple[str, str, str]], saves: list[tuple[str, str]]
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.scenarios = scenarios  # (name, title, description)
        self.saves = saves  # (label, path)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="title"):
            yield Static(
                "[b]AGI RACE[/b]  buy GPUs, build power, strike deals, train models, reach AGI first",
                id="banner",
            )
            yield Label("Scenario")
            yield Select(
                [(title, name) for name, title, _ in self.scenarios],
                value=self.scenarios[0][0],
                id="scenario",
                allow_blank=False,
            )
            yield Static(self.scenarios[0][2], id="description")
            yield Label("Your lab")
            yield Select(
                [("xAI", "xai"), ("OpenAI", "openai"), ("Both (two players, hot seat)", "both")],
                value="xai",
                id="lab",
                allow_blank=False,
            )
            yield Label("Rival difficulty")
            yield Select(
                [(d.title(), d) for d in self.catalog.difficulty_ids],
                value="normal",
                id="difficulty",
                allow_blank=False,
            )
            yield Label("Seed (optional)")
            yield Input(placeholder="the scenario's own", id="seed", type="integer")
            yield Static("", id="title-error", classes="error")
            with Horizontal(id="title-buttons"):
                yield Button("New game", id="new", variant="primary")
                yield Button("How to play", id="how")
                yield Button("Quit", id="quit")
            yield Label("Load a save")
            if self.saves:
                yield Select(
                    [(label, path) for label, path in self.saves], id="load-choice", prompt="choose a save"
                )
                yield Button("Load", id="load")
            else:
                yield Static("(no saves yet)")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new", Button).focus()

    @on(Select.Changed, "#scenario")
    def _describe(self, event: Select.Changed) -> None:
        for name, _, description in self.scenarios:
            if name == event.value:
                self.query_one("#description", Static).update(description)

    def action_new(self) -> None:
        self._new()

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        scenario = self.query_one("#scenario", Select).value
        lab = self.query_one("#lab", Select).value
        difficulty = self.query_one("#difficulty", Select).value
        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            seed = parse_number(seed_text, "seed", 0, 2**63 - 1, integer=True) if seed_text else None
            humans = ("xai", "openai") if lab == "both" else (lab,)
            session = Session.new(
                str(scenario), humans=humans, difficulty=str(difficulty), seed=seed, catalog=self.catalog
            )
        except (Refused, ValueError) as err:
            self.query_one("#title-error", Static).update(str(err))
            return
        self.app.start(session)

    @on(Button.Pressed, "#how")
    def _how(self) -> None:
        self.app.push_screen(HelpScreen())

    @on(Button.Pressed, "#load")
    def _load(self) -> None:
        choice = self.query_one("#load-choice", Select).value
        if choice is Select.NULL:
            self.query_one("#title-error", Static).update("choose a save to load")
            return
        self.app.load_game(Path(str(choice)), self.query_one("#title-error", Static))

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()


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
        app = self.app
        session: Session = app.session
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


# ------------------------------------------------------------------ decisions
class DecisionScreen(Screen):
    """A form that hands one kind of decision to the session."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("ctrl+s", "app.save", "Save", id="save"),
    ]
    TITLE_TEXT = ""

    @property
    def session(self) -> Session:
        return self.app.session

    @property
    def lab(self) -> int:
        return self.app.player

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="form"):
            yield Static(f"[b]{self.TITLE_TEXT}[/b]", classes="form-title")
            yield from self.fields()
            yield Static("", id="preview")
            yield Static("", id="message")
            with Horizontal(classes="buttons"):
                yield Button("Confirm", id="confirm", variant="primary")
                yield Button("Back", id="back")
        yield Footer()

    def fields(self) -> ComposeResult:
        yield from ()

    def decide(self) -> str:
        raise Refused("nothing to decide here")

    def preview(self) -> str:
        return ""

    def on_mount(self) -> None:
        self._update_preview()

    def _update_preview(self) -> None:
        try:
            text = self.preview()
        except Refused as err:
            text = f"[red]{err}[/red]"
        self.query_one("#preview", Static).update(text)

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self._update_preview()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted)
    def _confirm(self) -> None:
        message = self.query_one("#message", Static)
        try:
            text = self.decide()
        except Refused as err:
            message.update(f"[red]{err}[/red]")
            message.add_class("error")
            return
        message.update(text)
        message.remove_class("error")
        self.app.notify(text)

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.app.pop_screen()

    def value(self, widget_id: str) -> Any:
        widget = self.query_one(f"#{widget_id}")
        return widget.value


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


class FinanceScreen(DecisionScreen):
    TITLE_TEXT = "Finance: raise a round or borrow against your GPUs"

    def fields(self) -> ComposeResult:
        yield row(
            "What",
            Select(
                [("Equity round", "raise"), ("Loan against GPUs", "borrow")],
                value="raise",
                id="what",
                allow_blank=False,
            ),
        )
        yield row("Amount (USD)", Input(value="5e9", id="amount"))

    def preview(self) -> str:

        s = self.session
        w, lab = s.world, self.lab
        f = s.params.rules.finance
        cap = min(f.raise_max_fraction * w.valuation[0, lab], f.raise_max_usd * w.mood[0])
        room = float(economy.credit_headroom(s.params, w)[0, lab])
        text = (
            f"Valuation {money(float(w.valuation[0, lab]))}, your share {w.founder_share[0, lab]:.1%}. "
            f"A round can raise up to {money(cap)}; lenders offer {money(room)} at {f.interest_rate:.0%}."
        )
        report = s.last_report
        if report is not None:
            flows = report.flows[0, lab]
            items = [
                f"{name} {money(float(v))}"
                for name, v in zip(economy.FLOWS, flows, strict=True)
                if abs(v) >= 1e5
            ]
            text += (
                "\nLast week: " + (", ".join(items) or "nothing moved") + f"; net {money(float(flows.sum()))}"
            )
        return text

    def decide(self) -> str:
        amount = parse_number(self.value("amount"), "amount", 1, 1e13)
        if self.value("what") == "borrow":
            return self.session.borrow(self.lab, amount)
        return self.session.raise_round(self.lab, amount)


class DealsScreen(DecisionScreen):
    TITLE_TEXT = "Deals: make a partner an offer (answers come at once; each round costs patience)"

    def fields(self) -> ComposeResult:
        p = self.session.params
        yield Static(id="partners")
        yield row(
            "Partner",
            Select(
                [(q.name, q.id) for q in p.catalog.partners],
                value=p.partner_ids[0],
                id="partner",
                allow_blank=False,
            ),
        )
        yield row(
            "GPU", Select([(g.id, g.id) for g in p.catalog.gpus], value="H100", id="gpu", allow_blank=False)
        )
        yield row("Count", Input(value="20000", id="count"))
        yield row("Start (weeks from now)", Input(value="0", id="start"))
        yield row("Term (weeks)", Input(value="52", id="weeks"))
        yield row("Price (USD per GPU-hour)", Input(value="2.8", id="price"))
        yield row(
            "Build at your site (optional)",
            Select([(s.name, s.id) for s in p.catalog.sites], id="site", prompt="their own datacenters"),
        )
        yield Label("Or leave a contract early (its number; the partner's penalty applies)")
        with Horizontal(classes="buttons"):
            yield Input(placeholder="contract number", id="exit-slot")
            yield Button("Leave contract", id="exit", variant="error")

    def on_mount(self) -> None:
        super().on_mount()
        self._partners()

    def _partners(self) -> None:
        s, p, lab = self.session, self.session.params, self.lab
        w = s.world
        lines = ["[b]Partners[/b]"]
        for k, q in enumerate(p.catalog.partners):
            lines.append(
                f"{q.name}: relationship {w.relationship[0, lab, k]:+.2f}, patience {w.patience[0, lab, k]:.0f} offers"
            )
        for k in range(w.contract_partner.shape[-1]):
            if w.contract_partner[0, lab, k] >= 0:
                lines.append(
                    f"  contract {k}: {p.partner_ids[int(w.contract_partner[0, lab, k])]} "
                    f"{int(w.contract_count[0, lab, k]):,} {p.gpu_ids[int(w.contract_gpu[0, lab, k])]} "
                    f"${w.contract_price[0, lab, k]:.2f}/h, weeks {w.contract_start[0, lab, k]}-{w.contract_end[0, lab, k]}"
                )
        self.query_one("#partners", Static).update("\n".join(lines))

    def _offer(self) -> dict[str, Any]:
        offer = {
            "partner": str(self.value("partner")),
            "gpu": str(self.value("gpu")),
            "count": int(parse_number(self.value("count"), "count", 1, 10_000_000, integer=True)),
            "start": self.session.week
            + int(parse_number(self.value("start"), "start", 0, 520, integer=True)),
            "weeks": int(parse_number(self.value("weeks"), "term", 1, 520, integer=True)),
            "price": parse_number(self.value("price"), "price", 0.01, 1000),
        }
        site = self.value("site")
        if site is not Select.NULL and site is not None:
            offer["site"] = str(site)
        return offer

    def preview(self) -> str:
        p = self.session.params
        o = self._offer()
        q, g = p.partner_ids.index(o["partner"]), p.gpu_ids.index(o["gpu"])
        if p.partner_price[q, g] <= 0:
            return f"{p.catalog.partners[q].name} does not rent {o['gpu']}."
        total = o["count"] * o["price"] * 168 * o["weeks"]
        return f"List price ${p.partner_price[q, g]:.2f}/GPU-hour. This offer is worth {money(total)} over {o['weeks']} weeks."

    def decide(self) -> str:
        answer, words, ans = self.session.offer(self.lab, self._offer())
        self._partners()
        if answer == "counter":
            lab = self.lab
            self.query_one("#count", Input).value = str(int(ans.count[0, lab]))
            self.query_one("#price", Input).value = f"{math.ceil(float(ans.price[0, lab]) * 100) / 100:.2f}"
            words += "  (their terms are filled in: confirm to accept)"
        return words

    @on(Button.Pressed, "#exit")
    def _exit(self) -> None:
        message = self.query_one("#message", Static)
        try:
            slot = int(parse_number(self.value("exit-slot"), "contract number", 0, 99, integer=True))
            text = self.session.leave_contract(self.lab, slot)
        except Refused as err:
            message.update(f"[red]{err}[/red]")
            return
        message.update(text)
        self.app.notify(text)


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


class ForecastScreen(DecisionScreen):
    """Your odds: futures played by the AI from this week, computed in a worker. Your
    lab is played in the futures by the AI style closest to your recent moves, or by the
    style you pick."""

    TITLE_TEXT = "Forecast: the odds from here (the AI plays every lab in the futures)"
    FUTURES = 400
    HORIZON: int | None = None  # to the end of the game (futures stop when someone wins)
    BINDINGS = [
        *(b for b in DecisionScreen.BINDINGS if b.key != "escape"),
        Binding("escape", "leave", "Back", id="back"),
        Binding("r", "run", "Run again", id="forecast-run"),
    ]

    def fields(self) -> ComposeResult:
        s = self.session
        guessed = s.guessed_styles()[s.params.lab_ids[self.lab]]
        options = [(f"as you have played lately (a {guessed})", "")]
        options += [(f"as a {style}", style) for style in s.catalog.style_ids]
        yield Select(options, value="", allow_blank=False, id="as", prompt="Your lab in the futures")
        yield Static("", id="odds")

    def on_mount(self) -> None:
        self.query_one("#confirm").display = False
        self.cancelled = False
        self.result: Any = None  # the last forecast played, even if cut short
        self.action_run()

    @on(Select.Changed, "#as")
    def _restyle(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        self.cancelled = False
        style = self.query_one("#as", Select).value
        lab = self.session.params.lab_ids[self.lab]
        self.futures_styles = {lab: str(style)} if style else {}
        self._progress(0)
        self._compute(dict(self.futures_styles))

    def action_leave(self) -> None:
        self.cancelled = True  # leaving the screen stops its futures
        self.app.pop_screen()

    def on_unmount(self) -> None:
        self.cancelled = True

    def _progress(self, played: int) -> None:
        s = self.session
        weeks = self.HORIZON if self.HORIZON is not None else s.params.last_week + 1 - s.week
        ahead = "to the end of the game" if self.HORIZON is None else f"up to {self.HORIZON} weeks ahead"
        self.query_one("#odds", Static).update(
            f"Playing {self.FUTURES} futures {ahead}: week {played} of at most {weeks}... (esc cancels)"
        )

    @work(thread=True, exclusive=True, group="forecast")
    def _compute(self, styles: dict[str, str]) -> None:
        worker = get_current_worker()  # a newer run (another style) cancels this one
        played = 0

        def stop() -> bool:
            return self.cancelled or worker.is_cancelled

        def week_done() -> bool:  # asked once a week of the futures: stop now?
            nonlocal played
            played += 1
            if played % 10 == 0 and not stop():
                self.app.call_from_thread(self._progress, played)
            return stop()

        fc = self.session.forecast(
            futures=self.FUTURES, weeks=self.HORIZON, styles=styles, should_stop=week_done
        )
        self.result = fc
        if not stop():
            self.app.call_from_thread(self._show, fc)

    def _show(self, fc: Any) -> None:
        s = self.session
        p = s.params
        played_as = s.guessed_styles() | self.futures_styles
        lines = [
            f"{fc.futures} futures, {fc.weeks_played} weeks ahead"
            + (" (cancelled early)" if self.cancelled else ""),
            "played as: " + ", ".join(f"{s.lab_name(i)} {played_as[lab]}" for i, lab in enumerate(p.lab_ids)),
        ]
        for i in range(p.n_labs):
            you = "  <- you" if i == self.lab else ""
            lines.append(f"{s.lab_name(i):<16} wins {fc.win[i]:6.1%} {'█' * round(fc.win[i] * 40)}{you}")
        lines.append(f"{'undecided':<16}      {fc.no_winner:6.1%}")
        lines.append(f"bankruptcy risk for you: {fc.bankrupt[self.lab]:.1%}")
        if fc.agi_weeks.size:
            lines.append("")
            lines.append(f"When AGI lands ({fc.agi_share:.0%} of futures), by quarter:")
            quarters: dict[str, int] = {}
            for week in fc.agi_weeks:
                d = p.date_of(int(week))
                key = f"{d.year} Q{(d.month - 1) // 3 + 1}"
                quarters[key] = quarters.get(key, 0) + 1
            top = max(quarters.values())
            for key, n in quarters.items():
                lines.append(f"  {key}  {'█' * max(1, round(n / top * 40))} {n / fc.futures:.0%}")
        self.query_one("#odds", Static).update("\n".join(lines))


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


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question that returns the answer."""

    BINDINGS = [Binding("y", "yes", "Yes"), Binding("n,escape", "no", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question)
            with Horizontal(classes="buttons"):
                yield Button("Yes", id="yes", variant="error")
                yield Button("No", id="no", variant="primary")

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class GameOverScreen(Screen):
    BINDINGS = [
        Binding("n", "app.new_game", "New game", id="new-game"),
        Binding("q", "app.exit_now", "Quit", id="quit"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.text, id="game-over")
        with Horizontal(classes="buttons"):
            yield Button("New game", id="again", variant="primary")
            yield Button("Quit", id="quit")
        yield Footer()

    @on(Button.Pressed, "#again")
    def _again(self) -> None:
        self.app.action_new_game()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()
