"""Binding steps are reviewed before they are taken, forms have a key per field and
presets, and the labels say what the figures are: driven as a person would, at 80x24
and at 120x40 (Pilot tests wait for the app to be idle, never for a fixed time)."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Button

from game.play import decisions as dec
from game.play import market, review, risk, views
from game.play.session import Session
from game.play.words.numbers import money, money_down
from game.saves import Offer
from game.tui.app import AgiRaceApp
from game.tui.screens import DealsScreen, MarketScreen
from game.tui.screens.dialogs import ConfirmScreen, ReviewScreen
from tests.tui_helpers import (
    SIZES,
    accept_review,
    choose,
    confirm,
    fill,
    press_button,
    text,
    typed,
    unseen_at_each_size,
)

XAI = 0
SMALL = SIZES[0]  # each flow runs once at 80x24; what must be seen is checked at both sizes


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


def _review_text(pilot) -> str:
    return "\n".join(text(pilot, i) for i in ("review-title", "review-terms", "review-note"))


@pytest.mark.slow  # a whole flow: the long tier
async def test_switching_partner_starts_the_form_again_and_enter_reviews_the_offer():
    """The form kept the last partner's price (and a counter's count); and, the form
    started again for Oracle, enter in a field reviews the offer and sends nothing (y
    sends it)."""
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        await pilot.pause()
        fill(pilot, count="777", price="9.99", weeks="30")
        choose(pilot, site="memphis")
        choose(pilot, partner="coreweave")
        await pilot.pause()
        price, discount = market.list_price(
            s.turn(XAI), "coreweave", str(app.screen.query_one("#gpu").value), 52
        )
        screen = app.screen
        assert screen.query_one("#price").value == f"{np.ceil(price * (1 - discount) * 100 - 1e-9) / 100:.2f}"
        assert (screen.query_one("#count").value, screen.query_one("#weeks").value) == ("20000", "52")
        assert screen.query_one("#site").is_blank()
        assert await unseen_at_each_size(pilot, "partner", "price") == []
        choose(pilot, partner="oracle")  # the form starts again
        await pilot.pause()
        fill(pilot, count="3000", weeks="26", price="3.5")
        patience, contracts = s.world.patience.copy(), s.world.contract_partner.copy()
        app.screen.query_one("#count").focus()
        await pilot.press("enter")  # a field's enter: the review, not the offer
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert await unseen_at_each_size(pilot, "yes", "no", "review-terms") == []  # nothing clipped
        said = _review_text(pilot)
        t = review.rental_terms(s.turn(XAI), Offer(partner="oracle", gpu="H100", count=3000, start=0, weeks=26, price=3.5))  # fmt: skip
        for figure in ("3,000 H100", "$3.50 per GPU-hour", f"{t.end_date:%d %b %Y}", "signed at once"):
            assert figure in said, (figure, said)
        # No arrow or tab puts enter on the send button (a play-tester pressed up, then
        # enter, and sent an offer); enter again, out of habit: back, nothing sent (y sends)
        await pilot.press("up", "left", "right", "tab", "shift+tab", "tab")
        assert app.focused is not None and app.focused.id == "no"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DealsScreen)
        assert np.array_equal(s.world.patience, patience) and np.array_equal(
            s.world.contract_partner, contracts
        )
        assert "nothing changed" in text(pilot, "message")
        await confirm(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert "Oracle" in text(pilot, "message") and s.rounds.get(XAI)


async def test_a_counter_is_reviewed_at_once_and_y_accepts_it():
    """Accepting a counter took Enter (a review of the partner's own terms) and y at every
    counter: its review comes up with the answer, the partner's words first; n leaves the
    terms in the form, where Enter reviews them again."""
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        await pilot.pause()
        choose(pilot, partner="coreweave")  # Oracle rents xAI no more H100 than it has
        await pilot.pause()
        fill(pilot, count="10000", start="0", price="2.0")  # under its list price: a counter
        await confirm(pilot)
        signed = int((s.world.contract_partner[0, XAI] >= 0).sum())
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)  # the counter's review, with the answer
        assert "accept CoreWeave's counter" in text(pilot, "review-title")
        said = text(pilot, "review-terms")
        assert "We can do it at" in said and "10,000 H100" in said, said
        assert "Accept their terms" in str(app.screen.query_one("#yes", Button).label)
        assert await unseen_at_each_size(pilot, "review-title", "review-terms", "yes", "no") == []
        assert int((s.world.contract_partner[0, XAI] >= 0).sum()) == signed
        await pilot.press("n")  # not now: the terms stay in the form
        await pilot.pause()
        assert isinstance(app.screen, DealsScreen)
        assert "not accepted" in text(pilot, "message")
        assert int((s.world.contract_partner[0, XAI] >= 0).sum()) == signed
        app.screen.query_one("#price").focus()
        await pilot.press("enter")  # their terms, reviewed again
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "accept CoreWeave's counter" in text(pilot, "review-title")
        await pilot.press("y")
        await pilot.pause()
        assert "Deal." in text(pilot, "message")
        assert await unseen_at_each_size(pilot, "message") == []
        assert int((s.world.contract_partner[0, XAI] >= 0).sum()) == signed + 1


async def test_the_loans_preview_review_confirmation_and_book_name_one_rate():
    """The loan preview said 8% and its confirmation 14%."""
    s = Session.new()
    s.decide(XAI, dec.BuyGpus("H100", "dell", 10000), confirmed=True)  # GPUs to borrow against
    s.end_week()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await pilot.pause()
        choose(pilot, what="borrow")
        usd = views.money_view(s.turn(XAI)).credit * 0.8
        fill(pilot, amount=f"{usd / 1e6:.0f}M")
        await pilot.pause()
        rate = f"{review.loan_terms(s.turn(XAI), round(usd / 1e6) * 1e6).rate:.1%}"
        assert (
            rate != f"{views.money_view(s.turn(XAI)).interest_rate:.1%}"
        )  # the leverage it leaves costs more
        assert f"{rate} a year" in text(pilot, "preview")
        assert await unseen_at_each_size(pilot, "preview") == []
        # the headline names both ends: today's rate and the rate of borrowing it all (a
        # play-tester read 8.0% there and 14.0% on the review)
        m = views.money_view(s.turn(XAI))
        top = review.loan_terms(s.turn(XAI), m.credit).rate
        said = " ".join(text(pilot, "money-state").split())
        assert f"{m.interest_rate:.1%} a year at today's leverage, {top:.1%} if you borrow it all" in said, said
        await confirm(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert await unseen_at_each_size(pilot, "yes", "no") == []
        assert f"at {rate} a year" in _review_text(pilot)
        # what the next GPU generation does to the leverage the loan leaves (a play-tester
        # learnt it only once the lenders swept cash)
        t = review.loan_terms(s.turn(XAI), round(usd / 1e6) * 1e6)
        cov = risk.covenant_health(s.turn(XAI))  # (the GPUs on order delivered by then count too)
        assert t.next_gen_date == cov.next_gen_date is not None
        assert t.leverage_next_gen == pytest.approx(t.debt_after / cov.collateral_after)
        assert f"ships ({t.next_gen_date:%d %b %Y})" in _review_text(pilot)
        assert f"leverage {t.leverage_next_gen:.0%}" in _review_text(pilot)
        await pilot.press("y")
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen):  # a low-runway question
            await pilot.press("y")
            await pilot.pause()
        assert f"{rate} a year" in text(pilot, "message")
        assert any(isinstance(d, dec.Borrow) for d in s.book(XAI))


@pytest.mark.slow  # a whole flow: the long tier
async def test_an_amendment_keeps_the_contract_the_player_chose():
    """After a deal, 'amend the selected contract' silently re-targeted contract 0."""
    s = Session.new()
    price, _ = market.list_price(s.turn(XAI), "coreweave", "H100", 26)
    s.offer(XAI, Offer(partner="coreweave", gpu="H100", count=1000, start=0, weeks=26, price=round(price * 1.3, 2)))  # fmt: skip
    second = views.contracts_view(s.turn(XAI))[1]
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        await pilot.pause()
        table = app.screen.query_one("#contracts")
        table.focus()
        await pilot.press("down")  # the player picks the second contract
        await pilot.pause()
        assert f"contract {second.slot}" in str(app.screen.query_one("#amend-target").render())
        assert app.screen.query_one("#more-price").value == f"{second.price:.2f}"
        assert await unseen_at_each_size(pilot, "amend-target") == []
        choose(pilot, partner="coreweave")
        await pilot.pause()
        fill(pilot, count="1000", price=f"{price * 1.3:.2f}", weeks="26")
        await confirm(pilot)  # another deal: the table is refilled
        await pilot.press("y")
        await pilot.pause()
        assert len(views.contracts_view(s.turn(XAI))) == 3
        assert f"contract {second.slot}" in str(app.screen.query_one("#amend-target").render())
        fill(pilot, **{"more-gpus": "0", "more-weeks": "4", "more-price": f"{second.price * 1.5:.2f}"})
        await press_button(pilot, "amend")
        assert f"amend your {second.gpu} contract" in text(pilot, "review-title")
        await pilot.press("y")
        await pilot.pause()
        ends = {c.slot: c.end_date for c in views.contracts_view(s.turn(XAI))}
        assert (
            ends[second.slot] > second.end_date
            and ends[0] == views.contracts_view(Session.new().turn(XAI))[0].end_date
        )


async def test_presets_and_field_keys_fill_the_market_form():
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("alt+a")  # the most the cash buys
        await pilot.pause()
        n = market.affordable(s.turn(XAI), "H100", "dell")
        assert app.screen.query_one("#count").value == str(n) and n > 0
        await confirm(pilot)
        if isinstance(app.screen, ConfirmScreen):  # it leaves little runway: asked first
            await pilot.press("y")
            await pilot.pause()
        assert [d.kind for d in s.book(XAI)] == ["order"]  # affordable: the book takes it
        await pilot.press("alt+h")  # no empty powered halls at the start: says so, changes nothing
        await pilot.pause()
        assert "powered halls are spoken for" in text(pilot, "message")
        assert await unseen_at_each_size(pilot, "message", "count") == []
        vendor = app.screen.query_one("#vendor")
        before = vendor.value
        await pilot.press("alt+i", "s", "u")  # a list's key: its first letters choose, closed
        assert app.focused is vendor and not vendor.expanded and vendor.value == "supermicro" != before
        await pilot.press("enter")  # the form's last field: Enter adds the order, as in a number field
        await pilot.pause()
        said = text(pilot, "message")  # (the cash went on the first: refused, and why)
        assert "via Supermicro" in said and not vendor.expanded, said
        await pilot.press("alt+i", "down")  # Down opens it, as before: an arrow and Enter choose
        await pilot.pause()
        assert vendor.expanded and app.focused in vendor.walk_children()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert vendor.value not in (before, "supermicro") and not vendor.expanded and app.focused is vendor
        await pilot.press("down", "escape")  # Esc closes an open list; the form stays
        await pilot.pause()
        assert not vendor.expanded and isinstance(app.screen, MarketScreen)
        await pilot.press("alt+i", "alt+c")  # another field's key
        await pilot.pause()
        assert app.focused is app.screen.query_one("#count") and not vendor.expanded


async def test_keys_typed_together_act_in_the_order_typed():
    """A tester's "s alt+s Da Enter alt+m 100 Enter" built 100 MW at Memphis: the keys
    that Textual runs at once (a field's alt+letter, Esc, a screen's key) overtook the
    letters on their way to the site list. Pressed here without a pause between them."""
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await typed(pilot, "s", "alt+s", "D", "a", "enter", "alt+m", "1", "2", "0", "enter")  # one order's keys
        await typed(pilot, "escape", "m", "alt+g", "h", "2", "alt+c", "3", "0", "0", "0", "alt+i", "s", "u", "enter")
        assert s.book(XAI) == [dec.BuildHalls("dallas", 120.0), dec.BuyGpus("H200", "supermicro", 3000)]
        assert isinstance(app.screen, MarketScreen)


async def test_fits_the_halls_counts_the_empty_powered_halls():
    s = Session.new()
    w = s.world
    import attrs

    s.world = attrs.evolve(w, warehouse=np.zeros_like(w.warehouse), order_count=np.zeros_like(w.order_count))
    room = market.empty_powered_mw(s.turn(XAI))
    assert room > 0
    n = market.fits_halls(s.turn(XAI), "H100")
    assert n * 1.5 / 1000 <= room < (n + 1) * 1.5 / 1000 + 1e-9  # 1.5 kW all-in per H100


async def test_all_of_a_partners_free_capacity():
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        await pilot.pause()
        choose(pilot, partner="coreweave")  # Oracle rents xAI no more H100 than it has
        await pilot.pause()
        await pilot.press("alt+l")
        await pilot.pause()
        free = review.partner_free(s.turn(XAI), "coreweave", "H100", s.week)
        assert app.screen.query_one("#count").value == str(free) and free > 0
        await confirm(pilot)
        await pilot.press("y")
        await pilot.pause()
        await accept_review(pilot)  # taking all it has free fills its pool: it asks more, a counter
        said = text(pilot, "message")
        assert "Deal." in said, said
        assert await unseen_at_each_size(pilot, "message", restore=False) == []


async def test_the_book_says_a_signed_deal_is_not_in_it():
    s = Session.new()
    price, _ = market.list_price(s.turn(XAI), "oracle", "H100", 26)
    s.offer(XAI, Offer(partner="oracle", gpu="H100", count=1000, start=0, weeks=26, price=round(price * 1.3, 2)))  # fmt: skip
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("b")
        await pilot.pause()
        said = text(pilot, "totals")
        assert "Talks with partners this week: 1" in said and "signed at once" in said
        assert await unseen_at_each_size(pilot, "totals", restore=False) == []


@pytest.mark.slow
async def test_the_training_sites_and_money_screens_say_what_their_figures_are():
    """One new game at 80x24 (each figure checked at both sizes): the training preview's
    band and what a run uses, the sites table's build pace, a loan lenders would refuse
    (no review), and a round reviewed with its price, dilution and date."""
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        # the training preview shows a band and what a run uses
        await pilot.press("t")
        await pilot.pause()
        said = text(pilot, "preview")
        assert "+-" not in said and "research adds" not in said
        assert "9 in 10 runs" in said and "keeps the software level it starts with" in said
        v = views.lab_view(s.turn(XAI))  # the start's warehouse and orders: the ETA is today's compute
        assert f"of training at today's compute (with this week's split; sooner as your {v.warehouse + v.on_order:,} GPUs on their way go in)" in said
        assert "9 in 10 runs" in text(pilot, "run-list")  # the run under way, too
        assert await unseen_at_each_size(pilot, "preview") == []
        await pilot.press("escape")
        await pilot.pause()

        # the sites table shows build pace
        await pilot.press("s")
        await pilot.pause()
        table = app.screen.query_one("#site-table")
        assert "MW/wk" in [str(c.label) for c in table.columns.values()]
        memphis = [str(x) for x in table.get_row("memphis")]
        assert memphis[-1] == "9"  # Memphis's crews: 9 MW of halls a week
        assert "MW/wk: halls built a week" in str(app.screen.query_one(".hint").render())
        assert await unseen_at_each_size(pilot, "site-table") == []
        await pilot.press("escape")
        await pilot.pause()

        # a loan lenders would refuse says why, without a review
        await pilot.press("c")
        await pilot.pause()
        choose(pilot, what="borrow")
        fill(pilot, amount=f"{views.money_view(s.turn(XAI)).credit * 2 / 1e9:.1f}B")
        await confirm(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        assert "lenders will lend" in text(pilot, "message") and s.book(XAI) == []
        assert await unseen_at_each_size(pilot, "message") == []
        await pilot.press("escape")
        await pilot.pause()

        # a round is reviewed with its price, dilution and date (the money screen afresh)
        await pilot.press("c")
        await pilot.pause()
        fill(pilot, amount="2B")
        await confirm(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert await unseen_at_each_size(pilot, "review-terms", "yes", "no") == []
        t = review.round_terms(s.turn(XAI), 2e9)
        said = _review_text(pilot)
        assert f"{t.share_after:.1%}" in said and f"{t.cash_date:%d %b %Y}" in said and "walk away" in said
        # the walk-away line in figures, from the value on its merits (not the pre-money: a
        # play-tester read "$103B pre-money" here and "12% below the $111B" on the alert)
        line = money_down(t.merits * (1 - t.walk_away))
        assert f"({money(t.merits)} today, not the pre-money)" in said and f"under {line}" in said, said
        await pilot.press("n")
        await pilot.pause()
        assert s.book(XAI) == []
        await confirm(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert [d.kind for d in s.book(XAI)] == ["raise"]


async def test_a_preset_typed_after_a_choice_fills_for_that_choice():
    """A tester's "alt+g h Enter alt+h" (H100, then fill the halls) filled the count for
    the GPU chosen before: the preset ran ahead of the letters."""
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("m")
        await typed(pilot, "alt+g", "a", "1", "enter", "alt+a")  # A100, then the most the cash buys
        assert app.screen.query_one("#gpu").value == "A100"
        n = market.affordable(s.turn(XAI), "A100", str(app.screen.query_one("#vendor").value))
        assert app.screen.query_one("#count").value == str(n)
