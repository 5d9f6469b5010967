"""A crash never costs a week (issue 20).

When the app meets an exception nobody expected, it writes a rescue save of the game as
it stood before the player's last key or click (with that week's book of decisions, as
every save holds it), and a crash report (the traceback, the versions, the
last keys) next to the saves; it ends with one short message naming both files and a
non-zero exit. The next start offers to continue from the rescue save.

Files, in the saves folder (`user_dir()`):
- `rescue/<time>-week-NNNN.toml`: the rescue save, a save like any other;
- `crash-<time>.txt`: the report.
Once the player answers the offer (continue or not) the save moves into the saves folder
itself, where Load lists it. (Before saves held their week's book, a rescue wrote it
beside the save as `<same name>.book.json`; one left by an older game is still read.)

Writing the rescue never raises: each step that fails is named in the report and the
message, and the next one is tried.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import traceback
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs
from rich.text import Text

from game.catalog import Catalog
from game.play import kept
from game.play.decisions import Refused
from game.play.session import Session
from game.saves import SaveError, read_toml, user_dir, write_atomic, write_save

RESCUE_FOLDER = "rescue"
BOOK_SUFFIX = ".book.json"
KEYS_KEPT = 60  # the last keys and clicks a crash report lists


@attrs.frozen
class Crash:
    """What a crash left behind: the rescue save and the report (None where writing
    failed, with why in `problems`)."""

    error: str  # 'KeyError: 'hiring''
    save: Path | None
    report: Path | None
    week: int | None = None  # the rescued game's week
    problems: tuple[str, ...] = ()

    def message(self) -> str:
        """The few lines the player reads when the app has closed."""
        lines = [f"AGI Race stopped on an error it did not expect ({self.error})."]
        if self.save is not None:
            lines.append(
                f"Your game before your last key (week {self.week}) is saved; agi-race continues it:"
            )
            lines.append(f"  {self.save}")
        elif self.week is not None:
            lines.append("The game could not be saved: " + "; ".join(self.problems))
        if self.report is not None:
            lines.append("What happened, for a bug report:")
            lines.append(f"  {self.report}")
        else:
            lines.append("The crash report could not be written: " + "; ".join(self.problems))
        return "\n".join(lines)


class Crashed(Exception):
    """The exception Textual is handed after a rescue: it renders as the short message
    (Textual shows an exception's own rendering instead of a traceback)."""

    def __init__(self, crash: Crash) -> None:
        super().__init__(crash.message())
        self.crash = crash

    def __rich__(self) -> Text:
        return Text(self.crash.message())


def rescue_folder() -> Path:
    return user_dir() / RESCUE_FOLDER


def book_path(save: Path) -> Path:
    return save.with_name(save.name.removesuffix(".toml") + BOOK_SUFFIX)


def _stamp(now: dt.datetime) -> str:
    return f"{now:%Y%m%d-%H%M%S}"


def _free(folder: Path, stem: str, suffix: str) -> Path:
    """A file name in `folder` nobody holds yet (stem, stem-2, stem-3...)."""
    path, n = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}{suffix}", n + 1
    return path


def write_rescue(
    states: Iterable[Session | None],
    error: BaseException,
    trail: Sequence[str],
    now: dt.datetime | None = None,
) -> Crash:
    """Save the first of `states` that saves (the game before the failing action, then
    the game as it is), and write the report. Never raises."""
    now = now or dt.datetime.now()
    problems: list[str] = []
    saved: Path | None = None
    week: int | None = None
    rescued: Session | None = None
    for state in states:
        if state is None:
            continue
        try:
            week = state.week
            folder = rescue_folder()
            folder.mkdir(parents=True, exist_ok=True)
            path = _free(folder, f"{_stamp(now)}-week-{state.week:04d}", ".toml")
            write_save(path, state.document())
            saved, rescued = path, state
            break
        except Exception as err:  # the rescue of a crash must not crash
            problems.append(f"{type(err).__name__}: {err}")
    name = f"{type(error).__name__}: {error}"
    text = report_text(error, trail, rescued, saved, problems, now)
    report: Path | None = None
    for folder in (user_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = _free(folder, f"crash-{_stamp(now)}", ".txt")
            write_atomic(path, text.encode("utf-8", "replace"))
            report = path
            break
        except Exception as err:
            problems.append(f"report in {folder}: {type(err).__name__}: {err}")
    return Crash(name[:120], saved, report, week, tuple(problems))


def versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "platform": platform.platform()}
    for package in ("agi-race", "numpy", "textual", "rich"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def report_text(
    error: BaseException,
    trail: Sequence[str],
    state: Session | None,
    saved: Path | None,
    problems: Sequence[str],
    now: dt.datetime,
) -> str:
    """The crash report: what to send with a bug report (no local variables)."""
    lines = [f"AGI Race crash report, {now:%Y-%m-%d %H:%M:%S}", ""]
    lines += [f"{k}: {v}" for k, v in versions().items()]
    lines.append(f"command: {' '.join(sys.argv)}")
    lines += ["", f"rescue save: {saved or 'not written'}"]
    lines += [f"problem: {p}" for p in problems]
    if state is not None:
        lines.append(
            f"game: {state.scenario.name} ({state.scenario.meta.game_id}), week {state.week}, "
            f"humans {', '.join(state.humans) or 'none'}, seed {state.scenario.meta.seed}"
        )
        for lab in state.human_labs:
            for d in state.book(lab):
                lines.append(f"  booked by {state.params.lab_ids[lab]}: {d.label(state.params)}")
    lines += ["", f"last keys and clicks ({len(trail)}, oldest first):"]
    lines += [f"  {t}" for t in trail]
    lines += ["", "".join(traceback.format_exception(error)).rstrip(), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------- the book
def _legacy_book(path: Path) -> list[Any]:
    """The week's book an older game wrote beside its rescue save ([] if none)."""
    try:
        entries = json.loads(book_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as err:
        raise SaveError(f"{book_path(path)}: cannot read the week's book: {err}") from None
    return entries if isinstance(entries, list) else []


def rebook(session: Session, entries: list[Any]) -> tuple[int, list[str]]:
    """Book an older rescue's decisions again, through the session's own checks: how many
    were booked, and why the others were not."""
    booked, refused = 0, []
    for entry in entries:
        try:
            if not isinstance(entry, dict):
                raise Refused("not a decision")
            fields = dict(entry)
            lab, kind = str(fields.pop("lab", "")), str(fields.pop("kind", ""))
            if kind not in kept.DECISIONS or lab not in session.params.lab_ids:
                raise Refused(f"unknown decision {kind!r} of {lab!r}")
            session.decide(session.lab_index(lab), kept.DECISIONS[kind](**fields), confirmed=True)
            booked += 1
        except (Refused, TypeError, ValueError) as err:
            refused.append(str(err))
    return booked, refused


# -------------------------------------------------------------------- next start
def pending() -> Path | None:
    """The newest rescue save the player has not answered yet, if any."""
    dated = []
    try:
        for p in rescue_folder().glob("*.toml"):
            with contextlib.suppress(OSError):  # another game may have just taken it
                dated.append((p.stat().st_mtime_ns, p.name, p))
    except OSError:
        return None
    return max(dated)[2] if dated else None


def booked(path: Path) -> int:
    """How many decisions the rescue save's book holds (0 if it cannot be read)."""
    try:
        book = read_toml(path).get("book", [])
        return (len(book) if isinstance(book, list) else 0) or len(_legacy_book(path))
    except (SaveError, OSError):
        return 0


def settle(path: Path) -> Path:
    """The offer is answered: the save joins the saves folder (Load lists it) and its
    book goes. Returns where the save is now (where it was, if it cannot move)."""
    target = _free(user_dir(), f"rescue-{path.stem}", ".toml")
    try:
        os.replace(path, target)
    except OSError:
        return path  # it stays, with its book, and is offered again next time
    with contextlib.suppress(OSError):
        book_path(path).unlink(missing_ok=True)
    return target


def restore(path: Path, catalog: Catalog) -> tuple[Session, str]:
    """The rescued game with its week's book booked again, and what to tell the player.
    Raises SaveError if the save cannot be loaded."""
    session = Session.load(path, catalog)
    _, refused = rebook(session, _legacy_book(path))
    count = sum(len(session.book(lab)) for lab in session.human_labs)
    refused = [*session.load_refusals, *refused]
    note = f"Continued from the rescue save, week {session.week}"
    if count:
        note += f"; {count} of this week's decisions booked again"
    if refused:
        note += f"; {len(refused)} could not be: {refused[0]}"
    return session, note + "."
