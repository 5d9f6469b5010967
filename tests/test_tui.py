"""The terminal game, driven as a person would with Textual's Pilot."""

from __future__ import annotations

import numpy as np
import pytest

from game.cli import main
from game.engine.state import array_fields
from game.play.session import Session
from game.saves import LogEntry
from game.tui.app import AgiRaceApp
from game.tui.screens import (
    BookScreen,
    DealsScreen,
    GameOverScreen,
    HQScreen,
    MarketScreen,
    RivalsScreen,
    TitleScreen,
)
from tests.tui_helpers import accept_review, choose, confirm, fill, press_button, text

XAI = 0


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


def owned(session: Session, lab: int = XAI) -> int:
    w = session.world
    return int(w.order_count[0, lab].sum() + w.warehouse[0, lab].sum() + w.installed[0, lab].sum())


async def test_new_game_order_h100_and_see_them_installed():
    app = AgiRaceApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("enter")  # New game has the focus
        assert isinstance(app.screen, HQScreen)
        session = app.session
        before = owned(session)
        await pilot.press("m")
        assert isinstance(app.screen, MarketScreen)
        fill(pilot, count="5000")
        await confirm(pilot)
        assert "Buy 5,000 H100" in text(pilot, "message")
        await pilot.press("escape")
        for _ in range(15):  # the weeks of delivery, played as the app's n plays them
            session.end_week()
        await pilot.press("n")  # the last by the key: the dashboard follows the session
        await pilot.pause()
        assert app.session is session and session.week == 16
        assert owned(session) == before + 5000
        assert session.world.order_count[0, XAI].sum() == 0  # all delivered
        assert any("GPUs installed" in n.text for n in session.news)


@pytest.mark.slow  # a whole flow: the long tier
async def test_bad_input_changes_nothing_a_run_progresses_quitting_asks_and_a_save_loads_the_same(home):
    """One new game at 120x40: bad input in a form changes nothing; a planned run makes
    progress in its first week; quitting with an unsaved week asks first; and the game
    saved two weeks later loads the same."""
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        # bad input in a form changes nothing
        await pilot.press("m")
        for value in ("lots", "-5", "1e99", "nan"):
            fill(pilot, count=value)
            await confirm(pilot)
            assert "count" in text(pilot, "message")
        assert app.session.book(XAI) == []
        fill(pilot, count="2000000")
        await confirm(pilot)
        assert "you have" in text(pilot, "message")  # too expensive
        assert app.session.book(XAI) == []
        await pilot.press("escape")

        # plan a run and watch it progress
        await pilot.press("t")
        fill(pilot, amount="2e25")
        await pilot.press("enter")  # the amount field has the focus: enter confirms
        assert "Start a 2.00e+25 FLOP run" in text(pilot, "message")
        await pilot.press("escape")
        await pilot.press("n")
        from game.play.views import lab_view

        training = [r for r in lab_view(app.session.turn(XAI)).runs if r.phase == "training"]
        assert training and 0 < training[0].progress < 1

        # quitting with an unsaved week asks first
        await pilot.press("q")
        await pilot.press("n")  # "No"
        assert app.is_running and isinstance(app.screen, HQScreen)

        # save, quit, load: the same game
        for _ in range(2):
            await pilot.press("n")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert app.session.unsaved_weeks == 0
        world = app.session.world
        path = app.session.default_save_path()
        assert path.exists() and str(home) in str(path)
    loaded = Session.load(path)
    assert [
        n for n in array_fields() if not np.array_equal(getattr(world, n), getattr(loaded.world, n))
    ] == []


async def test_raise_a_round_says_the_post_money():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        fill(pilot, amount="3e9")
        await confirm(pilot)
        await accept_review(pilot)
        assert "Raising up to" in text(pilot, "message") and "post-money" in text(pilot, "message")
        share = app.session.world.founder_share[0, XAI]
        await pilot.press("escape")
        await pilot.press("n")
        closes = int(app.session.world.round_close[0, XAI])  # a round closes weeks later
        assert app.session.world.round_usd[0, XAI] > 0 and closes > app.session.week
        while app.session.week < closes:  # the weeks until it closes, as the app's n plays them
            app.session.end_week()
        await pilot.press("n")  # the week it closes, by the key
        await pilot.pause()
        assert app.session.week == closes + 1
        assert app.session.world.founder_share[0, XAI] < share


@pytest.mark.slow
@pytest.mark.long
async def test_extend_a_contract_negotiate_to_a_stall_sign_a_counter_and_leave_a_contract():
    """One new game's deals screen at 120x50: contract 0 extended by an amendment; an
    offer to Oracle stalls for want of power and CoreWeave's counter is signed; then
    contract 0 is left (with its penalty), and the week after the rivals' intel is read."""
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("d")
        end = int(app.session.world.contract_end[0, XAI, 0])
        fill(pilot, **{"more-gpus": "0", "more-weeks": "26", "more-price": "9"})
        await press_button(pilot, "amend")
        await accept_review(pilot)
        await accept_review(pilot)  # a counter is reviewed at once: y accepts it
        assert "Oracle" in text(pilot, "message")
        assert int(app.session.world.contract_end[0, XAI, 0]) == end + 26
        # A playtester read 'Deal. 0 A100 from ... for 26 weeks ...: $0.00B in all' on his H100 contract.
        said = [n.text for n in app.session.news if n.private][-1]
        assert (
            said.startswith("Oracle: Deal. Contract 0: 26 more weeks, at $") and "for what is added" in said
        )
        # negotiate with Oracle until a stall, then sign a counter
        assert isinstance(app.screen, DealsScreen)
        fill(pilot, count="100000", start="8", weeks="104", price="3")
        choose(pilot, site="memphis")
        await confirm(pilot)
        await pilot.press("y")  # the review: send the offer
        assert "does not have the power" in text(pilot, "message")
        app.screen.query_one("#site").clear()
        choose(pilot, partner="coreweave")  # xAI holds all the H100 Oracle rents one customer
        await pilot.pause()
        fill(pilot, count="10000", start="0", weeks="104", price="2.0")
        await confirm(pilot)
        await pilot.press("y")
        assert "We can do it at" in text(pilot, "review-terms")  # the counter's review is up at once
        await pilot.press("y")
        assert "Deal." in text(pilot, "message")
        assert (app.session.world.contract_count[0, XAI] == 10_000).sum() == 1
        # leave a contract and read rival intel
        await press_button(pilot, "exit")  # the first contract is selected
        assert "Leave contract 0" in text(pilot, "message") and "penalty" in text(pilot, "message")
        await pilot.press("escape")
        await pilot.press("n")
        assert app.session.world.contract_partner[0, XAI, 0] == -1
        await pilot.press("r")
        assert isinstance(app.screen, RivalsScreen)
        assert "best model" in text(pilot, "intel") and "~" in text(pilot, "intel")


async def test_game_over_from_a_scenario_near_agi():
    import attrs

    session = Session.new()
    software = session.world.run_software.copy()
    software[0, XAI] += 5.0  # Grok 2, in post-training, will ship past the AGI threshold
    session.world = attrs.evolve(session.world, run_software=software)
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(8):
            if isinstance(app.screen, GameOverScreen):
                break
            await pilot.press("n")
        assert isinstance(app.screen, GameOverScreen)
        shown = text(pilot, "debrief")
        assert "GAME OVER" in shown and "Hall of fame" in shown
        assert "Why xAI won" in shown and "Your score" in shown and "AGI win" in shown


def test_play_load_refuses_a_bad_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(
        "game.cli.play.has_terminal", lambda: True
    )  # as on a terminal: the file is what's wrong
    bad = tmp_path / "bad.toml"
    bad.write_text("this is not a save")
    assert main(["play", "--load", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not valid TOML" in err and err.count("\n") == 1
    assert main(["play", "--scenario", "2024-07-colossus", "--lab", "google"]) == 2


async def test_the_load_list_survives_a_damaged_save(home):
    session = Session.new()
    session.end_week()
    good = session.save(home / "saves" / "good.toml")
    (home / "saves" / "broken.toml").write_text("[meta\n")
    app = AgiRaceApp()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        labels = [str(label) for label, _ in app.screen.saves]
        assert any("damaged" in label for label in labels) and any("week 1" in label for label in labels)
        choose(pilot, **{"load-choice": str(home / "saves" / "broken.toml")})
        await press_button(pilot, "load")
        assert "not valid TOML" in text(pilot, "title-error")
        assert isinstance(app.screen, TitleScreen)  # still usable
        choose(pilot, **{"load-choice": str(good)})
        await press_button(pilot, "load")
        assert isinstance(app.screen, HQScreen) and app.session.week == 1


async def test_ctrl_l_opens_the_save_list_and_enter_loads_the_save_chosen(home):
    """A play-tester took ten tabs to reach the save list at 80x24."""
    session = Session.new()
    session.end_week()
    session.save(home / "saves" / "one.toml")
    app = AgiRaceApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("ctrl+l")  # the newest save, chosen, and the focus on Load
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "load"
        assert app.screen.query_one("#load-choice").value == app.screen.saves[0][1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HQScreen) and app.session.week == 1


async def test_ctrl_l_without_saves_says_so():
    app = AgiRaceApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert text(pilot, "title-error") == "no saves yet: start a new game"


async def test_how_to_play_from_the_title_explains_the_score():
    app = AgiRaceApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await press_button(pilot, "how")
        shown = text(pilot, "help-text")
        assert "Each turn is a week" in shown and "weeks early" in shown and "your stake" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)


@pytest.mark.slow  # a whole flow: the long tier
async def test_the_book_cancels_a_decision_then_sites_build_halls_turbines_and_a_substation():
    """One new game at 120x40: an order cancelled in the book leaves the book empty, and
    the sites screen then books turbines, a substation and halls that start building."""
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await confirm(pilot)
        await pilot.press("escape", "b")
        assert isinstance(app.screen, BookScreen) and len(app.session.book(XAI)) == 1
        assert "Buy 10,000 H100" in str(app.screen.query_one("#book").get_row_at(0))
        await pilot.press("x")
        assert app.session.book(XAI) == [] and "Cancelled" in text(pilot, "message")
        await pilot.press("escape")
        await pilot.press("s")
        choose(pilot, site="memphis", what="turbines")
        fill(pilot, mw="50")
        await confirm(pilot)
        assert "MW of gas turbines" in text(pilot, "message")
        choose(pilot, site="dallas", what="substation")
        await confirm(pilot)
        assert "Substation upgrade at" in text(pilot, "message")
        choose(pilot, what="halls")
        fill(pilot, mw="100")
        await confirm(pilot)
        assert "Build 100 MW" in text(pilot, "message")
        await pilot.press("escape")
        await pilot.press("n")
        w = app.session.world
        dallas = app.session.params.site_ids.index("dallas")
        assert w.substation_left[0, dallas] > 0 and w.hall_building[0, XAI, dallas] > 0
        await pilot.pause()
        await pilot.press("s")  # the next week: the upgrade under way is said, none is offered
        choose(pilot, site="dallas", what="substation")
        await pilot.pause()
        preview = text(pilot, "preview")
        assert "An upgrade is already under way" in preview and "An upgrade adds" not in preview, preview


def agent_app(tmp_path, script: str | None = None) -> AgiRaceApp:
    """xAI played by the person, OpenAI by an agent process (the example, or `script`)."""
    import sys
    from pathlib import Path

    from game.agents.process import AgentProcess

    path = Path(__file__).resolve().parent.parent / "examples" / "scripted_agent.py"
    if script is not None:
        path = tmp_path / "agent.py"
        path.write_text(script)
    log = tmp_path / "new-home" / "agent-openai.log"  # a first game: its data folder is not made yet
    agent = AgentProcess(f"{sys.executable} {path}", "openai", stderr=log)
    return AgiRaceApp(session=Session.new(humans=("xai", "openai")), agent=agent)


async def test_an_agent_plays_a_lab_against_a_person_and_the_save_replays(tmp_path):
    from game.catalog import default_catalog
    from game.play.replay import replay
    from game.saves import load_scenario

    app = agent_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for week in (1, 2):
            await pilot.press("n")  # the person ends the week; the agent decides in a worker
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.session.week == week and isinstance(app.screen, HQScreen) and app.player == XAI
        decided = [e for e in app.session.log if e.lab == "openai" and e != LogEntry(week=e.week, lab=e.lab)]
        assert decided, app.session.log  # the agent's lab made decisions, logged like a player's
        path = app.session.save(tmp_path / "vs-agent.toml")
        proc = app.agent.proc
    assert proc is not None and proc.poll() is not None  # the process ended with the app
    catalog = default_catalog()
    assert replay(load_scenario(path, catalog), catalog)[0]


async def test_an_agent_that_dies_leaves_its_lab_idle_and_the_game_playable(tmp_path):
    app = agent_app(tmp_path, "raise SystemExit(3)\n")
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda text, **kw: notes.append(text)  # type: ignore[method-assign]
        for week in (1, 2):
            await pilot.press("n")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.session.week == week and isinstance(app.screen, HQScreen)
    assert len([n for n in notes if "(agent) stopped playing" in n]) == 1, notes
    assert "OpenAI" in notes[0] and any("stopped playing" in n.text for n in app.session.news)


def test_play_refuses_an_agent_on_the_persons_lab(capsys, monkeypatch):
    monkeypatch.setattr("game.cli.play.has_terminal", lambda: True)
    assert main(["play", "--agent", "xai=python examples/scripted_agent.py", "--lab", "xai"]) == 2
    assert main(["play", "--agent", "google=python x.py"]) == 2
    assert main(["play", "--agent", "openai=no-such-program-here"]) == 2
    assert capsys.readouterr().err.count("\n") == 3


def test_the_dashboards_line_of_more_keys_fits_80_columns():
    """The keys the footer has no room for are listed on one line above it: with the
    standing orders and the ledger added it ran past 80 columns and lost ^s and q."""
    from game.tui import bindings

    line = bindings.more_keys(bindings.HQ)
    assert len(line) <= 80 and "Save" in line and "Quit" in line
