"""A save made in the middle of a week keeps the week's book (save version 11): a player
who checks the book, saves, quits and loads finds the same decisions booked, and the
week plays as if the game had never been saved. A play-test spent most of its keys
typing the week again after each load."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.play import decisions as dec
from game.play import exits, kept, standing
from game.play.decisions import Decision
from game.play.session import Session
from game.saves import SaveError, dumps, load_scenario
from game.saves.entries import BOOK_KINDS, Booked
from game.saves.files import read_toml
from game.tui.app import AgiRaceApp
from game.tui.screens import QuitScreen

XAI = 0
BOOK: list[Decision] = [
    dec.BuyGpus("H100", "dell", 20_000),
    dec.BuyGpus("H100", "supermicro", 5_000),
    dec.BuildHalls("memphis", 40),
    dec.SetSplit(70, 20, 10),
    dec.SetStaff(25e6),
    dec.RaiseRound(2e9),
    exits.SellGpus("H100", 500),
]


def booked_game() -> Session:
    s = Session.new(seed=5)
    for d in BOOK:
        s.decide(XAI, d, confirmed=True)
    return s


def test_every_kind_of_decision_has_a_place_in_the_save():
    assert set(kept.DECISIONS) == set(BOOK_KINDS)


def test_a_mid_week_save_loads_with_its_book_and_plays_the_same_week(tmp_path):
    s = booked_game()
    path = s.save(tmp_path / "mid-week.toml")
    assert [e["kind"] for e in read_toml(path)["book"]] == [d.kind for d in s.book(XAI)]
    back = Session.load(path)
    assert back.book(XAI) == s.book(XAI) and not back.book_unsaved
    s.end_week()
    back.end_week()
    for field in ("cash", "warehouse", "order_count", "hall_building", "staff_usd_week", "debt"):
        assert np.array_equal(getattr(back.world, field), getattr(s.world, field)), field


def test_the_book_changed_since_the_save_is_unsaved_and_a_save_catches_up(tmp_path):
    s = Session.new(seed=5)
    assert not s.book_unsaved
    s.decide(XAI, BOOK[0], confirmed=True)
    assert s.book_unsaved
    s.save(tmp_path / "a.toml")
    assert not s.book_unsaved
    s.cancel(XAI, 0)
    assert s.book_unsaved  # taking a decision out is a change a save would keep too


def test_a_run_a_standing_order_booked_is_booked_once_after_a_load(tmp_path):
    s = Session.new("sandbox", humans=("openai",), seed=3)
    lab = s.lab_index("openai")
    standing.add(s, standing.run_order(s, lab, 2e25))
    s.end_week()  # the order books the run at the new week's start
    assert [d for d in s.book(lab) if isinstance(d, dec.StartRun)] == [dec.StartRun(2e25)]
    back = Session.load(s.save(tmp_path / "run.toml"))
    assert back.book(lab) == s.book(lab)


def test_an_older_save_has_no_book_and_its_standing_orders_book_theirs_again(tmp_path):
    s = Session.new("sandbox", humans=("openai",), seed=3)
    lab = s.lab_index("openai")
    standing.add(s, standing.run_order(s, lab, 2e25))
    s.end_week()
    doc = s.document()
    doc.pop("book", None)
    doc["version"] = 10
    old = tmp_path / "v10.toml"
    old.write_text(dumps(doc), encoding="utf-8")
    assert load_scenario(old, s.catalog).book is None
    assert Session.load(old).book(lab) == s.book(lab)


def test_a_book_entry_the_rules_refuse_is_told_and_the_rest_stand(tmp_path):
    s = booked_game()
    doc = s.document()
    doc["book"][0]["gpu"] = "B200"  # edited by hand: not on sale in July 2024
    path = tmp_path / "edited.toml"
    path.write_text(dumps(doc), encoding="utf-8")
    back = Session.load(path)
    assert back.book(XAI) == s.book(XAI)[1:]
    assert back.load_refusals and any("could not be booked again" in n.text for n in back.news)


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [("count", -5, "count"), ("kind", "teleport", "kind"), ("lab", "anthropic", "lab")],
)
def test_a_bad_book_entry_is_one_message_naming_its_place(tmp_path, key, value, where):
    s = booked_game()
    doc = s.document()
    doc["book"][0][key] = value
    path = tmp_path / "bad.toml"
    path.write_text(dumps(doc), encoding="utf-8")
    with pytest.raises(SaveError) as err:
        Session.load(path)
    assert "book" in str(err.value) and where in str(err.value)


def test_a_booked_record_round_trips_every_decision():
    s = booked_game()
    records = kept.records(s.params, s.books, s.human_labs)
    assert all(isinstance(r, Booked) for r in records)
    assert [kept.decision(r) for r in records] == s.book(XAI)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_ctrl_s_mid_week_says_the_book_is_in_the_save_and_quitting_loses_nothing(size):
    app = AgiRaceApp(session=booked_game())
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = str(app.screen.query_one("#note").render())  # on the dashboard's note line
        assert f"with this week's {len(BOOK)} booked decisions" in said, said
        assert not app.session.book_unsaved
        await pilot.press("q")  # nothing to lose: the question only offers the title screen too
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        assert "Your game is saved" in app.screen.question and not app.screen.query("#save-quit")
        await pilot.press("y")
        await pilot.pause()
    assert not app.is_running


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.builds(dec.BuyGpus, st.sampled_from(["H100", "H200"]), st.sampled_from(["dell", "supermicro"]),
                      st.integers(1, 40_000)),
            st.builds(dec.SetSplit, st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)),
            st.builds(dec.SetStaff, st.floats(0, 60e6)),
            st.builds(dec.BuildHalls, st.just("memphis"), st.floats(1, 200)),
            st.builds(exits.SellGpus, st.just("H100"), st.integers(1, 5_000)),
        ),
        max_size=5,
    )
)  # fmt: skip
def test_any_book_the_forms_take_comes_back_from_a_save(tmp_path, decisions):
    s = Session.new(seed=5)
    for d in decisions:
        try:
            s.decide(XAI, d, confirmed=True)
        except dec.Refused:
            pass  # the rules refuse it: it is not in the book to save
    assert Session.load(s.save(tmp_path / "any.toml")).book(XAI) == s.book(XAI)
