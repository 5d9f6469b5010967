"""One game as a person plays it (B = 1): the glue between the engine, saves and the
screens. No Textual here, so flows can be tested without a terminal.

A session holds the World, the scenario it came from, the AI for the labs nobody
plays, this week's decisions of the human lab(s) (checked before they are taken), the
log of every human decision (for replay), the news, and a short history for charts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog, default_catalog
from game.engine import compute, deals, economy, policies, turn
from game.engine.actions import Actions, merge
from game.engine.params import HOURS_PER_WEEK, TRAIN
from game.engine.state import END_REASONS, RUN_POST, RUN_PRETRAIN
from game.play.words import offer_message, refusals
from game.saves import (
    Scenario,
    autosave,
    initial_world,
    load_scenario,
    log_entry,
    save_doc,
    scenario_params,
    user_dir,
    write_save,
)

AUTOSAVE_EVERY = 4


DEFAULT_SCENARIO = "2024-07-colossus"  # a new game's scenario when none is named


class Refused(ValueError):
    """A decision the game will not take; the message says why (nothing changed)."""


@attrs.define
class Session:
    scenario: Scenario
    catalog: Catalog
    world: Any
    controllers: policies.Controllers
    humans: tuple[str, ...]
    log: list[dict[str, Any]]
    pending: dict[int, Actions] = attrs.field(factory=dict)  # lab index -> this week's actions
    rounds: dict[int, list[dict[str, Any]]] = attrs.field(factory=dict)  # negotiation rounds this week
    news: list[tuple[int, str]] = attrs.field(factory=list)  # (week, text), newest last
    history: list[dict[str, Any]] = attrs.field(factory=list)
    autosave_every: int = AUTOSAVE_EVERY
    autosave_folder: Path | None = None
    unsaved_weeks: int = 0
    last_report: Any = None

    # --------------------------------------------------------------- creation
    @classmethod
    def new(
        cls,
        scenario: str | Path = DEFAULT_SCENARIO,
        humans: tuple[str, ...] | None = None,
        difficulty: str | None = None,
        seed: int | None = None,
        catalog: Catalog | None = None,
    ) -> Session:
        catalog = catalog or default_catalog()
        scn = load_scenario(scenario, catalog)
        humans = scn.humans if humans is None else humans
        for lab in humans:
            if lab not in scn.lab_ids or not catalog.lab(lab).playable:
                raise Refused(f"{lab} is not a playable lab in this scenario")
        scn = attrs.evolve(
            scn,
            humans=tuple(humans),
            meta=attrs.evolve(
                scn.meta,
                difficulty=difficulty or scn.meta.difficulty,
                seed=scn.meta.seed if seed is None else seed,
            ),
        )
        return cls._start(scn, catalog, list(scn.log))

    @classmethod
    def load(cls, path: str | Path, catalog: Catalog | None = None) -> Session:
        catalog = catalog or default_catalog()
        scn = load_scenario(Path(path), catalog)
        return cls._start(scn, catalog, list(scn.log))

    @classmethod
    def _start(cls, scn: Scenario, catalog: Catalog, log: list[dict[str, Any]]) -> Session:
        params = scenario_params(scn, catalog)
        world = initial_world(scn, params, 1)
        ctl = policies.make_controllers(catalog, params, dict(scn.ai), scn.meta.difficulty)
        session = cls(scn, catalog, world, ctl, scn.humans, log)
        session._record()
        return session

    # ------------------------------------------------------------------ views
    @property
    def params(self) -> Any:
        return self.world.params

    @property
    def week(self) -> int:
        return int(self.world.week[0])

    @property
    def date(self) -> Any:
        return self.params.date_of(self.week)

    @property
    def over(self) -> bool:
        return bool(self.world.done[0])

    def lab_index(self, lab: str) -> int:
        return self.params.lab_ids.index(lab)

    def lab_name(self, index: int) -> str:
        return self.catalog.lab(self.params.lab_ids[index]).name

    def snapshot(self, lab: int) -> dict[str, Any]:
        """What the dashboard shows for one lab."""
        p, w = self.params, self.world
        peak, useful, n = compute.lab_flops(p, w)
        costs = economy.running_costs(p, w)[0, lab]
        runway = economy.runway_weeks(p, w)[0, lab]
        split = w.split[0, lab]
        power_used = compute.installed_mw(p, w)[0, lab] * compute.powered_fraction(p, w)[0, lab]
        runs = []
        for k in range(w.run_phase.shape[-1]):
            phase = int(w.run_phase[0, lab, k])
            if phase == 0:
                continue
            flop, done = float(w.run_flop[0, lab, k]), float(w.run_done[0, lab, k])
            runs.append(
                {
                    "phase": "training" if phase == RUN_PRETRAIN else "post-training",
                    "flop": flop,
                    "progress": done / flop if flop else 1.0,
                    "capability": math.log10(flop) + float(w.run_software[0, lab, k]),
                    "post_weeks_left": int(w.run_post_left[0, lab, k]) if phase == RUN_POST else None,
                    "eta_weeks": self._eta(lab, flop - done) if phase == RUN_PRETRAIN else None,
                }
            )
        return {
            "cash": float(w.cash[0, lab]),
            "debt": float(w.debt[0, lab]),
            "burn": float(costs - w.revenue_fast[0, lab]),
            "revenue": float(w.revenue_fast[0, lab]),
            "runway": float(runway),
            "valuation": float(w.valuation[0, lab]),
            "share": float(w.founder_share[0, lab]),
            "users": float(w.users[0, lab]),
            "compute": {
                name: float(peak[0, lab] * split[i])
                for i, name in enumerate(("training", "inference", "research"))
            },
            "gpus": float(n[0, lab]),
            "best_model": float(w.best_model[0, lab]),
            "software": float(w.software[0, lab]),
            "agi_progress": self.agi_progress(float(w.best_model[0, lab])),
            "runs": runs,
            "warehouse": int(w.warehouse[0, lab].sum()),
            "on_order": int(w.order_count[0, lab].sum()),
            "sites": [
                {
                    "site": p.site_ids[s],
                    "name": self.catalog.sites[s].name,
                    "used_mw": float(power_used[s]),
                    "power_mw": float(compute.power_mw(w)[0, lab, s]),
                    "hall_mw": float(w.hall_mw[0, lab, s]),
                    "building_mw": float(w.hall_building[0, lab, s]),
                }
                for s in range(len(p.site_ids))
                if w.hall_mw[0, lab, s] + w.hall_building[0, lab, s] + w.turbine_pending[0, lab, s] > 0
            ],
        }

    def agi_progress(self, capability: float) -> float:
        """How far from GPT-4 (25.3) to the AGI threshold a capability is, 0..1."""
        start = 25.3
        return float(np.clip((capability - start) / (self.params.agi_capability - start), 0.0, 1.0))

    def _eta(self, lab: int, flop_left: float) -> float:
        p, w = self.params, self.world
        _, useful, n = compute.lab_flops(p, w)
        share = w.split[0, lab, TRAIN]
        rate, _ = compute.training_rate(share * useful[0, lab], share * n[0, lab], p.rules.training)
        active = max(int((w.run_phase[0, lab] == RUN_PRETRAIN).sum()), 1)
        per_run = float(rate) / active
        return flop_left / per_run if per_run > 0 else float("inf")

    # -------------------------------------------------------------- decisions
    def actions(self, lab: int) -> Actions:
        """This week's actions for a human lab (created idle on first use)."""
        if lab not in self.pending:
            self.pending[lab] = Actions.idle(self.world)
        return self.pending[lab]

    def _set(self, lab: int, **changes: Any) -> None:
        a = self.actions(lab)
        fields = {}
        for name, (index, value) in changes.items():
            array = getattr(a, name).copy()
            array[(0, lab, *index)] = value
            fields[name] = array
        self.pending[lab] = a.replace(**fields)

    def _add(self, lab: int, name: str, index: tuple[int, ...], value: float) -> None:
        """Add to this week's amount of a decision (two orders of the same kind add up)."""
        a = self.actions(lab)
        array = getattr(a, name).copy()
        array[(0, lab, *index)] += value
        self.pending[lab] = a.replace(**{name: array})

    def unit_price(self, gpu: int, vendor: int) -> float:
        return float(
            compute.unit_price(self.params, self.world)[0, gpu] * self.params.integrator_markup[vendor]
        )

    def order_gpus(self, lab: int, gpu: str, count: int, vendor: str) -> str:
        """Queue an order for this week; refuse what cannot be done, changing nothing."""
        p, w = self.params, self.world
        if gpu not in p.gpu_ids:
            raise Refused(f"unknown GPU {gpu!r}")
        if vendor not in p.integrator_ids:
            raise Refused(f"unknown integrator {vendor!r}")
        if not isinstance(count, int) or count <= 0:
            raise Refused("the count must be a whole number above zero")
        g, v = p.gpu_ids.index(gpu), p.integrator_ids.index(vendor)
        if self.week < p.gpu_available_week[g] + w.gpu_delay[0, g]:
            when = p.date_of(int(p.gpu_available_week[g] + w.gpu_delay[0, g]))
            raise Refused(f"{gpu} is not on sale until {when.isoformat()}")
        left = float(p.supply_per_quarter[compute.week_row(p, w)[0], g] - w.nvidia_ordered[0, g])
        if left < 1:
            raise Refused(f"NVIDIA's {gpu} supply for this quarter is spoken for")
        cost = count * self.unit_price(g, v)
        if cost > w.cash[0, lab]:
            raise Refused(f"{count:,} {gpu} cost ${cost / 1e9:,.2f}B; you have ${w.cash[0, lab] / 1e9:,.2f}B")
        if (w.order_count[0, lab] > 0).sum() >= w.order_count.shape[-1]:
            raise Refused("too many orders in flight; wait for a delivery")
        self._add(lab, "order_count", (v, g), count)
        note = f"Ordered {count:,} {gpu} via {self.catalog.integrators[v].name} for ${cost / 1e9:,.2f}B"
        if count > left:
            note += f" (NVIDIA has {left:,.0f} left this quarter: you may get fewer)"
        return note

    def build_halls(self, lab: int, site: str, mw: float) -> str:
        p = self.params
        if site not in p.site_ids:
            raise Refused(f"unknown site {site!r}")
        if not math.isfinite(mw) or mw <= 0 or mw > 5000:
            raise Refused("build between 1 and 5,000 MW at a time")
        s = p.site_ids.index(site)
        weekly = min(mw, p.site_build_mw_per_week[s]) * p.site_build_usd_per_mw[s]
        self._add(lab, "build_mw", (s,), mw)
        weeks = math.ceil(mw / p.site_build_mw_per_week[s])
        return (
            f"Building {mw:,.0f} MW of halls at {self.catalog.sites[s].name}: ~{weeks} weeks, "
            f"${mw * p.site_build_usd_per_mw[s] / 1e9:,.2f}B paid as built (${weekly / 1e6:,.0f}M a week)"
        )

    def order_turbines(self, lab: int, site: str, mw: float) -> str:
        p, w = self.params, self.world
        if site not in p.site_ids:
            raise Refused(f"unknown site {site!r}")
        s = p.site_ids.index(site)
        room = p.site_turbine_max[s] - (w.turbine_mw[0, :, s] + w.turbine_pending[0, :, s]).sum()
        if not math.isfinite(mw) or mw <= 0:
            raise Refused("turbines come in MW above zero")
        if mw > room + 1e-9:
            raise Refused(f"the permits at {self.catalog.sites[s].name} allow {max(room, 0):,.0f} MW more")
        cost = mw * p.site_turbine_usd_per_mw[s]
        if cost > w.cash[0, lab]:
            raise Refused(f"{mw:,.0f} MW of turbines cost ${cost / 1e9:,.2f}B")
        self._add(lab, "turbine_mw", (s,), mw)
        return f"Ordered {mw:,.0f} MW of turbines for ${cost / 1e9:,.2f}B: running in {p.site_turbine_weeks[s]} weeks"

    def upgrade_substation(self, lab: int, site: str) -> str:
        p, w = self.params, self.world
        if site not in p.site_ids:
            raise Refused(f"unknown site {site!r}")
        s = p.site_ids.index(site)
        name = self.catalog.sites[s].name
        if w.substation_left[0, s] > 0:
            raise Refused(
                f"an upgrade at {name} is already under way ({int(w.substation_left[0, s])} weeks left)"
            )
        if w.grid_mw[0, s] >= p.site_grid_max[s]:
            raise Refused(f"{name}'s grid is at its maximum ({p.site_grid_max[s]:,.0f} MW)")
        cost = p.site_substation_mw[s] * p.site_substation_usd_per_mw[s]
        if cost > w.cash[0, lab]:
            raise Refused(f"the upgrade costs ${cost / 1e9:,.2f}B")
        self._set(lab, substation=((s,), True))
        add = min(p.site_substation_mw[s], p.site_grid_max[s] - w.grid_mw[0, s])
        return f"Substation at {name}: +{add:,.0f} MW of grid for you in {p.site_substation_weeks[s]} weeks, ${cost / 1e6:,.0f}M"

    def leave_contract(self, lab: int, slot: int) -> str:
        w, p = self.world, self.params
        if not 0 <= slot < w.contract_partner.shape[-1] or w.contract_partner[0, lab, slot] < 0:
            raise Refused(f"there is no contract number {slot}")
        partner = int(w.contract_partner[0, lab, slot])
        left = max(int(w.contract_end[0, lab, slot]) - max(int(w.contract_start[0, lab, slot]), self.week), 0)
        value = w.contract_count[0, lab, slot] * w.contract_price[0, lab, slot] * HOURS_PER_WEEK * left
        penalty = p.partner_exit_penalty[partner] * value
        self._set(lab, exit=((slot,), True))
        return f"Leaving contract {slot} with {self.catalog.partners[partner].name} this week: penalty ${penalty / 1e9:,.2f}B"

    def start_run(self, lab: int, flop: float) -> str:
        p = self.params
        if not math.isfinite(flop) or flop < p.rules.training.min_run_flop:
            raise Refused(f"a run needs at least {p.rules.training.min_run_flop:.0e} FLOP")
        planned = self.actions(lab).start_flop[0, lab]
        if (self.world.run_phase[0, lab] == 0).sum() <= (planned > 0).sum():
            raise Refused("all run slots are busy; wait for a release")
        eta = self._eta(lab, flop)
        self._set(lab, start_flop=((int(np.argmin(planned > 0)),), flop))
        cap = math.log10(flop) + float(self.world.software[0, lab])
        return f"Starting a {flop:.2e} FLOP run: ~{eta:,.0f} weeks at today's compute, capability {cap:.2f}"

    def set_split(self, lab: int, training: float, inference: float, research: float) -> str:
        shares = np.array([training, inference, research], dtype=float)
        if not np.isfinite(shares).all() or (shares < 0).any() or shares.sum() <= 0:
            raise Refused("shares must be numbers >= 0, not all zero")
        shares = shares / shares.sum()
        self._set(lab, split=((), shares))
        return "Compute split: " + ", ".join(
            f"{n} {x:.0%}" for n, x in zip(("training", "inference", "research"), shares, strict=True)
        )

    def raise_round(self, lab: int, usd: float) -> str:
        p, w = self.params, self.world
        if not math.isfinite(usd) or usd <= 0:
            raise Refused("ask for an amount above zero")
        wait = p.rules.finance.raise_cooldown_weeks - (self.week - int(w.last_raise_week[0, lab]))
        if wait > 0:
            raise Refused(f"investors will not hear a new round for {wait} more weeks")
        f = p.rules.finance
        cap = min(f.raise_max_fraction * w.valuation[0, lab], f.raise_max_usd * w.mood[0])
        got = min(usd, cap)
        dilution = got / (w.valuation[0, lab] + got)
        self._set(lab, raise_usd=((), usd))
        return (
            f"Raising up to ${got / 1e9:,.1f}B at about ${w.valuation[0, lab] / 1e9:,.0f}B pre-money: "
            f"founders give up ~{dilution:.1%}"
        )

    def borrow(self, lab: int, usd: float) -> str:
        room = float(economy.credit_headroom(self.params, self.world)[0, lab])
        if not math.isfinite(usd) or usd <= 0:
            raise Refused("borrow an amount above zero")
        if usd > room:
            raise Refused(f"lenders will lend ${room / 1e9:,.2f}B more against your GPUs")
        self._set(lab, borrow_usd=((), usd))
        return f"Borrowing ${usd / 1e9:,.2f}B at {self.params.rules.finance.interest_rate:.0%} a year"

    def offer(self, lab: int, offer: dict[str, Any]) -> tuple[str, str, deals.Answers]:
        """One round of talks with a partner, now. Returns (answer, words, answers)."""
        from game.saves import offer_actions

        if self.over:
            raise Refused("the game is over")
        p = self.params
        known = {"partner": p.partner_ids, "gpu": p.gpu_ids, "site": p.site_ids}
        for key, ids in known.items():
            if key in offer and offer[key] not in ids:
                raise Refused(f"unknown {key} {offer[key]!r}")
        for key, hi in (("count", 1e8), ("weeks", 520), ("price", 1e3), ("invest", 1e13), ("share", 1.0)):
            value = offer.get(key, 0)
            if not isinstance(value, int | float) or not math.isfinite(value) or not 0 <= value <= hi:
                raise Refused(f"{key} must be between 0 and {hi:g}")
        a = offer_actions(self.world, lab, offer)
        self.world, ans, _ = turn.negotiate_now(self.world, a)
        self.rounds.setdefault(lab, []).append(dict(offer))
        words = offer_message(self.params, a, ans, 0, lab)
        self.news.append((self.week, words))
        return deals.ANSWERS[int(ans.answer[0, lab])], words, ans

    # ------------------------------------------------------------------ weeks
    def end_week(self) -> turn.Report:
        """Play the week: the humans' decisions, the AI's for everyone else."""
        if self.over:
            raise Refused("the game is over")
        p = self.params
        base = Actions.idle(self.world)
        human = np.zeros(p.n_labs, bool)
        for lab in range(p.n_labs):
            if p.lab_ids[lab] in self.humans:
                human[lab] = True
                chosen = self.actions(lab)
                base = merge(np.broadcast_to(np.arange(p.n_labs) == lab, (1, p.n_labs)), chosen, base)
        ai = policies.decide(self.world, self.controllers)
        actions = merge(np.broadcast_to(human, (1, p.n_labs)), base, ai)
        for lab in np.flatnonzero(human).tolist():
            entry = log_entry(actions, 0, int(lab), self.week, p)
            if self.rounds.get(int(lab)):
                entry["offers"] = self.rounds[int(lab)]
            self.log.append(entry)
        before = self.world
        self.world, report = turn.step(self.world, actions)
        self.pending.clear()
        self.rounds.clear()
        self.last_report = report
        self.unsaved_weeks += 1
        self._tell(before, report)
        self._record()
        if self.autosave_every and self.week % self.autosave_every == 0:
            self.autosave()
        return report

    def _record(self) -> None:
        w = self.world
        peak, _, _ = compute.lab_flops(self.params, w)
        self.history.append(
            {
                "week": self.week,
                "cash": w.cash[0].tolist(),
                "compute": peak[0].tolist(),
                "capability": w.best_model[0].tolist(),
            }
        )

    def _tell(self, before: Any, r: turn.Report) -> None:
        p, cat = self.params, self.catalog
        week = int(r.week[0])
        for lab in range(p.n_labs):
            name = self.lab_name(lab)
            if r.released[0, lab]:
                self.news.append(
                    (week, f"{name} releases a model at capability {r.released_capability[0, lab]:.2f}.")
                )
            if r.delivered[0, lab].sum() and p.lab_ids[lab] in self.humans:
                self.news.append((week, f"{name}: {int(r.delivered[0, lab].sum()):,} GPUs delivered."))
            if r.installed[0, lab].sum() and p.lab_ids[lab] in self.humans:
                self.news.append((week, f"{name}: {int(r.installed[0, lab].sum()):,} GPUs installed."))
            if r.raised[0, lab] > 0:
                self.news.append((week, f"{name} raises ${r.raised[0, lab] / 1e9:,.1f}B."))
            if r.refused[0, lab] and p.lab_ids[lab] in self.humans:
                self.news.append((week, f"{name}: refused: {'; '.join(refusals(int(r.refused[0, lab])))}."))
            if r.went_bankrupt[0, lab]:
                self.news.append((week, f"{name} is bankrupt."))
            if r.rented[0, lab] and p.lab_ids[lab] not in self.humans:
                partner = cat.partners[int(r.offer_partner[0, lab])].name
                self.news.append((week, f"{name} rents {int(r.rented[0, lab]):,} GPUs from {partner}."))
        for c, card in enumerate(cat.events):
            labs = np.flatnonzero(r.events[0, :, c])
            if not len(labs):
                continue
            targets = labs[:1] if card.scope == "game" else labs
            for lab in targets:
                self.news.append(
                    (
                        week,
                        card.title + ": " + event_text(card, p, int(lab), float(r.event_values[0, lab, c])),
                    )
                )
        if self.over:
            self.news.append((week, self.result()))

    def result(self) -> str:
        w = self.world
        reason = END_REASONS[int(w.end_reason[0])]
        winner = int(w.winner[0])
        who = self.lab_name(winner) if winner >= 0 else "nobody"
        if reason == "agi":
            return f"{who} reaches AGI on {self.params.date_of(int(w.agi_week[0])).isoformat()}."
        if reason == "bankrupt":
            return f"Bankruptcy ends the race. {who} is left standing."
        return f"The last week passes without AGI; {who} has the strongest model."

    def scores(self) -> dict[str, float]:
        s = economy.score(self.params, self.world)[0]
        return {lab: float(s[i]) for i, lab in enumerate(self.params.lab_ids)}

    # --------------------------------------------------------------- forecast
    def guessed_styles(self, recent: int = 26) -> dict[str, str]:
        """The AI style closest to how each human lab has played lately: a builder if it
        bought more GPUs than it rented, a partner if it rented more."""
        styles = dict(zip(self.params.lab_ids, self.controllers.style, strict=True))
        for lab in self.humans:
            bought = rented = 0
            for entry in self.log:
                if entry["lab"] != lab or entry["week"] < self.week - recent:
                    continue
                bought += sum(o["count"] for o in entry.get("orders", []))
                offers = [entry.get("offer")] + list(entry.get("offers", []))
                rented += sum(o.get("count", 0) for o in offers if o)
            if bought or rented:
                styles[lab] = "builder" if bought >= rented else "partner"
            else:
                styles[lab] = self.catalog.lab(lab).policy
        return styles

    def forecast(
        self,
        futures: int = 2000,
        weeks: int | None = None,
        styles: dict[str, str] | None = None,
        should_stop: Any = None,
        workers: int = 1,
        progress: Callable[[float, int], None] | None = None,
    ) -> Any:
        """Monte Carlo futures from this week, every lab played by the AI (the humans'
        labs by the style that matches their recent play, or `styles`), on `workers`
        processes (the same forecast whatever their number)."""
        from game.play.simulate import forecast_futures

        chosen = self.guessed_styles() | dict(styles or {})
        ctl = policies.make_controllers(
            self.catalog, self.params, chosen, self.scenario.meta.difficulty, ai_labs=self.params.lab_ids
        )
        return forecast_futures(
            self.world, ctl, futures, weeks, workers=workers, should_stop=should_stop, progress=progress
        )

    # ------------------------------------------------------------------ saves
    def document(self) -> dict[str, Any]:
        styles = dict(zip(self.params.lab_ids, self.controllers.style, strict=True))
        return save_doc(self.scenario, self.world, 0, log=self.log, humans=self.humans, ai=styles)

    def save(self, path: str | Path) -> Path:
        path = Path(path)  # this week's pending decisions are not part of the state yet
        write_save(path, self.document())
        self.unsaved_weeks = 0
        return path

    def default_save_path(self) -> Path:
        return user_dir() / f"{self.scenario.origin}-week-{self.week:04d}.toml"

    def autosave(self) -> Path:
        return autosave(self.document(), self.autosave_folder)


def event_text(card: Any, p: Any, lab: int, value: float) -> str:
    """A card's text with its numbers."""
    effect = card.effects[0]
    fields = {
        "lab": p.catalog.lab(p.lab_ids[lab]).name,
        "value": f"{abs(value):,.0f}" if abs(value) >= 1 else f"{abs(value):.2f}",
        "value_pct": f"{abs(value - 1) if effect.op == 'mul' else abs(value):.0%}",
        "value_b": f"{abs(value) / 1e9:,.2f}",
        "site": next((s.name for s in p.catalog.sites if s.id == effect.site), ""),
        "gpu": effect.gpu,
        "partner": effect.partner,
    }
    try:
        return card.text.format(**fields)
    except (KeyError, IndexError, ValueError):
        return card.text
