"""What the player is told, and when: money risks before they strike, alerts by kind,
fast-forward to something the player can act on, the week summary, the news log's two
parts, the ledger, the guide's window, and the save that says what it leaves out. Pilot
tests at 80x24 and 120x40 wait for the app to be idle, never for a fixed time."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from textual.widgets import Static

from game.engine import economy
from game.engine.state import RUN_PRETRAIN
from game.play import decisions as dec
from game.play import guide, intel, news, risk
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import HQScreen, LedgerScreen, NewsScreen
from tests.tui_helpers import SIZES, text, unseen_at_each_size, visible

XAI, OPENAI = 0, 1
SMALL = SIZES[0]  # each flow runs once at 80x24; what must be seen is checked at both sizes


def _set(s: Session, **fields: object) -> None:
    """Give lab XAI these values of the world's fields."""
    w = s.world
    changed = {}
    for name, value in fields.items():
        a = np.array(getattr(w, name), copy=True)
        a[0, XAI] = value
        changed[name] = a
    s.world = attrs.evolve(w, **changed)


# ----------------------------------------------------------------- risks ahead
def test_a_round_near_the_walk_away_line_is_an_alert_with_its_figures():
    s = Session.new("2024-07-colossus")
    value = float(economy.fundamental_value(s.params, s.world)[0, XAI])
    walk = s.params.rules.finance.round_walk_away
    # investors agreed when the lab was worth a little more than now: 2% above the line
    basis = value / (1.0 - walk) / 1.02
    _set(s, round_usd=3e9, round_basis=basis, round_pre=2e10, round_close=s.week + 4)
    health = risk.round_health(s.turn(XAI))
    assert health is not None and health.at_risk and 0 < health.margin < risk.ROUND_RISK_MARGIN
    alert = next(a for a in intel.alerts(s.turn(XAI)) if a.key == "round-risk")
    assert "walk-away" in alert.text and "$3.00B" in alert.text and alert.screen == "finance"
    # the player cannot make investors stay, but can plan without their money (borrow,
    # spend less): fast-forward stops for it (a play-test lost a $1.6B round unwarned)
    assert alert.actionable and "borrow" in alert.hint
    _set(s, round_basis=value)  # agreed at today's value: 12% of room
    assert not any(a.key == "round-risk" for a in intel.alerts(s.turn(XAI)))


def test_a_covenant_a_new_generation_would_trip_is_an_alert_before_it_ships():
    s = Session.new("2024-07-colossus")
    cov = risk.covenant_health(s.turn(XAI))
    assert cov.next_gen_date is not None and cov.leverage_after < cov.leverage or cov.debt == 0
    collateral = cov.collateral
    after = collateral * (cov.leverage_after / cov.leverage if cov.leverage else 1.0)
    # debt that is under the covenant today and over it once the next generation ships
    p = s.params
    health = None
    for debt in np.linspace(0.5, 0.65, 16) * collateral:
        _set(s, debt=debt)
        health = risk.covenant_health(s.turn(XAI))
        if health.next_gen_date is not None and health.leverage_after > health.trigger > health.leverage:
            break
    assert health is not None and not health.in_breach
    assert health.at_risk
    alert = next(a for a in intel.alerts(s.turn(XAI)) if a.key == "covenant-risk")
    assert alert.actionable and alert.screen == "finance"
    assert f"{health.trigger:.0%}" in alert.text and health.next_gen in alert.text
    assert after > 0 and p.rules.finance.covenant_ltv == health.trigger


def test_runway_counts_a_closing_round_and_ends_what_ends():
    s = Session.new("2024-07-colossus")
    before = risk.runway_weeks(s.turn(XAI))
    engine = float(economy.runway_weeks(s.params, s.world)[0, XAI])
    assert before >= engine  # halls being built stop costing when they are done
    _set(s, cash=2e8, round_usd=5e9, round_close=s.week + 3, round_basis=1.0)
    p = s.params
    no_round = attrs.evolve(s.world, round_usd=np.zeros_like(s.world.round_usd))
    assert risk.runway_weeks(s.turn(XAI)) > risk.runway_weeks(s.turn(XAI), no_round)
    proj = risk.projection(s.turn(XAI))
    assert proj.round_counted == 5e9 and proj.money[3] - proj.money[2] > 4e9
    assert p is s.params


# ----------------------------------------------------------------- alert kinds
def _rival_about_to_win(s: Session) -> None:
    w = s.world
    flop, done, phase = w.run_flop.copy(), w.run_done.copy(), w.run_phase.copy()
    phase[0, OPENAI, 0], flop[0, OPENAI, 0], done[0, OPENAI, 0] = RUN_PRETRAIN, 1e31, 1e31 - 1e23
    s.world = attrs.evolve(w, run_phase=phase, run_flop=flop, run_done=done)


def test_alerts_carry_their_kind_and_screen_as_fields():
    s = Session.new("2024-07-colossus")
    _rival_about_to_win(s)
    found = {a.key: a for a in intel.alerts(s.turn(XAI))}
    rival = found[f"rival-run:{OPENAI}"]
    assert rival.severity == "error" and not rival.actionable and rival.screen == "rivals"
    assert found["no-run"].actionable and found["no-run"].screen == "training"
    for a in found.values():  # no key hint in the text: the screens add it from `screen`
        assert not a.text.rstrip().endswith(")") or "(" not in a.text.rsplit(" ", 1)[-1]
    step = guide.next_step(s.turn(XAI))
    assert step is not None and step.screen == "training" and "(t" not in step.what


async def test_fast_forward_is_not_refused_over_what_the_player_cannot_act_on():
    s = Session.new("2024-07-colossus")
    s.decide(XAI, dec.StartRun(1e26))
    s.end_week()  # a run under way
    _rival_about_to_win(s)
    assert any(a.severity == "error" and not a.actionable for a in intel.alerts(s.turn(XAI)))
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        start = s.week
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert s.week > start  # it ran (a rival's run is not the player's to fix)
        assert await unseen_at_each_size(pilot, "summary", restore=False) == []


async def test_fast_forward_to_act_plays_until_an_actionable_alert():
    s = Session.new("2024-07-colossus")
    s.decide(XAI, dec.StartRun(1e26))
    s.end_week()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        start = s.week
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        played = s.week - start
        assert played >= 1
        summary = text(pilot, "summary")
        reasons = [a.text[:30] for a in intel.alerts(s.turn(XAI)) if a.actionable]
        assert s.over or played == 52 or any(r in summary.replace("\n", " ") for r in reasons), summary
        assert summary.startswith("Week") and "\nFast-forward: " in summary
        assert await unseen_at_each_size(pilot, "summary") == []
        shown = {b.binding.key: b.binding.description for b in app.active_bindings.values() if b.binding.show}
        assert shown.get("a") == "FFwd-act"  # in the footer


# ----------------------------------------------------------------- the week told
@pytest.mark.slow  # a whole flow: the long tier
async def test_the_week_summary_stays_until_dismissed_and_the_ledger_charts_money_over_the_game():
    """The week summary stays until dismissed and no toast covers the screen; two weeks
    on, the ledger charts money over the game and the runway projection."""
    app = AgiRaceApp(session=Session.new("2024-07-colossus"))
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert not app._notifications  # the week's news is in the summary, not in toasts
        summary = text(pilot, "summary")
        assert summary.startswith("Week 0")
        assert await unseen_at_each_size(pilot, "summary") == []
        said = news.week_summary(app.session.news, XAI, 0)
        assert (
            said
            and said[0].text in summary.replace("\n", " ").replace("  ", " ")
            or said[0].text[:30] in summary
        )
        await pilot.press("b")  # the order book: the summary is the dashboard's, not over it
        await pilot.pause()
        assert not app.screen.query("#summary")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HQScreen)
        assert visible(pilot, "summary")  # still there (its layout at both sizes is checked above)
        await pilot.press("w")
        await pilot.pause()
        assert not app.screen.query_one("#summary").display
        for _ in range(2):  # three weeks played in all
            await pilot.press("n")
            await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, LedgerScreen)
        for width, height in SIZES:  # drawn again for the terminal's width
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            chart = str(app.screen.query_one("#ledger-chart").render())
            assert "cash" in chart and "revenue in" in chart and "people out" in chart
            assert all(len(line) <= width for line in chart.splitlines())
            assert app.screen.query_one(".form").max_scroll_x == 0  # no horizontal scrollbar
        note = text(pilot, "projection-note")
        assert note.startswith("Runway ")
        assert await unseen_at_each_size(pilot, "ledger-chart", restore=False) == []


async def test_the_news_log_puts_the_players_lab_apart_from_every_labs_rentals():
    s = Session.new("2024-07-colossus")
    for _ in range(8):
        s.end_week()
    rentals = [n for n in s.news if n.kind == news.RENTAL and n.lab != XAI]
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, NewsScreen)
        mine, others = text(pilot, "log"), text(pilot, "others")
        for n in rentals:
            assert n.text[:40] not in mine
        assert all(n.text[:20] in others.replace("\n", " ") for n in rentals[:3])
        assert "installed" in mine or "delivered" in mine
        assert await unseen_at_each_size(pilot, "log", restore=False) == []


# ----------------------------------------------------------------- money history
async def test_the_money_screen_shows_the_round_and_the_covenant_with_a_forecast():
    s = Session.new("2024-07-colossus")
    value = float(economy.fundamental_value(s.params, s.world)[0, XAI])
    _set(s, round_usd=3e9, round_basis=value, round_pre=2e10, round_close=s.week + 4)
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await pilot.pause()
        said = str(app.screen.query_one("#risk", Static).render())
        assert "Round" in said and "walk-away" in said and "Covenant" in said
        assert await unseen_at_each_size(pilot, "risk", restore=False) == []


# ----------------------------------------------------------------- guide and saves
def test_the_guide_counts_its_weeks_from_the_games_start_after_a_load(tmp_path):
    s = Session.new("2024-07-colossus")
    for _ in range(guide.GUIDE_WEEKS):
        s.end_week()
    path = s.save(tmp_path / "late.toml")
    loaded = Session.load(path)
    assert guide.game_start(loaded.turn(loaded.human_labs[0])) == 0
    assert guide.next_step(loaded.turn(XAI)) is None  # the 16 weeks are over, loaded or not


async def test_the_save_list_names_saves_fits_and_deletes_after_asking():
    from game.saves import user_dir

    first = Session.new("2024-07-colossus")
    first.end_week()
    kept = first.save()
    other = Session.new("2024-07-colossus", humans=("openai",))
    other.end_week()
    gone = other.save()
    assert kept.parent == user_dir()
    app = AgiRaceApp()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert await unseen_at_each_size(pilot, "load", "delete", "load-choice") == []
        labels = [label for label, _ in app.screen.saves]
        assert any(label.startswith("Colossus") and "OpenAI week 1" in label for label in labels)
        assert all(len(label) <= 76 for label in labels)  # one line of the list at 80 columns
        pilot.app.screen.query_one("#load-choice").value = str(gone)
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("n")  # no: the file stays
        await pilot.pause()
        assert gone.exists()
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not gone.exists() and kept.exists()
        assert str(gone) not in [p for _, p in app.screen.saves]


@pytest.mark.slow
@pytest.mark.long
async def test_no_screen_shows_a_horizontal_scrollbar():
    from game.tui.app import SCREENS

    s = Session.new("2024-07-colossus")
    for _ in range(3):
        s.end_week()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        sizes = list(SIZES)
        for name in ["dashboard"] + [n for n in SCREENS if n != "forecast"]:
            if name != "dashboard":
                await app.action_open(name)  # opened at the size the last screen ended at
                await pilot.pause()
            for k, (width, height) in enumerate(sizes):  # the same screen, the terminal resized
                if k:
                    await pilot.resize_terminal(width, height)
                    await pilot.pause()
                assert tuple(app.size) == (width, height)
                wide = [w for w in app.screen.query("*") if getattr(w, "show_horizontal_scrollbar", False)]
                assert not wide, f"{name} at {width}x{height}: {wide}"
            sizes.reverse()  # the next screen opens at this size and is resized to the other
            if name != "dashboard":
                app.pop_screen()
                await pilot.pause()


def test_the_covenant_forecast_matches_the_leverage_when_the_generation_ships():
    """The money screen's forecast is the engine's rule: the week the next GPU generation
    ships, the lab's leverage is what the forecast said (GPUs on order delivered by then)."""
    s = Session.new("2024-07-colossus")
    s.decide(
        XAI, dec.Borrow(0.99 * float(economy.credit_headroom(s.params, s.world)[0, XAI])), confirmed=True
    )
    s.end_week()
    said = risk.covenant_health(s.turn(XAI))
    assert said.next_gen_date is not None and said.debt > 0
    ships = s.params.week_of(said.next_gen_date)
    while s.week < ships:
        s.end_week()
    now = float(economy.leverage(s.params, s.world)[0, XAI])
    debt_ratio = said.debt / float(s.world.debt[0, XAI])  # interest is paid in cash: the debt stays
    assert now * debt_ratio == pytest.approx(said.leverage_after, rel=0.02)


@pytest.mark.parametrize("room", [-0.02, 0.02])
def test_the_round_health_says_what_the_engine_does_when_the_round_closes(room):
    s = Session.new("2024-07-colossus")
    value = float(economy.fundamental_value(s.params, s.world)[0, XAI])
    walk = s.params.rules.finance.round_walk_away
    _set(
        s, round_usd=3e9, round_basis=value / (1.0 - walk) / (1.0 + room), round_pre=2e10, round_close=s.week
    )
    health = risk.round_health(s.turn(XAI))
    assert health is not None and (health.margin < 0) == (room < 0)
    report = s.end_week()
    assert bool(report.round_failed[0, XAI]) == (room < 0)
    said = [n.text for n in s.news if n.week == s.week - 1 and n.lab == XAI and n.kind == news.RAISE]
    assert said  # walked away or raised: either way it is news


def test_the_session_keeps_each_weeks_flows_for_the_ledger_without_a_screen():
    """The ledger's weeks were recorded by the app, so a game played headless (an agent,
    a test) had none: the session keeps them as each week ends."""
    s = Session.new("2024-07-colossus")
    for _ in range(3):
        s.end_week()
    assert [len(h.flows or ()) for h in s.history[1:]] == [s.params.n_labs] * 3


def test_a_loaded_game_keeps_each_weeks_flows_for_the_ledger(tmp_path):
    """After a load the ledger started again: "Flows are kept from the week this game was
    loaded" (a play-tester's 86 weeks of money history gone); the replay that rebuilds the
    history keeps each week's flows too, the same as the game that never stopped."""
    from game.play import decisions as dec
    from game.play.history import ledger

    s = Session.new("2024-07-colossus", humans=("xai",), seed=1)
    s.autosave_every = 0
    s.decide(XAI, dec.BuyGpus("H100", "dell", 5_000), confirmed=True)
    for _ in range(6):
        s.end_week()
    back = Session.load(s.save(tmp_path / "six.toml"))
    assert [h.flows for h in back.history] == [h.flows for h in s.history]
    assert ledger(back.history, XAI).recorded == ledger(s.history, XAI).recorded == 6


def test_the_week_summary_puts_what_needs_the_player_before_notes():
    """A storm that cut a play-tester's compute by a third sat under three 'standing order
    waits' notes and '... and 8 more in the news'."""
    from game.play.news import EVENT, NOTE, NewsItem, week_summary

    notes = [NewsItem(5, f"Standing order: filling waits ({i})", NOTE, 0, True) for i in range(3)]
    storm = NewsItem(5, "A storm takes down Memphis's grid for 2 weeks.", EVENT, None, urgent=True)
    told = week_summary([*notes, storm], 0, 5)
    assert told[0] is storm and [n.kind for n in told[1:]] == [NOTE] * 3


async def test_the_money_screen_names_no_rate_when_lenders_lend_nothing():
    """'Lenders offer $0 at 14.9% a year': a rate for nothing (a play-test)."""
    s = Session.new("2024-07-colossus")
    _set(s, debt=5e10)  # far past what its GPUs carry
    assert float(economy.credit_headroom(s.params, s.world)[0, XAI]) < 1e6
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await pilot.pause()
        said = text(pilot, "money-state")
        assert "Lenders will lend no more now" in said and "Lenders offer" not in said, said
        assert await unseen_at_each_size(pilot, "money-state", restore=False) == []


async def test_fast_forward_runs_past_an_urgent_alert_when_asked_twice():
    """With runway under 12 weeks, fast-forward refused every time, so a player who had
    seen it pressed n week after week (a play-test): the same key again plays on, and it
    stops only at something new."""
    s = Session.new("2024-07-colossus")
    s.decide(XAI, dec.StartRun(1e26))
    s.end_week()  # a run under way: only the runway is urgent
    burn = float(economy.net_burn(s.params, s.world)[0, XAI])
    credit = float(economy.credit_headroom(s.params, s.world)[0, XAI])
    _set(s, cash=5 * burn, debt=0.98 * credit)  # five weeks of cash and no credit left to draw
    urgent = [a for a in intel.alerts(s.turn(XAI)) if a.severity == "error" and a.actionable]
    assert [a.key for a in urgent] == ["runway"], urgent
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        start = s.week
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        note = str(app.screen.query_one("#note").render())
        assert s.week == start and "again to play on anyway" in note and not app._notifications
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert s.week >= start + 2 or s.over  # not stopped by the runway alert it was asked past


def test_the_covenant_line_says_what_a_gpu_price_cut_takes_from_the_credit():
    """A quarter's price cut halved a tester's credit overnight with nothing said: with
    debt, the covenant line says what GPU prices 10% lower take from the credit line,
    and the engine's credit rule agrees."""
    import attrs

    from game.engine import economy
    from game.play import risk
    from game.play.decisions import Borrow, BuyGpus
    from game.play.session import Session

    s = Session.new()
    s.decide(0, BuyGpus("H100", "dell", 20_000), confirmed=True)
    s.end_week()
    while not s.world.warehouse[0, 0].any() and not s.world.installed[0, 0].any():
        s.end_week()
    s.decide(0, Borrow(100e6), confirmed=True)
    s.end_week()
    h = risk.covenant_health(s.turn(0))
    said = h.forecast()
    assert "GPU prices 10% lower would take" in said, said
    before = float(economy.credit_headroom(s.params, s.world)[0, 0])
    cheaper = attrs.evolve(s.world, price_mult=s.world.price_mult * 0.9)
    after = float(economy.credit_headroom(s.params, cheaper)[0, 0])
    assert before - after == pytest.approx(0.1 * h.lends * h.collateral, rel=0.02)
