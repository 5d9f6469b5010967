"""The player's saves folder: file names made only from sanitised parts, autosaves kept
per game, and the list a load screen shows (grouped by game, damaged files marked).

A game has an id (`[meta] game_id`, made by `new_game_id` when a new game starts; a file
without one belongs to the game of its origin and seed). A save is named by the scenario
it started from, the lab, the week and when it was written, so no two games, nor two
branches of one game, overwrite each other; saving the same state again reuses its file.
Autosaves keep the last five of a game (by when they were written) and never touch
another game's.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path

import attrs

from game.catalog import Catalog
from game.saves.files import SaveError, TomlDoc, dumps, user_dir, write_atomic, write_new

KEEP_AUTOSAVES = 5
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def new_game_id(now: dt.datetime | None = None) -> str:
    """A new game's id: when it started (UTC) and a random part, e.g.
    20260115-143012-3fa2c1 (a plain word, safe in a file name)."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def safe_part(text: str, fallback: str = "game", limit: int = 40) -> str:
    """`text` as a piece of a file name: letters, digits, - and _ only (anything else,
    slashes and dots included, becomes one -), at most `limit` characters."""
    part = _UNSAFE.sub("-", str(text)).strip("-_")[:limit].strip("-_")
    return part or fallback


def game_key(doc: TomlDoc) -> str:
    """The game a save document belongs to, as a piece of a file name."""
    meta = doc.get("meta", {})
    key = meta.get("game_id") or f"{meta.get('origin', '')}-{meta.get('seed', '')}"
    return safe_part(key, limit=64)


def save_name(origin: str, lab: str, week: int, when: dt.datetime) -> str:
    """A save's file name: scenario, lab, week and time written, all sanitised."""
    return f"{safe_part(origin)}-{safe_part(lab, 'lab')}-week-{int(week):04d}-{when:%Y%m%d-%H%M%S}.toml"


def _same_state(doc: TomlDoc, folder: Path, data: bytes) -> Path | None:
    """The file of `folder` that already holds exactly `data` (a save of `doc`), if any."""
    meta = doc["meta"]
    lab = (meta.get("humans") or meta.get("labs") or ["lab"])[0]
    stem = f"{safe_part(meta.get('origin', ''))}-{safe_part(lab, 'lab')}-week-{int(meta['week']):04d}-"
    try:
        candidates = sorted(folder.glob(f"{stem}*.toml")) if folder.is_dir() else []
    except OSError:
        return None
    for old in candidates:
        try:
            if old.stat().st_size == len(data) and old.read_bytes() == data:
                return old
        except OSError:
            continue
    return None


def _new_name(doc: TomlDoc, folder: Path, now: dt.datetime | None) -> Path:
    meta = doc["meta"]
    lab = (meta.get("humans") or meta.get("labs") or ["lab"])[0]
    path = folder / save_name(meta.get("origin", ""), lab, meta["week"], now or dt.datetime.now())
    if path.resolve().parent != folder.resolve():
        raise SaveError(f"{path}: a save name must stay in {folder}")
    return path


def save_path(doc: TomlDoc, folder: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Where a save of `doc` would go in `folder` (default: the user's saves): the file
    that already holds exactly this state, or a name no file has now. To write a save,
    use `save_new`, which takes its name exclusively (another game may take this one
    before it is written)."""
    folder = Path(folder) if folder is not None else user_dir()
    same = _same_state(doc, folder, dumps(doc).encode("utf-8"))
    if same is not None:
        return same
    path, n = _new_name(doc, folder, now), 2
    base = path
    while path.exists():
        path, n = base.with_name(f"{base.stem}-{n}.toml"), n + 1
    return path


def save_new(
    doc: TomlDoc, folder: Path | None = None, now: dt.datetime | None = None, text: str | None = None
) -> Path:
    """Save `doc` in `folder` (default: the user's saves), as ctrl+s does, and return its
    file: the one that already holds exactly this state (nothing is written), else a new
    file named by `save_name`, taken exclusively (files.write_new: `-2`, `-3`, ... if
    another game, in this process or another, has the name), so no two games ever
    overwrite each other. `text`: `dumps(doc)`, if the caller has it (the text is built
    once). Touches nothing but the folder: a worker thread may call it."""
    folder = Path(folder) if folder is not None else user_dir()
    data = (dumps(doc) if text is None else text).encode("utf-8")
    same = _same_state(doc, folder, data)
    if same is not None:
        return same
    return write_new(_new_name(doc, folder, now), data)


def autosave(
    doc: TomlDoc, folder: Path | None = None, keep: int = KEEP_AUTOSAVES, text: str | None = None
) -> Path:
    """Write this game's autosave for its week (atomically: over its own autosave of the
    week, if any) and keep the newest `keep` autosaves of this game (by when they were
    written); other games' autosaves are left alone. `text`: `dumps(doc)`, if the caller
    has it. A worker thread may call it."""
    folder = Path(folder) if folder is not None else user_dir() / "autosave"
    key = game_key(doc)
    path = folder / f"{key}-week-{int(doc['meta']['week']):04d}.toml"
    write_atomic(path, (dumps(doc) if text is None else text).encode("utf-8"))
    mine = re.compile(rf"{re.escape(key)}-week-[0-9]+\.toml")
    ours = [p for p in folder.iterdir() if mine.fullmatch(p.name)]
    ours.sort(key=lambda p: (_written(p), p.name))
    for old in ours[:-keep] if keep > 0 else ours:
        if old != path:
            old.unlink(missing_ok=True)
    return path


def _written(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


# ------------------------------------------------------------------- load list
@attrs.frozen
class SaveInfo:
    """One file of the load list: what it is, or why it cannot be loaded."""

    path: Path
    autosave: bool
    written: dt.datetime
    game: str = ""  # the game's id ("" if damaged)
    title: str = ""  # the scenario's title
    lab: str = ""  # the (first) human lab's name
    date: dt.date | None = None  # in the game
    week: int = 0
    cash: float = 0.0  # the lab's cash, USD
    problem: str = ""  # why it cannot be loaded ("" if it can)

    @property
    def damaged(self) -> bool:
        return bool(self.problem)

    def line(self) -> str:
        kind = "autosave" if self.autosave else "save"
        if self.damaged:
            return f"{self.path.name}: damaged ({self.problem})"
        when = f"{self.date:%d %b %Y}" if self.date else "?"
        return f"{self.lab} week {self.week} ({when}) ${self.cash / 1e9:,.1f}B · {kind} {self.written:%d %b %H:%M:%S}"


@attrs.frozen
class GameSaves:
    """The saves and autosaves of one game, newest first."""

    game: str
    title: str
    lab: str
    saves: tuple[SaveInfo, ...]


def describe(path: Path, catalog: Catalog, autosave: bool = False) -> SaveInfo:
    """What the load list shows of one file."""
    from game.saves.parse import load_scenario

    written = dt.datetime.fromtimestamp(_written(path) / 1e9)
    try:
        scn = load_scenario(path, catalog)
    except SaveError as err:
        return SaveInfo(path, autosave, written, problem=str(err).removeprefix(str(path)).lstrip(": "))
    lab = scn.humans[0] if scn.humans else scn.lab_ids[0]
    cash = scn.labs[lab].cash + scn.labs[lab].sub_dollar.get("cash", 0.0)
    return SaveInfo(
        path, autosave, written, game=scn.game_id, title=scn.meta.title, lab=catalog.lab(lab).name,
        date=scn.date, week=scn.meta.week, cash=cash,
    )  # fmt: skip


def list_saves(catalog: Catalog, folder: Path | None = None) -> list[GameSaves]:
    """The user's saves and autosaves grouped by game, the most recently played game
    first; damaged files in a group of their own (game "")."""
    folder = Path(folder) if folder is not None else user_dir()
    files = [(p, False) for p in _tomls(folder)] + [(p, True) for p in _tomls(folder / "autosave")]
    infos = [describe(path, catalog, auto) for path, auto in files]
    groups: dict[str, list[SaveInfo]] = {}
    for info in infos:
        groups.setdefault(info.game, []).append(info)
    out = []
    for game, items in groups.items():
        items.sort(key=lambda i: i.written, reverse=True)
        first = next((i for i in items if not i.damaged), items[0])
        out.append(GameSaves(game, first.title, first.lab, tuple(items)))
    out.sort(key=lambda g: (g.game == "", -g.saves[0].written.timestamp()))
    return out


def _tomls(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".toml" and not p.name.startswith("."))
    except OSError:
        return []
