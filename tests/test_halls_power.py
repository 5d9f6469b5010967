"""Halls booked that the power at their site will not run: the sites form turns to
turbines for them, so one Enter orders them. Halls, then turbines, took two passes
through the form at every site (a play-tester's most used keys: alt+w, alt+m, alt+s)."""

from __future__ import annotations

from game.play import decisions as dec
from game.play import market
from game.play.session import Session
from game.tui.app import AgiRaceApp
from tests.tui_helpers import SIZES, choose, fill, text, unseen_at_each_size

XAI = 0


def test_the_turbines_halls_need_count_the_power_there_and_on_its_way():
    s = Session.new(humans=("xai",), seed=1)
    t = s.turn(XAI)
    assert market.turbines_for(t, "abilene") == 0  # no halls there: nothing to power
    s.decide(XAI, dec.BuildHalls("abilene", 50.0), confirmed=True)
    assert market.turbines_for(s.turn(XAI), "abilene") == 50
    s.decide(XAI, dec.OrderTurbines("abilene", 20.0), confirmed=True)
    assert market.turbines_for(s.turn(XAI), "abilene") == 30  # the booked turbines count
    memphis = next(r for r in market.site_rows(s.turn(XAI)) if r.id == "memphis").yours
    assert memphis is not None
    have = memphis.power_mw + memphis.turbines_pending_mw + memphis.grid_coming_mw
    need = max(memphis.hall_mw + memphis.building_mw - have, 0)
    assert market.turbines_for(s.turn(XAI), "memphis") == round(need)


async def test_after_halls_one_enter_orders_the_turbines_to_run_them():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("s")
        await pilot.pause()
        choose(pilot, site="abilene", what="halls")
        fill(pilot, mw="50")
        await pilot.pause()
        await pilot.press("alt+m", "enter")  # the halls
        await pilot.pause()
        assert [d.kind for d in s.book(XAI)] == ["halls"]
        assert app.screen.query_one("#what").value == "turbines"
        assert app.screen.query_one("#mw").value == "50" and app.focused is app.screen.query_one("#mw")
        assert "Enter orders 50 MW of turbines to run them" in " ".join(text(pilot, "message").split())
        assert await unseen_at_each_size(pilot, "message", "mw") == []
        await pilot.press("enter")  # the turbines
        await pilot.pause()
        assert [(d.kind, d.mw) for d in s.book(XAI)] == [("halls", 50.0), ("turbines", 50.0)]
        # back to halls of the same size: the next site is Down, Enter, Enter
        assert app.screen.query_one("#what").value == "halls"
        assert app.screen.query_one("#mw").value == "50" and app.focused is app.screen.query_one("#mw")
        assert "Back to halls" in text(pilot, "message")
        await pilot.press("down", "enter", "enter")  # Atlanta, after Abilene in the table
        await pilot.pause()
        assert [(d.kind, d.site, d.mw) for d in s.book(XAI)][2:] == [("halls", "atlanta", 50.0), ("turbines", "atlanta", 50.0)]


async def test_the_site_list_is_where_the_order_goes_whatever_the_tables_cursor_did():
    """A tester typed 'at' (Atlanta) in the site list after moving the table's cursor to
    Abilene: the halls went to Abilene, and Down then showed Atlanta's figures under
    'Abilene'. The list is the one place the form reads its site."""
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("s")
        table = app.screen.query_one("#site-table")
        table.focus()
        await pilot.press("down", "down")  # the table's cursor, and the list with it: Abilene
        await pilot.pause()
        assert app.screen.query_one("#site").value == "abilene"
        await pilot.press("alt+s", "a", "t", "enter", "alt+m", "1", "0", "0", "enter")
        await pilot.pause()
        assert s.book(XAI)[0] == dec.BuildHalls("atlanta", 100.0), s.book(XAI)
        await pilot.press("enter")  # the turbines for them
        await pilot.press("down")  # from the megawatts: the next site in the table's order
        await pilot.pause()
        assert app.screen.query_one("#site").value == "quincy"
        await pilot.press("up")  # back to Atlanta: the form as the last order left it
        await pilot.press("escape")  # what was added is not 'not added'
        await pilot.pause()
        assert "Not added" not in text(pilot, "note")
