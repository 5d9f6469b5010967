"""Save files on disk: where they live, reading them safely, writing them atomically,
with each number's unit in a comment."""

from __future__ import annotations

import functools
import os
import re
import secrets
import stat
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from game.paths import scenarios_dir

# The largest file the game reads (a save, a scenario, the settings): a save of a whole
# 10,000-week game with heavy haggling is a few MiB.
MAX_FILE_BYTES = 16 * 1024 * 1024
# A TOML document as read from a file or about to be written to one: raw tables, before
# the schema (game/saves/records.py) structures them into records, or after it wrote them.
TomlDoc = dict[str, Any]


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


def config_dir() -> Path:
    """Where the player's settings and keymap live: $AGI_RACE_HOME (one folder for
    everything when the home is named), else the platform's config folder."""
    home = os.environ.get("AGI_RACE_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("agi-race", appauthor=False))


def config_file(name: str) -> Path:
    """A settings file in config_dir(). One kept by an older version beside the saves
    (the data folder) moves here the first time it is asked for; if it cannot move, it is
    read where it is."""
    path = config_dir() / name
    old = user_dir().parent / name
    if not path.exists() and old.exists() and old != path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            old.replace(path)
        except OSError:
            return old
    return path


def resolve(name: str | Path) -> Path:
    """A scenario's path from its short name (file stem in saves/ or the user's saves)
    or a path."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or _exists(candidate) or os.sep in str(name):
        return candidate
    for folder in (scenarios_dir(), user_dir()):
        found = folder / f"{name}.toml"
        if _exists(found):
            return found
    known = ", ".join(sorted(p.stem for p in scenarios_dir().glob("*.toml")))
    raise SaveError(f"unknown scenario {name!r} (shipped: {known})")


def _exists(path: Path) -> bool:
    """Whether `path` names something; a name no file can have (too long, a NUL in it)
    names nothing."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or one SaveError saying why
    not: a folder, a device, a pipe or a socket is refused before it is read (so
    `/dev/zero` or a FIFO never blocks or fills memory), and a larger file after reading
    at most `limit` + 1 bytes (a file that grows while read included)."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise SaveError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise SaveError(f"{path}: not a regular file (a device, pipe or socket); give a file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):  # replaced between the two looks
                raise SaveError(f"{path}: not a regular file (a device, pipe or socket); give a file")
            if info.st_size > limit:
                raise SaveError(f"{path}: {info.st_size:,} bytes is too large for a save (limit {limit:,})")
            raw = fh.read(limit + 1)
    except FileNotFoundError:
        raise SaveError(f"{path}: no such file") from None
    except PermissionError:
        raise SaveError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise SaveError(f"{path}: is a folder, not a file") from None
    except (OSError, ValueError) as err:  # ValueError: a NUL in the name
        raise SaveError(f"{path}: cannot read: {getattr(err, 'strerror', None) or err}") from None
    if len(raw) > limit:
        raise SaveError(f"{path}: more than {limit:,} bytes is too large for a save (limit {limit:,})")
    return raw


def read_toml(path: Path) -> TomlDoc:
    """The parsed TOML of a file (read by `read_bounded`), or one SaveError saying why it
    cannot be read."""
    raw = read_bounded(path)
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
    except RecursionError:
        raise SaveError(f"{path}: not valid TOML: nested too deeply") from None


def _writable(path: Path) -> None:
    """Refuse to write over a shipped scenario, a folder, a device or a pipe."""
    try:
        if path.resolve().is_relative_to(scenarios_dir().resolve()):
            raise SaveError(f"{path}: shipped scenarios are read-only; save under another name")
    except OSError:
        pass
    if _exists(path) and not path.is_file():  # never rename over a folder, a device or a pipe
        raise SaveError(f"{path}: not a regular file; save to a file")


def _temporary(folder: Path, name: str, data: bytes) -> Path:
    """`data` in a new hidden file of `folder`, on disk (fsync): a name of its own, so
    two writers (processes or threads) never share one."""
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = folder / f".{name[:64]}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that a crash leaves either the old file or the new one, whole
    (a temporary file in the same folder, fsync, rename over the old one)."""
    path = Path(path)
    _writable(path)
    tmp: Path | None = None
    try:
        tmp = _temporary(path.parent, path.name, data)
        os.replace(tmp, path)
        tmp = None
        _sync_folder(path.parent)
    except (OSError, ValueError) as err:
        raise SaveError(f"{path}: cannot write: {getattr(err, 'strerror', None) or err}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def write_new(path: Path, data: bytes, tries: int = 1000) -> Path:
    """Write `data` to a file that did not exist: `path`, or if another writer (this
    process or another) has taken that name, `<stem>-2<suffix>`, `-3`, ... Each name is
    taken exclusively and whole: the data is written to a temporary file first and linked
    to the name (which fails if the name exists), so no file is ever overwritten and a
    crash leaves no half-written save. Returns the path written."""
    path = Path(path)
    tmp: Path | None = None
    try:
        tmp = _temporary(path.parent, path.name, data)
        for n in range(1, tries + 1):
            target = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
            _writable(target)
            try:
                _take_name(tmp, target)
            except FileExistsError:
                continue
            _sync_folder(path.parent)
            return target
    except SaveError:
        raise  # says where and what already
    except (OSError, ValueError) as err:
        raise SaveError(f"{path}: cannot write: {getattr(err, 'strerror', None) or err}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    raise SaveError(f"{path}: cannot write: {tries} files of that name exist already")


def _take_name(tmp: Path, target: Path) -> None:
    """Give the finished file `tmp` the name `target`, only if no file has it
    (FileExistsError otherwise). A hard link does it in one step; where the file system
    has none, the name is created exclusively (O_EXCL) and then replaced."""
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network shares)
        pass
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.close(fd)
    os.replace(tmp, target)


def write_save(path: Path, doc: TomlDoc) -> None:
    write_atomic(path, dumps(doc).encode("utf-8"))


def dumps(doc: TomlDoc) -> str:
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


@functools.lru_cache(maxsize=4096)
def _key(token: str) -> str:
    return tomllib.loads(f"{token} = 0").popitem()[0]


def _header(line: str) -> tuple[tuple[str, ...], bool] | None:
    """The path a table header names, and whether it is an array of tables' item."""
    return _header_path(line) if line.startswith("[") else None


@functools.lru_cache(maxsize=4096)
def _header_path(line: str) -> tuple[tuple[str, ...], bool]:
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
    children: dict[tuple[str | int, ...], dict[str | int, str]] = {}  # a table's path: its keys' units
    for key, unit in unit_of.items():
        children.setdefault(key[:-1], {})[key[-1]] = unit
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
            note = ", ".join(f"{k}: {u}" for k, u in children.get(prefix, {}).items())
        out.append(f"{line}  # {note}" if note else line)
    return "\n".join(out) + "\n"
