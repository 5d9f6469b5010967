"""A round under way warns when a rival's run may ship a better model before it closes: a
rival's release lowers the lab's value on its merits, which the investors judge (a
play-tester's $20B round walked away the week after OpenAI released, unwarned)."""

from __future__ import annotations

from game.play import decisions as dec
from game.play import intel, risk, views
from game.play.session import Session
from game.tui.app import AgiRaceApp
from tests.tui_helpers import SIZES, text, unseen_at_each_size

XAI = 0


def _raising() -> Session:
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    s.decide(XAI, dec.RaiseRound(views.money_view(s.turn(XAI)).largest), confirmed=True)
    s.end_week()  # the round is under way; OpenAI's run ends in a few weeks, then 6 of post-training
    return s


def test_a_rivals_run_due_before_the_round_closes_is_an_alert():
    s = _raising()
    t = s.turn(XAI)
    health = risk.round_health(t)
    assert health is not None and not health.at_risk
    assert intel.round_rivals(t) == ["OpenAI"]
    (alert,) = [a for a in intel.alerts(t) if a.key == "round-rival"]
    assert alert.text.startswith("OpenAI may release before your $") and alert.screen == "finance"
    assert f"closes on {health.closes:%d %b}" in alert.text


def test_no_round_no_warning():
    s = Session.new(humans=("xai",), seed=1)
    assert intel.round_rivals(s.turn(XAI)) == []
    assert not [a for a in intel.alerts(s.turn(XAI)) if a.key == "round-rival"]


async def test_the_money_screen_says_it_beside_the_rounds_health():
    s = _raising()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("c")
        await pilot.pause()
        said = " ".join(text(pilot, "risk").split())
        assert "OpenAI may release before your $" in said and "lowers your value on its merits" in said, said
        assert await unseen_at_each_size(pilot, "risk") == []


def test_a_round_far_above_its_line_is_not_warned_of_rivals():
    """`a` stopped on "xAI may release before your round closes ... (40% above the
    walk-away line now)": a release takes a value down about 20%, not that far."""
    import attrs

    s = _raising()
    basis = s.world.round_basis.copy()
    basis[0, XAI] *= 0.5  # agreed at half today's value: the line far below
    s.world = attrs.evolve(s.world, round_basis=basis)
    health = risk.round_health(s.turn(XAI))
    assert health is not None and health.margin > intel.ROUND_RIVAL_MARGIN
    assert intel.round_rivals(s.turn(XAI)) == []
