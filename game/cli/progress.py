"""Progress of long work (simulate, forecast, tournaments) on stderr.

On a terminal: a rich progress bar with how much is done, the rate and the time left,
replaced when the work ends by one line saying how long it took. Piped, redirected or
with `--quiet`: nothing at all, so scripts read only the results.

    with progress_bar("simulating", "games", quiet=args.quiet) as report:
        simulate(..., progress=report)       # report(done, total), done may be fractional

A command that runs several pieces of work reports each under its own bar, one after
another (or one bar over the sum, if it knows the total up front).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

ProgressCallback = Callable[[float, int], None]
"""Called with (work done, total work); `done` may be fractional (a game half played)."""


def _nothing(done: float, total: int) -> None:
    return None


class _Count(ProgressColumn):
    def render(self, task: Task) -> Text:
        total = int(task.total or 0)
        return Text(f"{int(task.completed):,}/{total:,} {task.fields['unit']}", style="progress.download")


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        shown = "?" if speed is None else f"{speed:,.0f}" if speed >= 10 else f"{speed:.1f}"
        return Text(f"{shown} {task.fields['unit']}/s", style="progress.data.speed")


def stderr_console() -> Console:
    """The console progress goes to: stderr, highlighting off."""
    return Console(stderr=True, highlight=False)


def shows_progress(console: Console, quiet: bool = False) -> bool:
    """A bar is drawn only for a person watching: an interactive terminal, not `--quiet`.
    (A console on the real stderr must also be a tty: FORCE_COLOR asks for colour, not
    for a bar in a pipe.)"""
    if quiet or not console.is_interactive:
        return False
    return console.file is not sys.stderr or sys.stderr.isatty()


@contextmanager
def progress_bar(
    what: str, unit: str, *, quiet: bool = False, console: Console | None = None
) -> Iterator[ProgressCallback]:
    """A callback `report(done, total)` drawing a bar labelled `what`, counting `unit`
    (games, futures), on `console` (default: stderr). A no-op when `shows_progress` says
    no. When the block ends the bar gives way to one line: how much, how long, how fast."""
    console = console or stderr_console()
    if not shows_progress(console, quiet):
        yield _nothing
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        _Count(),
        _Rate(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = None
    reached = [0.0, 0]
    start = time.perf_counter()

    def report(done: float, total: int) -> None:
        nonlocal task
        if task is None:
            task = bar.add_task(what, total=total, unit=unit)
        bar.update(task, completed=done, total=total)
        reached[:] = [done, total]

    with bar:
        yield report
    seconds = time.perf_counter() - start
    done = int(reached[0])
    if done:
        rate = done / seconds if seconds > 0 else float("inf")
        console.print(f"{what}: {done:,} {unit} in {seconds:,.1f} s ({rate:,.0f} {unit}/s)")
