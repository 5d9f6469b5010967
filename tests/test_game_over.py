"""The game-over screen, driven as a person would at 80x24 (what must be seen is checked at
80x24 and 120x40 by resizing the same app): the AGI threshold
the game drew, the winner's run, a reason the winner really had, the score explained part
by part, and a new game that keeps the last lab and difficulty."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from textual.widgets import Select

from game.engine import compute, economy, training
from game.engine.state import END_AGI, END_BANKRUPT
from game.play import debrief
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import GameOverScreen, TitleScreen
from tests.tui_helpers import SIZES, text, unseen_at_each_size

XAI, OPENAI, GOOGLE = 0, 1, 2


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


def xai_ships_agi(humans: tuple[str, ...], difficulty: str = "normal") -> Session:
    """A new game where xAI's Grok 2, in post-training, will ship past the threshold."""
    session = Session.new(humans=humans, difficulty=difficulty)
    software = session.world.run_software.copy()
    software[0, XAI] += 5.0
    session.world = attrs.evolve(session.world, run_software=software)
    return session


async def play_to_the_end(app: AgiRaceApp, pilot) -> None:
    for _ in range(8):
        if isinstance(app.screen, GameOverScreen):
            break
        await pilot.press("n")
    assert isinstance(app.screen, GameOverScreen)


async def test_the_game_over_shows_the_threshold_the_winners_run_and_the_score_explained():
    app = AgiRaceApp(session=xai_ships_agi(("openai",)))
    async with app.run_test(size=SIZES[0]) as pilot:
        await play_to_the_end(app, pilot)
        await pilot.pause()
        assert await unseen_at_each_size(pilot, "game-over") == []  # the debrief, scrolled in place
        s = app.session
        shown = " ".join(text(pilot, "debrief").split())  # as read, whatever the wrapping
        drawn = float(training.agi_threshold(s.params, s.world)[0])
        week = int(s.world.agi_week[0])
        assert f"xAI reaches AGI on {s.params.date_of(week):%d %b %Y}, in week {week}." in shown, shown
        assert f"The AGI threshold this game drew: {drawn:.2f}" in shown
        assert "Why xAI won" in shown and "xAI was first past the threshold" in shown
        flop = float(s.last_report.released_flop[0, XAI])
        assert f"its winning run: {flop:.1e} FLOP" in shown and f"{drawn:.2f} needed" in shown
        parts = economy.score_parts(s.params, s.world)[0, OPENAI]
        assert "AGI win 0 xAI reached AGI first" in shown
        assert "only a win scores for earliness" in shown
        share = float(s.world.founder_share[0, OPENAI])
        assert f"your stake {parts[2]:,.0f} {share:.0%} of $" in shown
        assert f"Your score {parts.sum():,.0f} points" in shown


async def test_a_new_game_from_the_game_over_keeps_the_lab_and_difficulty():
    session = xai_ships_agi(("openai",), difficulty="hard")
    for _ in range(8):  # played before the app starts: it opens on the game over
        if not session.over:
            session.end_week()
    assert session.over
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GameOverScreen)
        await pilot.press("n")  # New game
        assert isinstance(app.screen, TitleScreen)
        await pilot.pause()
        assert app.screen.query_one("#lab", Select).value == "openai"
        assert app.screen.query_one("#difficulty", Select).value == "hard"
        await pilot.press("enter")
        assert app.session.scenario.humans == ("openai",)
        assert app.session.scenario.meta.difficulty == "hard"


def test_why_the_winner_won_names_only_an_edge_it_had():
    """Google wins with less compute and worse software than the player (OpenAI): the
    reason must not claim either; the debrief says its run came first."""
    s = Session.new(humans=("openai",))
    w = s.world
    software = w.software.copy()
    software[0, GOOGLE] = software[0, OPENAI] - 0.3
    best = w.best_model.copy()
    best[0, GOOGLE] = float(training.agi_threshold(s.params, w)[0]) + 0.05
    s.world = attrs.evolve(
        w,
        software=software,
        best_model=best,
        done=np.ones_like(w.done),
        end_reason=np.full_like(w.end_reason, END_AGI),
        winner=np.full_like(w.winner, GOOGLE),
        agi_week=np.full_like(w.agi_week, 10),
    )
    peak, _, _ = compute.lab_flops(s.params, s.world)
    assert peak[0, GOOGLE] < peak[0, OPENAI]  # Google has less compute than OpenAI here
    d = debrief.debrief(s.turn(OPENAI))
    assert d.winner == "Google DeepMind"
    head = d.why[0]
    assert "more compute" not in head and "better software" not in head
    assert "its run came first" in head
    assert any("behind OpenAI" in line for line in d.why)  # the software line tells the truth


def test_the_winners_edge_is_the_largest_it_had():
    s = Session.new(humans=("openai",))
    w = s.world
    software = w.software.copy()
    software[0, XAI] = software[0, OPENAI] + 0.8  # far ahead in software
    best = w.best_model.copy()
    best[0, XAI] = float(training.agi_threshold(s.params, w)[0]) + 0.05
    s.world = attrs.evolve(
        w,
        software=software,
        best_model=best,
        done=np.ones_like(w.done),
        end_reason=np.full_like(w.end_reason, END_AGI),
        winner=np.full_like(w.winner, XAI),
        agi_week=np.full_like(w.agi_week, 10),
    )
    head = debrief.debrief(s.turn(OPENAI)).why[0]
    assert "its edge over OpenAI: better software (+0.80 orders of magnitude)" in head


def ended(s: Session, reason: int, winner: int, **fields: np.ndarray) -> Session:
    w = s.world
    s.world = attrs.evolve(
        w,
        done=np.ones_like(w.done),
        end_reason=np.full_like(w.end_reason, reason),
        winner=np.full_like(w.winner, winner),
        agi_week=np.full_like(w.agi_week, 10),
        **fields,
    )
    return s


def test_a_rival_without_gpus_was_out_computed_whatever_its_software():
    """Google wins while the player (OpenAI), bankrupt, has no working GPUs but better
    software: the edge is compute, not 'no edge in compute or software'."""
    s = Session.new(humans=("openai",))
    w = s.world
    software, best, broke = w.software.copy(), w.best_model.copy(), w.bankrupt.copy()
    software[0, GOOGLE] = software[0, OPENAI] - 0.3
    best[0, GOOGLE] = float(training.agi_threshold(s.params, w)[0]) + 0.05
    broke[0, OPENAI] = True
    ended(s, END_AGI, GOOGLE, software=software, best_model=best, bankrupt=broke)
    why = debrief.debrief(s.turn(OPENAI)).why
    head = "Google DeepMind was first past the threshold; its edge over OpenAI: more compute (OpenAI had no working GPUs)"
    assert why[0] == head
    assert "compute: OpenAI had no working GPUs at the end" in why
    assert any("behind OpenAI" in line for line in why)  # its software was worse: said too


def test_a_bankruptcy_names_who_went_bankrupt_not_all_the_others():
    """The player's bankruptcy ends the game; xAI leads the labs still standing and
    Google is one of them: not 'the others went bankrupt'."""
    s = Session.new(humans=("openai",))
    w = s.world
    best, broke = w.best_model.copy(), w.bankrupt.copy()
    best[0, XAI] = best[0].max() + 0.5
    broke[0, OPENAI] = True
    ended(s, END_BANKRUPT, XAI, best_model=best, bankrupt=broke)
    assert debrief.debrief(s.turn(OPENAI)).why[0] == (
        "OpenAI went bankrupt; xAI had the strongest model of the labs left standing"
    )
    broke = broke.copy()  # the world's arrays are frozen
    broke[0, GOOGLE] = True
    ended(s, END_BANKRUPT, XAI, bankrupt=broke)
    assert debrief.debrief(s.turn(OPENAI)).why[0] == "xAI was left standing: the others went bankrupt"
