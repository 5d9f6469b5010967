"""An agent program playing one lab of a person's game (`agi-race play --agent LAB=COMMAND`):
the protocol of `agi-race agent` (protocol.py) over a child process's stdin and stdout,
one week at a time. No Textual: the terminal app calls `week` from a worker thread.

Each week the agent gets the observation and answers with an act, decided exactly as a
player's decisions are. A refused answer gets an error and the agent answers again, up to
`retries` times; then the lab plays the week with no new decisions (no error is sent for
the last refusal: the agent's next message is the next week's observation). A process
that ends, cannot start, stays silent `timeout` seconds or answers a week with no act
line at all (garbage) is gone: its lab plays on idle.
"""

from __future__ import annotations

import json
import queue
import shlex
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

from game.agents.actions import ActionError
from game.agents.protocol import Protocol, bounded_lines, dumps, error
from game.play.decisions import Refused
from game.play.session import Session

RETRIES = 3  # refused answers in a week the agent may correct before its lab plays idle
ANSWER_SECONDS = 120.0  # an agent silent this long for one answer is taken for hung


class AgentGone(Exception):
    """The agent's process ended, hung, or could not start; its lab plays on idle."""


class AgentProcess:
    """One agent program for one lab, started at its first week."""

    def __init__(
        self,
        command: str,
        lab: str,
        retries: int = RETRIES,
        timeout: float = ANSWER_SECONDS,
        stderr: Path | None = None,
    ) -> None:
        self.command = command
        self.argv = shlex.split(command)
        self.lab = lab
        self.retries = retries
        self.timeout = timeout
        self.stderr = stderr  # where the agent's stderr goes (None: nowhere; it would tear the screen)
        self.proc: subprocess.Popen[bytes] | None = None
        self.protocol: Protocol | None = None
        self.gone: str | None = None  # why the agent no longer plays
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- process
    def _start(self) -> None:
        if not self.argv:
            raise AgentGone("the agent's command is empty")
        err: IO[bytes] | int = subprocess.DEVNULL
        try:
            if self.stderr is not None:
                try:
                    self.stderr.parent.mkdir(parents=True, exist_ok=True)  # a new home has none yet
                    err = self.stderr.open("ab")
                except OSError:
                    err = subprocess.DEVNULL  # no log, but the agent still plays
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        except OSError as why:
            raise AgentGone(f"{self.argv[0]} could not start ({why.strerror or why})") from None
        finally:
            if not isinstance(err, int):
                err.close()  # the child holds its own copy
        threading.Thread(target=self._read_all, args=(self.proc,), daemon=True).start()

    def _read_all(self, proc: subprocess.Popen[bytes]) -> None:
        """The agent's lines, as they come, into the queue; None at their end."""
        assert proc.stdout is not None
        try:
            for line in bounded_lines(proc.stdout):
                self._lines.put(line)
        except (OSError, ValueError):
            pass
        self._lines.put(None)

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((dumps(message) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (OSError, ValueError):
            raise AgentGone(self._ended()) from None

    def _answer(self) -> bytes:
        while True:
            try:
                line = self._lines.get(timeout=self.timeout)
            except queue.Empty:
                raise AgentGone(f"no answer in {self.timeout:g} s") from None
            if line is None:
                raise AgentGone(self._ended())
            if line.strip():
                return line

    def _ended(self) -> str:
        code = self.proc.poll() if self.proc is not None else None
        return "its process ended" + (f" (exit code {code})" if code is not None else "")

    def _drain(self) -> None:
        """Drop lines the agent sent after its last answer was taken (they answer nothing)."""
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return
            if line is None:
                raise AgentGone(self._ended())

    # ------------------------------------------------------------------ weeks
    def week(self, session: Session) -> tuple[Session, str | None]:
        """The agent's decisions for this week, taken on `session` (a snapshot the caller
        owns): the session that holds them (a refused act leaves a copy in its place), and
        a line for the news when every answer was refused. Raises AgentGone, also when
        no answer was an act at all (the agent writes garbage)."""
        with self._lock:
            if self.gone:
                raise AgentGone(self.gone)
            try:
                return self._week(session)
            except AgentGone as why:
                self.gone = self.gone or str(why)
                self._stop()
                raise AgentGone(self.gone) from None

    def _week(self, session: Session) -> tuple[Session, str | None]:
        if self.proc is None:
            self._start()
        proto = self.protocol
        if proto is None:
            proto = self.protocol = Protocol(session, self.lab)
            self._send(proto.hello())
        proto.session = session
        report = session.last_report
        proto.refused = int(report.refused[0, proto.lab]) if report is not None else 0
        self._drain()
        self._send(proto.observation())
        proto.talks = ()
        acts = 0  # answers that were acts at all (the rest is garbage)
        last = ""
        for attempt in range(self.retries + 1):
            line = self._answer()
            acts += _is_act(line)
            try:
                proto.take(line)
                return proto.session, None
            except (ActionError, Refused) as why:
                if attempt < self.retries:
                    self._send(error(str(why)))
                last = str(why)
        if not acts:
            raise AgentGone(f"it writes no act lines ({last[:80]})")
        name = session.lab_name(proto.lab)
        return proto.session, (
            f"{name} (agent): {self.retries + 1} answers refused; it plays this week with no new "
            f"decisions (last: {last[:120]})"
        )

    def finish(self, session: Session) -> None:
        """The game is over: tell the agent the result, then end its process."""
        with self._lock:
            if self.protocol is not None and not self.gone:
                self.protocol.session = session
                try:
                    self._send(self.protocol.end())
                except AgentGone:
                    pass
            self.gone = self.gone or "the game is over"
        self.close()

    def close(self) -> None:
        """End the process (its input closes first; one that lingers is killed). Safe to
        call from any thread, at any time, more than once."""
        self.gone = self.gone or "closed"
        self._stop()

    def _stop(self) -> None:
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _is_act(line: bytes) -> bool:
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(message, dict) and message.get("type") == "act"
