"""The game over's "weeks with no training run under way" counts weeks compute trained
nothing: a run booked in a week trains in it, so a standing order's next run, booked the
week after the last one ended, is no idle week (a play-tester whose runs were chained by
standing orders read "7 weeks with no training run under way" and could not tell why)."""

from __future__ import annotations

from game.play import debrief, standing
from game.play import decisions as dec
from game.play.session import Session

XAI = 0


def test_runs_chained_by_a_standing_order_leave_no_idle_week():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    s.decide(XAI, dec.StartRun(1e26), confirmed=True)
    standing.add(s, standing.run_order(s, XAI, 1e26))
    runs = 0
    for _ in range(20):
        s.end_week()
        if not standing.orders(s, XAI):  # the order fired: set it again for the run after
            runs += 1
            standing.add(s, standing.run_order(s, XAI, 1e26))
    assert runs >= 2, "runs ended and the next began"
    at_start = sum(1 for h in s.history if h.week < s.week and not h.training[XAI])
    assert at_start >= runs  # each hand-over week starts with no run in pretraining ...
    assert debrief.played(s.turn(XAI)).idle_weeks == 0  # ... yet trains the run it books


def test_a_week_with_no_run_booked_is_idle():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    for _ in range(6):  # no run: Grok 2 is in post-training, nothing pretrains
        s.end_week()
    assert debrief.played(s.turn(XAI)).idle_weeks == 6
