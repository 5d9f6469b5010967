"""Forecasts from one game's state (issue 6): certain when the game is decided,
deterministic for a seed, and on the command line."""

from __future__ import annotations

import json

import attrs
import numpy as np
import pytest

from game.cli import main
from game.engine import forecast, policies, turn
from game.play.session import Session
from game.saves import Offer, initial_world


def test_a_won_game_forecasts_certainty():
    session = Session.new()
    best = session.world.best_model.copy()
    best[0, 1] = session.params.agi_capability + 0.5
    session.world = attrs.evolve(session.world, best_model=best)
    session.end_week()
    assert session.over
    fc = session.forecast(futures=50)
    assert fc.win[1] == 1.0 and fc.win[0] == 0.0 and fc.weeks_played == 0


def test_a_forecast_is_deterministic_and_covers_its_horizon():
    session = Session.new(seed=3)
    a = session.forecast(futures=64, weeks=30)
    b = session.forecast(futures=64, weeks=30)
    assert np.array_equal(a.win, b.win) and np.array_equal(a.agi_weeks, b.agi_weeks)
    assert a.weeks_played == 30 and 0.0 <= a.no_winner <= 1.0
    assert abs(a.win.sum() + a.no_winner - 1.0) < 1e-12


def test_a_human_who_rents_is_forecast_as_a_partner():
    session = Session.new()
    session.offer(0, Offer(partner="oracle", gpu="H100", count=10000, start=0, weeks=52, price=3.5))
    session.end_week()
    assert session.guessed_styles()["xai"] == "partner"


def a_saved_game(tmp_path, weeks: int) -> str:
    """A save of an AI-played colossus game after `weeks` weeks, made on the command line."""
    save = tmp_path / "g.toml"
    args = ["simulate", "--scenario", "2024-07-colossus", "--runs", "1", "--weeks", str(weeks)]
    assert main([*args, "--save-to", str(save)]) == 0
    return str(save)


def test_forecast_command(tmp_path, capsys):
    save = a_saved_game(tmp_path, 5)
    capsys.readouterr()
    assert main(["forecast", save, "--futures", "40", "--weeks", "20", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (
        doc["futures"] == 40 and doc["weeks_played"] == 20 and set(doc["win"]) == {"xai", "openai", "google"}
    )


@pytest.mark.slow
@pytest.mark.long
def test_futures_played_in_parts_combine_into_the_same_forecast(catalog, colossus, params):
    """Ranges of futures played apart (as workers do) give the one-run forecast exactly."""
    ctl = policies.make_controllers(catalog, params)
    world = initial_world(colossus, params, 1, seed=1)
    for _ in range(120):  # far enough on that some futures reach AGI within the horizon
        world, _ = turn.step(world, policies.decide(world, ctl))
    weeks = 40  # a horizon, as the odds screen plays: some futures end in AGI, some do not
    whole = forecast.run(world, ctl, 48, weeks=weeks, seed=2)
    parts = forecast.Forecast.combine(
        [
            forecast.run(world, ctl, 16, weeks=weeks, seed=2),
            forecast.run(world, ctl, 24, weeks=weeks, seed=2, first=16),
            forecast.run(world, ctl, 8, weeks=weeks, seed=2, first=40),
        ]
    )
    assert 0 < whole.agi_weeks.size < 48 and whole.no_winner > 0
    for name in ("futures", "weeks_played", "win", "no_winner", "bankrupt", "agi_share", "agi_weeks"):
        assert np.array_equal(getattr(whole, name), getattr(parts, name)), name


def test_forecast_on_two_processes_is_the_forecast_on_one():
    session = Session.new(seed=5)
    one = session.forecast(futures=24, weeks=12)
    two = session.forecast(futures=24, weeks=12, workers=2)
    assert np.array_equal(one.win, two.win) and np.array_equal(one.bankrupt, two.bankrupt)
    assert one.weeks_played == two.weeks_played == 12


def test_forecast_command_plays_a_lab_in_the_style_asked(tmp_path, capsys):
    save = a_saved_game(tmp_path, 3)
    capsys.readouterr()
    assert (
        main(["forecast", save, "--futures", "8", "--weeks", "2", "--policy", "xai=partner", "--json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["played_as"] == {"xai": "partner", "openai": "partner", "google": "incumbent"}
    assert main(["forecast", save, "--futures", "8", "--policy", "xai=ninja"]) == 2
    assert "unknown style 'ninja'" in capsys.readouterr().err


@pytest.mark.slow
def test_futures_to_the_end_add_up_to_agi_points_and_no_winner():
    """The odds screen said 'When AGI lands (68% of futures)' beside win chances adding
    to 100%: the rest were won on points at the last week, now counted and shown."""
    session = Session.new(seed=3, humans=())  # the AI plays every lab: nobody idles into bankruptcy
    w = session.world
    session.world = attrs.evolve(
        w, params=attrs.evolve(w.params, agi_capability=w.params.agi_capability + 2.0)
    )
    while session.week < session.params.last_week - 40 and not session.over:
        session.end_week()
    assert not session.over
    fc = session.forecast(futures=80)
    ended_by_bankruptcy = 1.0 - fc.agi_share - fc.on_points - fc.no_winner
    assert fc.on_points > 0 and -1e-12 <= ended_by_bankruptcy <= 0.1
    assert abs(fc.win.sum() + fc.no_winner - 1.0) < 1e-12


# ------------------------------------------------------- the odds in waves, what-ifs
def forecast_json(capsys, *argv: str) -> tuple[dict, str]:
    assert main(["forecast", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out), out


def test_forecast_futures_plays_exactly_that_many_and_the_same_every_time(tmp_path, capsys):
    save = a_saved_game(tmp_path, 5)
    capsys.readouterr()
    doc, first = forecast_json(capsys, save, "--futures", "30", "--weeks", "10")
    _, again = forecast_json(capsys, save, "--futures", "30", "--weeks", "10")
    assert doc["futures"] == 30 and doc["stopped_by"] == "futures" and first == again
    low, high = doc["win_95"]["xai"]
    assert low <= doc["win"]["xai"] <= high


def test_forecast_target_stops_once_the_interval_is_narrow_enough(tmp_path, capsys):
    save = a_saved_game(tmp_path, 5)
    capsys.readouterr()
    # 10 weeks from week 5: nobody wins, so every lab's interval narrows as 1/n
    doc, _ = forecast_json(capsys, save, "--target", "5", "--futures", "400", "--weeks", "10")
    widest = max(h - lo for lo, h in doc["win_95"].values()) / 2
    assert doc["stopped_by"] == "target" and widest <= 0.05 and doc["futures"] < 400
    doc, _ = forecast_json(capsys, save, "--target", "0.1", "--futures", "40", "--weeks", "10")
    assert doc["stopped_by"] == "futures" and doc["futures"] == 40  # --futures caps the waves


def test_forecast_what_if_on_the_same_futures(tmp_path, capsys):
    save = a_saved_game(tmp_path, 5)
    capsys.readouterr()
    argv = [save, "--futures", "24", "--weeks", "8", "--what-if", "buy 5000 H100", "--what-if", "run 1e26"]
    doc, first = forecast_json(capsys, *argv)
    _, again = forecast_json(capsys, *argv)
    assert first == again and doc["lab"] == "xai" and doc["book"] == []
    buy, run = doc["what_if"]
    assert buy["what_if"] == "you also buy 5,000 H100 via Dell" and run["futures"] == buy["futures"] == 24
    assert buy["difference_95"][0] <= buy["difference"] <= buy["difference_95"][1]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--what-if", "sell everything"], "not a decision: 'sell everything'"),
        (["--what-if", "skip-round"], "no round in the week's book to skip"),
        (["--what-if", "buy 10 B300X"], "unknown GPU 'B300X'"),
        (["--book", "raise lots"], "raise: the USD: not a number"),
        (["--target", "0"], "--target"),
    ],
)
def test_forecast_refuses_a_bad_what_if_in_one_line(tmp_path, capsys, argv, said):
    save = a_saved_game(tmp_path, 2)
    capsys.readouterr()
    assert main(["forecast", save, "--futures", "4", *argv]) == 2
    err = capsys.readouterr().err
    assert said in err and err.startswith("agi-race: error: ") and len(err.strip().splitlines()) == 1


# -------------------------------------------------------------- the odds screen
@pytest.fixture
def waves_seen(monkeypatch):
    """Every wave of odds the screen shows, with the text it showed."""
    from game.tui.screens import ForecastScreen

    seen: list[tuple] = []
    shown = ForecastScreen.on_odds_wave

    def record(self, message) -> None:
        shown(self, message)
        seen.append((message.odds, str(self.query_one("#odds").render())))

    monkeypatch.setattr(ForecastScreen, "on_odds_wave", record)
    return seen


@pytest.mark.slow
async def test_the_odds_screen_shows_a_first_estimate_then_sharpens(monkeypatch, waves_seen):
    from game.tui.app import AgiRaceApp
    from game.tui.screens import ForecastScreen, HQScreen
    from tests.tui_helpers import SIZES, unseen_at_each_size

    monkeypatch.setattr(ForecastScreen, "FUTURES", 48)
    monkeypatch.setattr(ForecastScreen, "HORIZON", 12)
    monkeypatch.setattr(ForecastScreen, "FIRST_WAVE", 6)
    monkeypatch.setattr(ForecastScreen, "WORKERS", 1)
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=SIZES[0]) as pilot:  # the waves once; what is seen, at both sizes
        await pilot.press("o")
        assert isinstance(app.screen, ForecastScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [o.futures for o, _ in waves_seen] == [6, 12, 24, 48]
        widths = [o.half_width() for o, _ in waves_seen]
        assert all(b < a for a, b in zip(widths, widths[1:], strict=False))  # each wave narrows it
        first, last = waves_seen[0][1], waves_seen[-1][1]
        assert "6 futures, 12 weeks ahead: sharpening" in first and "<- you" in first and "%-" in first
        assert "48 futures, 12 weeks ahead: every lab within" in last and "played as: xAI builder" in last
        assert await unseen_at_each_size(pilot, "odds") == []
        await pilot.press("escape")
        assert isinstance(app.screen, HQScreen)


@pytest.mark.slow
async def test_leaving_the_odds_screen_stops_its_futures_and_processes(monkeypatch, waves_seen):
    import asyncio
    import multiprocessing
    import threading

    from game.batch.futures import FuturesPool
    from game.tui.app import AgiRaceApp
    from game.tui.screens import ForecastScreen, HQScreen

    monkeypatch.setattr(ForecastScreen, "HORIZON", None)  # to the end of the game: long futures
    monkeypatch.setattr(ForecastScreen, "FIRST_WAVE", 1)  # one future here, the next wave in the processes
    warmed = threading.Event()
    warm = FuturesPool.warm

    def warm_and_tell(self) -> None:
        warm(self)
        warmed.set()

    monkeypatch.setattr(FuturesPool, "warm", warm_and_tell)
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        screen = app.screen
        assert await asyncio.to_thread(warmed.wait, 300)  # the first odds are in, the processes started
        assert multiprocessing.active_children()
        await pilot.press("escape")
        assert isinstance(app.screen, HQScreen) and screen.cancelled
        assert await asyncio.to_thread(screen.finished.wait, 300)  # the thread of the waves has ended
        assert await asyncio.to_thread(screen.closed.wait, 300)  # and the processes have exited
        assert multiprocessing.active_children() == []
        assert len(waves_seen) == 1 and waves_seen[0][0].futures == 1


async def test_a_what_if_on_the_odds_screen(monkeypatch):
    from game.play import decisions as dec
    from game.tui.app import AgiRaceApp
    from game.tui.screens import ForecastScreen
    from tests.tui_helpers import text

    monkeypatch.setattr(ForecastScreen, "FUTURES", 24)
    monkeypatch.setattr(ForecastScreen, "HORIZON", 8)
    monkeypatch.setattr(ForecastScreen, "WORKERS", 1)
    session = Session.new()
    session.decide(0, dec.BuyGpus("H100", "dell", 10_000), confirmed=True)
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await app.workers.wait_for_complete()
        screen = app.screen
        await pilot.press("w")  # none picked yet: w opens the list of what-ifs
        await pilot.pause()
        assert screen.query_one("#whatif").expanded and "Pick a what-if" in text(pilot, "whatif-result")
        await pilot.press("escape")  # the list closes; the odds screen stays
        await pilot.pause()
        assert app.screen is screen and not screen.query_one("#whatif").expanded
        screen.query_one("#whatif").value = "drop:0"  # the week without the booked order
        await pilot.pause()
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = text(pilot, "whatif-result")
        assert "What if without 'Buy 10,000 H100 via Dell'" in shown and "on the same 24 futures" in shown
        assert "95%" in shown
        screen.query_one("#whatif").value = "buy:H100"
        await pilot.pause()
        assert screen.query_one("#amount").value == "10k"  # the amount field starts at an order's
        assert app.focused is screen.query_one("#amount")  # and takes the focus: type, then Enter
        assert "Type the amount, then Enter" in text(pilot, "whatif-result")
        screen.query_one("#amount").value = "lots"
        await pilot.press("w")
        await pilot.pause()
        assert "amount: type a number" in text(pilot, "whatif-result")  # as the field said while typing
