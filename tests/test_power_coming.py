"""Halls whose power is already on its way are one line for all sites, not one alert a
site: at 80x24 four sites' alerts (two lines each) filled the dashboard's alerts; the
play-tester's run and race went below the fold."""

from __future__ import annotations

import attrs

from game.play import intel, views
from game.play.session import Session

XAI = 0


def test_several_sites_waiting_for_power_on_its_way_are_one_line():
    s = Session.new(humans=("xai",), seed=1)
    w, p = s.world, s.params
    halls, pending, left = w.hall_mw.copy(), w.turbine_pending.copy(), w.turbine_left.copy()
    for name, weeks in (("abilene", 6), ("quincy", 9)):
        k = p.site_ids.index(name)
        halls[0, XAI, k] += 20.0 + float(w.grid_alloc[0, XAI, k]) + float(w.turbine_mw[0, XAI, k])
        pending[0, XAI, k] += 50.0  # turbines coming, enough for the halls
        left[0, XAI, k] = weeks
    s.world = attrs.evolve(w, hall_mw=halls, turbine_pending=pending, turbine_left=left)
    waiting = [v for v in views.site_views(s.turn(XAI)) if v.unpowered_halls_mw >= 1]
    assert len(waiting) >= 2
    alerts = intel.alerts(s.turn(XAI))
    assert not [a for a in alerts if a.key.startswith("unpowered:") and not a.actionable]
    (one,) = [a for a in alerts if a.key == "unpowered-coming"]
    assert not one.actionable and one.screen == "sites"
    assert "Abilene 20 MW (6 weeks)" in one.text and "Quincy 20 MW (9 weeks)" in one.text, one.text
    assert one.text.startswith("Halls waiting for power on its way: ")


def test_a_sliver_of_halls_without_power_is_no_alert():
    """A 1 MW overbuild raised "! Memphis: 1 MW of halls have no power", which stops
    fast-forward; from ALERT_MIN_MW up it is an alert."""
    s = Session.new(humans=("xai",), seed=1)
    k = s.params.site_ids.index("quincy")
    for extra, alerted in ((intel.ALERT_MIN_MW - 1, False), (intel.ALERT_MIN_MW + 1, True)):
        halls = s.world.hall_mw.copy()
        w = s.world
        halls[0, XAI, k] = float(w.grid_alloc[0, XAI, k]) + float(w.turbine_mw[0, XAI, k]) + extra
        s.world = attrs.evolve(w, hall_mw=halls)
        keys = [a.key for a in intel.alerts(s.turn(XAI))]
        assert ("unpowered:quincy" in keys) == alerted, (extra, keys)
