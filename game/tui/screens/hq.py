"""The HQ dashboard: your lab at a glance, what needs you, the race, the news.

One column at 80x24 (the most important first; the rest scrolls), two columns from 110
columns on, three from 170."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import DataTable, Static

from game.play import intel, risk, views
from game.play.desk import LabTurn
from game.play.guide import next_step
from game.play.news import week_summary
from game.play.session import Session
from game.tui import bindings
from game.tui.format import count, day, flop, flops, money, mw, rough, weeks
from game.tui.screens.base import GameScreen, plain, styled
from game.tui.widgets.charts import Trend

BAR = 24
SUMMARY_ITEMS = 6  # the week summary's lines; the rest are in the news log
SUMMARY_CHROME = 8  # the summary's border, padding and the page's scroll bar, in columns
SUMMARY_LINES = 2  # lines an item may take on a short terminal


def _cut(text: str, room: int) -> str:
    """`text` cut at a word to fit `room` characters with "…" (words wrap onto the lines,
    so a little room is kept for the wrap)."""
    cut = text[: room - 1 - room // 10].rsplit(" ", 1)[0]
    return cut + " …"
SEVERITY = {"error": "$error", "warning": "$warning", "information": "$accent"}


def short(name: str) -> str:
    """A lab's name in a table: its first word (Google DeepMind -> Google)."""
    return name.split()[0]


def bar(fraction: float, width: int = BAR) -> str:
    filled = int(round(max(0.0, min(1.0, fraction)) * width))
    return "█" * filled + "░" * (width - filled)


class HQScreen(GameScreen):
    BINDINGS = bindings.HQ

    def __init__(self, session: Session, lab: int, guide: bool = False) -> None:
        super().__init__(session, lab)
        self.guide = guide  # the first-game guide is on (the app's setting; g hides it here)
        self.summary_from = session.week  # the first week the summary tells of: the next one played
        self.summary_since = session.week  # the first week of the summary shown (kept as it redraws)
        self.summary_heading = ""
        self.summary_open = False

    def body(self) -> ComposeResult:
        # The columns for the terminal's width before the widgets are styled: set after
        # they mount, the class would style the whole dashboard a second time.
        self._layout(self.app.size.width, update=False)
        with VerticalScroll(id="hq"):
            with Vertical(id="hq-a"):
                yield Static(id="note", markup=False)
                yield Static(id="summary", markup=False)
                yield Static(id="guide", markup=False)
                yield Static(id="status", markup=False)
                yield Static(id="race-line", markup=False)  # the race in a line: narrow terminals
                yield Static(id="runs", markup=False)
                yield Static(id="alerts", markup=False)
                yield Static(id="agi", markup=False)
            with Container(id="hq-bc"):
                with Vertical(id="hq-b"):
                    race: DataTable[str] = DataTable(
                        id="race", cursor_type="none", zebra_stripes=True, show_cursor=False
                    )
                    race.add_columns("lab", "model", "compute", "users", "value")  # before mounting: no query
                    yield race
                    with Vertical(id="charts"):
                        yield Static(
                            styled("[b]The last year[/b] (each row on its own scale)"),
                            markup=False,
                        )
                        yield Trend("your model", [], lambda x: f"{x:.2f}", id="trend-you")
                        yield Trend("rival", [], lambda x: f"{x:.2f}", id="trend-rival")
                        yield Trend("compute", [], flops, id="trend-compute")
                        yield Trend("cash", [], money, id="trend-cash")
                        yield Trend("users", [], count, id="trend-users")
                with Vertical(id="hq-c"):
                    yield Static(id="sites", markup=False)
                    yield Static(id="news", markup=False)
        yield Static(bindings.more_keys(bindings.HQ, self.keymap), id="more-keys", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self._layout(self.size.width)

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    @property
    def keymap(self) -> dict[str, str]:
        """The player's keys where they moved, as Textual binds them here (keymap.toml);
        read once for a whole refresh of the view, which asks for them line by line."""
        held = getattr(self, "_keymap_now", None)
        return held if held is not None else bindings.keys_bound(self)

    def _keys(self, text: str) -> str:
        """A text's key hints in the player's keys (keymap.toml)."""
        return bindings.rekey(text, self.keymap)

    def _layout(self, width: int, update: bool = True) -> None:
        self.set_class(width >= 110, "-two", update=update)
        self.set_class(width >= 170, "-three", update=update)

    def show_summary(self, heading: str = "") -> None:
        """Open the week summary on the weeks played since it was last opened."""
        self.summary_heading = heading
        self.summary_open = True
        self.note("")  # a new week: the last note is old news
        self.summary_since = max(min(self.summary_from, self.session.week - 1), 0)
        self._summary()
        self.summary_from = self.session.week  # the next summary starts after these weeks

    def note(self, text: str) -> None:
        """A line for the player at the top of the dashboard (a refused fast-forward, a
        save written) until the next week or the next note: never over the screen."""
        panel = self.query_one("#note", Static)
        panel.update(text)
        panel.display = bool(text)

    def action_week_summary(self) -> None:
        self.summary_open = not self.summary_open
        self._summary()

    def _summary(self) -> None:
        panel = self.query_one("#summary", Static)
        s = self.session
        week = s.week - 1
        # The weeks it was opened on, as the dashboard redraws (back from a screen, it told
        # of the last week alone under the heading "Fast-forward: 6 weeks").
        since = max(min(self.summary_since, week), 0)
        panel.display = self.summary_open and week >= 0
        if not panel.display:
            return
        when = (
            f"Week {week} ({day(s.params.date_of(week))})"
            if since == week
            else f"Weeks {since}-{week} ({day(s.params.date_of(since))} to {day(s.params.date_of(week))})"
        )
        hide = f"({bindings.key_for('week-summary', self.keymap)} hides this)"
        mine = week_summary(s.news, self.lab, since)
        history = [h for h in s.history if h.week >= since]
        if not mine and not self.summary_heading:  # a quiet week in one line: the dashboard needs the room
            cash = ""
            if history:
                cash = (
                    f" · cash {money(history[0].cash[self.lab])} -> {money(views.lab_view(self.turn).cash)}"
                )
            title = f"Week {week}" if since == week else f"Weeks {since}-{week}"  # the date is in the header
            panel.update(
                styled(
                    "[b]$title[/b]: quiet for your lab$cash [dim]$hide[/]", title=title, cash=cash, hide=hide
                )
            )
            return
        lines = [styled("[b]$title[/b] [dim]$hide[/]", title=when, hide=hide)]
        if self.summary_heading:
            lines.append(styled("[$accent]$t[/]", t=self.summary_heading))
        if history:  # from the weeks' start to what the dashboard shows now (talks since included)
            a, b = history[0], views.lab_view(self.turn)
            lines.append(
                plain(
                    f"Cash {money(a.cash[self.lab])} -> {money(b.cash)} · compute "
                    f"{flops(a.compute[self.lab])} -> {flops(sum(b.compute.values()))} · best model "
                    f"{b.best_model:.2f}"
                )
            )
        tall = self.app.size.height >= 36
        shown = SUMMARY_ITEMS if tall else SUMMARY_ITEMS // 2
        # A short terminal gives each item two lines at most (the news log has them whole):
        # three items of three lines each pushed the runs off an 80x24 dashboard; one line
        # cut too much ("a design fix i…").
        room = SUMMARY_LINES * max(self.app.size.width - SUMMARY_CHROME, 20)
        for n in mine[:shown]:
            item = f"- {n.text}"
            lines.append(plain(item if tall or len(item) <= room else _cut(item, room)))
        if len(mine) > shown:
            lines.append(
                plain(
                    f"... and {len(mine) - shown} more in the news ({bindings.key_for('news', self.keymap)})"
                )
            )
        if not mine:
            lines.append(plain("Nothing happened to your lab."))  # where a heading says why it opened
        panel.update(Content("\n").join(lines))

    def action_toggle_guide(self) -> None:
        self.guide = not self.guide
        self.refresh_view()

    def refresh_view(self) -> None:
        self._keymap_now: dict[str, str] | None = bindings.keys_bound(self)
        try:
            self._refresh_view()
        finally:
            self._keymap_now = None

    def _refresh_view(self) -> None:
        s, lab = self.session, self.lab
        t = self.turn  # one turn, one view of the lab and one of its rivals for the whole refresh
        v = views.lab_view(t)
        rivals = intel.rival_views(t)
        runway = risk.runway_weeks(t)
        bare = risk.runway_without_round(t)
        runway_after = risk.runway_weeks(t, t.preview.world) if t.book else None
        building = risk.building_per_week(t)
        halls = f" ({money(building)} halls)" if v.burn > 0 and building >= 0.1 * v.burn else ""
        self.sub_title = f"{v.name} · week {v.week} · {day(v.date)}"
        self._guide(t)
        self._summary()
        pending = ""
        if v.pending:
            pending = (
                f" ({money(v.pending)} ordered)" if v.pending > 0 else f" (+{money(-v.pending)} coming in)"
            )
        m = views.money_view(t)
        if m.booked_round:
            next_round = "a round in this week's orders"
        elif m.closing_date is not None:
            next_round = f"{money(m.closing)} round due {day(m.closing_date)}"
        else:
            next_round = "next round " + ("now" if v.next_round <= v.date else day(v.next_round))
        c = v.compute
        total = sum(c.values())
        uses = ("train", "serve", "research")
        split = (
            " · ".join(f"{n} {x / total:.0%}" for n, x in zip(uses, c.values(), strict=True))
            if total
            else "none"
        )
        status = [
            plain(
                f"Cash {money(v.cash)}{pending} · "
                + (
                    (
                        f"burn {money(v.burn)}/wk · runway {risk.runway_text(runway_after)} after orders"
                        if runway_after is not None
                        else f"burn {money(v.burn)}/wk{halls} · runway {risk.runway_text(runway)}"
                        + (" with credit" if v.credit >= 1e6 else "")
                        + (
                            f" ({risk.runway_text(bare)} if the round falls through)"
                            if bare is not None
                            else ""
                        )
                    )
                    if v.burn > 0
                    else f"profit {money(-v.burn)}/wk"
                )
            ),
            plain(f"Value {money(v.valuation)} · your share {v.share:.1%} · debt {money(v.debt)}"),
            plain(f"Users {count(v.users)} · revenue ~{money(v.revenue)}/wk · {next_round}"),
            plain(f"Compute {flops(total)} ({split})"),
            plain(
                f"GPUs {count(v.gpus)} working · {count(v.warehouse)} in the warehouse · "
                f"{count(v.on_order)} on order"
                + (f" · {mw(v.dark_mw)} dark (no power)" if v.dark_mw >= 1 else "")
            ),
        ]
        self.query_one("#status", Static).update(Content("\n").join(status))
        self.query_one("#status", Static).tooltip = (
            "Cash: what you have; orders this week are paid when the week ends. Burn: weekly running "
            "costs (power, rent, people, interest, halls being built) less revenue (a 4-week average). Runway: weeks until "
            "cash and credit run out as your commitments play out (halls paid as they are built, rentals "
            "until they end, a round under way when it closes; the ledger shows the projection). Value: what investors think the lab is worth; your share "
            "of it is your stake (it counts in your score). Revenue: the last 4 weeks' average. Round: "
            "when investors hear your next one, or the one under way and when its cash is in hand."
        )
        found = intel.alerts(t)
        lines = [
            styled(
                f"[{SEVERITY[a.severity]}]{'!' if a.actionable else 'i'} $t[/]",
                t=bindings.with_key(a.text, a.screen, a.hint, self.keymap),
            )
            for a in found[:5]
        ]
        if len(found) > 5:
            lines.append(plain(self._keys(f"... and {len(found) - 5} more (b shows your orders)")))
        self.query_one("#alerts", Static).update(Content("\n").join(lines) if lines else plain("No alerts."))
        self._agi(v, rivals)
        self._runs(v)
        self._race(v, rivals)
        self._charts()
        self._sites(v)
        shown = 6 if self.app.size.height < 36 else 12  # a tall terminal has room for more
        news = [n for n in s.news if n.seen_by(lab)][-shown:]
        date = self.session.params.date_of
        text = [styled("[b]News[/b] (l: all)")] + [
            plain(f"{date(n.week):%d %b}: {n.text}") for n in reversed(news)
        ]
        self.query_one("#news", Static).update(Content("\n").join(text))

    def _guide(self, t: LabTurn) -> None:
        guide = self.query_one("#guide", Static)
        step = next_step(t) if self.guide else None
        guide.display = step is not None
        if step is not None:
            guide.update(
                styled(
                    "[b]Next:[/b] $what [dim]$hide[/]",
                    what=f"{bindings.with_key(step.what, step.screen, '', self.keymap)}: {step.because}",
                    hide=self._keys("(g hides this guide)"),
                )
            )
            guide.tooltip = self._keys(step.why)

    def _agi(self, v: views.LabView, rivals: tuple[intel.RivalView, ...]) -> None:
        lines = [
            styled(
                "[b]Race to AGI[/b] (a model past $lo-$hi wins: nobody knows where)",
                lo=f"{v.agi_low:.1f}",
                hi=f"{v.agi_high:.1f}",
            )
        ]
        lines.append(plain(f"{'You':<8} {bar(v.agi_progress)} {v.best_model:5.2f}"))
        for r in sorted(rivals, key=lambda r: -r.best_model)[:2]:
            lines.append(plain(f"{short(r.name):<8} {bar(r.agi_progress)} {r.best_model:5.2f}"))
            for run in r.runs[:1]:
                when = "in post-training" if run.phase == "post-training" else f"done in {run.eta_text}"
                lines.append(plain(f"{'':<8} leak: a run of {run.capability_text}, {when}"))
        self.query_one("#agi", Static).update(Content("\n").join(lines))
        # Under 110 columns the bars are below the fold: the race in a line under the
        # status, where a player looks every week (a rival's leaked run is an alert).
        ahead = sorted(rivals, key=lambda r: -r.best_model)
        self.query_one("#race-line", Static).update(
            styled(
                "[b]Race[/b] (a model past $lo-$hi wins): you $me · $others",
                lo=f"{v.agi_low:.1f}",
                hi=f"{v.agi_high:.1f}",
                me=f"{v.best_model:.2f}",
                others=" · ".join(f"{short(r.name)} {r.best_model:.2f}" for r in ahead),
            )
        )

    def _runs(self, v: views.LabView) -> None:
        lines = [styled("[b]Your runs[/b]")]
        for r in v.runs:
            if r.phase == "training":
                eta = (
                    "never at today's compute"
                    if r.eta_weeks is None or r.eta_weeks == float("inf")
                    else f"~{weeks(r.eta_weeks)} left"
                )
                lines.append(
                    plain(
                        f"train {flop(r.flop)} -> ~{r.capability:.2f}: {bar(r.progress, 10)} {r.progress:.0%}, {eta}"
                    )
                )
            else:
                lines.append(
                    plain(f"post-training -> ~{r.capability:.2f}: ships in {weeks(r.post_weeks_left or 0)}")
                )
        planned = [d for d in self.session.book(self.lab) if d.kind == "run"]
        for d in planned:
            lines.append(plain(f"starts when the week ends: a {flop(getattr(d, 'flop', 0.0))} run"))
        if not v.runs and not planned:
            lines.append(styled("[$error]$t[/]", t=self._keys("none: press t to plan one")))
        self.query_one("#runs", Static).update(Content("\n").join(lines))

    def _race(self, me: views.LabView, rivals: tuple[intel.RivalView, ...]) -> None:
        table = self.query_one("#race", DataTable)
        table.clear()
        table.add_row(
            short(me.name),
            f"{me.best_model:.2f}",
            flops(sum(me.compute.values()), short=True),
            count(me.users),
            money(me.valuation),
        )
        for r in rivals:
            table.add_row(
                short(r.name),
                f"{r.best_model:.2f}",
                "~" + flops(rough(r.compute), short=True),
                "~" + count(rough(r.users)),
                "~" + money(rough(r.valuation)),
            )

    def _charts(self) -> None:
        s, lab = self.session, self.lab
        history = s.history[-52:]
        rivals = [i for i in range(s.params.n_labs) if i != lab]
        self.query_one("#trend-you", Trend).show("your model", [h.capability[lab] for h in history])
        trend = self.query_one("#trend-rival", Trend)
        trend.display = bool(rivals)
        if rivals:
            best = max(rivals, key=lambda i: history[-1].capability[i])
            name = short(s.lab_name(best))
            trend.show(
                f"{name} model" if len(name) <= 6 else name[:12], [h.capability[best] for h in history]
            )
        for key in ("compute", "cash", "users"):
            self.query_one(f"#trend-{key}", Trend).show(key, [getattr(h, key)[lab] for h in history])

    def _sites(self, v: views.LabView) -> None:
        lines = [styled("[b]Sites[/b] (s)")]
        for site in v.sites:
            line = f"{site.short_name}: {mw(site.used_mw)} used of {mw(min(site.hall_mw, site.power_mw))}"
            if site.building_mw:
                line += f", {mw(site.building_mw)} " + ("paused" if site.paused else "building")
            if site.unpowered_halls_mw >= 1:
                line += f", {mw(site.unpowered_halls_mw)} of halls without power"
            lines.append(plain(line))
        if len(lines) == 1:
            lines.append(plain("none yet: build halls (s) or rent (d)"))
        if v.warehouse:
            lines.append(
                plain(f"Warehouse: {count(v.warehouse)} GPUs need {mw(v.warehouse_mw)} of powered halls")
            )
        self.query_one("#sites", Static).update(Content("\n").join(lines))
