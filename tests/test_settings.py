"""The player's settings and keymap live in the platform's config folder (an older
version kept them beside the saves: they move on first use), and the theme picked last
is the next game's theme."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from game.play.session import Session
from game.saves import config_file, read_toml
from game.tui.app import AgiRaceApp


def test_a_keymap_beside_the_saves_moves_to_the_config_folder(monkeypatch):
    monkeypatch.delenv("AGI_RACE_HOME")  # the platform's folders (the suite's own, per test)
    data = platformdirs.user_data_dir("agi-race", appauthor=False)
    config = platformdirs.user_config_dir("agi-race", appauthor=False)
    assert data != config
    old = Path(data) / "keymap.toml"
    old.parent.mkdir(parents=True)
    old.write_text('end-week = "space"\n')
    path = config_file("keymap.toml")
    assert str(path.parent) == config and read_toml(path) == {"end-week": "space"} and not old.exists()
    assert config_file("keymap.toml") == path  # asked again: the same file, nothing moves


async def test_keys_remapped_in_the_config_folder_work(monkeypatch):
    monkeypatch.delenv("AGI_RACE_HOME")
    path = config_file("keymap.toml")
    path.parent.mkdir(parents=True)
    path.write_text('end-week = "space"\n')
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert app.session.week == 1


async def test_the_theme_picked_last_is_the_next_games_theme():
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme != "nord"
        app.theme = "nord"  # what picking it in the command palette does
        await pilot.pause()
    assert read_toml(config_file("settings.toml"))["theme"] == "nord"
    again = AgiRaceApp(session=Session.new())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_a_theme_that_no_longer_exists_is_ignored():
    path = config_file("settings.toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('theme = "no-such-theme"\nguide = false\n')
    app = AgiRaceApp(session=Session.new())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme != "no-such-theme" and app.settings["guide"] is False
