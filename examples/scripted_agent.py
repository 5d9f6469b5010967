"""A scripted AGI Race agent in plain Python: the JSON-lines protocol, line by line.

Run it against the game (the game reads the agent's stdout and writes to its stdin):

    mkfifo /tmp/to_agent
    agi-race agent --lab xai --save-to my_game.toml < /tmp/to_agent | python examples/scripted_agent.py > /tmp/to_agent

Its strategy is simple: keep a training run going, keep GPUs coming while there is
money for them, build halls for them, and raise money before it runs out. It picks
its actions from the week's `legal` list, so the game takes every one of them.
"""

import json  # the protocol is one JSON object per line, each way
import sys  # the game is on the other end of stdin and stdout
from typing import Any  # type hints only: an action is a plain dict

Action = dict[str, Any]  # {"kind": ..., field: value}, as the game writes it in "legal"

RUNWAY_FLOOR_WEEKS = 20  # below this many weeks of runway, raise money first


def send(message: dict[str, Any]) -> None:
    """Write one message as one line and flush it (the game waits for whole lines)."""
    sys.stdout.write(json.dumps(message) + "\n")  # one object, one line
    sys.stdout.flush()  # without this the line may sit in a buffer and both sides wait


def first(legal: list[Action], kind: str, **match: Any) -> Action | None:
    """The first legal action of `kind` whose fields equal `match`, or None."""
    for action in legal:  # legal: concrete actions the game would take now, each alone
        if action["kind"] == kind and all(action.get(k) == v for k, v in match.items()):
            return action
    return None


def largest(legal: list[Action], kind: str, field: str) -> Action | None:
    """The legal action of `kind` with the largest `field` (e.g. the biggest order)."""
    options = [a for a in legal if a["kind"] == kind]  # every preset of that kind
    return max(options, key=lambda a: a[field]) if options else None


def choose(obs: dict[str, Any], legal: list[Action], gpus: dict[str, Any]) -> list[Action]:
    """This week's actions: a list of action objects (may be empty). `gpus` is hello's
    table of each GPU's fixed figures (PFLOP/s, kW), which observations leave out."""
    lab = obs["lab"]  # our own lab, in full (rivals are in obs["rivals"], as estimates)
    actions: list[Action] = []
    runway = lab["runway_wk"]  # weeks our cash and credit last; None means no limit
    if runway is not None and runway < RUNWAY_FLOOR_WEEKS:
        money = largest(legal, "raise", "usd") or largest(legal, "borrow", "usd")
        if money:
            actions.append(money)  # a round takes weeks to close: ask early
            return actions  # spend nothing else in a week short of money
    if not any(run["phase"] == "training" for run in lab["runs"]):  # no run under way
        run = largest(legal, "run", "flop")  # the longest run today's compute allows
        if run:
            actions.append(run)
    if lab["warehouse_gpus"] > 0:  # GPUs waiting for powered halls: build more halls
        halls = largest(legal, "halls", "mw")
        if halls:
            actions.append(halls)
    elif lab["on_order_gpus"] == 0:  # nothing on order: buy the best GPU on sale
        best = max(obs["market"], key=lambda g: gpus[g["gpu"]]["pflops"], default=None)  # on sale now
        order = best and first(legal, "order", gpu=best["gpu"])
        if order and not order.get("confirm"):  # "confirm" marks a low-runway action: skip it
            actions.append(order)
    return actions


def main() -> int:
    gpus: dict[str, Any] = {}  # each GPU's fixed figures, from hello
    for line in sys.stdin:  # the game's messages, one per line
        message = json.loads(line)
        kind = message["type"]
        if kind == "hello":  # the game, our lab, the GPUs and sites, the JSON Schema of actions
            gpus = message["gpus"]
            print(f"playing {message['lab']} in {message['scenario']}", file=sys.stderr)
        elif kind == "observation":  # a new week: answer it with exactly one act
            send({"type": "act", "actions": choose(message["obs"], message["legal"], gpus)})
        elif kind == "error":  # the act was refused whole; the week waits for another
            print(f"refused: {message['message']}", file=sys.stderr)
            send({"type": "act", "actions": []})  # play the week without new decisions
        elif kind == "end":  # the result: winner, reason, AGI week, our score
            print(
                f"winner {message['winner']} ({message['reason']}), score {message['score']}", file=sys.stderr
            )
            return 0
    return 0  # the game closed its end first


if __name__ == "__main__":
    sys.exit(main())
