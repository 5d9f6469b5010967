"""Save files on disk: where they live, reading them safely, writing them atomically,
with each number's unit in a comment."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from game.paths import scenarios_dir

MAX_FILE_BYTES = 5_000_000


class SaveError(ValueError):
    """A scenario or save file is wrong; the message says where and what."""


# ----------------------------------------------------------------------- files
def user_dir() -> Path:
    """Where the player's saves live: $AGI_RACE_HOME, else the platform's data folder."""
    home = os.environ.get("AGI_RACE_HOME")
    if home:
        return Path(home).expanduser() / "saves"
    import platformdirs

    return Path(platformdirs.user_data_dir("agi-race", appauthor=False)) / "saves"


def resolve(name: str | Path) -> Path:
    """A scenario's path from its short name (file stem in saves/ or the user's saves)
    or a path."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or candidate.exists() or os.sep in str(name):
        return candidate
    for folder in (scenarios_dir(), user_dir()):
        found = folder / f"{name}.toml"
        if found.exists():
            return found
    known = ", ".join(sorted(p.stem for p in scenarios_dir().glob("*.toml")))
    raise SaveError(f"unknown scenario {name!r} (shipped: {known})")


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML of a file, or one SaveError saying why it cannot be read."""
    try:
        if path.is_dir():
            raise SaveError(f"{path}: is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SaveError(f"{path}: {size:,} bytes is too large for a save (limit {MAX_FILE_BYTES:,})")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"{path}: no such file") from None
    except PermissionError:
        raise SaveError(f"{path}: permission denied") from None
    except OSError as err:
        raise SaveError(f"{path}: cannot read: {err.strerror or err}") from None
    if not raw.strip():
        raise SaveError(f"{path}: the file is empty")
    try:
        text_ = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SaveError(f"{path}: not UTF-8 text (byte {err.start})") from None
    try:
        return tomllib.loads(text_)
    except tomllib.TOMLDecodeError as err:
        raise SaveError(f"{path}: not valid TOML: {err}") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that a crash leaves either the old file or the new one, whole."""
    path = Path(path)
    try:
        if path.resolve().is_relative_to(scenarios_dir().resolve()):
            raise SaveError(f"{path}: shipped scenarios are read-only; save under another name")
    except OSError:
        pass
    if path.exists() and not path.is_file():  # never rename over a folder, a device or a pipe
        raise SaveError(f"{path}: not a regular file; save to a file")
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as err:
        raise SaveError(f"{path}: cannot write: {err.strerror or err}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def write_save(path: Path, doc: dict[str, Any]) -> None:
    write_atomic(path, dumps(doc).encode("utf-8"))


def dumps(doc: dict[str, Any]) -> str:
    """A save document as TOML text, each number with its unit in a comment."""
    from game.catalog.schema import units
    from game.saves.records import Document

    return with_units(tomli_w.dumps(doc), units(Document, doc))


# ---------------------------------------------------------------- unit comments
_KEY = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")'
_NUMBER = r"[+-]?(?:inf|nan|[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?)"
_SCALAR = re.compile(rf"({_KEY}) = ({_NUMBER})")
_OPENS = re.compile(rf"({_KEY}) = \[")
_ELEMENT = re.compile(r"    \{ (.*) \},")


def _key(token: str) -> str:
    return tomllib.loads(f"{token} = 0").popitem()[0]


def _header(line: str) -> tuple[tuple[str, ...], bool] | None:
    """The path a table header names, and whether it is an array of tables' item."""
    if not line.startswith("["):
        return None
    node: Any = tomllib.loads(line)
    path: list[str] = []
    while isinstance(node, dict) and node:
        key, node = next(iter(node.items()))
        path.append(key)
        if isinstance(node, list):
            node = node[0]
    return tuple(path), line.startswith("[[")


def with_units(text: str, unit_of: dict[tuple[str | int, ...], str]) -> str:
    """`text` (TOML written by tomli-w) with the unit of each number in a comment:
    `cash = 2200707524  # USD`; in a list of inline tables, each item's units after it.
    Only whole lines tomli-w writes are touched, so the text reads back the same."""
    out: list[str] = []
    table: tuple[str | int, ...] = ()
    items: dict[tuple[str | int, ...], int] = {}  # lists of tables seen: the index of their last item
    array: tuple[tuple[str | int, ...], int] | None = None  # a list of inline tables: its path, last item
    for line in text.splitlines():
        header = _header(line)
        if header is not None:
            path, item = header
            resolved: list[str | int] = []
            for part in path:
                resolved.append(part)
                if tuple(resolved) in items and (not item or tuple(resolved) != tuple(path)):
                    resolved.append(items[tuple(resolved)])
            if item:
                items[tuple(resolved)] = items.get(tuple(resolved), -1) + 1
                resolved.append(items[tuple(resolved)])
            table, array = tuple(resolved), None
            out.append(line)
            continue
        scalar, opens, element = _SCALAR.fullmatch(line), _OPENS.fullmatch(line), _ELEMENT.fullmatch(line)
        note = ""
        if scalar:
            note = unit_of.get((*table, _key(scalar.group(1))), "")
        elif opens:
            array = ((*table, _key(opens.group(1))), -1)
        elif line == "]":
            array = None
        elif element and array is not None:
            array = (array[0], array[1] + 1)
            prefix = (*array[0], array[1])
            found = {k[-1]: u for k, u in unit_of.items() if len(k) == len(prefix) + 1 and k[:-1] == prefix}
            note = ", ".join(f"{k}: {u}" for k, u in found.items())
        out.append(f"{line}  # {note}" if note else line)
    return "\n".join(out) + "\n"
