"""Talks with partners between weeks, as the session keeps them: a round heard now (the
partner answers at once and a signed deal is in the world), the week's rounds kept as
`Offer` records, and those records in the log: with the week's decisions when it is
played, as an entry of offers alone in a save written mid-week, and back as the week's
rounds when such a save is loaded. The record a form makes is the one the log keeps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from game.catalog import Catalog
from game.engine import deals
from game.engine.actions import Actions
from game.engine.params import Params
from game.engine.state import World
from game.play.book import OfferReply, check_offer
from game.play.news import NewsItem, talk_news
from game.play.week import talk
from game.saves import LogEntry, Offer, log_entry

Rounds = dict[int, list[Offer]]  # lab index -> this week's offers, in the order they were made


def hear(world: World, catalog: Catalog, lab: int, offer: Offer) -> tuple[World, OfferReply, list[NewsItem]]:
    """One round of talks: `offer` checked (Refused names the field), the partner's answer
    in words and in terms, the world after it and the news it makes."""
    p, week = world.params, int(world.week[0])
    check_offer(p, week, offer)
    world, ans, a = talk(world, lab, offer)
    said = talk_news(p, catalog, week, a, ans, lab)
    reply = OfferReply(
        answer=deals.ANSWERS[int(ans.answer[0, lab])],
        words=said[0].text,
        count=int(ans.count[0, lab]),
        price=float(ans.price[0, lab]),
        share=float(ans.share[0, lab]),
        invest=float(ans.invest[0, lab]),
    )
    return world, reply, said


def week_entries(
    chosen: Actions, labs: Iterable[int], week: int, p: Params, rounds: Rounds
) -> list[LogEntry]:
    """The log entries of a week being played: each lab's decisions and its talks."""
    return [
        attrs.evolve(log_entry(chosen, 0, lab, week, p), offers=tuple(rounds.get(lab, ()))) for lab in labs
    ]


def talk_entries(week: int, lab_ids: Sequence[str], rounds: Rounds) -> list[LogEntry]:
    """This week's talks so far as entries of offers alone (a save written mid-week)."""
    return [
        LogEntry(week=week, lab=lab_ids[lab], offers=tuple(offers))
        for lab, offers in sorted(rounds.items())
        if offers
    ]


def pending_rounds(log: Iterable[LogEntry], week: int, lab_ids: Sequence[str]) -> Rounds:
    """A save's talks of its own week (entries of offers alone): the week's rounds again."""
    rounds: Rounds = {}
    for entry in log:
        if entry.week == week and entry.offers:
            rounds.setdefault(lab_ids.index(entry.lab), []).extend(entry.offers)
    return rounds
