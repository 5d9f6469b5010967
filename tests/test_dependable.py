"""Dependability (issue 20): what a player's hour must survive, each failure as a test."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs
import numpy as np
import pytest

from game.cli import main
from game.engine import economy, limits, policies, state, turn
from game.play import decisions as dec
from game.play import intel, views
from game.play.session import Refused, Session
from game.saves import Offer, initial_world, scenario_params
from game.tui.app import AgiRaceApp
from tests.conftest import PLAYER_FOLDERS

XAI, OPENAI = 0, 1


def test_every_flow_the_ledger_records_has_a_name_a_player_reads():
    assert set(economy.FLOWS) == set(economy.FLOW_NAMES)
    assert all(name.strip() for name in economy.FLOW_NAMES.values())


def test_the_money_screens_flows_after_a_hiring_week():
    """Item 1: a week in which the lab paid to hire (its people budget raised) is shown
    with its hiring costs by name (the money screen read a table without 'hiring')."""
    s = Session.new("sandbox", humans=("openai",))
    budget = float(s.world.staff_usd_week[0, OPENAI])
    s.decide(OPENAI, dec.SetStaff(budget * 3))
    s.end_week()
    assert s.last_report is not None and s.last_report.flows[0, OPENAI, economy.FLOW_INDEX["hiring"]] < 0
    names = dict(views.last_week_flows(s.turn(OPENAI)))
    assert economy.FLOW_NAMES["hiring"] in names and "net" in names


def test_cancelling_a_loan_takes_out_the_order_only_the_loan_paid_for():
    """Item 7: cancelling a booked decision checks the rest of the book again: an order
    the cancelled loan paid for goes with it, and the answer says so."""
    order = dec.BuyGpus("H100", "dell", 15_000)
    poor = Session.new("sandbox")
    poor.world = attrs.evolve(poor.world, cash=np.array([[1e8, 5e10]]))
    with pytest.raises(Refused):  # $100M does not pay for 15,000 H100 alone
        poor.decide(XAI, order, confirmed=True)
    s = Session.new("sandbox")
    s.world = poor.world
    s.decide(XAI, dec.Borrow(6e8))
    s.decide(XAI, order, confirmed=True)
    s.decide(XAI, dec.BuildHalls("memphis", 1), confirmed=True)
    said = s.cancel(XAI, 0)
    assert [d.kind for d in s.book(XAI)] == ["halls"]
    assert "also cancelled" in said and "15,000 H100" in said
    assert s.preview(XAI).cash_after >= 0


def _listing(folders: tuple[Path, ...]) -> dict[str, float]:
    return {str(f): f.stat().st_mtime for folder in folders if folder.is_dir() for f in folder.rglob("*")}


async def test_the_suite_never_writes_to_the_players_folders(private_folders):
    """Deliverable 4: a game played in a test autosaves into the test's own folder, and
    nothing appears in (or changes under) the player's real data, config and cache
    folders."""
    before = _listing(PLAYER_FOLDERS)
    session = Session.new("sandbox")
    session.autosave_every = 1
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.press("n")
            await pilot.pause()
        await app.workers.wait_for_complete()
    assert list((Path(os.environ["AGI_RACE_HOME"]) / "saves" / "autosave").glob("*.toml"))
    assert Path(os.environ["AGI_RACE_HOME"]).is_relative_to(private_folders)
    assert _listing(PLAYER_FOLDERS) == before


@pytest.mark.slow
@pytest.mark.long
def test_no_integer_field_wraps_in_a_400_week_game_at_the_limits(colossus, catalog, monkeypatch):
    """Deliverable 3: every integer the state stores fits its dtype in a 400-week game
    (AGI out of reach) where one lab asks for the most of everything every week and the
    other leaves and repays what it can: no sentinel or count wraps, on any numpy (2.5
    refuses what 2.4 silently wrapped)."""
    wrapped: list[str] = []

    def checked(fields: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        for name, value in fields.items():
            kind = state.STORED_AS.get(name)
            if kind is not None and kind.kind == "i":
                info = np.iinfo(kind)
                if value.size and (value.min() < info.min or value.max() > info.max):
                    wrapped.append(f"{name}: {value.min()}..{value.max()} in {kind}")
        return store(fields)

    store = state.stored
    monkeypatch.setattr(turn, "stored", checked)
    start = colossus.meta.start_date
    scn = attrs.evolve(colossus, meta=attrs.evolve(colossus.meta, last_date=start + dt.timedelta(weeks=400)))
    params = attrs.evolve(scenario_params(scn, catalog, humans=()), agi_capability=1e9)
    world = initial_world(scn, params, 3, seed=11)
    ctl = policies.make_controllers(catalog, params)
    P, G, S = len(params.partner_ids), len(params.gpu_ids), len(params.site_ids)
    weeks = 0
    with np.errstate(all="ignore"):
        while not world.done.all():
            a = policies.decide(world, ctl)
            w = weeks
            most = {
                "order_count": a.order_count.copy(),
                "build_mw": a.build_mw.copy(),
                "turbine_mw": a.turbine_mw.copy(),
                "exit": a.exit.copy(),
            }
            most["order_count"][:, 0, w % most["order_count"].shape[2], w % G] = limits.MAX_ORDER_GPUS
            most["build_mw"][:, 0] = limits.MAX_BUILD_MW
            most["turbine_mw"][:, 0] = limits.MAX_TURBINE_MW
            most["exit"][:, 1] = True
            full = np.full(world.cash.shape, 0.0)
            a = a.replace(
                **most,
                substation=np.ones_like(a.substation),
                start_flop=np.full(a.start_flop.shape, 1e30),
                offer_partner=np.full(world.cash.shape, w % P),
                offer_gpu=np.full(world.cash.shape, w % G),
                offer_count=np.full(world.cash.shape, limits.MAX_OFFER_GPUS),
                offer_start=world.week[:, None] + np.full(world.cash.shape, limits.MAX_TERM_WEEKS * (w % 2)),
                offer_weeks=np.full(world.cash.shape, limits.MAX_TERM_WEEKS),
                offer_price=np.full(world.cash.shape, limits.MAX_PRICE_USD_HOUR * (w % 3) / 2),
                offer_contract=np.full(world.cash.shape, (w % 5) - 1),
                raise_usd=full + limits.MAX_ACTION_USD,
                borrow_usd=full + limits.MAX_ACTION_USD,
                repay_usd=full + limits.MAX_ACTION_USD * (w % 2),
                staff_usd_week=full + limits.MAX_STAFF_USD_WEEK * (w % 2),
            )
            world, _ = turn.step(world, a)
            weeks += 1
    assert weeks == 401 and not wrapped, wrapped[:5]
    assert S and np.isfinite(world.cash).all()


def test_a_headless_games_save_is_played_by_a_person_and_debriefed_from_its_week(tmp_path):
    """Item 12: a save written by `simulate --save-to` (nobody's game) opened to play is
    the first playable lab's: the AI no longer plays it, its decisions are taken, and the
    debrief counts the weeks played since the save, not a milestone reached before it."""
    path = tmp_path / "headless.toml"
    assert main(["simulate", "--scenario", "2024-07-colossus", "--runs", "1", "--weeks", "60",
                 "--seed", "1", "--save-to", str(path)]) == 0  # fmt: skip
    s = Session.load(path)
    assert s.humans == ("xai",) and s.human_labs == [XAI]
    assert not s.controllers.ai[XAI] and s.controllers.ai[OPENAI]
    s.decide(XAI, dec.SetSplit(50, 30, 20))
    for _ in range(5):
        s.end_week()
    assert s.week == 65
    (idle,) = [line for line in intel.debrief(s.turn(XAI)).decisions if "no training run" in line] or [
        "0 weeks"
    ]
    assert int(idle.split()[0]) <= 5
    assert float(s.history[0].capability[XAI]) >= intel.GPT4_NEXT  # past the milestone at the save
    assert intel._first_week_at(s, XAI, intel.GPT4_NEXT) is None
    with pytest.raises(Refused):
        Session.load(path, humans=("google",))


def test_an_offer_beyond_the_saves_limits_is_refused_and_every_save_loads(tmp_path):
    """Item 3's rule for talks: an offer the session takes is one the save can hold (the
    limits are game/engine/limits.py's): a contract slot that does not exist or a start
    past the longest term is refused, naming the field; what is heard saves and loads."""
    s = Session.new("sandbox")
    base = Offer(partner="oracle", gpu="H100", count=1_000, start=s.week, weeks=52, price=2.5)
    for bad in (
        {"contract": 99},
        {"start": s.week + limits.MAX_TERM_WEEKS + 1},
        {"price": 1e4},
        {"count": 1.5},
    ):
        with pytest.raises(Refused, match=next(iter(bad))):
            s.offer(XAI, attrs.evolve(base, **bad))
    s.offer(XAI, attrs.evolve(base, count=limits.MAX_OFFER_GPUS, price=limits.MAX_PRICE_USD_HOUR))
    again = Session.load(s.save(tmp_path / "talks.toml"))
    (heard,) = again.rounds[XAI]
    assert (heard.count, heard.price) == (limits.MAX_OFFER_GPUS, limits.MAX_PRICE_USD_HOUR)


def test_two_games_saved_in_the_same_second_keep_their_own_files(monkeypatch):
    """Item 6 through the session (ctrl+s): two games of the same scenario, lab and week
    saved at the same moment get two files, each loading back as its own game."""
    from game.saves import library

    named = library._new_name
    frozen = dt.datetime(2026, 1, 15, 14, 30, 12)
    monkeypatch.setattr(library, "_new_name", lambda doc, folder, now: named(doc, folder, frozen))
    games = [Session.new("sandbox"), Session.new("sandbox")]
    paths = [g.save() for g in games]
    assert paths[0] != paths[1] and all(p.exists() for p in paths)
    ids = [Session.load(p).scenario.meta.game_id for p in paths]
    assert ids == [g.scenario.meta.game_id for g in games]


def test_a_version_6_save_with_a_counter_past_the_bound_loads_and_plays(tmp_path):
    """Item 3 for the saves it already broke: a version-6 file holding a standing counter
    of 349.65x the list price (what the old game stored) migrates to the bound the engine
    keeps now, loads, plays a week and saves again."""
    import tomllib

    import tomli_w

    s = Session.new("sandbox")
    doc = s.document()
    doc["version"] = 6
    doc["labs"]["xai"].setdefault("partners", {}).setdefault("oracle", {})["last_counter"] = 349.65
    old = tmp_path / "old.toml"
    old.write_text(tomli_w.dumps(doc))
    again = Session.load(old)
    oracle = again.params.partner_ids.index("oracle")
    assert float(again.world.last_counter[0, XAI, oracle]) == limits.MAX_COUNTER_RATIO
    again.end_week()
    from game.saves.records import VERSION

    assert tomllib.loads(again.save(tmp_path / "new.toml").read_text())["version"] == VERSION


def test_games_ending_at_once_keep_every_score_in_a_shared_hall_of_fame(tmp_path):
    """A server's visitors share one hall of fame: three processes adding scores at the
    same time lose none (the board is read, changed and written under a lock)."""
    import multiprocessing

    from game.saves.hall_of_fame import read_hall_of_fame
    from tests.fame_writer import add_scores

    path = tmp_path / "hall-of-fame.toml"
    spawn = multiprocessing.get_context("spawn")  # no fork of a threaded test process
    procs = [spawn.Process(target=add_scores, args=(str(path), 100 * i)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    boards, problem = read_hall_of_fame(path)
    assert not problem and len(boards["sandbox:easy"]) == 24
