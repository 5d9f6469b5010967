"""Dependability (issue 20): what a player's hour must survive, each failure as a test."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import numpy as np
import pytest

from game.engine import economy
from game.play import decisions as dec
from game.play import views
from game.play.session import Refused, Session
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
    names = dict(views.last_week_flows(s, OPENAI))
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
