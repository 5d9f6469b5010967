"""The architecture holds (DESIGN 2): imports go one way, tui -> play -> saves, engine ->
catalog; cli -> play, saves. The engine imports nothing above it, play no Textual, the
screens no engine module (they read play's views), and no file grows past 450 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"

# layer -> the project's packages it must not import
AGENTS = ("game.agents", "game.rl")  # programs as players: above play and saves
FORBIDDEN = {
    "catalog": ("game.engine", "game.saves", "game.batch", "game.play", "game.tui", "game.cli", *AGENTS),
    "engine": ("game.saves", "game.batch", "game.play", "game.tui", "game.cli", "textual", "rich", *AGENTS),
    "saves": ("game.batch", "game.play", "game.tui", "game.cli", "textual", "rich", *AGENTS),
    "batch": ("game.play", "game.tui", "game.cli", "textual", "rich", *AGENTS),
    "play": ("game.tui", "game.cli", "textual", "rich", *AGENTS),
    "tui": ("game.engine", "game.cli"),
    "cli": ("game.engine",),  # commands go through play/ or batch/, never around them
    "web": ("game.engine", "game.cli"),
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


def module_graph() -> dict[str, set[str]]:
    """game's modules -> the game modules they import, anywhere in the file (inside a
    function or under TYPE_CHECKING too: an import hidden there is still a circle)."""
    mods = {
        ".".join(p.relative_to(GAME.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in GAME.rglob("*.py")
    }
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != mod and not mod.startswith(t + "."):
                    graph[mod].add(t)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_circles_are_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle_in_game():
    """A package's __init__ re-exporting its own modules is not a circle; any other loop
    is, wherever the import sits (module top, a function, TYPE_CHECKING)."""
    assert circles(module_graph()) == []


# Sentences are made in one place: play/words/. Elsewhere in play/ a string with two
# words side by side ("You have", "is bankrupt") is a sentence in the making.
SENTENCE = re.compile(r"[A-Za-z][a-z']* [a-z][a-z']*")
# Modules whose records are being converted by other work; their sentences move to
# words/ next. The count is today's: it may only shrink (a new sentence there fails).
SENTENCES_LEFT = {"session.py": 15, "standing.py": 30, "book.py": 2, "replay.py": 4}


def sentences(source: str) -> list[str]:
    """The string literals and f-strings of `source` that read as words (an f-string's
    fields as {}), not counting docstrings nor an f-string field's format (%d %b %Y)."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))  # a docstring
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node) if n is not node)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if SENTENCE.search(text):
            found.append(text)
    return found


def test_a_sentence_is_found_and_a_name_or_a_date_is_not():
    source = '''
"""A module's docstring is not a sentence."""
def gpus(n, d):
    """Nor a function's."""
    key = f"outage:{n}"
    when = f"{d:%d %b %Y}"
    return f"You have {n} GPUs"
'''
    assert sentences(source) == ["You have {} GPUs"]
    assert sentences('x = "the runway is short"\ny = "post-training"\nz = "a_b"') == ["the runway is short"]


def test_play_makes_no_sentence_outside_words():
    """play/ works out figures, ids and records; the English a player reads is formed
    in game/play/words/, so a second language touches no rule and no view."""
    play = GAME / "play"
    found = {
        str(p.relative_to(play)): sentences(p.read_text())
        for p in sorted(play.rglob("*.py"))
        if "words" not in p.relative_to(play).parts
    }
    over = {name: said for name, said in found.items() if len(said) > SENTENCES_LEFT.get(name, 0)}
    assert over == {}
