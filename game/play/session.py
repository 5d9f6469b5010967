"""One game as a person plays it (B = 1): a thin driver between the engine, the saves
and the screens. No Textual here, so flows can be tested without a terminal.

A session holds the World, the scenario it came from, the AI for the labs nobody plays,
each human lab's book of decisions for the week (checked by the engine's own rules and
by a dry run of the week before they are taken, cancellable until the week ends), the
log of every human decision (for replay), the news and a short history for charts.
What the screens show comes from game/play/views.py, read from the lab's turn
(`Session.turn`, a frozen LabTurn: game/play/desk.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from game.catalog import Catalog, default_catalog
from game.engine import codes, economy, policies
from game.engine.state import World
from game.engine.turn import Report
from game.play import book as booking
from game.play import kept, standing, talks
from game.play.book import ADDS_UP, HARD, RUNWAY_WARNING_WEEKS, Confirm, LowRunway, OfferReply, Preview
from game.play.decisions import Decision, Refused, book_actions
from game.play.describe import describe
from game.play.desk import LabTurn
from game.play.history import HistoryPoint, guessed_styles, history_point, record_flows
from game.play.news import NOTE, RESULT, NewsItem, week_news
from game.play.week import play_week
from game.play.words import refusals
from game.play.words import result as result_words
from game.play.words import session as say
from game.saves import (
    LogEntry,
    Offer,
    SaveError,
    Scenario,
    TomlDoc,
    autosave,
    dumps,
    initial_world,
    load_scenario,
    new_game_id,
    save_doc,
    save_new,
    save_path,
    scenario_params,
    user_dir,
    write_atomic,
)
from game.saves.entries import Booked

__all__ = [
    "ADDS_UP", "HARD", "RUNWAY_WARNING_WEEKS", "Confirm", "LowRunway", "OfferReply", "Preview", "Refused", "Session",
]  # fmt: skip

AUTOSAVE_EVERY = 4
DEFAULT_SCENARIO = "2024-07-colossus"  # a new game's scenario when none is named


@attrs.define
class Session:
    scenario: Scenario
    catalog: Catalog
    world: World
    controllers: policies.Controllers
    humans: tuple[str, ...]
    log: list[LogEntry]
    books: dict[int, list[Decision]] = attrs.field(factory=dict)  # lab index -> this week's decisions
    rounds: talks.Rounds = attrs.field(factory=dict)  # negotiation rounds this week (talks.py)
    news: list[NewsItem] = attrs.field(factory=list)  # oldest first
    history: list[HistoryPoint] = attrs.field(factory=list)
    autosave_every: int = AUTOSAVE_EVERY
    autosave_folder: Path | None = None
    unsaved_weeks: int = 0
    saved_book: tuple[Booked, ...] = ()  # the week's book as the last save or load holds it
    load_refusals: list[str] = attrs.field(factory=list)  # why a loaded book's decisions were not booked
    last_report: Report | None = None
    ended_here: bool = False  # the game ended in this session (not loaded already over)
    playing: bool = False  # a week is being played (fast-forward's worker): no decisions now
    _turns: dict[int, LabTurn] = attrs.field(factory=dict, repr=False)  # the last turn built per lab

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
                raise Refused(say.not_playable_in_scenario(lab))
        scn = attrs.evolve(
            scn,
            humans=tuple(humans),
            meta=attrs.evolve(
                scn.meta,
                difficulty=difficulty or scn.meta.difficulty,
                seed=scn.meta.seed if seed is None else seed,
                game_id=new_game_id(),  # autosaves are kept per game
            ),
        )
        return cls._start(scn, catalog, list(scn.log))

    @classmethod
    def load(
        cls, path: str | Path, catalog: Catalog | None = None, humans: tuple[str, ...] | None = None
    ) -> Session:
        """A saved game. Its history (for the charts and the debrief) is rebuilt by
        replaying its log from the scenario it started from, when that reaches exactly
        the saved state; otherwise the history starts at the save.

        A save nobody played (a headless game's, `simulate --save-to`) is taken over by
        `humans`, by default its first playable lab, as `new` would start it: the AI then
        plays only the others."""
        from game.play.replay import history_of

        catalog = catalog or default_catalog()
        scn = load_scenario(Path(path), catalog)
        if humans is not None and scn.humans and tuple(humans) != scn.humans:
            raise Refused(say.changes_hands(scn.humans))
        if not scn.humans:
            playable = tuple(lab for lab in scn.lab_ids if catalog.lab(lab).playable)
            chosen = playable[:1] if humans is None else tuple(humans)
            for lab in chosen:
                if lab not in playable:
                    raise Refused(say.not_playable_in_save(lab))
            scn = attrs.evolve(scn, humans=chosen, meta=attrs.evolve(scn.meta, humans=chosen))
        week = scn.meta.week
        session = cls._start(scn, catalog, [e for e in scn.log if e.week < week])
        # this week's talks before the save: the week's, not the log's yet
        session.rounds = talks.pending_rounds(scn.log, week, session.params.lab_ids)
        rebuilt = history_of(scn, catalog, session.world)
        if rebuilt is not None:
            session.history, session.news = rebuilt
        if scn.book is None:  # an older save holds no decision of its week: the standing
            session.news.extend(standing.fire(session, rebook=True))  # orders book theirs again
        else:
            session.news.extend(kept.rebook(session, scn.book))
        session.saved_book = session.book_records()
        return session

    @classmethod
    def _start(cls, scn: Scenario, catalog: Catalog, log: list[LogEntry]) -> Session:
        params = scenario_params(scn, catalog)
        world = initial_world(scn, params, 1)
        ctl = policies.make_controllers(catalog, params, dict(scn.ai), scn.meta.difficulty)
        session = cls(scn, catalog, world, ctl, scn.humans, log)
        session._record()
        return session

    # ------------------------------------------------------------------ basics
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

    @property
    def human_labs(self) -> list[int]:
        """Indices of the labs people play, in the order they take their turns."""
        return [self.params.lab_ids.index(h) for h in self.humans]

    def lab_index(self, lab: str) -> int:
        return self.params.lab_ids.index(lab)

    def lab_name(self, index: int) -> str:
        return self.catalog.lab(self.params.lab_ids[index]).name

    # ------------------------------------------------------------- the book
    def book(self, lab: int) -> list[Decision]:
        """This week's decisions of a lab, in the order they were made."""
        return list(self.books.get(lab, []))

    def turn(self, lab: int) -> LabTurn:
        """The lab's turn as it stands (a frozen LabTurn: game/play/desk.py), built again
        only when the world, its book or talks, the history or the log changed; the dry
        runs of its books are shared while the world stays."""
        book, talks = tuple(self.books.get(lab, ())), tuple(self.rounds.get(lab, ()))
        mine = tuple(r for r in self.scenario.standing if r.lab == self.params.lab_ids[lab])
        t = self._turns.get(lab)
        if t is None or (t.world, t.book, t.talks, t.standing, len(t.history), len(t.log), t.last_report) != (
            self.world, book, talks, mine, len(self.history), len(self.log), self.last_report
        ):  # fmt: skip
            memo = t.memo if t is not None and t.world is self.world else {}
            history, log, start = tuple(self.history), tuple(self.log), self.scenario.meta.week
            t = LabTurn(
                self.catalog,
                self.world,
                lab,
                book,
                talks,
                history,
                log,
                self.last_report,
                start,
                mine,
                memo=memo,
            )
            self._turns[lab] = t
        return t

    def preview(self, lab: int, book: list[Decision] | None = None) -> Preview:
        """The dry run of the week with `book` (default: the lab's own): LabTurn.preview_of."""
        t = self.turn(lab)
        return t.preview if book is None else t.preview_of(book)

    def decide(self, lab: int, decision: Decision, confirmed: bool = False) -> str:
        """Add a decision to the lab's book after the engine's checks; returns what it
        will do. Raises Refused (nothing changes) or LowRunway (confirm to go ahead)."""
        self._check_turn(lab)
        book = self.book(lab)
        new_book, before, after = self._admit(lab, book, decision, confirmed)
        self.books[lab] = new_book
        text = describe(self.turn(lab), decision, before.cash_after - after.cash_after)
        if len(new_book) <= len(book):
            return say.replaces_setting(text)
        return text

    def _admit(
        self, lab: int, book: list[Decision], decision: Decision, confirmed: bool
    ) -> tuple[list[Decision], Preview, Preview]:
        """`book` with `decision` added, after every check a decision passes (the one rule
        for deciding and for re-checking a book after a cancel): the book it makes and
        the previews before and after. Raises Refused, or a Confirm (OverCovenant,
        LowRunway, SameAgain) that `confirmed` answers."""
        decision.check(self.params, self.world, lab, book)
        if decision in book and decision.kind in ADDS_UP:  # a second Enter on the same form
            raise Refused(say.booked_already(decision.label(self.params)))
        if decision in book and not confirmed and decision.kind == "run":
            raise booking.SameAgain(say.same_run_again(decision.label(self.params)))
        replaced = [d for d in book if decision.setting and type(d) is type(decision)]
        new_book = [d for d in book if d not in replaced] + [decision]
        before, after = self.preview(lab, book), self.preview(lab, new_book)
        added = after.refused & ~before.refused
        if added & HARD:
            raise Refused(say.refused(refusals(added & HARD)))
        if added & (codes.ORDER_NO_CASH | codes.NO_CASH) or (after.cash_after < 0 <= before.cash_after):
            cost = self.turn(lab).cost_in_full(book, [decision])
            credit = float(economy.credit_headroom(self.params, before.world)[0, lab])
            raise Refused(say.costs_too_much(decision.label(self.params), cost, before.cash_after, credit))
        if not confirmed:
            booking.ask(self.params, lab, decision, before, after)
        return new_book, before, after

    def _check_turn(self, lab: int) -> None:
        """A decision or a talk is for a lab a person plays, in a game still going, between
        weeks (never while a week is being played)."""
        if self.over:
            raise Refused(say.game_over())
        if self.playing:
            raise Refused(say.week_playing_decide())
        if lab not in self.human_labs:
            raise Refused(say.not_yours(self.lab_name(lab)))

    def cancel(self, lab: int, index: int) -> str:
        """Take decision `index` out of the lab's book. The rest of the book is checked
        again in its order, as if decided anew (a runway already confirmed stays
        confirmed): a decision that only the cancelled one made possible (an order the
        cancelled loan paid for) goes too, and the answer says so."""
        self._check_turn(lab)
        book = self.book(lab)
        if not 0 <= index < len(book):
            raise Refused(say.no_decision(index + 1))
        gone = book.pop(index)
        kept: list[Decision] = []
        dropped: list[tuple[str, str]] = []
        for decision in book:
            try:
                kept = self._admit(lab, kept, decision, confirmed=True)[0]
            except Refused as why:
                dropped.append((decision.label(self.params), str(why)))
        self.books[lab] = kept
        return say.cancelled(gone.label(self.params), dropped)

    # ------------------------------------------------------------------ talks
    def offer(self, lab: int, offer: Offer) -> OfferReply:
        """One round of talks with a partner, now: its answer, in words and in terms
        (talks.hear); the offer is kept for the week's log entry as it was made."""
        self._check_turn(lab)
        self.world, reply, said = talks.hear(self.world, self.catalog, lab, offer)
        self.rounds.setdefault(lab, []).append(offer)
        self.news.extend(said)
        return reply

    # ------------------------------------------------------------------ weeks
    def end_week(self) -> Report:
        """Play the week: the people's books, the AI for everyone else."""
        if self.over:
            raise Refused(say.game_over())
        self.playing = True
        try:
            report = self._end_week()
        finally:
            self.playing = False
        self.news.extend(standing.fire(self))  # the new week starts with the standing orders
        return report

    def _end_week(self) -> Report:
        p = self.params
        chosen, covered = book_actions(self.world, {lab: self.book(lab) for lab in self.human_labs})
        entries = talks.week_entries(chosen, self.human_labs, self.week, p, self.rounds)
        before = self.world
        self.world, report = play_week(before, self.controllers, chosen, covered)
        self.log.extend(entries)  # the log and the world move together (a save between them is whole)
        self.books.clear()
        self.rounds.clear()
        self._turns.clear()
        self.last_report = report
        self.unsaved_weeks += 1
        self.news.extend(week_news(p, self.catalog, report, p.human, self.world, chosen, before))
        if self.over:
            self.ended_here = True
            self.news.append(NewsItem(int(report.week[0]), self.result(), RESULT, urgent=True))
        self._record()
        record_flows(self.history, report)  # the ledger's week, kept with the game's history
        if self.autosave_every and self.week % self.autosave_every == 0 and not self.over:
            try:
                self.autosave()
            except SaveError as err:  # the game goes on; the player is told
                self.news.append(NewsItem(self.week, say.autosave_failed(err), NOTE, urgent=True))
        return report

    def _record(self) -> None:
        self.history.append(history_point(self.params, self.world))

    def result(self) -> str:
        """How the game ended, in a sentence (words.result)."""
        return result_words(self.params, self.world, self.lab_name)

    def scores(self) -> dict[str, float]:
        s = economy.score(self.params, self.world)[0]
        return {lab: float(s[i]) for i, lab in enumerate(self.params.lab_ids)}

    # --------------------------------------------------------------- forecast
    def guessed_styles(self, recent: int = 26) -> dict[str, str]:
        """The AI style closest to how each human lab has played lately (history.py)."""
        styles = dict(zip(self.params.lab_ids, self.controllers.style, strict=True))
        return guessed_styles(self.catalog, self.log, self.humans, self.week, styles, recent)

    def forecast(
        self,
        futures: int = 2000,
        weeks: int | None = None,
        styles: dict[str, str] | None = None,
        should_stop: Any = None,
        workers: int = 1,
        progress: Callable[[float, int], None] | None = None,
        executor: Any = None,
    ) -> Any:
        """Monte Carlo futures from this week, every lab played by the AI (the humans'
        labs by the style that matches their recent play, or `styles`), on `workers`
        processes or on `executor` (a concurrent.futures.Executor; the same forecast
        whatever their number: the workers rebuild this game from its save document)."""
        from game.batch.simulate import FutureSpec, forecast_futures

        chosen = self.guessed_styles() | dict(styles or {})
        level = self.scenario.meta.difficulty
        ctl = policies.make_controllers(self.catalog, self.params, chosen, level, ai_labs=self.params.lab_ids)
        spec = FutureSpec.of(self, chosen, level) if workers > 1 or executor is not None else None
        return forecast_futures(
            self.world, ctl, futures, weeks, workers=workers, should_stop=should_stop, progress=progress,
            executor=executor, spec=spec,
        )  # fmt: skip

    # ------------------------------------------------------------------ saves
    def document(self) -> TomlDoc:
        """The save: the state and the log, with this week's talks so far (already in the
        state: a signed deal is signed) as an entry of offers alone, which a load takes
        back as this week's talks and a replay plays after the weeks."""
        styles = dict(zip(self.params.lab_ids, self.controllers.style, strict=True))
        mid_week = talks.talk_entries(self.week, self.params.lab_ids, self.rounds)
        return save_doc(
            self.scenario,
            self.world,
            0,
            log=[*self.log, *mid_week],
            humans=self.humans,
            ai=styles,
            book=self.book_records(),
        )

    def book_records(self) -> tuple[Booked, ...]:
        """The humans' books as a save holds them."""
        return kept.records(self.params, self.books, self.human_labs)

    @property
    def book_unsaved(self) -> bool:  # the book differs from the last save's (or the load's)
        return self.book_records() != self.saved_book

    def save(self, path: str | Path | None = None) -> Path:
        """Save this game (to `path`, or a new file in the saves folder named by the
        scenario, lab, week and time), with the week's book as it stands."""
        if self.playing:
            raise SaveError(say.week_playing_save())
        doc = self.document()
        text = dumps(doc)  # built once, whatever the path
        if path is None:  # a new name taken exclusively: no other game's save is overwritten
            path = save_new(doc, user_dir(), text=text)
        else:
            path = Path(path)
            write_atomic(path, text.encode("utf-8"))
        self.unsaved_weeks = 0
        self.saved_book = self.book_records()
        return path

    def snapshot(self) -> Session:
        """This game as it stands now, in a copy that later decisions, talks and weeks
        leave alone (the world is immutable; the log, books, talks, news and history are
        copied): what a save written off the UI thread holds, and what a rescue save after
        a crash holds."""
        return attrs.evolve(
            self,
            log=list(self.log),
            books={lab: list(book) for lab, book in self.books.items()},
            rounds={lab: list(offers) for lab, offers in self.rounds.items()},
            news=list(self.news),
            history=list(self.history),
            turns={},
        )

    def default_save_path(self) -> Path:
        """Where ctrl+s saves: the file that already holds this state, else a new one."""
        return save_path(self.document(), user_dir())

    def autosave(self) -> Path:
        """This game's autosave for the week (the last five of this game are kept)."""
        return autosave(self.document(), self.autosave_folder)
