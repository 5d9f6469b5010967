"""The architecture holds (DESIGN 2): imports go one way, tui -> play -> saves, engine ->
catalog; cli -> play, saves. The engine imports nothing above it, play no Textual, the
screens no engine module (they read play's views), and no file grows past 450 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"

# layer -> the project's packages it must not import
AGENTS = ("game.agents", "game.rl")  # programs as players: above play and saves
FORBIDDEN = {
    "catalog": ("game.engine", "game.saves", "game.play", "game.tui", "game.cli", *AGENTS),
    "engine": ("game.saves", "game.play", "game.tui", "game.cli", "textual", "rich", *AGENTS),
    "saves": ("game.play", "game.tui", "game.cli", "textual", "rich", *AGENTS),
    "play": ("game.tui", "game.cli", "textual", "rich", *AGENTS),
    "tui": ("game.engine", "game.cli"),
    "agents": ("game.tui", "game.cli", "game.rl", "textual", "rich", "gymnasium", "pettingzoo"),
    "rl": ("game.tui", "game.cli", "textual", "rich"),
}
MAX_LINES = 450


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_go_one_way(layer):
    bad = [
        f"{path.relative_to(GAME)} imports {name}"
        for path in sorted((GAME / layer).rglob("*.py"))
        for name in imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer])
    ]
    assert bad == []


def test_no_file_is_longer_than_450_lines():
    long = [
        f"{p.relative_to(GAME)}: {n}"
        for p in GAME.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    ]
    assert long == []


def test_no_test_waits_a_fixed_time():
    """Pilot tests wait for the app to be idle or for a widget, never for a fixed time: a
    test that passes only on an idle machine is a broken test."""
    import re

    fixed = re.compile(r"\b(time\.sleep|asyncio\.sleep)\(|\.pause\(\s*[0-9.]")
    here = Path(__file__).resolve().parent
    offenders = [
        f"{p.name}:{i}" for p in here.glob("*.py") if p.name != "test_structure.py"
        for i, line in enumerate(p.read_text().splitlines(), 1) if fixed.search(line)
    ]  # fmt: skip
    assert offenders == []
