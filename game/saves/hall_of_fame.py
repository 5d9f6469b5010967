"""The local hall of fame: the best scores per scenario and difficulty, in
hall-of-fame.toml beside the saves.

The file is read like every other (one schema, every field checked). An entry that does
not check out is dropped from the board, and the file as it was is kept aside
(hall-of-fame.damaged-<time>.toml) before the board is written again: nothing a player
wrote or edited is lost, and nothing in it can stop the game.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs
import tomli_w

from game.catalog import Schema, num, text
from game.catalog.specs import Word, _field
from game.saves.files import SaveError, TomlDoc, read_toml, user_dir, write_atomic

KEEP = 20  # entries kept per scenario and difficulty


@attrs.frozen
class FameEntry:
    lab: str = _field(Word())
    score: float = num(-1e18, 1e18, "points")
    result: str = text()
    week: int = num(0, 10_000, "week", integer=True)
    game: str = _field(Word(), default="")  # the game's id: a game has one entry per lab


@attrs.frozen
class Board:
    """A scenario and difficulty's best scores, best first; `set_aside`: where a damaged
    file was kept, if it was."""

    entries: tuple[FameEntry, ...]
    set_aside: Path | None = None
    note: str = ""  # what happened to a damaged file, for the player


def hall_of_fame_path() -> Path:
    """Beside the saves folder, not in it: the load list holds games only; or the file
    $AGI_RACE_HALL_OF_FAME names (`agi-race serve` shares one among its visitors)."""
    shared = os.environ.get("AGI_RACE_HALL_OF_FAME")
    if shared:
        return Path(shared).expanduser()
    return user_dir().parent / "hall-of-fame.toml"


def read_hall_of_fame(path: Path) -> tuple[dict[str, list[FameEntry]], str]:
    """Every board in the file, with the entries that check out, and the first problem
    found ("" if none). A missing file is an empty hall of fame."""
    if not path.exists():
        return {}, ""
    try:
        data = read_toml(path)
    except SaveError as err:
        return {}, str(err)
    schema, problem = Schema(), ""
    boards: dict[str, list[FameEntry]] = {}
    for key, entries in data.items():
        if not isinstance(entries, list):
            problem = problem or f"{path} {key}: must be a list of entries"
            continue
        boards[key] = []
        for i, entry in enumerate(entries):
            try:
                boards[key].append(
                    schema.read(entry, FameEntry, str(path), ((key, True), (i, True)), SaveError)
                )
            except SaveError as err:
                problem = problem or str(err)
    return boards, problem


def record_score(
    origin: str, difficulty: str, results: Sequence[FameEntry], path: Path | None = None, keep: int = KEEP
) -> Board:
    """Add `results` to the board of this scenario and difficulty; return the board,
    best first. A damaged file is kept aside first; a folder that cannot be written
    leaves the board unsaved (the game goes on)."""
    path = Path(path) if path is not None else hall_of_fame_path()
    with _locked(path):  # games ending at once (a server's visitors) each add their scores
        return _record(path, origin, difficulty, results, keep)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path`'s lock file (beside it) while the board is read,
    changed and written; where no lock can be had (no fcntl, a read-only folder), go on
    unlocked: the board is written atomically either way."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115 - held for the block
    except (ImportError, OSError):
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            pass
        yield


def _record(path: Path, origin: str, difficulty: str, results: Sequence[FameEntry], keep: int) -> Board:
    boards, problem = read_hall_of_fame(path)
    set_aside, note = (_set_aside(path), "") if problem else (None, "")
    key = f"{origin}:{difficulty}"
    # A game played to its end again (its last save loaded) replaces its entry, not adds one.
    again = {(e.game, e.lab) for e in results if e.game}
    kept = [e for e in boards.get(key, []) if (e.game, e.lab) not in again]
    board = sorted([*kept, *results], key=lambda e: -e.score)[:keep]
    boards[key] = board
    if problem and set_aside is None:
        note = f"The hall of fame is damaged and could not be moved aside, so it was not updated ({problem})."
    else:
        if set_aside is not None:
            note = f"The hall of fame was damaged ({problem}); it is kept as {set_aside.name}."
        data: TomlDoc = {k: [Schema().write(e) for e in v] for k, v in boards.items()}
        try:
            write_atomic(path, tomli_w.dumps(data).encode("utf-8"))
        except SaveError:
            pass  # a read-only home folder must not end the game
    return Board(tuple(board), set_aside, note)


def _set_aside(path: Path) -> Path | None:
    """Keep a damaged file under a new name (None if it cannot be moved)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.damaged-{stamp}.toml")
    n = 2
    while target.exists():
        target, n = path.with_name(f"{path.stem}.damaged-{stamp}-{n}.toml"), n + 1
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target
