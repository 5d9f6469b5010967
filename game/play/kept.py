"""The week's book as a save keeps it: each human lab's booked decisions as `Booked`
records (game/saves/entries.py, the `[[book]]` tables), and back.

A save made in the middle of a week holds what the player had booked, so a player who
saves, quits and comes back finds the week as it was. A loaded book is booked again
through the session's own checks, as the forms book it: a decision the rules no longer
take (a file edited by hand) is refused with its reason, and the rest stand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import attrs

from game.engine.params import Params
from game.play import decisions, exits
from game.play.decisions import Decision, Refused
from game.play.news import NOTE, NewsItem
from game.play.words import session as say
from game.saves.entries import Booked

# a book entry's kind -> its decision (every kind the book takes, the ways out included)
DECISIONS: dict[str, type[Decision]] = {
    cls.kind: cls
    for module in (decisions, exits)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, Decision) and cls.kind
}


def records(params: Params, books: Mapping[int, Sequence[Decision]], labs: Iterable[int]) -> tuple[Booked, ...]:
    """The books of `labs` as the save writes them, lab by lab, in the order booked."""
    return tuple(
        Booked(lab=params.lab_ids[lab], kind=d.kind, **attrs.asdict(d)) for lab in labs for d in books.get(lab, ())
    )


def decision(entry: Booked) -> Decision:
    """The decision a saved entry holds (its kind's fields; the others are ignored)."""
    cls = DECISIONS.get(entry.kind)
    if cls is None:
        raise Refused(say.unknown_decision(entry.kind))
    return cls(**{f.name: getattr(entry, f.name) for f in attrs.fields(cls)})


class Booking(Protocol):
    """What booking a saved book again needs of the session (play/session.py)."""

    load_refusals: list[str]

    @property
    def week(self) -> int: ...
    @property
    def human_labs(self) -> list[int]: ...
    def lab_index(self, lab: str) -> int: ...
    def decide(self, lab: int, decision: Decision, confirmed: bool = False) -> str: ...


def rebook(session: Booking, entries: Iterable[Booked]) -> list[NewsItem]:
    """Book a save's book again through the checks a form's decision passes: the news of
    each entry refused (a file edited by hand), whose reasons `load_refusals` keeps."""
    news = []
    for entry in entries:
        lab = session.lab_index(entry.lab)
        try:
            if lab not in session.human_labs:
                raise Refused(say.not_yours(entry.lab))
            session.decide(lab, decision(entry), confirmed=True)
        except Refused as why:
            session.load_refusals.append(str(why))
            news.append(NewsItem(session.week, say.not_booked_again(entry.kind, str(why)), NOTE, lab, private=True))
    return news
