"""The JSON Schema of actions, shipped in the package (actions.schema.json beside this
file) so that a program can read it without running the game. It is generated from the
decision records and the shipped catalog: run `python -m game.agents.schema` after
changing either (tests/test_agents.py fails while the file is out of date)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).with_name("actions.schema.json")


def generated() -> str:
    """The schema file's text as the records and the shipped catalog make it now."""
    from game.agents.actions import schema
    from game.catalog import default_catalog

    return json.dumps(schema(default_catalog()), indent=2) + "\n"


@cache
def shipped_schema() -> dict[str, Any]:
    """The shipped schema (a copy each caller may keep)."""
    result: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return result


def game_version() -> str:
    """The installed package's version, or "unknown" from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("agi-race")
    except PackageNotFoundError:
        return "unknown"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(generated(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
