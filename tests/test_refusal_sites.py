"""A refusal bound to a site names it: "Refused: the site's turbine permit limit is
reached." named none, while the sites form spoke of turbines coming at another site (a
play-tester never learned which order had been refused)."""

from __future__ import annotations

import attrs

from game.play import decisions as dec
from game.play.session import Session

XAI = 0


def test_a_turbine_order_past_the_permits_names_its_site():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    s.decide(XAI, dec.OrderTurbines("southaven", 50.0), confirmed=True)  # the book checks the permits: it fits now
    k = s.params.site_ids.index("southaven")
    pending = s.world.turbine_pending.copy()
    pending[0, 1, k] = 1e4  # then a rival's turbines take the permits before the week ends
    s.world = attrs.evolve(s.world, turbine_pending=pending)
    s.end_week()
    refused = [n.text for n in s.news if n.text.startswith("Refused:") and n.lab == XAI]
    assert refused == ["Refused: the site's turbine permit limit is reached (Southaven)."], refused
