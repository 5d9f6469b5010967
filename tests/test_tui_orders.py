"""The standing orders and ways out screen (p), driven as a person would at 80x24 (what must
be seen is checked at 80x24 and 120x40 by resizing the same app): set and cancel a standing order, take each way out after reading its preview."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from game.play import standing
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens.dialogs import ReviewScreen
from game.tui.screens.orders import OrdersScreen
from tests.tui_helpers import (
    SIZES,
    accept_review,
    choose,
    confirm,
    fill,
    press_button,
    text,
    unseen_at_each_size,
)

XAI = 0


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


def with_a_contract(s: Session) -> Session:
    """xAI in July 2024 (halls under construction at Memphis, GPUs owned), with a rental."""
    w, p = s.world, s.params
    f = {n: getattr(w, n).copy() for n in ("contract_partner", "contract_source", "contract_gpu",
                                          "contract_count", "contract_price", "contract_start", "contract_end")}  # fmt: skip
    oracle = p.partner_ids.index("oracle")
    f["contract_partner"][0, XAI, 3] = f["contract_source"][0, XAI, 3] = oracle
    f["contract_gpu"][0, XAI, 3], f["contract_count"][0, XAI, 3] = p.gpu_ids.index("H100"), 2000
    f["contract_price"][0, XAI, 3], f["contract_start"][0, XAI, 3], f["contract_end"][0, XAI, 3] = 2.5, 0, 30
    s.world = attrs.evolve(w, **f)
    return s


@pytest.mark.slow
@pytest.mark.long
async def test_set_and_cancel_a_standing_order_and_take_each_way_out():
    s = with_a_contract(Session.new())
    assert s.world.hall_building[0, XAI].sum() > 0  # Memphis is being built
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        await pilot.press("p")
        assert isinstance(app.screen, OrdersScreen)

        # The field keys reach the fields on screen only: alt+r is a renewal's weeks, hidden
        # while the next run is chosen; alt+l is the run's budget.
        await pilot.press("alt+r")
        assert app.focused is None or app.focused.id != "renew-weeks"
        await pilot.press("alt+l")
        assert app.focused is not None and app.focused.id == "flop"

        # A standing order: its preview, set, listed, then cancelled with x.
        choose(pilot, **{"standing-kind": "fill:H100:dell"})
        await pilot.pause()
        assert "room now" in text(pilot, "standing-preview")
        await press_button(pilot, "set-standing")
        assert "Standing order: Fill powered halls with H100" in text(pilot, "message")
        assert [o.kind for o in standing.orders(s, XAI)] == ["fill"]
        assert await unseen_at_each_size(pilot, "message", "standing-preview", "set-standing") == []
        app.screen.query_one("#set-standing").focus()  # (a list takes letters: its choices)
        await pilot.press("x")  # from the form: the table takes the focus, nothing cancelled
        await pilot.pause()
        assert [o.kind for o in standing.orders(s, XAI)] == ["fill"]
        assert "x again to cancel it" in text(pilot, "message")
        await pilot.press("x")
        assert "Cancelled standing order" in text(pilot, "message")
        assert standing.orders(s, XAI) == []

        # Enter in a renewal's field sets the renewal, never the way out filled in below it.
        choose(pilot, way="sell:H100")
        fill(pilot, count="1000")
        choose(pilot, **{"standing-kind": "renew:3"})
        await pilot.pause()
        for field, typed in (("renew-weeks", "26"), ("renew-price", "2.4")):
            fill(pilot, **{field: typed})
            app.screen.query_one(f"#{field}").focus()
            await pilot.press("enter")
            await pilot.pause()
            assert [o.kind for o in standing.orders(s, XAI)] == ["renew"], field
            assert s.book(XAI) == []  # no GPUs sold
        app.screen.query_one("#standing").focus()
        await pilot.press("x")
        assert standing.orders(s, XAI) == []

        # Each way out: the preview says what it does, then it goes into the book.
        memphis = s.params.site_ids.index("memphis")
        building = float(s.world.hall_building[0, XAI, memphis])
        ways = [
            ("pause:memphis", "Pause building halls at Memphis", "progress kept"),
            ("sell:H100", "Sell 1,000 H100 (used)", "each used; NVIDIA sells the GPU new at"),
            ("sublet:3", "Sublet contract 3", "leaving instead costs"),
        ]
        for value, label, says in ways:
            choose(pilot, way=value)
            fill(pilot, count="1000")
            await pilot.pause()
            preview = text(pilot, "preview")
            assert label in preview and says in preview, preview
            assert app.screen.query_one("#count").parent.display == value.startswith(
                "sell:"
            )  # a sale's count only
            await confirm(pilot)
            reviewed = isinstance(app.screen, ReviewScreen)  # a sale or sublet is reviewed first
            assert reviewed == (not value.startswith("pause:")), value
            if reviewed:
                assert label in text(pilot, "review-title") and says in text(pilot, "review-terms")
                await accept_review(pilot)
            assert "Added to this week's orders" in text(pilot, "message"), text(pilot, "message")
        # A site takes one order a week: a stop where a pause is booked says why, in place.
        choose(pilot, way="cancel:memphis")
        await pilot.pause()
        assert "another order this week" in text(pilot, "preview")
        kinds = [d.kind for d in s.book(XAI)]
        assert kinds == ["pause_halls", "sell", "sublet"]

        await pilot.press("escape")
        await pilot.press("n")  # the week is played with them
        await pilot.pause()
        w = s.world
        assert w.hall_paused[0, XAI, memphis]
        assert f"{building:.0f} MW paused" in text(pilot, "sites")  # not 'building': nothing is
        assert w.hall_building[0, XAI, memphis] == pytest.approx(building)
        assert w.contract_partner[0, XAI, 3] == -1

        # The next week: resume, then stop building; each previewed.
        await pilot.press("p")
        choose(pilot, way="resume:memphis")
        await pilot.pause()
        assert "left to build" in text(pilot, "preview")
        await confirm(pilot)
        choose(pilot, way="cancel:memphis")
        await pilot.pause()
        assert "another order" in text(pilot, "preview")  # resume is booked for the site
        s.books.clear()
        app.screen.refresh_view()
        choose(pilot, way="cancel:memphis")
        await pilot.pause()
        preview = text(pilot, "preview")
        assert "not yet built are dropped" in preview and "Sunk" in preview and "not refunded" in preview
        assert await unseen_at_each_size(pilot, "preview", "confirm") == []
        await confirm(pilot)
        assert isinstance(app.screen, ReviewScreen)  # stopping a build is reviewed: no takes nothing
        await pilot.press("n")
        await pilot.pause()
        assert s.book(XAI) == [] and "Not added" in text(pilot, "message")
        await confirm(pilot)
        await accept_review(pilot)
        assert [d.kind for d in s.book(XAI)] == ["cancel_halls"]
        assert np.isfinite(s.preview(XAI).cash_after)


async def test_the_standing_panel_lists_the_orders_for_the_book():
    from textual.app import App

    from game.tui.widgets.standing import StandingPanel

    s = Session.new()
    standing.add(s, standing.run_order(s, XAI, 1e26))

    class Book(App):
        def compose(self):
            yield StandingPanel(s, XAI)

    app = Book()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.query_one(StandingPanel)
        assert "Next run: 1.00e+26 FLOP" in str(panel.render())
        standing.cancel(s, XAI, 0)
        panel.refresh_view()
        await pilot.pause()
        assert "No standing orders" in str(panel.render())
