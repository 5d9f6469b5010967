"""Number fields check what is typed as it is typed: the field turns red (Input's -invalid
style) and one line says what is wrong, in the words a submit refuses with; the ranges are
the one table of limits'."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from game.play import decisions
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import FinanceScreen, MarketScreen, SitesScreen, TitleScreen
from tests.tui_helpers import SIZES, choose, confirm, text, unseen_at_each_size

XAI = 0


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


async def type_into(pilot, widget_id: str, typed: str) -> Input:
    """Clear a field and type into it key by key, as a player does."""
    field = pilot.app.screen.query_one(f"#{widget_id}", Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*typed)
    await pilot.pause()
    return field


@pytest.mark.slow
async def test_fields_refuse_as_typed_and_a_good_count_clears_the_refusal():
    """One new game at 80x24 (what is seen checked at both sizes): a loan below a million
    is refused in dollars; words and fractions are refused as typed; a count over the
    limit shows before submit and a good one clears it."""
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, FinanceScreen)
        field = await type_into(pilot, "amount", "500k")
        assert field.has_class("-invalid") and text(pilot, "preview") == "amount: at least $1.0M"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")
        assert isinstance(app.screen, MarketScreen)
        field = await type_into(pilot, "count", "2.5")
        assert field.has_class("-invalid") and text(pilot, "preview") == "count: a whole number"
        field = await type_into(pilot, "count", "kk")
        assert field.has_class("-invalid") and text(pilot, "preview") == "count: type a number (got 'kk')"
        field = await type_into(pilot, "count", "20000000")
        limit = f"count: at most {decisions.MAX_ORDER_GPUS:,} GPUs"
        assert field.has_class("-invalid")
        assert text(pilot, "preview") == limit  # shown before any submit
        assert app.session.book(XAI) == []
        await confirm(pilot)  # a submit refuses with the same words
        assert text(pilot, "message") == limit
        assert await unseen_at_each_size(pilot, "message", "preview", "count") == []
        assert app.session.book(XAI) == []
        field = await type_into(pilot, "count", "2k")
        assert not field.has_class("-invalid")
        assert "count:" not in text(pilot, "preview") and "2,000" in text(pilot, "preview")
        await confirm(pilot)
        assert [d.count for d in app.session.book(XAI)] == [2000]  # type: ignore[attr-defined]


async def test_the_sites_range_follows_what_is_built():
    """Halls take at most MAX_BUILD_MW a week, turbines MAX_TURBINE_MW: picking turbines
    makes 50,000 MW good, picking halls again makes it wrong."""
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SitesScreen)
        field = await type_into(pilot, "mw", "50000")
        assert field.has_class("-invalid")
        assert text(pilot, "preview") == f"megawatts: at most {decisions.MAX_BUILD_MW:,.0f} MW"
        choose(pilot, what="turbines")
        await pilot.pause()
        assert not field.has_class("-invalid") and "of turbines" in text(pilot, "preview")
        choose(pilot, what="halls")
        await pilot.pause()
        assert field.has_class("-invalid")


async def test_the_seed_may_be_left_empty_but_not_be_a_fraction():
    app = AgiRaceApp()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        field = await type_into(pilot, "seed", "1.5")
        assert field.has_class("-invalid") and text(pilot, "title-error") == "seed: a whole number"
        field = await type_into(pilot, "seed", "")
        assert not field.has_class("-invalid") and text(pilot, "title-error") == ""
