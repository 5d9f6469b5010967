"""The JSON-lines agent protocol: one game, one lab played by a program over stdin/stdout.

One JSON object per line each way, each with a "type":

    game  -> {"type": "hello", "protocol": 1, "game": "agi-race", "version": ..., "lab": ...,
              "labs": [...], "scenario": ..., "seed": ..., "difficulty": ..., "last_week": ...,
              "actions": <JSON Schema of one action>}
    game  -> {"type": "observation", "week": N, "obs": {...}, "legal": [...]}      (each week)
    agent -> {"type": "act", "actions": [...]}                   (zero or more; the week ends)
    game  -> {"type": "error", "message": "..."}      (the week does not advance; send again)
    game  -> {"type": "end", "winner": ..., "reason": ..., "agi_week": ..., "score": ..., "scores": {...}}

An act is taken whole or not at all: its actions are decided in order exactly as a
player's are (`Session.decide`, `Session.offer`); the first one the game refuses undoes
the others (talks included) and is answered with an error naming it. End of input ends
the game where it stands (saved with `save_to`, like at the end).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from game.agents.actions import PROTOCOL, ActionError, Offer, parse_action
from game.agents.legal import legal
from game.agents.observe import observation, static_facts
from game.engine.limits import MAX_TERM_WEEKS
from game.engine.state import END_REASONS
from game.play.decisions import Refused
from game.play.session import Confirm, OfferReply, Session

MAX_LINE_BYTES = 1 << 20  # a longer line is refused unread
MAX_ACTIONS = 100  # actions in one act


class Protocol:
    """The game's side of the protocol for one lab: `start()` gives the first messages,
    `receive(line)` the answers to each line the agent sends."""

    def __init__(self, session: Session, lab: str, save_to: Path | None = None) -> None:
        self.session = session
        self.lab_id = lab
        self.lab = session.lab_index(lab)
        self.save_to = save_to
        self.refused = 0  # codes.* bits the engine refused or cut last week
        self.talks: tuple[OfferReply, ...] = ()
        self.ended = False

    # ---------------------------------------------------------------- messages
    def hello(self) -> dict[str, Any]:
        from game.agents.schema import game_version, shipped_schema

        s = self.session
        return {
            "type": "hello",
            "protocol": PROTOCOL,
            "game": "agi-race",
            "version": game_version(),
            "lab": self.lab_id,
            "labs": list(s.params.lab_ids),
            "scenario": s.scenario.name,
            "seed": s.scenario.meta.seed,
            "difficulty": s.scenario.meta.difficulty,
            "start_date": s.params.date_of(0).isoformat(),
            "last_week": s.params.last_week,
            **static_facts(s),
            "actions": shipped_schema(),
        }

    def observation(self) -> dict[str, Any]:
        s = self.session
        return {
            "type": "observation",
            "week": s.week,
            "obs": observation(s, self.lab, self.refused, self.talks),
            "legal": legal(s, self.lab),
        }

    def end(self) -> dict[str, Any]:
        s = self.session
        w = s.world
        winner = int(w.winner[0])
        agi = int(w.agi_week[0])
        scores = s.scores()
        return {
            "type": "end",
            "winner": s.params.lab_ids[winner] if winner >= 0 else None,
            "reason": END_REASONS[int(w.end_reason[0])] if s.over else "stopped",
            "agi_week": agi if agi >= 0 else None,
            "week": s.week,
            "score": round(scores[self.lab_id], 3),
            "scores": {lab: round(x, 3) for lab, x in scores.items()},
        }

    def start(self) -> list[dict[str, Any]]:
        if self.session.over:
            return [self.hello(), self.finish()]
        return [self.hello(), self.observation()]

    def finish(self) -> dict[str, Any]:
        """The game stops (over, or the agent's input ended): save it, then the end."""
        self.ended = True
        if self.save_to is not None:
            self.session.save(self.save_to)
        return self.end()

    # ------------------------------------------------------------------ input
    def receive(self, line: str | bytes) -> list[dict[str, Any]]:
        """The answer to one line: an error (nothing changed), or the next observation,
        or the end of the game."""
        if self.ended:
            return [error("the game is over")]
        try:
            self.take(line)
        except (ActionError, Refused) as why:
            return [error(str(why))]
        self.session.end_week()
        report = self.session.last_report
        self.refused = int(report.refused[0, self.lab]) if report is not None else 0
        if self.session.over:
            return [self.finish()]
        return [self.observation()]

    def take(self, line: str | bytes) -> None:
        """Read one act and decide its actions, without ending the week (the terminal game
        ends it for both labs). Raises ActionError or Refused, and then nothing changed."""
        self._act(self._read(line))

    def _read(self, line: str | bytes) -> list[tuple[Any, bool]]:
        if len(line) > MAX_LINE_BYTES:
            raise ActionError(f"line: longer than {MAX_LINE_BYTES:,} bytes")
        try:
            text = line.decode("utf-8") if isinstance(line, bytes) else line
            msg = json.loads(text, parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as why:
            raise ActionError(f"line: not one JSON object ({str(why)[:80]})") from None
        if not isinstance(msg, dict):
            raise ActionError('line: must be a JSON object with a "type"')
        if msg.get("type") != "act":
            raise ActionError(f'type: expected "act" (got {json.dumps(msg.get("type"))[:40]})')
        for key in msg:
            if key not in ("type", "actions"):
                raise ActionError(f"{str(key)[:40]}: not a field of an act (type, actions)")
        actions = msg.get("actions")
        if not isinstance(actions, list):
            raise ActionError(
                "actions: must be a list of actions (an empty list plays the week as it stands)"
            )
        if len(actions) > MAX_ACTIONS:
            raise ActionError(f"actions: at most {MAX_ACTIONS} in one act")
        catalog = self.session.catalog
        return [parse_action(a, catalog, f"actions[{i}]") for i, a in enumerate(actions)]

    def _act(self, actions: list[tuple[Any, bool]]) -> None:
        """Decide the actions in order; the first refusal undoes them all."""
        before = self.session.snapshot()
        talks: list[OfferReply] = []
        for i, (action, confirm) in enumerate(actions):
            where = f"actions[{i}] ({action.kind})"
            try:
                if isinstance(action, Offer):
                    self._check_offer(action, where)
                    talks.append(self.session.offer(self.lab, action.record()))
                else:
                    self.session.decide(self.lab, action, confirmed=confirm)
            except ActionError:
                self.session = before
                raise
            except Confirm as why:
                self.session = before
                raise Refused(f'{where}: {why} (add "confirm": true to go ahead)') from None
            except Refused as why:
                self.session = before
                raise Refused(f"{where}: {why}") from None
        self.talks = tuple(talks)

    def _check_offer(self, offer: Offer, where: str) -> None:
        """What an offer must name beyond its types (the save's limits on a logged offer)."""
        s = self.session
        if offer.invest is None:
            for name in ("gpu", "count", "weeks", "price"):
                if getattr(offer, name) is None:
                    raise ActionError(f"{where}.{name}: missing (a rental names gpu, count, weeks and price)")
        week = s.week
        if offer.start is not None and not week <= offer.start <= week + MAX_TERM_WEEKS:
            raise ActionError(f"{where}.start: must be a week from {week} (now) to {week + MAX_TERM_WEEKS}")
        if offer.contract is not None:
            slots = s.world.contract_partner[0, self.lab]
            if not 0 <= offer.contract < len(slots) or slots[offer.contract] < 0:
                raise ActionError(f"{where}.contract: there is no contract number {offer.contract}")


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number in JSON")


def error(message: str) -> dict[str, Any]:
    return {"type": "error", "message": message}


def dumps(message: dict[str, Any]) -> str:
    """One message as one line of JSON."""
    return json.dumps(message, separators=(",", ":"), allow_nan=False)


def bounded_lines(stream: IO[bytes], most: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The lines of a binary stream; a line longer than `most` bytes comes back as its
    first `most + 1` bytes (the rest is read and dropped), so memory stays bounded."""
    while line := stream.readline(most + 1):
        if len(line) > most and not line.endswith(b"\n"):
            while (rest := stream.readline(most + 1)) and not rest.endswith(b"\n"):
                pass
        yield line


def serve(protocol: Protocol, lines: Iterable[bytes], out: IO[str]) -> int:
    """Run the protocol over `lines` (the agent's input) and `out`; returns the exit code
    (0: the game ended, or the input did)."""

    def send(messages: list[dict[str, Any]]) -> None:
        for m in messages:
            out.write(dumps(m) + "\n")
        out.flush()

    send(protocol.start())
    for line in lines:
        if protocol.ended:
            break
        if not line.strip():
            continue
        send(protocol.receive(line))
    if not protocol.ended:
        send([protocol.finish()])
    return 0
