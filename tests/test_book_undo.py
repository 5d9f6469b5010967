"""The order book forgives a slip of the finger: End goes to the last decision (it used to
scroll sideways and leave the highlight on the first), and u brings back what x just
cancelled, with the decisions the cancel took with it. A play-tester pressed End then x,
cancelled a $25B round instead of the last row, and had to fill in the round again."""

from __future__ import annotations

from textual.widgets import DataTable

from game.play import decisions as dec
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import BookScreen
from tests.tui_helpers import SIZES, text, unseen_at_each_size


def booked() -> Session:
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    for d in (
        dec.Borrow(1.0e9),
        dec.BuyGpus("H100", "supermicro", 80_000),  # more than the cash alone pays: the loan pays for it
        dec.SetSplit(0.5, 0.3, 0.2),
    ):
        s.decide(0, d, confirmed=True)
    return s


async def test_end_goes_to_the_last_decision_and_home_to_the_first():
    s = booked()
    kinds = [d.kind for d in s.book(0)]
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookScreen)
        table = app.screen.query_one("#book", DataTable)
        for width, height in SIZES:  # the same keys at each size
            await pilot.resize_terminal(width, height)
            await pilot.press("home")
            await pilot.pause()
            assert table.cursor_row == 0
            await pilot.press("end")
            await pilot.pause()
            assert table.cursor_row == table.row_count - 1 == len(s.book(0)) - 1
        await pilot.press("x")  # the last row goes, as the player meant
        await pilot.pause()
        assert [d.kind for d in s.book(0)] == kinds[:-1]
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0


async def test_u_brings_back_a_cancelled_decision_and_what_it_took_with_it():
    s = booked()
    whole = s.book(0)
    cash_after = s.preview(0).cash_after
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("b")
        await pilot.pause()
        table = app.screen.query_one("#book", DataTable)
        await pilot.press("x")  # the loan: the order it paid for goes with it
        await pilot.pause()
        said = text(pilot, "message")
        assert said.startswith("Cancelled: Borrow") and "also cancelled" in said, said
        assert "(u brings it back)" in said
        assert len(s.book(0)) == 1 and table.row_count == 1
        await pilot.press("u")
        await pilot.pause()
        said = text(pilot, "message")
        assert said.startswith("Booked again: Borrow") and "Buy 80,000 H100" in said, said
        assert sorted(map(repr, s.book(0))) == sorted(map(repr, whole))  # the same decisions
        assert abs(s.preview(0).cash_after - cash_after) < 1  # and the same cash after them
        assert table.row_count == 3 and table.cursor_row == 2
        await pilot.press("u")  # once: there is nothing more to bring back
        await pilot.pause()
        assert text(pilot, "message") == "No cancelled decision to bring back this week."
        assert len(s.book(0)) == 3
        assert await unseen_at_each_size(pilot, "book", "message") == []


async def test_a_cancel_is_not_undone_into_the_next_week():
    s = booked()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[1]) as pilot:
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("end", "x")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")  # the week is played without the split
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert s.week == 1
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert s.book(0) == []
        assert text(pilot, "message") == "No cancelled decision to bring back this week."
