"""The order book's rows are whole at 80x24: a long decision (a site with a long name, a
split with its note) wraps inside its row instead of running off the screen behind a
horizontal scroll bar."""

from __future__ import annotations

from textual.widgets import DataTable

from game.play import decisions as dec
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import BookScreen
from tests.tui_helpers import SIZES, unseen_at_each_size


async def test_every_book_row_is_readable_without_scrolling_sideways():
    s = Session.new(humans=("xai",), seed=1)
    for d in (
        dec.BuyGpus("H100", "supermicro", 2_500),
        dec.BuildHalls("dallas", 50),
        dec.UpgradeSubstation("dallas"),
        dec.OrderTurbines("southaven", 30),
        dec.SetSplit(0.5, 0.3, 0.2),
    ):
        s.decide(0, d, confirmed=True)
    labels = [d.label(s.params) for d in s.book(0)]
    assert max(len(x) for x in labels) > 60  # wider than the room a decision has at 80 columns
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookScreen)
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            table = app.screen.query_one("#book", DataTable)
            assert table.max_scroll_x == 0, (width, table.virtual_size, table.size)
            assert table.virtual_size.width <= table.scrollable_content_region.width, width
            for i, label in enumerate(labels):  # each row keeps its whole decision
                assert table.get_row_at(i)[-1] == label
            decision = list(table.columns.values())[-1]
            tall = [table.rows[k].height for k in table.rows]
            for label, rows in zip(labels, tall, strict=True):  # a row as tall as its wrapped text
                assert rows * decision.width >= len(label), (width, label, rows, decision.width)
        assert max(tall) == 1  # at 120 columns every decision fits on its line
        assert await unseen_at_each_size(pilot, "book") == []
        await pilot.press("x")  # cancel the first: the rest are still whole
        await pilot.pause()
        assert app.screen.query_one("#book", DataTable).row_count == len(labels) - 1
