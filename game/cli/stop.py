"""Stopping when asked: SIGINT (ctrl+c) and SIGTERM (`kill`, a job scheduler, a closing
terminal's session) end a command at once, with its worker processes, and one line.

The commands that play many games (simulate, forecast, tournament) share them among
worker processes (`--workers`). Python's default SIGTERM ends only the parent and leaves
the workers playing on as orphans; its KeyboardInterrupt unwinds through the pool, which
waits for the games under way. Within `stopping()` either signal stops every worker
process of this one first, then raises `Stopped` (SIGTERM) or KeyboardInterrupt (SIGINT)
in the main thread; `main` prints one line and exits 128 + the signal's number (130 for
SIGINT, 143 for SIGTERM), as a shell expects. A second signal while unwinding, or an
unwinding that takes longer than `GRACE_SECONDS`, ends the process there and then.
"""

from __future__ import annotations

import _thread
import multiprocessing
import os
import select
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import InvalidStateError
from contextlib import contextmanager
from multiprocessing import resource_tracker
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 5.0  # the longest a stopped command may take to unwind before it is ended
JOIN_SECONDS = 1.0  # how long a worker has to end after SIGTERM before it is killed
POLL_SECONDS = 0.05  # how often the watcher looks whether its block has ended


class Stopped(BaseException):
    """A signal asked the command to stop (a BaseException, like KeyboardInterrupt, so
    that no `except Exception` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def stop_workers() -> None:
    """End every worker process this process started (multiprocessing's children: the
    pools' workers), SIGTERM first, then SIGKILL for any still there after a moment."""
    children = multiprocessing.active_children()
    for child in children:
        try:
            child.terminate()
        except (OSError, ValueError):  # already gone, or already closed
            pass
    for child in children:
        try:
            child.join(JOIN_SECONDS)
            if child.is_alive():
                child.kill()
                child.join(JOIN_SECONDS)
        except (OSError, ValueError, AssertionError):
            pass


def _end_now(signum: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(128 + signum)


@contextmanager
def stopping() -> Iterator[None]:
    """SIGINT and SIGTERM stop the block's worker processes and then the block (see the
    module's doc). Outside the main thread, where handlers cannot be set, a no-op.

    SIGINT is blocked in the main thread for the block, and so in every thread and
    process it starts (a blocked signal stays blocked across exec): ctrl+c, which the
    terminal sends to the workers too, never reaches them, so none of them prints a
    traceback whatever it was doing (importing, idle, playing). SIGTERM is left to reach
    the workers (it ends them silently: Python does not catch it).

    In this process a watcher thread stops the workers as soon as either signal comes,
    while the main thread may be waiting for their results: it hears them through the
    signal module's wakeup file (whichever thread the signal reached, such as a maths
    library's) or, when no thread would take SIGINT, by waiting for it. The main thread's
    handler then raises KeyboardInterrupt (SIGINT) or `Stopped` (SIGTERM); a second
    signal after that, or an unwinding longer than `GRACE_SECONDS`, ends the process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # a signal ignored from the start (a script's `cmd &`) stays ignored
    wanted = {signum for signum in SIGNALS if signal.getsignal(signum) is not signal.SIG_IGN}
    if not wanted:
        yield
        return
    watched = wanted & {signal.SIGINT}
    raised: list[int] = []
    deadline: list[threading.Timer] = []
    lock = threading.Lock()
    done = threading.Event()

    def hear(signum: int) -> None:
        with lock:
            stop_workers()
            if not deadline:
                timer = threading.Timer(GRACE_SECONDS, _end_now, (signum,))
                timer.daemon = True
                timer.start()
                deadline.append(timer)

    def handler(signum: int, frame: FrameType | None) -> None:
        hear(signum)
        if raised:  # asked again while unwinding: no more waiting
            _end_now(signum)
        raised.append(signum)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Stopped(signum)

    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)

    def watch() -> None:
        while not done.is_set():
            ready, _, _ = select.select([wake_read], [], [], POLL_SECONDS)
            if ready:  # the handler is due in the main thread; the workers go now
                for signum in os.read(wake_read, 64):
                    if signum in wanted and not done.is_set():
                        hear(signum)
            elif watched and (info := signal.sigtimedwait(watched, 0)) is not None:
                if not done.is_set():  # pending, no thread took it: hand it on
                    hear(info.si_signo)
                    _thread.interrupt_main(signal.Signals(info.si_signo))

    def quiet_broken_pool(args: threading.ExceptHookArgs) -> None:
        # CPython 3.11's process pool, broken by the stopped workers, marks futures the
        # unwinding main thread has already cancelled and its manager thread dies with a
        # traceback (InvalidStateError); after a stop that is expected and says nothing
        if raised and args.exc_type is InvalidStateError:
            return
        old_excepthook(args)

    old_excepthook = threading.excepthook
    threading.excepthook = quiet_broken_pool
    # multiprocessing's resource tracker unblocks SIGINT and SIGTERM in the thread that
    # first starts it (after blocking them to start it): started now, it never will
    resource_tracker.ensure_running()
    previous = {signum: signal.signal(signum, handler) for signum in wanted}
    old_wakeup = signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, watched)
    watcher = threading.Thread(target=watch, name="signals", daemon=True)
    watcher.start()
    try:
        yield
    except BaseException:
        stop_workers()  # any worker started while the signal was heard, or left by a failure
        raise
    finally:
        done.set()
        os.write(wake_write, b"\0")  # no signal's number: wakes the watcher to see `done`
        watcher.join()
        for signum, old in previous.items():
            if old is not None:
                signal.signal(signum, old)
        signal.set_wakeup_fd(old_wakeup)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal still pending goes to the old handler
        os.close(wake_read)
        os.close(wake_write)
        threading.excepthook = old_excepthook
        for timer in deadline:  # unwound in time
            timer.cancel()
