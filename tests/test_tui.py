"""The terminal game, driven as a person would with Textual's Pilot."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from game.cli import main
from game.engine.state import array_fields
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import DealsScreen, GameOverScreen, HQScreen, MarketScreen, TitleScreen

XAI = 0


async def confirm(pilot):
    """Press the form's Confirm button (wherever the form has scrolled it)."""
    pilot.app.screen.query_one("#confirm").press()
    await pilot.pause()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path))
    return tmp_path


async def test_new_game_order_h100_and_see_them_installed():
    app = AgiRaceApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("enter")  # New game has the focus
        assert isinstance(app.screen, HQScreen)
        session = app.session
        halls = session.world.hall_building.copy()
        await pilot.press("m")
        assert isinstance(app.screen, MarketScreen)
        count = app.screen.query_one("#count")
        count.value = "5000"
        await confirm(pilot)
        assert "Ordered 5,000 H100" in str(app.screen.query_one("#message").content)
        await pilot.press("escape")
        assert isinstance(app.screen, HQScreen)
        owned = (
            session.world.order_count[0, XAI].sum()
            + session.world.warehouse[0, XAI].sum()
            + session.world.installed[0, XAI].sum()
        )
        for _ in range(16):
            await pilot.press("n")
        after = (
            session.world.order_count[0, XAI].sum()
            + session.world.warehouse[0, XAI].sum()
            + session.world.installed[0, XAI].sum()
        )
        assert after == owned + 5000
        assert session.world.order_count[0, XAI].sum() == 0  # all delivered
        assert any("GPUs installed" in text for _, text in session.news)
        assert halls is not None


async def test_bad_input_in_a_form_changes_nothing():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        before = app.session.actions(XAI).order_count.copy()
        for text in ("lots", "-5", "1e99", "nan"):
            app.screen.query_one("#count").value = text
            await confirm(pilot)
            message = str(app.screen.query_one("#message").content)
            assert "count" in message
        assert (app.session.actions(XAI).order_count == before).all()
        app.screen.query_one("#count").value = "1000000"
        await confirm(pilot)
        assert "you have" in str(app.screen.query_one("#message").content)  # too expensive
        assert (app.session.actions(XAI).order_count == before).all()


async def test_negotiate_with_oracle_until_a_stall_then_sign_a_counter():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DealsScreen)
        screen.query_one("#count").value = "100000"
        screen.query_one("#start").value = "8"
        screen.query_one("#weeks").value = "104"
        screen.query_one("#price").value = "3"
        screen.query_one("#site").value = "memphis"
        await confirm(pilot)
        assert "does not have the power" in str(screen.query_one("#message").content)
        screen.query_one("#site").clear()
        screen.query_one("#count").value = "10000"
        screen.query_one("#start").value = "0"
        screen.query_one("#price").value = "2.5"
        await confirm(pilot)
        assert "We can do it at" in str(screen.query_one("#message").content)
        await confirm(pilot)  # the counter's terms were filled in
        assert "Deal." in str(screen.query_one("#message").content)
        contracts = app.session.world.contract_count[0, XAI]
        assert (contracts == 10_000).sum() == 1


async def test_plan_a_run_and_watch_it_progress():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        app.screen.query_one("#amount").value = "2e25"
        await confirm(pilot)
        assert "Starting a 2.00e+25 FLOP run" in str(app.screen.query_one("#message").content)
        await pilot.press("escape")
        await pilot.press("n")
        runs = app.session.snapshot(XAI)["runs"]
        training = [r for r in runs if r["phase"] == "training"]
        assert training and 0 < training[0]["progress"] < 1


async def test_raise_a_round():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        app.screen.query_one("#amount").value = "3e9"
        await confirm(pilot)
        assert "Raising up to" in str(app.screen.query_one("#message").content)
        share = app.session.world.founder_share[0, XAI]
        await pilot.press("escape")
        await pilot.press("n")
        assert app.session.world.founder_share[0, XAI] < share


async def test_save_quit_load_finds_the_same_game(home):
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await pilot.press("n")
        await pilot.press("ctrl+s")
        world = app.session.world
        path = app.session.default_save_path()
        assert path.exists() and str(home) in str(path)
    loaded = Session.load(path)
    assert [
        n for n in array_fields() if not np.array_equal(getattr(world, n), getattr(loaded.world, n))
    ] == []


async def test_quitting_with_unsaved_weeks_asks_first():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.press("q")
        await pilot.press("n")  # "No"
        assert app.is_running and isinstance(app.screen, HQScreen)


async def test_two_players_take_turns_for_two_weeks():
    app = AgiRaceApp(session=Session.new(humans=("xai", "openai")))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.player == 0
        await pilot.press("n")  # xAI done: OpenAI's turn, the week has not ended
        assert app.player == 1 and app.session.week == 0
        await pilot.press("n")  # OpenAI done: the week ends
        assert app.player == 0 and app.session.week == 1
        await pilot.press("n", "n")
        assert app.session.week == 2
        assert {e["lab"] for e in app.session.log} == {"xai", "openai"}


async def test_game_over_from_a_scenario_near_agi(tmp_path):
    import attrs

    session = Session.new()
    software = session.world.run_software.copy()
    software[0, XAI] += 5.0  # Grok 2, in post-training, will ship past the AGI threshold
    session.world = attrs.evolve(session.world, run_software=software)
    app = AgiRaceApp(session=session)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(8):  # Grok 2 ships from post-training with software far ahead
            if isinstance(app.screen, GameOverScreen):
                break
            await pilot.press("n")
        assert isinstance(app.screen, GameOverScreen)
        text = str(app.screen.query_one("#game-over").content)
        assert "GAME OVER" in text and "Hall of fame" in text


def test_play_load_refuses_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("this is not a save")
    assert main(["play", "--load", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not valid TOML" in err and err.count("\n") == 1
    assert main(["play", "--scenario", "2024-07-colossus", "--lab", "google"]) == 2


async def test_play_to_the_end_without_a_crash():
    app = AgiRaceApp(session=Session.new(seed=11))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):
            if isinstance(app.screen, GameOverScreen):
                break
            await pilot.press("n")
        assert isinstance(app.screen, GameOverScreen)
        assert app.session.over and app.session.world.winner[0] >= 0


async def test_the_load_list_survives_a_damaged_save(home):
    session = Session.new()
    session.end_week()
    good = session.save(home / "saves" / "good.toml")
    (home / "saves" / "broken.toml").write_text("[meta\n")
    app = AgiRaceApp()
    async with app.run_test(size=(120, 50)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        choice = app.screen.query_one("#load-choice")
        labels = [str(label) for label, _ in app.screen.saves]
        assert any("damaged" in label for label in labels) and any("week 1" in label for label in labels)
        choice.value = str(home / "saves" / "broken.toml")
        app.screen.query_one("#load").press()
        await pilot.pause()
        assert "not valid TOML" in str(app.screen.query_one("#title-error").content)
        assert isinstance(app.screen, TitleScreen)  # still usable
        choice.value = str(good)
        app.screen.query_one("#load").press()
        await pilot.pause()
        assert isinstance(app.screen, HQScreen) and app.session.week == 1


async def test_how_to_play_from_the_title():
    app = AgiRaceApp()
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#how").press()
        await pilot.pause()
        assert any("Each turn is a week" in str(w.content) for w in app.screen.query("Static"))
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)


async def test_sites_build_halls_turbines_and_a_substation():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        screen = app.screen
        screen.query_one("#site").value = "memphis"
        screen.query_one("#what").value = "turbines"
        screen.query_one("#mw").value = "50"
        await confirm(pilot)
        assert "MW of turbines" in str(screen.query_one("#message").content)
        screen.query_one("#site").value = "dallas"
        screen.query_one("#what").value = "substation"
        await confirm(pilot)
        assert "Substation at" in str(screen.query_one("#message").content)
        screen.query_one("#what").value = "halls"
        screen.query_one("#mw").value = "100"
        await confirm(pilot)
        assert "Building 100 MW" in str(screen.query_one("#message").content)
        await pilot.press("escape")
        await pilot.press("n")
        w = app.session.world
        dallas = app.session.params.site_ids.index("dallas")
        assert w.substation_left[0, dallas] > 0 and w.hall_building[0, XAI, dallas] > 0


async def test_leave_a_contract_and_read_rival_intel():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("d")
        app.screen.query_one("#exit-slot").value = "0"
        app.screen.query_one("#exit").press()
        await pilot.pause()
        assert "Leaving contract 0 with Oracle" in str(app.screen.query_one("#message").content)
        await pilot.press("escape")
        await pilot.press("n")
        assert app.session.world.contract_partner[0, XAI, 0] == -1
        await pilot.press("r")
        assert any("best model about" in str(w.content) for w in app.screen.query("Static"))


async def test_the_odds_screen_computes_in_a_worker():
    from game.tui.screens import ForecastScreen

    ForecastScreen.FUTURES, ForecastScreen.HORIZON = 40, 20
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, ForecastScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#odds").content)
        assert "40 futures, 20 weeks ahead" in text and "<- you" in text
        assert "played as: xAI builder" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HQScreen)


async def test_leaving_the_odds_screen_stops_its_futures(monkeypatch):
    from game.tui.screens import ForecastScreen

    monkeypatch.setattr(ForecastScreen, "FUTURES", 300)
    monkeypatch.setattr(ForecastScreen, "HORIZON", None)  # to the end: ~190 weeks of futures
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(120, 40)):
        # Opened and left at once (a key press in a Pilot test waits until the app is
        # idle, which it is not while the futures report their progress).
        screen = ForecastScreen()
        await app.push_screen(screen)
        screen.action_leave()
        for _ in range(100):
            if screen.result is not None:
                break
            await asyncio.sleep(0.05)
        assert screen.cancelled and screen.result.weeks_played < 150
        assert isinstance(app.screen, HQScreen)
