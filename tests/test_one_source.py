"""Issue 12, one source for every rule: change a rule's constant as a modder would in
assets/ and the figure the player is shown, the session's check and what the engine
does all move together (they read one function, not copies)."""

from __future__ import annotations

import attrs
import pytest

from game.catalog import default_catalog
from game.play import decisions as dec
from game.play import market, views
from game.play.session import Refused, Session

XAI = 0


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))


def _catalog(finance=None, site=None):
    cat = default_catalog()
    if finance:
        rules = cat.rules
        cat = attrs.evolve(cat, rules=attrs.evolve(rules, finance=attrs.evolve(rules.finance, **finance)))
    if site:
        sid, changes = site
        cat = attrs.evolve(
            cat, sites=tuple(attrs.evolve(s, **changes) if s.id == sid else s for s in cat.sites)
        )
    return cat


@pytest.mark.parametrize("fraction", [0.05, 0.10])
def test_the_round_the_finance_screen_quotes_is_the_round_the_engine_agrees(fraction):
    s = Session.new("2024-07-colossus", catalog=_catalog(finance={"raise_max_fraction": fraction}))
    quoted = views.money_view(s.turn(XAI)).largest
    default = views.money_view(Session.new("2024-07-colossus").turn(XAI)).largest
    assert quoted != pytest.approx(default)  # the constant is read
    s.decide(XAI, dec.RaiseRound(1e13), confirmed=True)
    s.end_week()
    assert float(s.world.round_usd[0, XAI]) == pytest.approx(quoted)


@pytest.mark.parametrize("permits", [150.0, 300.0])
def test_the_turbine_room_the_sites_screen_shows_is_what_the_check_and_the_engine_allow(permits):
    s = Session.new("2024-07-colossus", catalog=_catalog(site=("memphis", {"turbine_max_mw": permits})))
    row = next(r for r in market.site_rows(s.turn(XAI)) if r.id == "memphis")
    room = row.turbine_room_mw
    assert room < permits  # the scenario's turbines already take some
    with pytest.raises(Refused, match=f"allow {room:,.0f} MW more"):
        s.decide(XAI, dec.OrderTurbines("memphis", room + 1))
    m = s.params.site_ids.index("memphis")
    before = float(s.world.turbine_pending[0, XAI, m] + s.world.turbine_mw[0, XAI, m])
    s.decide(XAI, dec.OrderTurbines("memphis", room), confirmed=True)
    s.end_week()
    after = float(s.world.turbine_pending[0, XAI, m] + s.world.turbine_mw[0, XAI, m])
    assert after - before == pytest.approx(room)
    assert next(
        r for r in market.site_rows(s.turn(XAI)) if r.id == "memphis"
    ).turbine_room_mw == pytest.approx(0.0)
