"""A grid claim no hall draws on lapses after `claim_lapse_weeks` (engine/grid.py): the
player is warned while halls can still save it, and told when it goes, with the deposit
forfeit (a play-tester's power at Dallas fell from 450 to 300 MW with no line saying
why)."""

from __future__ import annotations

import attrs

from game.engine import grid
from game.play import intel
from game.play.session import Session
from game.play.words.numbers import money

XAI = 0
CLAIM = 100.0  # MW


def _claimed(idle: int, claim: float = CLAIM) -> Session:
    """xAI holds a `claim` MW claim at Quincy, where it has no halls, unused `idle` weeks."""
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    p, w = s.params, s.world
    q = p.site_ids.index("quincy")
    alloc, grid_mw, idle_weeks, deposit = w.grid_alloc.copy(), w.grid_mw.copy(), w.grid_idle.copy(), w.grid_deposit.copy()
    alloc[0, XAI, q] += claim
    grid_mw[0, q] += claim
    idle_weeks[0, XAI, q] = idle
    deposit[0, XAI, q] = float(grid.claim_deposit(p, claim))
    s.world = attrs.evolve(w, grid_alloc=alloc, grid_mw=grid_mw, grid_idle=idle_weeks, grid_deposit=deposit)
    return s


def _warned(s: Session) -> list[intel.Alert]:
    return [a for a in intel.alerts(s.turn(XAI)) if a.key == "claim:quincy"]


def test_an_unused_claim_is_an_alert_in_its_last_weeks_then_news_when_it_lapses():
    lapse = Session.new().params.rules.grid.claim_lapse_weeks
    s = _claimed(lapse - intel.CLAIM_ALERT_WEEKS - 1)
    assert _warned(s) == []  # further off than the alert's weeks
    s.end_week()
    (alert,) = _warned(s)
    assert alert.actionable and alert.screen == "sites"
    assert alert.text == (
        f"Quincy: 100 MW of your grid claim is unused and lapses in {intel.CLAIM_ALERT_WEEKS} weeks, "
        "deposit and all, unless more halls draw on it"
    )
    deposit = float(s.world.grid_deposit[0, XAI, s.params.site_ids.index("quincy")])
    while _warned(s):
        assert not [n for n in s.news if "claim lapsed" in n.text]
        s.end_week()
    told = [n for n in s.news if "claim lapsed" in n.text]
    assert len(told) == 1 and told[0].lab == XAI and told[0].private and told[0].urgent
    assert told[0].text == (
        "Quincy: 100 MW of your grid claim lapsed, unused by any hall; the site's other labs may take it; "
        f"its {money(deposit)} deposit is forfeit"
    )
    assert float(s.world.grid_alloc[0, XAI, s.params.site_ids.index("quincy")]) == 0.0


def test_halls_drawing_on_the_claim_end_the_alert_and_nothing_lapses():
    from game.play import decisions as dec

    lapse = Session.new().params.rules.grid.claim_lapse_weeks
    s = _claimed(lapse - 3)
    assert _warned(s)
    s.decide(XAI, dec.BuildHalls("quincy", CLAIM), confirmed=True)
    for _ in range(5):
        s.end_week()
    assert _warned(s) == [] and not [n for n in s.news if "claim lapsed" in n.text]


def test_a_sliver_of_a_claim_is_no_alert():
    """'Abilene: 1 MW of your grid claim is unused and lapses in 8 weeks' stopped a
    play-tester's fast-forward."""
    lapse = Session.new().params.rules.grid.claim_lapse_weeks
    assert _warned(_claimed(lapse - 2, claim=intel.ALERT_MIN_MW - 1)) == []
    assert _warned(_claimed(lapse - 2, claim=intel.ALERT_MIN_MW + 1))


def test_an_unused_claim_beside_halls_says_the_turbines_run_them_first():
    """A tester read "build halls there" beside his own 60 MW of halls: his turbines ran
    them, so the grid claim stood unused. The alert says so."""
    lapse = Session.new().params.rules.grid.claim_lapse_weeks
    s = _claimed(lapse - intel.CLAIM_ALERT_WEEKS)
    q = s.params.site_ids.index("quincy")
    halls, turbines = s.world.hall_mw.copy(), s.world.turbine_mw.copy()
    halls[0, XAI, q], turbines[0, XAI, q] = 60.0, 60.0
    s.world = attrs.evolve(s.world, hall_mw=halls, turbine_mw=turbines)
    (alert,) = _warned(s)
    assert "unused (your 60 MW of halls there run on your 60 MW of turbines first)" in alert.text, alert.text
