"""Issue 20: SIGINT and SIGTERM stop a command's worker processes and exit 130/143 with
one line (SIGTERM left the workers of `simulate --workers 2` playing on as orphans)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or not hasattr(os, "pidfd_open"),
    reason="reads /proc, waits on pidfds",
)

# as `agi-race`, with ctrl+c heard even if the test runner ignores it (a child inherits that)
LAUNCH = "import runpy, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); runpy.run_module('game', run_name='__main__')"


def children(pid: int) -> dict[int, str]:
    """The living children of `pid` and their command lines, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def wait_for_exit(pids: set[int], timeout: float) -> set[int]:
    """Wait until every process in `pids` has ended (a pidfd turns readable when its
    process ends, zombie or reaped), at most `timeout` seconds: those still running."""
    fds = {}
    for pid in pids:
        try:
            fds[os.pidfd_open(pid)] = pid
        except ProcessLookupError:  # gone already
            pass
    deadline = time.monotonic() + timeout
    try:
        while fds and time.monotonic() < deadline:
            ended, _, _ = select.select(list(fds), [], [], deadline - time.monotonic())
            for fd in ended:
                os.close(fd)
                del fds[fd]
        return set(fds.values())
    finally:
        for fd in fds:
            os.close(fd)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_workers_and_exits_with_one_line(tmp_path, signum):
    argv = ["simulate", "--scenario", "2024-07-colossus", "--runs", "2000", "--chunk", "20",
            "--workers", "2", "--seed", "1", "--quiet"]  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a shell's job
        env={**os.environ, "AGI_RACE_HOME": str(tmp_path)},
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline:  # until both workers exist
            try:
                proc.wait(timeout=0.05)  # looks again soon, or at once if the command ended
                break
            except subprocess.TimeoutExpired:
                workers = {p for p, cmd in children(proc.pid).items() if "multiprocessing.spawn" in cmd}
        assert len(workers) >= 2, "no workers started"
        everyone = set(children(proc.pid))  # the workers and multiprocessing's resource tracker
        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)  # ctrl+c: the terminal signals the whole group
        else:
            proc.send_signal(signum)  # `kill PID`: the command alone
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("agi-race: ")
    assert wait_for_exit(everyone, timeout=10) == set(), "orphaned worker processes"


def test_stopping_restores_the_signal_handling_it_found():
    from game.cli.stop import stopping

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, ())
    with pytest.raises(ValueError), stopping():
        assert signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, ())  # workers never hear ctrl+c
        raise ValueError
    assert {s: signal.getsignal(s) for s in before} == before
    assert signal.pthread_sigmask(signal.SIG_BLOCK, ()) == mask
    assert signal.set_wakeup_fd(-1) == -1


def test_a_pool_broken_by_a_stop_dies_without_a_traceback(monkeypatch):
    """Python 3.11's process pool, broken by the stopped workers, may try to fail a future
    the unwinding command had already cancelled: its thread's InvalidStateError printed a
    traceback above the one line (seen under load: 2 runs in 6)."""
    import threading
    from concurrent.futures import InvalidStateError

    from game.cli.stop import Stopped, stopping

    told: list[type[BaseException]] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: told.append(args.exc_type))

    def broken_pool() -> None:
        raise InvalidStateError("CANCELLED: <Future state=cancelled>")

    def in_a_thread(target) -> None:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()

    with pytest.raises(Stopped), stopping():
        in_a_thread(broken_pool)  # before any signal: told as ever
        try:
            os.kill(os.getpid(), signal.SIGTERM)  # its handler raises as the call returns
            signal.pause()  # (not reached)
        except Stopped:
            in_a_thread(broken_pool)  # after the stop: expected, said nowhere
            in_a_thread(lambda: 1 / 0)  # any other error still is
            raise
    assert told == [InvalidStateError, ZeroDivisionError]
    in_a_thread(broken_pool)  # the block's hook is gone with it
    assert told == [InvalidStateError, ZeroDivisionError, InvalidStateError]
