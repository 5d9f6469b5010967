"""Forecasts from one game's state (issue 6): certain when the game is decided,
deterministic for a seed, and on the command line."""

from __future__ import annotations

import json

import attrs
import numpy as np

from game.cli import main
from game.session import Session


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


def test_forecast_command(tmp_path, capsys):
    save = tmp_path / "g.toml"
    assert (
        main(
            [
                "simulate",
                "--scenario",
                "2024-07-colossus",
                "--runs",
                "1",
                "--weeks",
                "5",
                "--save-to",
                str(save),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["forecast", str(save), "--futures", "40", "--weeks", "20", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (
        doc["futures"] == 40 and doc["weeks_played"] == 20 and set(doc["win"]) == {"xai", "openai", "google"}
    )
