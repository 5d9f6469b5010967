"""Where the commands' results go: tables on stdout through rich (aligned, coloured on a
terminal, plain text when piped), and files checked before any work starts."""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table

from game.cli.usage import UsageError

PIPED_WIDTH = 200  # piped tables are never wrapped: a script reads one row per line
SEPARATORS = tuple(sep for sep in (os.sep, os.altsep) if sep)


def console() -> Console:
    """The console for results: stdout, no markup, emoji or highlighting in the game's
    text; as wide as the terminal, or wide enough for any table when piped."""
    out = Console(highlight=False, markup=False, emoji=False)
    if not out.is_terminal:
        out = Console(highlight=False, markup=False, emoji=False, width=PIPED_WIDTH)
    return out


def table(out: Console, *columns: str, numbers_from: int = 1) -> Table:
    """A results table: the first `numbers_from` columns are text (left), the rest figures
    (right). A rule under the header on a terminal; plain columns when piped."""
    grid = Table(
        box=box.SIMPLE_HEAD if out.is_terminal else None,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        collapse_padding=True,
    )
    for i, name in enumerate(columns):
        grid.add_column(name, justify="left" if i < numbers_from else "right", no_wrap=True)
    return grid


def show(out: Console, renderable: RenderableType) -> None:
    """Print a table: as rich draws it on a terminal; piped, as plain lines with no
    trailing blanks."""
    if out.is_terminal:
        out.print(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    sys.stdout.write(text + "\n")


def checked_output(text: str, flag: str) -> Path:
    """The file `text` names, once it is sure a result can be written there: its folder
    exists and takes new files, and the file is absent or a regular file that may be
    replaced. An empty name, a name ending in a separator (`out/`: a folder's), a device,
    a pipe, a folder, a missing folder or a read-only place is a UsageError now, before
    any work is done."""
    if not text:
        raise UsageError(f"{flag}: the file name is empty; name a file")
    if text.endswith(SEPARATORS):
        raise UsageError(f"{flag}: {text} names a folder (it ends in {text[-1]}); name a file")
    path = Path(text).expanduser()
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):  # absent, or its folder is missing
        mode = None
    except OSError as err:
        raise UsageError(f"{flag}: cannot use {text}: {err.strerror or err}") from None
    if mode is not None:
        if stat.S_ISDIR(mode):
            raise UsageError(f"{flag}: {text} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise UsageError(f"{flag}: {text} is not a regular file (a device or a pipe); name a file")
        if not os.access(path, os.W_OK):
            raise UsageError(f"{flag}: {text} is read-only")
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"{flag}: cannot write {text}: the folder {folder} {what}")
    try:  # the result is written beside its target, then renamed: that needs the folder
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".check", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise UsageError(f"{flag}: cannot write in {folder}: {err.strerror or err}") from None
    return path


# Every --json document is {"format": "agi-race/<command>", "version": N, ...}: N grows
# by one when a field changes meaning or goes away (new fields don't change it).
JSON_VERSIONS = {
    "simulate": 1, "summarise": 1, "tournament": 1, "forecast": 1, "calc-train": 1, "calc-power": 1, "offer": 1,
}  # fmt: skip


def add_json(parser: Any, what: str) -> None:
    """The one `--json [FILE]` flag: the result as JSON to FILE, or to stdout with `-` or
    with no FILE (then nothing else is printed)."""
    parser.add_argument(
        "--json",
        metavar="FILE",
        nargs="?",
        const="-",
        help=f"write {what} as JSON to FILE (- or no FILE: stdout; default: no JSON)",
    )


def json_target(args: Any) -> Path | None:
    """The checked file `--json` names, before any work starts (None: stdout or no JSON)."""
    return checked_output(args.json, "--json") if args.json not in (None, "-") else None


def envelope(command: str, doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` as a versioned document of `command`."""
    return {"format": f"agi-race/{command}", "version": JSON_VERSIONS[command], **doc}


def emit_json(command: str, doc: dict[str, Any], target: str | None, path: Path | None) -> bool:
    """`--json`: the document (in its envelope) on stdout when the flag says "-" (True:
    nothing else is printed), else written atomically to the checked `path` if there is
    one."""
    doc = envelope(command, doc)
    if target == "-":
        json.dump(doc, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return True
    if path is not None:
        from game.saves import write_atomic

        write_atomic(path, json.dumps(doc, indent=1).encode("utf-8"))
    return False
