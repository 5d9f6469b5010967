"""How every screen looks at 80x24 and 120x40 (pytest-textual-snapshot). After a
deliberate change of looks: pytest tests/test_snapshots.py --snapshot-update, then read
snapshot_report.html (or the .svg files) as a new player would."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from game.play import decisions as dec
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import ForecastScreen

pytestmark = pytest.mark.slow  # the long tier: `pytest -m slow`

SIZES = [(80, 24), (120, 40)]
XAI = 0


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    monkeypatch.setattr(ForecastScreen, "FUTURES", 40)
    # One wave of all 40 (played in the app's own process): waves played by worker
    # processes give the same forecast (tests/test_odds.py), so the screen ends the same.
    monkeypatch.setattr(ForecastScreen, "FIRST_WAVE", 40)
    monkeypatch.setattr(ForecastScreen, "HORIZON", 30)


def pressed(*keys: str):
    async def run_before(pilot) -> None:
        for key in keys:
            await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


def game(*decided: dec.Decision, **new: object) -> AgiRaceApp:
    session = Session.new(**new)  # type: ignore[arg-type]
    for d in decided:
        session.decide(XAI, d)
    return AgiRaceApp(session=session)


SCREENS = {
    "title": (lambda: AgiRaceApp(), ()),
    "dashboard": (lambda: game(), ("n", "n")),
    "market": (lambda: game(), ("m",)),
    "sites": (lambda: game(), ("s",)),
    "deals": (lambda: game(), ("d",)),
    "deals-openai": (lambda: game(humans=("openai",)), ("d",)),
    "training": (lambda: game(), ("t",)),
    "finance": (lambda: game(), ("n", "c")),
    "book": (lambda: game(dec.BuyGpus("H100", "dell", 20_000), dec.BuildHalls("memphis", 40)), ("b",)),
    "rivals": (lambda: game(), ("n", "n", "n", "r")),
    "news": (lambda: game(), ("n", "n", "n", "l")),
    "help": (lambda: game(), ("question_mark",)),
    "odds": (lambda: game(), ("o",)),
    "quit-dialog": (lambda: game(), ("n", "q")),
    "hot-seat-handover": (lambda: game(humans=("xai", "openai")), ("n",)),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_screen(snap_compare, screen, size):
    make, keys = SCREENS[screen]
    assert snap_compare(make(), terminal_size=size, run_before=pressed(*keys))
