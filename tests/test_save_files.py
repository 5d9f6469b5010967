"""The saves folder as a player meets it: names that never collide or escape the folder,
autosaves kept per game, the load list grouped by game, the hall of fame, and files a
person can read (units in comments, money to the dollar) that still load back exactly."""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from pathlib import Path

import attrs
import numpy as np
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from game import saves
from game.engine.state import array_fields
from game.play.session import Session
from game.saves import initial_world, load_scenario, save_doc, write_save
from game.saves.hall_of_fame import FameEntry, hall_of_fame_path, read_hall_of_fame, record_score
from game.saves.world import _dollars, _exact
from tests import save_mutants


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def a_game(game_id: str | None = None, **kwargs) -> Session:
    """A new game with its own id (what Session.new gives once it calls new_game_id)."""
    session = Session.new(**kwargs)
    meta = attrs.evolve(session.scenario.meta, game_id=game_id or saves.new_game_id())
    session.scenario = attrs.evolve(session.scenario, meta=meta)
    return session


# ------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    "origin",
    ["../../outside", "/etc/passwd", "..", "a/../../b", "C:\\Windows\\x", "x\x00y", "", " ", "é" * 300,
     *save_mutants.NAMES],
)  # fmt: skip
def test_a_save_name_is_made_only_of_safe_parts(origin):
    name = saves.save_name(origin, "../xai", 3, dt.datetime(2026, 1, 15, 14, 30, 12))
    assert name.endswith("-week-0003-20260115-143012.toml") and len(name) < 120
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    assert not name.startswith((".", "-")) and ".." not in name


@pytest.mark.parametrize("name", save_mutants.NAMES)
def test_a_game_key_from_any_origin_or_id_is_a_short_safe_file_name(name, tmp_path):
    for meta in ({"origin": name, "seed": 7}, {"game_id": name}):
        key = saves.library.game_key({"meta": meta})
        assert 0 < len(key) <= 64 and set(key) <= set(
            "abcdefghijklmnopqrstuvwxyz0123456789-_" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        )
        (tmp_path / f"{key}-week-0001.toml").write_text("")  # the system takes it


def test_a_hostile_origin_never_writes_outside_the_saves_folder(home, tmp_path):
    """Issue 13, failure 6: `origin = "../../outside"` made ctrl+s write outside."""
    session = a_game()
    session.scenario = attrs.evolve(
        session.scenario, meta=attrs.evolve(session.scenario.meta, origin="../../outside")
    )
    before = set(tmp_path.rglob("*"))
    path = session.save()
    assert path.parent == saves.user_dir() and path.name.startswith("outside-xai-week-0000-")
    assert set(tmp_path.rglob("*")) - before <= {path, path.parent, home}
    assert session.autosave().parent == saves.user_dir() / "autosave"


def test_two_games_of_one_scenario_never_overwrite_each_other(home):
    """Issue 10, item 8: saves were named {scenario}-week-NNNN."""
    first, second = a_game(), a_game()
    for session in (first, second):
        session.end_week()
    a, b = first.save(), second.save()
    assert a != b and a.exists() and b.exists()
    assert load_scenario(a, first.catalog).game_id != load_scenario(b, first.catalog).game_id


def test_saving_the_same_state_again_reuses_its_file(home):
    session = a_game()
    path = session.save()
    assert session.default_save_path() == path and session.save() == path
    assert len(list(saves.user_dir().glob("*.toml"))) == 1
    session.end_week()
    assert session.save() != path  # a new week: a new file; the old one is kept


# --------------------------------------------------------------------- autosaves
def autosave_weeks(folder: Path, doc: dict, weeks, clock: list[int]) -> None:
    """Autosave `doc` at each week, each one written a second after the last."""
    for week in weeks:
        path = saves.autosave({**doc, "meta": {**doc["meta"], "week": week}}, folder)
        clock[0] += 1
        os.utime(path, ns=(clock[0] * 10**9, clock[0] * 10**9))


def test_autosaves_keep_the_last_five_of_this_game_only(colossus, world, tmp_path):
    """Issue 10, item 8: autosave kept the five highest weeks across all games, so a new
    game's autosaves were deleted as they were written."""
    clock = [0]
    doc_a = save_doc(attrs.evolve(colossus, meta=attrs.evolve(colossus.meta, game_id="game-a")), world)
    doc_b = save_doc(attrs.evolve(colossus, meta=attrs.evolve(colossus.meta, game_id="game-b")), world)
    autosave_weeks(tmp_path, doc_a, range(4, 44, 4), clock)
    autosave_weeks(tmp_path, doc_b, range(4, 12, 4), clock)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        [f"game-a-week-{w:04d}.toml" for w in range(24, 44, 4)]
        + ["game-b-week-0004.toml", "game-b-week-0008.toml"]
    )
    # Game A loaded again at week 8 and played on: its newest autosaves are the new ones.
    autosave_weeks(tmp_path, doc_a, [12, 16], clock)
    kept = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("game-a"))
    assert kept == [f"game-a-week-{w:04d}.toml" for w in (12, 16, 32, 36, 40)]
    assert (tmp_path / "game-b-week-0004.toml").exists()


def test_a_file_without_a_game_id_belongs_to_its_origin_and_seed(colossus, world):
    doc = save_doc(colossus, world)
    assert "game_id" not in doc["meta"] and saves.library.game_key(doc) == "2024-07-colossus-7"


# ----------------------------------------------------------------------- load list
def test_the_load_list_groups_saves_by_game_and_marks_damaged_ones(home, catalog):
    first, second = a_game(), a_game(humans=("openai",))
    first.autosave_folder = second.autosave_folder = None
    for _ in range(4):  # the fourth week autosaves
        first.end_week()
    second.end_week()
    first.save()
    second.save()
    (saves.user_dir() / "broken.toml").write_text("[meta\n")
    groups = saves.list_saves(catalog)
    assert [g.game for g in groups] == [second.scenario.game_id, first.scenario.game_id, ""]
    mine = groups[1]
    assert mine.lab == "xAI" and [s.autosave for s in mine.saves] == [False, True]
    latest = mine.saves[0]
    assert (latest.week, latest.date, latest.damaged) == (4, first.date, False)
    assert latest.cash == first.world.cash[0, 0] and "xAI" in latest.line() and "week 4" in latest.line()
    assert groups[2].saves[0].damaged and "not valid TOML" in groups[2].saves[0].line()


# ---------------------------------------------------------------- readable, exact
def test_a_save_says_its_units_and_counts_money_in_dollars(colossus, params, catalog, tmp_path):
    """Issue 14: saves wrote `cash = 2200707524.2353063` with no unit."""
    from game.engine import policies
    from game.engine.turn import step

    world = initial_world(colossus, params, 1)
    ctl = policies.make_controllers(catalog, params)
    for _ in range(12):
        world, _ = step(world, policies.decide(world, ctl))
    doc = save_doc(colossus, world, humans=())
    path = tmp_path / "units.toml"
    write_save(path, doc)
    text = path.read_text()
    assert tomllib.loads(text) == tomllib.loads(tomli_w.dumps(doc))  # the comments change nothing
    lines = text.splitlines()
    cash = next(line for line in lines if line.startswith("cash = "))
    assert cash.endswith("  # USD") and cash.split()[2].lstrip("-").isdigit()
    for line in ("hall_mw = ", "users = ", "H100 = "):
        assert any(x.startswith(line) and "  # " in x for x in lines), line
    assert any(x.startswith("    { ") and "# count: GPUs" in x for x in lines)  # items of a list of tables
    xai = tomllib.loads(text)["labs"]["xai"]
    assert xai["cash"] + xai["sub_dollar"]["cash"] == world.cash[0, 0]  # to the dollar, and exact
    assert [
        n
        for n in array_fields()
        if not np.array_equal(
            getattr(world, n), getattr(initial_world(load_scenario(path, catalog), params, 1), n)
        )
    ] == []


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_money_to_the_dollar_and_what_is_below_it_make_the_amount_again(x):
    whole, below = _dollars(x)
    assert abs(below) <= 0.5 and _exact(whole, below) == x
    assert math.copysign(1.0, _exact(whole, below)) == math.copysign(1.0, x)
    if abs(x) < 2**53:
        assert float(whole) == round(x) or x == 0


def test_unit_comments_survive_any_keys_and_nesting():
    doc = {"labs": {"x y": {"cash": 5, "orders": [{"count": 1, "gpu": "H"}], "t": {"H100": 2}}},
           "log": [{"raise_usd": 1.5, "build": {"memphis": 3.0}, "note": "n" * 120},
                   {"raise_usd": 2.0, "build": {"memphis": 4.0}, "note": "n" * 120}]}  # fmt: skip
    units = {("labs", "x y", "cash"): "USD", ("labs", "x y", "orders", 0, "count"): "GPUs",
             ("labs", "x y", "t", "H100"): "GPUs", ("log", 0, "raise_usd"): "USD", ("log", 1, "build", "memphis"): "MW"}  # fmt: skip
    text = saves.files.with_units(tomli_w.dumps(doc), units)
    assert tomllib.loads(text) == doc
    assert '"x y"' in text and "cash = 5  # USD" in text and "H100 = 2  # GPUs" in text
    assert "[[log]]" in text and "[log.build]" in text  # tables of a list of tables: each item's own units
    assert "raise_usd = 1.5  # USD" in text and "memphis = 4.0  # MW" in text and "memphis = 3.0\n" in text


# -------------------------------------------------------------------- hall of fame
def test_a_hand_edited_hall_of_fame_is_kept_aside_not_wiped(home):
    """Issue 13, failure 12: `score = "lots"` crashed the game-over screen (and a file
    that did not parse was silently replaced)."""
    path = hall_of_fame_path()
    path.parent.mkdir(parents=True)
    damaged = (
        '[["2024-07-colossus:normal"]]\nlab = "xai"\nscore = 1200.0\nresult = "won"\nweek = 150\n\n'
        '[["2024-07-colossus:normal"]]\nlab = "openai"\nscore = "lots"\nresult = "hacked"\nweek = 3\n'
    )
    path.write_text(damaged)
    board = record_score(
        "2024-07-colossus", "normal", [FameEntry(lab="xai", score=900.0, result="lost", week=200)]
    )
    assert [e.score for e in board.entries] == [1200.0, 900.0]
    assert board.set_aside is not None and board.set_aside.read_text() == damaged
    assert "score: must be a number (points), got 'lots'" in board.note
    boards, problem = read_hall_of_fame(path)
    assert problem == "" and len(boards["2024-07-colossus:normal"]) == 2


def test_a_game_played_to_its_end_again_has_one_entry(home):
    """Its last save loaded and played to the same end, a game was entered twice."""
    end = FameEntry(lab="xai", score=32.0, result="OpenAI reaches AGI", week=121, game="g-1")
    record_score("2024-07-colossus", "normal", [end])
    board = record_score("2024-07-colossus", "normal", [attrs.evolve(end, score=40.0)])
    assert [(e.game, e.score) for e in board.entries] == [("g-1", 40.0)]  # the later ending stands
    other = record_score("2024-07-colossus", "normal", [attrs.evolve(end, game="g-2")])
    assert sorted(e.game for e in other.entries) == ["g-1", "g-2"]  # another game is another entry
    old = record_score("2024-07-colossus", "normal", [attrs.evolve(end, game="")])  # a file from before ids
    assert len(old.entries) == 3


def test_a_hall_of_fame_that_is_not_toml_is_kept_aside(home):
    path = hall_of_fame_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe not toml")
    board = record_score("sandbox", "easy", [FameEntry(lab="xai", score=1.0, result="r", week=1)])
    assert len(board.entries) == 1 and board.set_aside.read_bytes() == b"\xff\xfe not toml"


async def test_the_game_over_screen_survives_a_damaged_hall_of_fame(home):
    from game.tui.app import AgiRaceApp
    from game.tui.screens import GameOverScreen

    hall_of_fame_path().parent.mkdir(parents=True)
    hall_of_fame_path().write_text(
        '[["2024-07-colossus:normal"]]\nlab = "xai"\nscore = "lots"\nresult = "[/red]"\nweek = 1\n'
    )
    session = Session.new()
    software = session.world.run_software.copy()
    software[0, 0] += 5.0  # Grok 2, in post-training, ships past the AGI threshold
    session.world = attrs.evolve(session.world, run_software=software)
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(8):
            if isinstance(app.screen, GameOverScreen):
                break
            await pilot.press("n")
        assert isinstance(app.screen, GameOverScreen)
        shown = str(app.screen.query_one("#debrief").render())
        assert "Hall of fame" in shown and "1. xAI" in shown
    [kept] = hall_of_fame_path().parent.glob("hall-of-fame.damaged-*.toml")
    assert 'score = "lots"' in kept.read_text() and "lots" not in hall_of_fame_path().read_text()


def test_unit_comments_take_one_pass_over_the_units_whatever_the_log_holds():
    """Issue 20, item 4: each item of a list of tables looked its units up in the whole
    table, so saving was quadratic in the logged offers (5.7 s at 3,360). The units are
    read once (benchmarks/saves.py prints the times)."""

    class Counted(dict):
        reads = 0

        def items(self):
            Counted.reads += 1
            return super().items()

    offers = [{"partner": "oracle", "count": i, "price": 2.5} for i in range(500)]
    doc = {"log": [{"week": 1, "offers": offers}]}
    units = Counted({("log", 0, "offers", i, key): unit for i in range(500) for key, unit in
                     (("count", "GPUs"), ("price", "USD per GPU-hour"))})  # fmt: skip
    text = saves.files.with_units(tomli_w.dumps(doc), units)
    assert Counted.reads == 1
    assert (
        tomllib.loads(text) == doc
        and '{ partner = "oracle", count = 499, price = 2.5 },  # count: GPUs' in text
    )
