"""Training: plan a run (by compute budget, by model size with D = 20N, or by weeks of
training at today's compute), set the
compute split and the people budget."""

from __future__ import annotations

import math

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label, Select, Static

from game.play import decisions, views
from game.play.decisions import Refused
from game.play.runs import capability_band, serving
from game.play.standing import runs_flop
from game.play.words import decisions as why_not
from game.play.words import plural
from game.tui import bounds
from game.tui.format import count, flop, money, weeks
from game.tui.screens.base import FormScreen
from game.tui.widgets.form import FieldKeys, choice, field_keys, keyed, keys_hint, number, row

MODES = [
    ("Compute budget C (FLOP)", "flop"),
    ("Parameters N (D = 20N, C = 6ND)", "params"),
    ("Weeks of training at today's compute", "weeks"),
]


class TrainingScreen(FieldKeys, FormScreen):
    TITLE_TEXT = "Training: plan a run"
    CONFIRM = "Start the run this week"
    ENTER = {"train": "_split", "infer": "_split", "research": "_split", "staff": "_staff"}
    BINDINGS = field_keys(
        {"l": "mode", "a": "amount", "t": "train", "v": "infer", "r": "research", "p": "staff"}
    )

    def info(self) -> ComposeResult:
        yield Static(id="run-list", markup=False)
        yield Static(id="people", markup=False)

    def fields(self) -> ComposeResult:
        v = views.lab_view(self.turn)
        yield keys_hint()
        yield row("Plan by", choice("mode", MODES, value="flop"), key="l")
        yield row(
            "Amount",
            number("amount", bounds.RUN_AMOUNT, "1e26"),
            "FLOP (1e26), parameters (2e12) or weeks (13)",
            key="a",
        )
        book = self.session.book(self.lab)
        # The week's orders are what the form starts from: a split or budget already
        # booked, else today's.
        booked = decisions.last_of(book, decisions.SetSplit)
        split = booked.shares if booked is not None else v.split
        yield Label("Split (%): serve earns revenue, keeps users; research makes FLOPs worth more")
        with Horizontal(classes="row split"):
            yield Label(keyed("train", "t"))
            yield number(
                "train",
                bounds.SHARE_PCT["train"],
                f"{split[0] * 100:.0f}",
                tooltip="training: runs progress on this share",
            )
            yield Label(keyed("serve", "v"))
            yield number(
                "infer",
                bounds.SHARE_PCT["infer"],
                f"{split[1] * 100:.0f}",
                tooltip="inference: your revenue, and the value on its merits a round is judged by; too little and users leave",
            )
            yield Label(keyed("research", "r"))
            yield number(
                "research",
                bounds.SHARE_PCT["research"],
                f"{split[2] * 100:.0f}",
                tooltip="research: software efficiency grows faster",
            )
            yield Button("Set split", id="set-split", compact=True)
        yield Static("", id="serving", classes="hint", markup=False)  # what the serve share does
        with Horizontal(classes="row"):
            yield Label(keyed("People $/week", "p"), classes="row-label")
            staff = views.people_view(self.turn).budget  # booked this week, else today's
            yield number(
                "staff", bounds.STAFF_USD, f"{staff / 1e6:.0f}M", tooltip="your people budget a week"
            )
            yield Button("Set budget", id="set-staff", compact=True)

    def refresh_view(self) -> None:
        v = views.lab_view(self.turn)
        lines = [
            f"Best model {v.best_model:.2f} (AGI somewhere in {v.agi_low:.1f}-{v.agi_high:.1f}); software x{10**v.software:,.1f} on every FLOP"
        ]
        p = self.session.params
        for r in v.runs:
            lo, hi = capability_band(p, r.capability)
            about = f"{lo:.2f}-{hi:.2f} (9 in 10 runs; {r.capability:.2f} expected)"
            if r.phase == "training":
                eta = (
                    "never at today's compute"
                    if r.eta_weeks is None or math.isinf(r.eta_weeks)
                    else f"~{weeks(r.eta_weeks)} left"
                )
                lines.append(f"  training {flop(r.flop)} -> {about}: {r.progress:.0%}, {eta}")
            else:
                lines.append(f"  post-training -> {about}: ships in {weeks(r.post_weeks_left or 0)}")
        if not v.runs:
            lines.append("  no run under way")
        self.show("run-list", "\n".join(lines))
        people = views.people_view(self.turn)
        budget, aim = people.budget, people.aim
        if people.laying_off:
            hiring = (
                f"; payroll runs over your budget of {money(budget)}/wk: {count(people.laid_off)} are laid off "
                f"this week, down to {count(aim)}, with {money(people.severance)} of severance"
            )
        elif people.staff + 0.5 >= aim:
            hiring = (
                f"; your budget of {money(budget)}/wk is spent: raise it to hire (a few % more people a week)"
            )
        else:
            hiring = f": you hire toward {count(aim)} (your budget / wage), a few % a week"
        self.show(
            "people",
            f"Researchers {count(people.staff)} ({count(people.ramped)} at full speed) at {money(people.wage)} a week "
            f"each; payroll {money(people.payroll)}/wk. {count(people.pool_free)} are free in the pool every lab "
            f"hires from{hiring}. New hires take months to reach full speed; cuts pay severance.",
        )
        super().refresh_view()

    def _update_preview(self) -> None:
        super()._update_preview()
        self._show_serving()

    def _show_serving(self) -> None:
        """What the serve share typed does for the lab's users this week (a tester cut it
        from 40% to 30% and his round nearly walked away on the revenue it lost)."""
        try:
            share = bounds.SHARE_PCT["infer"].parse(self.text("infer")) / 100.0
        except Refused:
            return
        t = self.turn
        v = serving(t.params, t.world, self.lab, share)
        users = count(views.lab_view(t).users)
        if v.need <= 0 or v.api_full <= 0:
            return
        self.show(
            "serving",
            f"Serve {share:.0%}: your {users} users need {v.need:.0%} of your compute; it serves "
            f"{v.served:.0%} of them: API revenue {money(v.api)}/wk of {money(v.api_full)} with all served "
            "(subscriptions stay; users unserved drift to other labs)."
            if v.served < 0.995
            else f"Serve {share:.0%}: all your {users} users are served (they need {v.need:.0%} of your "
            f"compute): API revenue {money(v.api)}/wk.",
        )

    def _flop(self) -> float:
        amount = bounds.RUN_AMOUNT.parse(self.text("amount"))
        if self.value("mode") == "params":
            from game.play.views import chinchilla_flop

            return chinchilla_flop(self.session.params, amount)
        if self.value("mode") == "weeks":  # the run today's training compute does in that many weeks
            if not 1 <= amount <= decisions.MAX_RUN_WEEKS:
                raise Refused(f"weeks: a run takes 1 to {decisions.MAX_RUN_WEEKS} weeks of training")
            return runs_flop(self.session, self.lab, round(amount))
        return amount

    def decision(self) -> decisions.StartRun:
        return decisions.StartRun(self._flop())

    def preview(self) -> str:
        s, lab = self.session, self.lab
        c = self._flop()
        eta, cap, _ = views.run_plan(self.turn, c)
        lo, hi = capability_band(s.params, cap)
        v = views.lab_view(self.turn)
        coming = v.warehouse + v.on_order  # GPUs that will add to the compute as they go in
        when = "never at today's compute" if math.isinf(eta) else f"~{weeks(eta)} of training at today's compute"
        sooner = f"; sooner as your {count(coming)} GPUs on their way go in" if coming >= 1 else ""
        post = s.params.rules.training.post_training_weeks
        best = views.lab_view(self.turn).best_model
        worse = ": no better than your best model" if cap <= best else ""
        booked = sum(d.kind == "run" for d in s.book(lab))
        beside = f" and the {plural(booked, 'run')} in this week's orders" if booked else ""
        another = f"Another run, beside your {plural(booked, 'run')} this week: " if booked else ""
        going = sum(r.phase == "training" for r in views.lab_view(self.turn).runs)
        shared = (
            f" Your {plural(going, 'run')} under way will share the compute and slow down." if going else ""
        )
        return another + (
            f"{flop(c)}: {when} (with this week's split{beside}{sooner}) + {weeks(post)} of post-training; "
            f"capability {lo:.2f}-{hi:.2f} (9 in 10 runs; {cap:.2f} expected), your best now {best:.2f}{worse}. "
            f"A run keeps the software level it starts with: research from now on helps your next run, not this one."
            f"{shared}"
        )

    MODE_AMOUNT = {"flop": "1e26", "params": "2e12", "weeks": "13"}  # a new mode's first amount

    @on(Select.Changed, "#mode")
    def _new_mode(self) -> None:
        """Another way to plan: the amount starts at a figure of its kind (1e26 read as
        weeks, or as parameters, was refused or absurd)."""
        mode = str(self.value("mode"))
        if mode in self.MODE_AMOUNT:
            self.fill(amount=self.MODE_AMOUNT[mode])

    @on(Button.Pressed, "#set-split")
    def _split(self) -> None:
        try:
            shares = [bounds.SHARE_PCT[k].parse(self.text(k)) for k in ("train", "infer", "research")]
            if abs(sum(shares) - 100) > 0.5:  # refused, not scaled: a stray 40 in the wrong field booked 105%
                raise Refused(why_not.split_total(sum(shares)))
            self.submit(decisions.SetSplit(*shares))
        except Refused as err:
            self.say(str(err), failed=True)

    @on(Button.Pressed, "#set-staff")
    def _staff(self) -> None:
        try:
            self.submit(decisions.SetStaff(bounds.STAFF_USD.parse(self.text("staff"))))
        except Refused as err:
            self.say(str(err), failed=True)
