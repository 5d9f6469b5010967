"""One lab's turn as a value: everything a screen, a view or an agent reads about the
week a lab is deciding, frozen.

The session (game/play/session.py) is the only thing that changes a game; it hands out
a `LabTurn` built once per change of the world or of the lab's book. Views
(game/play/views.py, market.py, partners.py, intel.py, guide.py, describe.py) take a
turn and return typed records; none of them imports the session.

The dry run of the week with the lab's book (`preview`) is computed once per book and
shared by the turns of one world (`preview_of` answers "what if the book were this?"
for the admission rule and the book's line-by-line costs).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog
from game.engine import economy, turn
from game.engine.params import Params
from game.engine.state import World
from game.engine.training import capability
from game.play.book import Preview
from game.play.decisions import Decision, book_actions
from game.play.history import HistoryPoint
from game.play.runway import project
from game.play.words import result as result_words
from game.saves import LogEntry, Offer, Standing

MEMO_BOOKS = 64  # dry runs kept per world (a week's decisions and their prefixes)


@attrs.frozen
class LabTurn:
    """Lab `lab` of the game `world` (B = 1), at the start of the week, with its book."""

    catalog: Catalog
    world: World  # the start of the week: nothing in the book has happened yet
    lab: int
    book: tuple[Decision, ...] = ()  # this week's decisions, in the order they were made
    talks: tuple[Offer, ...] = ()  # this week's offers to partners (signed deals are in `world`)
    history: tuple[HistoryPoint, ...] = ()  # one point per week played (history.history_point)
    log: tuple[LogEntry, ...] = ()  # every human decision of past weeks (the save's log)
    last_report: turn.Report | None = None  # last week's report, if a week was played here
    start_week: int = 0  # the week the game was started or loaded at (the first-game guide)
    standing: tuple[Standing, ...] = ()  # the lab's standing orders (a save's [[standing]])
    memo: dict[Any, Any] = attrs.field(factory=dict, eq=False, repr=False, kw_only=True)  # dry runs by book

    # ------------------------------------------------------------------ basics
    @property
    def params(self) -> Params:
        return self.world.params

    @property
    def week(self) -> int:
        return int(self.world.week[0])

    @property
    def date(self) -> dt.date:
        return self.params.date_of(self.week)

    @property
    def over(self) -> bool:
        return bool(self.world.done[0])

    @property
    def lab_id(self) -> str:
        return self.params.lab_ids[self.lab]

    @property
    def name(self) -> str:
        return self.lab_name(self.lab)

    def lab_name(self, index: int) -> str:
        return self.catalog.lab(self.params.lab_ids[index]).name

    @property
    def result(self) -> str:
        """How the game ended, in a sentence (words.result)."""
        return result_words(self.params, self.world, self.lab_name)

    def capability_of(self, flop: float) -> float:
        """The capability a run of `flop` started now would release at (the engine's rule)."""
        return float(capability(flop, self.world.software[0, self.lab]))

    def with_book(self, book: tuple[Decision, ...] | list[Decision]) -> LabTurn:
        """This turn with another book (its dry runs shared with this one's)."""
        return attrs.evolve(self, book=tuple(book), memo=self.memo)

    # ------------------------------------------------------------ the dry run
    @cached_property
    def preview(self) -> Preview:
        """The dry run of the week with this book (see `preview_of`)."""
        return self.preview_of(self.book)

    def preview_of(self, book: tuple[Decision, ...] | list[Decision]) -> Preview:
        """A dry run of this week's decisions with `book`, the other labs idle: what the
        engine would refuse (its rules, before the week's revenue, running costs and
        events), what they cost, and the runway they leave as the dashboard counts it
        (runway.project: builds and rentals until they end, a closing round's cash),
        from after the week's construction is paid, like cash."""
        key = tuple(book)
        if key not in self.memo:
            if len(self.memo) >= MEMO_BOOKS:
                flows = self.memo.get("flows")
                self.memo.clear()
                if flows is not None:
                    self.memo["flows"] = flows
            self.memo[key] = self._dry_run(key)
        return self.memo[key]

    def cost_in_full(self, book: list[Decision], more: list[Decision]) -> float:
        """What the decisions `more` cost on top of `book` with cash enough for all of them
        (a decision refused for cash names its whole cost, not the cash the engine would
        have spent on part of it)."""
        rich = attrs.evolve(self.world, cash=self.world.cash + RICH_USD)
        spent = [float(_run(rich, self.lab, tuple(b))[1][0, self.lab].sum()) for b in (book, book + more)]
        return spent[0] - spent[1]

    def _dry_run(self, book: tuple[Decision, ...]) -> Preview:
        lab, p = self.lab, self.params
        after, flows, refused = _run(self.world, lab, book)
        if "flows" not in self.memo:  # the week's own flows, with no decision at all
            self.memo["flows"] = _run(self.world, lab, ())[1][0, lab] if book else flows[0, lab]
        base = self.memo["flows"]
        return Preview(
            float(flows[0, lab].sum() - base.sum()),
            float(after.cash[0, lab]),
            project(p, after, lab).weeks,  # the runway the dashboard shows (runway.py)
            int(refused[0, lab]),
            after,
            building=-float(base[economy.FLOW_INDEX["halls"]]),
            closing=float(base[economy.FLOW_INDEX["equity"]]),
        )


RICH_USD = 1e13  # cash that no decision's cost reaches (ten trillion dollars)


def _run(world: World, lab: int, book: tuple[Decision, ...]) -> tuple[World, np.ndarray, np.ndarray]:
    actions, _ = book_actions(world, {lab: list(book)})
    return turn.dry_run(world, actions)
