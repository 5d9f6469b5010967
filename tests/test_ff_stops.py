"""Fast-forward stops where the player has something to do, not only where an alert is new:
the week a round's cash lands (a play-tester's $35B sat idle for 8 weeks while `a` played
on) and when empty powered halls have doubled since the week began (13 weeks ran on while
275 MW of new halls stood empty: the alert had been up, smaller, when `a` was pressed)."""

from __future__ import annotations

from game.play import decisions as dec
from game.play import intel, views
from game.play.alert import Alert
from game.play.exits import SellGpus
from game.play.news import RAISE
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import HQScreen
from tests.tui_helpers import SIZES, text

XAI = 0


def test_an_alerts_figure_that_doubled_is_news_again():
    alert = Alert("empty", "", "information", amount=40.0)
    assert alert.grew(20.0) and alert.grew(10.0)
    assert not alert.grew(21.0) and not alert.grew(0.0)
    assert not Alert("x", "", "information").grew(1.0)  # no figure: only a new alert stops


async def _fast_forward(app: AgiRaceApp, pilot) -> str:
    """`a` on the dashboard (twice when an urgent alert asks first); the week summary's
    line that says why it stopped."""
    week = app.game.week
    for _ in range(2):
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.game.week > week:
            break
    assert isinstance(app.screen, HQScreen)
    summary = " ".join(text(pilot, "summary").split())
    assert "Fast-forward: " in summary, summary
    return summary.split("Fast-forward: ", 1)[1]


async def test_fast_forward_stops_when_the_empty_halls_double():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    for _ in range(8):  # the warehouse's GPUs go into the halls as power comes
        s.end_week()
    s.decide(XAI, SellGpus("H100", 35_000), confirmed=True)  # 52 MW: a size that stops when doubled
    s.end_week()
    (small,) = [a for a in intel.alerts(s.turn(XAI)) if a.key == "empty"]
    assert small.amount >= intel.EMPTY_GROWTH_MW
    s.decide(XAI, SellGpus("H100", 50_000), confirmed=True)  # the halls it empties as the week ends
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        week = s.week
        why = await _fast_forward(app, pilot)
        assert s.week == week + 1, why  # one week: the empty halls more than doubled in it
        (big,) = [a for a in intel.alerts(s.turn(XAI)) if a.key == "empty"]
        assert big.grew(small.amount)
        assert "powered halls stand empty" in why, why


async def test_fast_forward_stops_the_week_a_rounds_cash_lands():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    s.decide(XAI, dec.RaiseRound(views.money_view(s.turn(XAI)).largest), confirmed=True)
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        for _ in range(20):  # other stops may come first: `a` again after each
            before = len(s.news)
            why = await _fast_forward(app, pilot)
            raised = [n for n in s.news[before:] if n.kind == RAISE and n.lab == XAI]
            if raised:
                assert raised[-1].week == s.week - 1, why  # it stopped the week the cash came
                assert " ".join(raised[-1].text.split())[:40] in why, why
                break
        else:
            raise AssertionError("the round never closed")


async def test_the_summary_keeps_the_weeks_it_tells_of_as_the_dashboard_redraws():
    """Back from a screen after a fast-forward, the summary told of the last week alone
    ("Week 30") under the heading "Fast-forward: 6 weeks"."""
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        for _ in range(3):
            s.end_week()
        app.screen.show_summary("Fast-forward: 3 weeks.")
        await pilot.pause()
        shown = text(pilot, "summary")
        assert shown.startswith("Weeks 0-2 (") and "Fast-forward: 3 weeks." in shown, shown
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HQScreen)
        assert text(pilot, "summary") == shown


def test_an_alert_that_doubles_over_several_weeks_stops_fast_forward():
    """80 MW of empty halls grew to 428 MW over one 12-week `a` without stopping it: the
    figure is compared with the one this fast-forward first saw, not only last week's."""
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    for _ in range(8):
        s.end_week()
    s.decide(XAI, SellGpus("H100", 40_000), confirmed=True)
    s.end_week()
    (alert,) = [a for a in intel.alerts(s.turn(XAI)) if a.key == "empty"]
    assert alert.amount >= intel.EMPTY_GROWTH_MW
    app = AgiRaceApp(session=s)
    app.ff_mode = "act"
    app.ff_ack = (s.week, frozenset(a.key for a in intel.alerts(s.turn(XAI))))  # played on past them
    last_week = {XAI: {a.key: a.amount for a in intel.alerts(s.turn(XAI))}}
    last_week[XAI]["empty"] = alert.amount * 0.8  # it grew a quarter in the week
    assert app._stop_reason([], last_week, [XAI]) is None  # not doubled in the week
    first = {XAI: dict(last_week[XAI], empty=alert.amount / 2.5)}  # but 2.5-fold since it began
    why = app._stop_reason([], last_week, [XAI], first)
    assert why is not None and "powered halls stand empty" in why


def test_a_few_empty_mw_doubling_do_not_stop_fast_forward():
    """`a` stopped as 10 MW of empty halls became 20, then 40: the figure counts from
    EMPTY_GROWTH_MW up."""
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    for _ in range(8):
        s.end_week()
    s.decide(XAI, SellGpus("H100", 10_000), confirmed=True)  # 15 MW
    s.end_week()
    (alert,) = [a for a in intel.alerts(s.turn(XAI)) if a.key == "empty"]
    assert alert.amount == 0 and not alert.grew(1.0)
