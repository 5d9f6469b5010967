"""The player's settings and keymap, kept in the platform's config folder (saves.config_file):
the first-game guide, the theme last picked, and remapped keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from textual.app import App

from game.saves import SaveError, config_file, read_toml, write_atomic
from game.tui import bindings


class Settings(App):
    """A mixin of the game's app: `settings` (a dict) and `keymap` are set by the app."""

    settings: dict[str, Any]
    keymap: dict[str, str]

    @staticmethod
    def settings_path() -> Path:
        return config_file("settings.toml")

    def _read_settings(self) -> dict[str, Any]:
        """The player's settings (the first-game guide, the theme last chosen); a damaged
        file is ignored (the defaults apply)."""
        try:
            data = read_toml(self.settings_path()) if self.settings_path().exists() else {}
        except SaveError:
            data = {}
        settings: dict[str, Any] = {"guide": data.get("guide", True) is not False}
        if isinstance(data.get("theme"), str):
            settings["theme"] = data["theme"]
        return settings

    def _remember_theme(self, theme: str) -> None:
        """A theme picked (ctrl+p) is the next game's theme too."""
        if self.settings.get("theme") != theme:
            self.settings["theme"] = theme
            self._write_settings()

    def _write_settings(self) -> None:
        try:
            write_atomic(self.settings_path(), tomli_w.dumps(self.settings).encode())
        except SaveError:
            pass  # a read-only home keeps the defaults; the game goes on

    def _load_keymap(self) -> None:
        """Keys remapped in keymap.toml (`end-week = "space"`); unknown ids are reported."""
        path = config_file("keymap.toml")
        if not path.exists():
            return
        known = {b.id for b in bindings.ALL if b.id}
        try:
            data = read_toml(path)
        except SaveError as err:
            self.notify(f"keymap ignored: {err}", severity="error")
            return
        bad = [k for k, v in data.items() if k not in known or not isinstance(v, str) or not v.strip()]
        if bad:
            self.notify(
                f"{path}: unknown binding ids or empty keys: {', '.join(map(str, bad))}",
                severity="error",
                timeout=20,  # read before the first week: it is the only word on it
            )
        self.keymap = {k: v for k, v in data.items() if k not in bad}
        self.set_keymap(self.keymap)

