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
from game.saves import initial_world


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
    session.offer(
        0, {"partner": "oracle", "gpu": "H100", "count": 10000, "start": 0, "weeks": 52, "price": 3.5}
    )
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


@pytest.mark.long
def test_futures_played_in_parts_combine_into_the_same_forecast(catalog, colossus, params):
    """Ranges of futures played apart (as workers do) give the one-run forecast exactly."""
    ctl = policies.make_controllers(catalog, params)
    world = initial_world(colossus, params, 1, seed=1)
    for _ in range(120):  # close enough to the end that futures reach AGI
        world, _ = turn.step(world, policies.decide(world, ctl))
    whole = forecast.run(world, ctl, 120, seed=2)
    parts = forecast.Forecast.combine(
        [
            forecast.run(world, ctl, 40, seed=2),
            forecast.run(world, ctl, 60, seed=2, first=40),
            forecast.run(world, ctl, 20, seed=2, first=100),
        ]
    )
    assert whole.agi_weeks.size > 0
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
    fc = session.forecast(futures=200)
    ended_by_bankruptcy = 1.0 - fc.agi_share - fc.on_points - fc.no_winner
    assert fc.on_points > 0 and -1e-12 <= ended_by_bankruptcy <= 0.1
    assert abs(fc.win.sum() + fc.no_winner - 1.0) < 1e-12
