"""Where the game's data lives, found through the package itself (importlib.resources),
never by looking at folders beside it.

- An installed wheel carries `assets/` and `saves/` inside the package as
  `game/_data/assets` and `game/_data/saves` (pyproject.toml force-includes them).
- A source checkout (and an editable install, which imports the checkout's `game/`) has
  no `game/_data`; its data is the checkout's own top-level `assets/` and `saves/`, next
  to the `pyproject.toml` that builds the package.

A folder named `saves/` or `assets/` beside an installed package (in site-packages, say)
is never looked at: the installed package always has its `_data`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_DATA = "_data"
_PROJECT_FILE = "pyproject.toml"


class DataNotFound(RuntimeError):
    """The package has no data folder: a broken install."""


def _data_dir(name: str) -> Path:
    package = resources.files("game")
    packaged = package / _DATA / name
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(str(package)).parent
    if (checkout / _PROJECT_FILE).is_file() and (checkout / name).is_dir():
        return checkout / name
    raise DataNotFound(
        f"the game's {name}/ folder is missing from {package} (reinstall the agi-race package)"
    )


def assets_dir() -> Path:
    """The folder of catalog TOML files."""
    return _data_dir("assets")


def scenarios_dir() -> Path:
    """The folder of shipped (read-only) scenarios."""
    return _data_dir("saves")
