"""Replay: a save's log played again from the scenario it started from, to check that it
reaches exactly the saved state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from game.catalog import Catalog
from game.engine import policies
from game.engine.state import World, array_fields
from game.play.history import HistoryPoint, history_point, record_flows
from game.play.news import NewsItem, talk_news, week_news
from game.play.week import play_week, talk
from game.play.words import session as say
from game.saves import (
    LogEntry,
    SaveError,
    Scenario,
    initial_world,
    load_scenario,
    log_actions,
    scenario_params,
)


def replayed(
    save: Scenario, catalog: Catalog, news: list[NewsItem] | None = None, reports: list[Any] | None = None
) -> Iterator[World]:
    """The worlds of a save's game week by week, from the scenario it started from to the
    save's week, its log played for the people and the AI for everyone else (the news of
    its talks and weeks appended to `news` if given, as the game said it). Raises
    SaveError if the origin cannot start this game."""
    origin = load_scenario(save.origin, catalog)
    params = scenario_params(save, catalog)
    if origin.lab_ids != save.lab_ids or origin.meta.start_date != save.meta.start_date:
        raise SaveError(say.origin_differs(save.path, save.origin))
    world = initial_world(origin, params, 1, seed=save.meta.seed, offset=save.meta.game)
    if int(world.week[0]) > save.meta.week:
        raise SaveError(say.origin_later(save.path, save.origin))
    ctl = policies.make_controllers(catalog, params, save.ai, save.meta.difficulty, ai_labs=params.lab_ids)
    by_week: dict[int, list[LogEntry]] = {}
    for entry in save.log:
        by_week.setdefault(entry.week, []).append(entry)

    def talks(world: World, entries: list[LogEntry]) -> World:
        for entry in entries:
            lab = params.lab_ids.index(entry.lab)
            for offer in entry.offers:
                week = int(world.week[0])
                world, answers, asked = talk(world, lab, offer)
                if news is not None:
                    news.extend(talk_news(params, catalog, week, asked, answers, lab))
        return world

    yield world
    while int(world.week[0]) < save.meta.week and not world.done[0]:
        entries = by_week.get(int(world.week[0]), [])
        world = talks(world, entries)
        logged, covered = log_actions(world, entries)
        before = world
        world, report = play_week(world, ctl, logged, covered)
        if reports is not None:  # (the ledger's cash flows, week by week)
            reports.append(report)
        if news is not None:
            news.extend(week_news(params, catalog, report, params.human, world, logged, before))
        yield world
    if int(world.week[0]) == save.meta.week and by_week.get(save.meta.week):
        world = talks(world, by_week[save.meta.week])  # the save's week: its talks so far
        yield world


def differences(a: World, b: World) -> list[str]:
    """The state fields in which two worlds differ."""
    return [n for n in array_fields() if not np.array_equal(getattr(a, n), getattr(b, n))]


def replay(save: Scenario, catalog: Catalog) -> tuple[bool, str]:
    """Replay a save's log from the scenario it started from; True if the result is
    exactly the saved state. The AI plays every lab-week the log does not cover."""
    try:
        worlds = list(replayed(save, catalog))
    except SaveError as err:
        return False, str(err)
    weeks = int(worlds[-1].week[0]) - int(worlds[0].week[0])
    differ = differences(worlds[-1], initial_world(save, worlds[-1].params, 1))
    return not differ, say.replayed(weeks, save.origin, differ)


def history_of(save: Scenario, catalog: Catalog, world: World) -> tuple[list[HistoryPoint], list[NewsItem]] | None:
    """A saved game's history (a point a week; a week's talks: its last) and news, from
    its log replayed from the scenario it started from, if that reaches exactly `world`
    (the saved state); None otherwise."""
    news: list[NewsItem] = []
    reports: list[Any] = []
    try:
        worlds = list(replayed(save, catalog, news, reports)) if save.log else []
    except SaveError:
        return None
    if len(worlds) < 2 or differences(worlds[-1], world):
        return None
    points = {int(w.week[0]): history_point(world.params, w) for w in worlds}
    history: list[HistoryPoint] = []
    played = {int(r.week[0]) + 1: r for r in reports}
    for week, point in points.items():  # each week's flows, as the session kept them (the ledger
        history.append(point)  # started again at a load: "flows are kept from the week ... loaded")
        record_flows(history, played.get(week))
    return history, news
