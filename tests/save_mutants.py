"""Damaged saves, made on purpose: the mutations the save fuzz applies (tests and
benchmarks/save_fuzz.py share them), and the one outcome every mutant must have: refused
with one line, or loaded, played, saved and loaded back as the same game.

Mutations of the document: a value replaced (numbers of every size, text, lists, tables,
path-like and very long names) or nudged (x0, x2, -1, +0.4, ...), a key deleted or added, a list's items or a table
duplicated (into a sibling: a lab's table as another lab's, a contract twice). Damage to
the text: a table duplicated (its header and body again), a line dropped or repeated,
the file cut short, a byte changed.
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path
from typing import Any

import numpy as np

# Names a player, a script or an attacker might put where the game makes file names
# or looks files up: paths, devices, very long names, control characters.
NAMES = (
    "../../outside", "/etc/passwd", "/dev/zero", "C:\\Windows\\system32", "a/b/../c.toml", "saves/x.toml",
    "~/.ssh/id_rsa", "con", "nul\x00byte", "line\nbreak", "", " ", ".", "..", "-rf", "x" * 300, "é" * 5000,
    "2024-07-colossus", "sandbox", "a" + "/b" * 150,
)  # fmt: skip
NUMBERS = (0, -1, 1, -0.4, 0.4, 1e8, 1e8 + 1, 1e15, 1e18, 2e18, 1e300, -1e300, 2**63 - 1, -(2**63), 10_000, 11_040, 520, 521, 1000.5, 100.0, 349.65)  # fmt: skip


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and index path in `doc`."""
    out: list[tuple[Any, ...]] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.append((*prefix, key))
            out += paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out.append((*prefix, i))
            out += paths(value, (*prefix, i))
    return out


def a_value(rng: random.Random) -> Any:
    kind = rng.randrange(8)
    if kind == 0:
        return rng.choice(NAMES)
    if kind == 1:
        return rng.choice(NUMBERS)
    if kind == 2:
        return rng.uniform(-1e6, 1e6)
    if kind == 3:
        return rng.randint(-(2**40), 2**40)
    if kind == 4:
        return rng.choice([True, False])
    if kind == 5:
        return [rng.randint(-5, 5) for _ in range(rng.randrange(4))]
    if kind == 6:
        return rng.choice([{}, {"H100": -1}, {"H100": 10**9}, {"memphis": {"hall_mw": 1e8}}])
    return "".join(rng.choice("abz-_/.0") for _ in range(rng.randrange(12)))


def edit(doc: dict[str, Any], path: tuple[Any, ...], how: str, value: Any) -> None:
    """One edit of `doc` in place, where it can be made: set, delete, add, duplicate, or
    tweak a number (`value`: a factor and a step)."""
    parent: Any = doc
    try:
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        if how == "delete" and isinstance(parent, dict):
            parent.pop(last, None)
        elif how == "add" and isinstance(parent, dict):
            parent[f"extra_{last}"] = value
        elif how == "tweak":  # a number nudged, mostly within its range: more mutants load and play
            here = parent[last]
            if isinstance(here, int | float) and not isinstance(here, bool):
                factor, step = value if isinstance(value, tuple) else (2, 0)
                changed = here * factor + step
                parent[last] = (
                    int(changed) if isinstance(here, int) and float(changed).is_integer() else changed
                )
        elif how == "duplicate":
            here = parent[last]
            if isinstance(here, list):  # every item twice: contracts, orders, log entries, labs
                parent[last] = here + copy.deepcopy(here)
            elif isinstance(parent, list):
                parent.append(copy.deepcopy(here))
            elif isinstance(parent, dict):  # the table again under a sibling's key
                siblings = [k for k in parent if k != last]
                if siblings:
                    parent[siblings[len(str(value)) % len(siblings)]] = copy.deepcopy(here)
        else:
            parent[last] = value
    except (KeyError, IndexError, TypeError):
        pass


def mutate(doc: dict[str, Any], rng: random.Random, edits: int = 0) -> dict[str, Any]:
    """A copy of `doc` with 1 to 4 (or `edits`) random edits."""
    doc = copy.deepcopy(doc)
    for _ in range(edits or rng.randint(1, 4)):
        where = paths(doc)
        if not where:
            break
        how = rng.choice(["set", "set", "delete", "add", "duplicate", "tweak", "tweak", "tweak"])
        if how == "tweak":
            value: Any = (
                rng.choice([0, 0.5, 0.99, 1, 1.01, 2, 10, -1]),
                rng.choice([0, 0, 1, -1, 0.4, -0.4, 52]),
            )
        else:
            value = copy.deepcopy(a_value(rng))
        edit(doc, rng.choice(where), how, value)
    return doc


_HEADER = re.compile(r"^\[\[?[^\]]+\]\]?$", re.M)


def damage_text(text: str, rng: random.Random) -> str:
    """The file's text damaged: a table duplicated, a line dropped or repeated, the file
    cut short, or a byte changed."""
    lines = text.splitlines(keepends=True)
    kind = rng.randrange(4)
    heads = [m.start() for m in _HEADER.finditer(text)]
    if kind == 0 and heads:  # a table (its header and body) written twice
        i = rng.randrange(len(heads))
        end = heads[i + 1] if i + 1 < len(heads) else len(text)
        return text[:end] + text[heads[i] : end] + text[end:]
    if kind == 1 and lines:
        i = rng.randrange(len(lines))
        return "".join(lines[:i] + (lines[i : i + 1] * rng.choice([0, 2])) + lines[i + 1 :])
    if kind == 2:
        return text[: rng.randrange(len(text) + 1)]
    data = bytearray(text.encode("utf-8"))
    if data:
        data[rng.randrange(len(data))] = rng.randrange(256)
    return data.decode("utf-8", errors="surrogateescape")


def write(path: Path, doc_or_text: dict[str, Any] | str) -> bool:
    """Write a mutant; False if it cannot be written as TOML (it contains itself)."""
    import tomli_w

    try:
        text = doc_or_text if isinstance(doc_or_text, str) else tomli_w.dumps(doc_or_text)
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    except (TypeError, ValueError, RecursionError):
        return False
    return True


def outcome(path: Path, catalog: Any, weeks: int) -> str:
    """What the loader and the engine make of the file at `path`: "refused" (one line),
    "played" (loaded, played `weeks` weeks by the AI, saved, loaded back as the same game)
    or raises AssertionError saying what went wrong (any other exception propagates)."""
    from game.engine import policies
    from game.engine.state import array_fields
    from game.engine.turn import step
    from game.saves import SaveError, initial_world, load_scenario, save_doc, scenario_params, write_save

    try:
        scn = load_scenario(path, catalog)
    except SaveError as err:
        assert "\n" not in str(err), f"a refusal of more than one line: {err}"
        return "refused"
    params = scenario_params(scn, catalog)
    world = initial_world(scn, params, 1)
    ai = policies.make_controllers(catalog, params, dict(scn.ai), scn.meta.difficulty, ai_labs=params.lab_ids)
    for _ in range(weeks):
        world, _ = step(world, policies.decide(world, ai))
    again = path.with_name(path.stem + "-again.toml")
    write_save(again, save_doc(scn, world, 0, log=scn.log))
    try:
        back = initial_world(load_scenario(again, catalog), params, 1)
    except SaveError as err:
        raise AssertionError(f"the game's own save after {weeks} weeks is refused: {err}") from None
    differ = [n for n in array_fields() if getattr(world, n).tobytes() != getattr(back, n).tobytes()]
    assert not differ, f"the save after {weeks} weeks loads back different in {differ}"
    assert np.isfinite(world.cash).all()
    return "played"
