"""What the last play-test at 80x24 found, each checked at 80x24 and 120x40 (each flow runs
once at 80x24; what must be seen is checked at both sizes by resizing the same app): a partner's
limits on the deals screen before an offer, rentals only of GPUs a partner can supply,
the money screen's answer in sight and Esc saying what it dropped, dropdowns above the
footer, the odds' styles explained and its rows aligned, a short save notice, and the
ledger's bars for a figure below zero."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Footer, Select

from game.play import market
from game.play.session import Session
from game.saves import user_dir
from game.tui.app import AgiRaceApp
from game.tui.format import money, mw_down
from game.tui.screens import DealsScreen, FinanceScreen, ForecastScreen, HQScreen, TitleScreen
from game.tui.widgets.charts import BLOCKS, FlowChart
from tests.tui_helpers import SIZES, choose, confirm, text, unseen_at_each_size

SMALL = SIZES[0]
XAI = 0


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


@pytest.mark.slow
@pytest.mark.long
async def test_the_deals_screen_shows_a_partners_limits_and_only_the_gpus_it_can_supply():
    """One new game's deals screen at 80x24: a partner's limits before an offer, only the
    GPUs each partner can supply this week, and the sites dropdown (its form started
    again for Oracle) opening above the footer at both sizes."""
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, DealsScreen)
        assert await unseen_at_each_size(pilot, "partner-facts") == []
        facts = " ".join(text(pilot, "partner-facts").split())
        # Oracle's H100 in July 2024 (assets/partners.toml): a 40,000 pool, 60% to one
        # customer, and xAI's 24,000 already rented there: nothing free for it
        assert "Oracle's H100 pool now: 40,000; one customer may hold 60% of it (24,000)" in facts
        assert "free for you: 0 (you rent 24,000 now)" in facts
        assert "~3,000 a week (7 weeks for 20,000: start in 7 or later)" in facts and "1.3x the GPUs' power" in facts
        choose(pilot, site="memphis")
        await pilot.pause()
        memphis = next(r for r in market.site_rows(app.session.turn(XAI)) if r.id == "memphis")
        assert f"Memphis has {mw_down(memphis.grid_free_mw)} of grid free (your halls do not count)" in " ".join(
            text(pilot, "partner-facts").split()
        )
        choose(pilot, partner="coreweave")
        await pilot.pause()
        assert "CoreWeave's" in text(pilot, "partner-facts") and "(you rent" not in text(
            pilot, "partner-facts"
        )
        # only the GPUs a partner can supply this week
        turn = app.session.turn(XAI)
        p = turn.params
        selling = {r.id: r.on_sale for r in market.market_rows(turn)}
        assert not selling["VR200"] and not selling["FEYNMAN"]  # not on sale in July 2024
        for k, partner in enumerate(p.partner_ids):
            choose(pilot, partner=partner)
            await pilot.pause()
            offered = [
                str(v) for _, v in app.screen.query_one("#gpu", Select)._options if v is not Select.NULL
            ]
            assert offered, partner
            assert "VR200" not in offered and "FEYNMAN" not in offered, (partner, offered)
            for gpu in offered:
                g = p.gpu_ids.index(gpu)
                assert p.partner_price[k, g] > 0 and (p.partner_capacity[0, k, g] > 0 or selling[gpu])
        assert await unseen_at_each_size(pilot, "partner", "gpu") == []
        # a dropdown near the bottom stays above the footer
        choose(pilot, partner="oracle")  # the form starts again
        await pilot.pause()
        select = app.screen.query_one("#site", Select)
        for width, height in SIZES:  # where the overlay opens depends on the terminal's height
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            select.focus()
            await pilot.pause()
            await pilot.press("down")  # (Enter goes on to the next field)
            await pilot.pause()
            assert select.expanded, (width, height)
            overlay = select.query_one("SelectOverlay")
            footer = app.screen.query_one(Footer)
            assert overlay.region.height > 0 and overlay.region.bottom <= footer.region.y, (width, height)
            await pilot.press("escape")
            await pilot.pause()
            assert not select.expanded


@pytest.mark.slow
async def test_the_money_screens_answer_is_in_sight_and_esc_says_what_it_dropped():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, FinanceScreen)
        choose(pilot, what="borrow")
        await pilot.pause()
        app.screen.query_one("#amount").focus()
        app.screen.query_one("#amount").value = ""
        await pilot.press(*"99T")  # more than lenders lend: refused, and the reason is in sight
        await pilot.pause()
        await confirm(pilot)
        assert "lend" in text(pilot, "message")
        # the form above the P&L: the answer in sight, beside the preview and the button
        assert await unseen_at_each_size(pilot, "message", "preview", "confirm") == []
        assert app.session.book(XAI) == []
        app.screen.query_one("#amount").focus()
        app.screen.query_one("#amount").value = ""
        await pilot.press(*"500M")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HQScreen)
        note = f"Not added: Borrow {money(500e6)} against your GPUs (you left before adding it)."
        assert note in text(pilot, "note") and not app._notifications  # a line, not a toast over the screen
        assert app.session.book(XAI) == []
        await pilot.press("c")  # untouched, Esc says nothing new
        await pilot.press("escape")
        await pilot.pause()
        assert note in text(pilot, "note") and not app._notifications
        await pilot.press("c")  # what was refused, then Esc: the refusal said it, leaving says nothing
        choose(pilot, what="borrow")
        await pilot.pause()
        app.screen.query_one("#amount").focus()
        app.screen.query_one("#amount").value = ""
        await pilot.press(*"99T")
        await confirm(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert "99.0T" not in text(pilot, "note") and not app._notifications


async def test_the_odds_explain_the_styles_and_align_their_rows(monkeypatch):
    monkeypatch.setattr(ForecastScreen, "FUTURES", 12)
    monkeypatch.setattr(ForecastScreen, "HORIZON", 8)
    monkeypatch.setattr(ForecastScreen, "WORKERS", 1)
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = text(pilot, "odds")
        flat = " ".join(shown.split())
        assert "OpenAI partner" in flat and "partner: rents from clouds first" in flat
        assert "builder: buys GPUs and builds its own halls" in flat
        rows = [line for line in shown.splitlines() if " wins " in line]
        assert len(rows) == app.session.params.n_labs
        assert len({r.index(" wins ") for r in rows}) == 1  # Google DeepMind's name no longer pushes its row
        assert len({r.index("%) ") for r in rows}) == 1  # nor the band its bar
        assert await unseen_at_each_size(pilot, "odds", restore=False) == []


async def test_the_save_notice_names_the_file_and_the_save_list_the_folder(home):
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        note = app.screen.query_one("#note")
        said = str(note.render())
        assert said.startswith("Saved: ") and not app._notifications  # on the dashboard, not over it
        name = said.removeprefix("Saved: ")
        assert "/" not in name and (user_dir() / name).is_file()
        for width, height in SIZES:  # the name on one line, within the terminal
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert note.region.height == 1 and note.region.right <= width, width
    app = AgiRaceApp()
    async with app.run_test(size=SMALL) as pilot:
        assert isinstance(app.screen, TitleScreen)
        assert str(user_dir()) in text(pilot, "saves-folder")  # the words, whatever the size


class Chart(App):
    def compose(self) -> ComposeResult:
        yield FlowChart([("cash", [100e6, 50e6, -20e6, -80e6])], money, levels=("cash",), id="chart")


async def test_a_cash_level_below_zero_reads_lower_and_in_the_error_colour():
    app = Chart()
    async with app.run_test(size=SMALL) as pilot:
        for width, height in SIZES:  # the chart is drawn to the width it is given
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            shown = app.query_one(FlowChart).render()
            line = shown.plain
            bars = [c for c in line if c in BLOCKS[1:]]
            heights = [BLOCKS.index(c) for c in bars]
            assert heights == sorted(heights, reverse=True) and heights[0] == 8 and heights[-1] == 1, (
                width
            )  # deeper is lower
            assert line.rstrip().endswith("-$80.0M"), width
            red = {line[s.start : s.end] for s in shown.spans if "error" in str(s.style)}
            assert "-$80.0M" in red and len([c for c in "".join(red) if c in BLOCKS]) == 2, (
                width
            )  # the two weeks below zero
