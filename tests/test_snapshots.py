"""How the main screens look at 80x24 and 120x40 (pytest-textual-snapshot). After a
deliberate change of looks: pytest tests/test_snapshots.py --snapshot-update."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from game.play.session import Session
from game.tui.app import AgiRaceApp

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))


def opened(*keys: str):
    async def run_before(pilot) -> None:
        for key in keys:
            await pilot.press(key)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(snap_compare, size):
    assert snap_compare(AgiRaceApp(session=Session.new()), terminal_size=size, run_before=opened("n", "n"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_market(snap_compare, size):
    assert snap_compare(AgiRaceApp(session=Session.new()), terminal_size=size, run_before=opened("m"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_deals(snap_compare, size):
    assert snap_compare(AgiRaceApp(session=Session.new()), terminal_size=size, run_before=opened("d"))
