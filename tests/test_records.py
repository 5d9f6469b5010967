"""The record a player makes is the record the engine reads and the file keeps: an offer
from the deals form is an `Offer` the session hears, the log keeps, the save writes and a
load or a replay reads back unchanged; every log entry, standing order and history point
the converter can hold comes back from it as it went in."""

from __future__ import annotations

import tomllib
from typing import Any

import attrs
import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.catalog.schema import Items, Record
from game.catalog.specs import Choice, Keyed, Num, Numbers, Ref, Refs, Shares
from game.engine import turn
from game.play.history import HistoryPoint
from game.play.replay import differences, replayed
from game.play.session import Session
from game.play.week import talk
from game.saves import (
    LogEntry,
    Offer,
    Standing,
    initial_world,
    load_scenario,
    offer_actions,
    offer_entry,
    scenario_params,
)
from game.saves.records import saves_schema
from game.tui.app import AgiRaceApp
from tests.tui_helpers import confirm, fill

XAI, OPENAI = 0, 1


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


# ------------------------------------------------------------ a form's offer
async def test_an_offer_made_in_the_deals_form_is_the_record_the_log_and_the_save_keep(tmp_path):
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        fill(pilot, count="3000", start="2", weeks="26", price="3.5")
        await confirm(pilot)
        await pilot.press("y")  # the review: send it
        await pilot.pause()
    (made,) = s.rounds[XAI]
    assert made == Offer(partner="oracle", gpu="H100", count=3000, start=s.week + 2, weeks=26, price=3.5)

    mid = s.save(tmp_path / "mid-week.toml")  # the week's talks so far: an entry of offers alone
    assert load_scenario(mid, s.catalog).log[-1] == LogEntry(week=s.week, lab="xai", offers=(made,))
    back = Session.load(mid)
    assert back.rounds == {XAI: [made]} and not differences(back.world, s.world)

    for game in (s, back):
        game.end_week()
    assert s.log[-1].offers == (made,)  # the week's entry keeps the record as the form made it
    assert back.log == s.log
    later = load_scenario(s.save(tmp_path / "later.toml"), s.catalog)
    assert later.log == tuple(s.log)  # written and read back: the same records


# ------------------------------------------------------- logged and replayed
def test_offers_logged_and_replayed_give_the_same_world(tmp_path):
    """A rental, an amendment of it and an investment ask, heard over three weeks: the
    save's replay meets every talk's world and the saved state exactly."""
    s = Session.new("2024-07-colossus", humans=("openai",))
    s.autosave_every = 0
    s.offer(OPENAI, Offer(partner="oracle", gpu="H100", count=2_000, start=s.week, weeks=52, price=12.0))
    s.end_week()
    slot = int(np.flatnonzero(s.world.contract_partner[0, OPENAI] >= 0)[0])
    s.offer(OPENAI, Offer(partner="oracle", contract=slot, count=500, weeks=8, price=12.0))
    s.end_week()
    s.offer(OPENAI, Offer(partner="microsoft", invest=1e9, share=0.05))
    talked = s.world
    save = load_scenario(s.save(tmp_path / "talks.toml"), s.catalog)
    assert [len(e.offers) for e in save.log] == [1, 1, 1]
    worlds = list(replayed(save, s.catalog))
    assert not differences(worlds[-1], talked)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    partner=st.sampled_from(["oracle", "coreweave", "microsoft"]),
    count=st.integers(0, 200_000),
    start=st.integers(-5, 40),
    weeks=st.integers(0, 520),
    price=st.floats(-5, 20, allow_nan=False) | st.sampled_from([float("nan"), float("-inf")]),
    invest=st.sampled_from([0.0, 5e8, 3e9]),
    share=st.floats(0, 1),
)
def test_an_offer_as_the_log_keeps_it_is_heard_as_it_was_made(
    colossus, catalog, partner, count, start, weeks, price, invest, share
):
    """Whatever a lab asks, the logged record (offer_entry) is heard by the partner exactly
    as the ask was: the same answer and the same world after it."""
    world = initial_world(colossus, scenario_params(colossus, catalog), 1)
    week = int(world.week[0])
    asked = offer_actions(world, XAI, Offer(partner=partner, gpu="H100", count=count, start=week + start,
                                            weeks=weeks, invest=invest, share=share))  # fmt: skip
    asked = asked.replace(offer_price=np.full_like(asked.offer_price, price))  # NaN and -inf too
    logged = offer_entry(asked, 0, XAI, world.params, week)
    heard, answers, _ = turn.negotiate_now(world, asked)
    again, answers_again, _ = talk(world, XAI, logged)
    assert not differences(heard, again)
    assert int(answers.answer[0, XAI]) == int(answers_again.answer[0, XAI])


# ------------------------------------------------- through the converter
def _values(spec: Any, ids: dict[str, tuple[str, ...]]) -> st.SearchStrategy[Any]:
    """Any value the spec reads (the schema's own bounds and ids)."""
    if isinstance(spec, Num):
        if spec.integer:
            return st.integers(int(spec.lo), int(spec.hi if spec.hi is not None else 2**40))
        return st.floats(spec.lo, spec.hi if spec.hi is not None else 1e30, allow_nan=False)
    if isinstance(spec, Ref):
        return st.sampled_from(ids[spec.kind] + (("",) if spec.blank else ()))
    if isinstance(spec, Refs):
        return st.lists(st.sampled_from(ids[spec.kind or ""]), unique=True, max_size=3).map(tuple)
    if isinstance(spec, Keyed):
        return st.dictionaries(st.sampled_from(ids[spec.kind or ""]), _values(spec.inner, ids), max_size=3)
    if isinstance(spec, Shares):
        share = st.floats(0, 1)
        return st.tuples(*[share] * len(spec.names)).filter(lambda v: sum(v) > 0)
    if isinstance(spec, Numbers):
        return st.lists(_values(spec.inner, ids), max_size=min(spec.limit, 3)).map(tuple)
    if isinstance(spec, Choice):
        return st.sampled_from(spec.options)
    if isinstance(spec, Record):
        return _records(spec.cls, ids)
    if isinstance(spec, Items):
        return st.lists(_records(spec.cls, ids), max_size=2).map(tuple)
    raise AssertionError(f"no strategy for {spec!r}")


def _records(cls: type, ids: dict[str, tuple[str, ...]]) -> st.SearchStrategy[Any]:
    """Any record of `cls` the file may hold: each field any value its spec reads, or its
    default (which the file leaves out)."""
    fields = {}
    for f in attrs.fields(cls):
        value = _values(f.metadata["spec"], ids)
        fields[f.name] = value if f.default is attrs.NOTHING else st.just(_default(f)) | value
    return st.builds(cls, **fields)


def _default(f: attrs.Attribute) -> Any:
    d = f.default
    return d.factory() if isinstance(d, attrs.Factory) else d  # type: ignore[arg-type]


def _ids(catalog, colossus) -> dict[str, tuple[str, ...]]:
    return {
        "gpu": catalog.gpu_ids, "site": catalog.site_ids, "partner": catalog.partner_ids,
        "integrator": catalog.integrator_ids, "game_lab": colossus.lab_ids,
    }  # fmt: skip


def _through_the_file(record: Any, cls: type, colossus, catalog) -> Any:
    """`record` written as a save's table, as TOML text, and read back."""
    schema = saves_schema(catalog, colossus.lab_ids)
    table = tomllib.loads(tomli_w.dumps({"t": schema.write(record)}))["t"]
    return schema.read(table, cls, "test")


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_log_entry_comes_back_from_the_file_as_it_went_in(colossus, catalog, data):
    entry = data.draw(_records(LogEntry, _ids(catalog, colossus)))
    assert _through_the_file(entry, LogEntry, colossus, catalog) == entry


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_standing_order_comes_back_from_the_file_as_it_went_in(colossus, catalog, data):
    order = data.draw(_records(Standing, _ids(catalog, colossus)))
    assert _through_the_file(order, Standing, colossus, catalog) == order


_LABS = 3
_NUMBERS = st.tuples(*[st.floats(-1e15, 1e30, allow_nan=False)] * _LABS)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    point=st.builds(
        HistoryPoint,
        week=st.integers(0, 10_000),
        cash=_NUMBERS,
        compute=_NUMBERS,
        capability=_NUMBERS,
        users=_NUMBERS,
        valuation=_NUMBERS,
        training=st.tuples(*[st.booleans()] * _LABS),
        flows=st.none() | st.tuples(*[st.tuples(st.floats(-1e12, 1e12, allow_nan=False))] * _LABS),
    )
)
def test_a_history_point_comes_back_from_the_converter_as_it_went_in(colossus, catalog, point):
    """A history point is plain data (not saved: a load replays the log to rebuild the
    history), so the file's converter carries it whole, flows or none."""
    converter = saves_schema(catalog, colossus.lab_ids).converter
    assert converter.structure(converter.unstructure(point), HistoryPoint) == point


def test_a_played_weeks_history_points_are_records_with_their_flows():
    s = Session.new()
    s.autosave_every = 0
    s.end_week()
    first, second = s.history
    assert isinstance(second, HistoryPoint) and second.week == first.week + 1
    assert first.flows is None  # the game's start: no week played before it
    assert second.flows is not None and len(second.flows) == s.params.n_labs  # the week that led to it
