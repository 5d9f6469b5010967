"""Where the game's data lives: `assets/` and `saves/` beside the package in a checkout
(or an editable install), or inside the installed package as `game/_data/...` (the
wheel build copies them there)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    beside = _PACKAGE.parent / name
    if beside.is_dir():
        return beside
    return _PACKAGE / "_data" / name


def assets_dir() -> Path:
    """The folder of catalog TOML files."""
    return _data_dir("assets")


def scenarios_dir() -> Path:
    """The folder of shipped (read-only) scenarios."""
    return _data_dir("saves")
