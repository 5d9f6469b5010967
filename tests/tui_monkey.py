"""Random play over the game's screens, shared by the CI-sized test
(tests/test_tui_robust.py) and the full run (benchmarks/monkey.py): random keys, typed
text and pastes, and the scenes that found crashes before (issue 20): the money screen
after a week in which the lab paid to hire, the hot-seat hand-over, and forms filled with
out-of-range values followed by a save and a load. Every step waits for the app to be
idle (and for its workers), never for a fixed time."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from textual import events
from textual.widgets import Input
from textual.worker import WorkerCancelled

from game.play.session import Session
from game.saves import user_dir
from game.tui.app import AgiRaceApp
from game.tui.screens import FinanceScreen, ForecastScreen, HandoverScreen, TrainingScreen

KEYS = (
    list("nnnnfmsdtcbrolgh?")
    + ["escape"] * 6
    + ["enter"] * 4
    + ["tab", "shift+tab", "down", "up", "space", "x", "y", "ctrl+s"]
)
HANDOVER_KEYS = ["q", "ctrl+q", "n", "escape", "ctrl+s", "x", "space", "tab", "enter"]
TEXTS = ["1e26", "-5", "nan", "[red]x", "[/]", "9" * 50, "5B", "0", "", "  ", "1,000,000", "e", "ünï"]
OUT_OF_RANGE = ["-1", "1e40", "inf", "-inf", "nan", "1e-300", "99999999999999", "-0", "1e308", "0.0000001"]
FORM_FIELDS = {  # a form's key on the dashboard -> its number fields
    "m": ("count",),
    "s": ("mw",),
    "d": ("count", "start", "weeks", "price"),
    "t": ("amount", "train", "infer", "research", "staff"),
    "c": ("amount",),
}


def small_forecasts() -> None:
    """The odds screen's futures stay few (random keys open it often)."""
    ForecastScreen.FUTURES = 16
    ForecastScreen.HORIZON = 8


async def settle(app: AgiRaceApp, pilot) -> None:
    """Wait until the app is idle and its workers (fast-forward, saves, odds) are done."""
    await pilot.pause()
    if app.workers:
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # the app cancelled it (the odds' futures when their screen closes): settled too
        await pilot.pause()


class Hang(Exception):
    """One step (a key and what it set off) did not finish in time."""


async def random_keys(
    app: AgiRaceApp,
    pilot,
    rng: random.Random,
    count: int,
    keys: list[str] = KEYS,
    timeout: float | None = None,
) -> int:
    """Press `count` random keys, typed texts and pastes; returns how many were pressed
    before the app stopped (a quit is allowed). A step that takes longer than `timeout`
    seconds raises Hang."""

    async def step() -> None:
        roll = rng.random()
        focused = app.focused
        if roll < 0.15 and isinstance(focused, Input):
            focused.post_message(events.Paste(rng.choice(TEXTS + OUT_OF_RANGE)))
        elif roll < 0.3 and isinstance(focused, Input):
            await pilot.press(*rng.choice(TEXTS + OUT_OF_RANGE)[:8])
        else:
            await pilot.press(rng.choice(keys))
        if app.fast_forwarding or app.saving:
            await settle(app, pilot)

    for done in range(count):
        if not app.is_running:
            return done
        try:
            await asyncio.wait_for(step(), timeout)
        except TimeoutError:
            raise Hang(f"no answer in {timeout:g} s after {list(app.trail)[-5:]}") from None
    await settle(app, pilot)
    return count


async def hiring_week(app: AgiRaceApp, pilot) -> None:
    """Raise the people budget, end the week, open the money screen (it used to crash
    after any week in which the lab paid to hire)."""
    await pilot.press("t")
    screen = app.screen
    assert isinstance(screen, TrainingScreen)
    screen.query_one("#staff", Input).value = "900M"
    screen.query_one("#set-staff").press()
    await pilot.pause()
    await pilot.press("escape", "n")
    await settle(app, pilot)
    if isinstance(app.screen, HandoverScreen):
        await pilot.press("enter")
    await pilot.press("c")
    await settle(app, pilot)
    assert isinstance(app.screen, FinanceScreen)


async def to_the_handover(app: AgiRaceApp, pilot) -> None:
    """In a hot-seat game, play a week (so quitting has something to lose and asks), then
    end the first player's turn: the hand-over screen."""
    await pilot.press("n", "enter", "n")
    await settle(app, pilot)
    if not isinstance(app.screen, HandoverScreen):
        await pilot.press("n")
        await settle(app, pilot)
    assert isinstance(app.screen, HandoverScreen)


async def out_of_range_forms(app: AgiRaceApp, pilot, rng: random.Random) -> None:
    """Fill every form's number fields with out-of-range values and confirm each."""
    for key, fields in FORM_FIELDS.items():
        if not app.is_running:
            return
        await pilot.press(key)
        for field in fields:
            for widget in app.screen.query(f"#{field}").results(Input):
                widget.value = rng.choice(OUT_OF_RANGE)
        for button in app.screen.query("#confirm, #set-split, #set-staff"):
            button.press()  # type: ignore[attr-defined]
            await pilot.pause()
        if app.screen.is_modal:  # a question (a low runway): no
            await pilot.press("n")
        await pilot.press("escape")
        await settle(app, pilot)


async def save_and_load(app: AgiRaceApp, pilot) -> Session:
    """Save with ctrl+s (in a worker), then load what was written: the same week."""
    session = app.session
    assert session is not None
    before = set(user_dir().glob("*.toml"))
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    written = sorted(set(user_dir().glob("*.toml")) - before) or [session.default_save_path()]
    loaded = Session.load(Path(written[-1]))
    assert loaded.week == session.week and loaded.humans == session.humans
    return loaded
