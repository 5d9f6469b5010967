"""The JSON-lines agent protocol (game/agents, `agi-race agent`): a game played by a random
legal agent finishes and its save replays; malformed and random lines are each answered
with one error and never advance the week; legal presets are accepted as a player's
decisions; the observation stays under 4 KB and shows rivals only through the fog."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.agents import features
from game.agents.actions import decision_kinds, parse_action
from game.agents.observe import OBS_MAX_BYTES
from game.agents.protocol import Protocol, bounded_lines, dumps, serve
from game.agents.schema import SCHEMA_FILE, generated
from game.catalog import default_catalog
from game.play import intel
from game.play.replay import replay
from game.play.session import Session
from game.saves import load_scenario, user_dir

ROOT = Path(__file__).resolve().parent.parent


def short_sandbox() -> Path:
    """The sandbox scenario ending after 20 weeks, among the player's saves (where a save's
    replay finds the scenario it started from): a whole game in a second."""
    text = (ROOT / "saves" / "sandbox.toml").read_text()
    lines = [("last_date = 2024-12-02" if ln.startswith("last_date") else ln) for ln in text.splitlines()]
    path = user_dir() / "short-sandbox.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def short_scenario() -> Path:
    return short_sandbox()


def new_protocol(scenario, lab="xai", seed=3, save_to=None) -> Protocol:
    session = Session.new(scenario, humans=(lab,), seed=seed)
    session.autosave_every = 0
    return Protocol(session, lab, save_to)


def act(actions) -> str:
    return json.dumps({"type": "act", "actions": actions})


def test_the_shipped_schema_is_generated_from_the_records():
    assert SCHEMA_FILE.read_text() == generated(), "run: python -m game.agents.schema"
    kinds = [shape["title"] for shape in json.loads(SCHEMA_FILE.read_text())["oneOf"]]
    assert kinds == list(decision_kinds())
    assert {"order", "halls", "run", "raise", "split", "offer"} <= set(kinds)


def test_a_random_legal_agent_plays_a_whole_game_and_its_save_replays(short_scenario, tmp_path):
    save = tmp_path / "agent.toml"
    proto = new_protocol(short_scenario, save_to=save)
    rng = random.Random(5)
    messages = proto.start()
    assert messages[0]["type"] == "hello" and messages[0]["protocol"] == 1
    assert messages[0]["actions"]["oneOf"]
    largest, weeks = 0, 0
    while messages[-1]["type"] == "observation":
        obs = messages[-1]
        largest = max(largest, len(dumps(obs["obs"]).encode()))
        picked = rng.sample(obs["legal"], min(len(obs["legal"]), rng.randint(0, 2)))
        kinds = [a["kind"] for a in picked]
        if len(set(kinds)) < len(kinds):  # two of a kind may not both go through: one a week
            picked = picked[:1]
        messages = proto.receive(act(picked))
        if messages[0]["type"] == "error":  # legal alone, not always together (money)
            assert len(picked) > 1, messages
            messages = proto.receive(act(picked[:1]))
        assert messages[0]["type"] != "error", messages
        weeks += 1
    end = messages[-1]
    assert end["type"] == "end" and end["reason"] in ("agi", "bankrupt", "time")
    assert set(end["scores"]) == {"xai", "openai"}
    assert largest <= OBS_MAX_BYTES
    ok, message = replay(load_scenario(save, default_catalog()), default_catalog())
    assert ok, message
    assert weeks >= 1


def test_every_legal_preset_is_taken_as_a_players_decision(short_scenario):
    proto = new_protocol(short_scenario, seed=4)
    for _ in range(2):
        obs = proto.observation()
        for action in obs["legal"]:
            snapshot = proto.session
            proto.session = snapshot.snapshot()
            record, confirm = parse_action(action, proto.session.catalog)
            if action["kind"] == "offer":
                proto.session.offer(proto.lab, record.record())
            else:
                proto.session.decide(proto.lab, record, confirmed=confirm)  # raises if refused
            proto.session = snapshot
        proto.receive(act([]))


def test_errors_name_the_field_and_leave_the_week_as_it_was(short_scenario):
    proto = new_protocol(short_scenario)
    proto.start()
    cases = {
        "not json": "line",
        "[1, 2]": "line",
        '{"type": "move"}': "type",
        '{"type": "act"}': "actions",
        '{"type": "act", "actions": [], "extra": 1}': "extra",
        act([{"kind": "bribe"}]): "actions[0].kind",
        act([{"kind": "order", "gpu": "H100", "vendor": "dell"}]): "actions[0].count",
        act([{"kind": "order", "gpu": "Z9", "vendor": "dell", "count": 5}]): "actions[0].gpu",
        act([{"kind": "order", "gpu": "H100", "vendor": "dell", "count": 1.5}]): "actions[0].count",
        act([{"kind": "halls", "site": "memphis", "mw": 10, "colour": "red"}]): "actions[0].colour",
        act([{"kind": "halls", "site": "memphis", "mw": 10}, {"kind": "order", "gpu": "H100", "vendor": "dell",
             "count": -5}]): "actions[1] (order)",
        act([{"kind": "offer", "partner": "oracle", "gpu": "H100", "count": 10, "weeks": 52, "price": 2.0,
             "start": -4}]): "actions[0] (offer).start",
        '{"type": "act", "actions": [{"kind": "halls", "site": "memphis", "mw": NaN}]}': "line",
    }  # fmt: skip
    for line, field in cases.items():
        answer = proto.receive(line)
        assert len(answer) == 1 and answer[0]["type"] == "error", (line, answer)
        assert answer[0]["message"].startswith(field), (line, answer)
        assert proto.session.week == 0 and proto.session.book(proto.lab) == [], line  # nothing changed


def _lines():
    legal = {"kind": "halls", "site": "memphis", "mw": 50.0}
    values = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        st.floats(allow_nan=False),
        st.text(max_size=8),
    )
    objects = st.dictionaries(st.sampled_from(["kind", "gpu", "vendor", "count", "site", "mw", "usd", "flop",
                                               "slot", "partner", "confirm", "x"]), values, max_size=5)  # fmt: skip
    kinds = st.sampled_from(sorted(decision_kinds()))
    actions = st.one_of(objects, st.builds(lambda k, o: {**o, "kind": k}, kinds, objects))
    refused = {"kind": "exit", "slot": 99}  # always refused: the act as a whole must leave no trace
    broken = st.builds(lambda a: json.dumps({"type": "act", "actions": [legal, a, refused]}), actions)
    raw = st.one_of(st.text(max_size=60), st.binary(max_size=60))
    nested = st.recursive(values, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c,
                                                                                        max_size=3), max_leaves=8)  # fmt: skip
    return st.one_of(broken, raw, nested.map(json.dumps))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=_lines())
def test_random_and_malformed_lines_each_get_one_error(short_scenario, line):
    proto = _fuzzed(short_scenario)
    answer = proto.receive(line)
    assert len(answer) == 1 and answer[0]["type"] == "error", (line, answer)
    assert "internal" not in answer[0]["message"]
    assert proto.session.week == 0 and proto.session.book(proto.lab) == []


_FUZZED: dict[Path, Protocol] = {}


def _fuzzed(scenario: Path) -> Protocol:
    if scenario not in _FUZZED:
        _FUZZED[scenario] = new_protocol(scenario)
    return _FUZZED[scenario]


def test_end_of_input_ends_the_game_cleanly(short_scenario, tmp_path):
    out = io.StringIO()
    proto = new_protocol(short_scenario, save_to=tmp_path / "cut.toml")
    assert serve(proto, iter([act([]).encode(), b"\n"]), out) == 0
    sent = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [m["type"] for m in sent] == ["hello", "observation", "observation", "end"]
    assert sent[-1]["reason"] == "stopped" and sent[-1]["week"] == 1
    assert replay(load_scenario(tmp_path / "cut.toml", default_catalog()), default_catalog())[0]


def test_a_long_line_is_cut_and_refused():
    stream = io.BytesIO(b"x" * 5000 + b"\n" + act([]).encode() + b"\n")
    lines = list(bounded_lines(stream, most=100))
    assert len(lines) == 2 and len(lines[0]) == 101 and lines[1].startswith(b'{"type"')


def test_rivals_are_seen_through_the_fog(short_scenario):
    """The observation's and the features' rival estimates are intel's, never the truth."""
    proto = new_protocol(short_scenario)
    s = proto.session
    rival = intel.rival_views(s.turn(0))[0]
    seen = proto.observation()["obs"]["rivals"][0]
    assert seen["gpus_est"] == pytest.approx(rival.gpus, rel=1e-3)
    from game.engine import compute

    true_gpus = float(compute.lab_flops(s.params, s.world)[2][0, 1])
    assert abs(rival.gpus / true_gpus - 1) > 1e-6  # an estimate, not the truth
    names = features.names(s.params.n_labs)
    vector = features.features(s.world, 0)[0]
    assert vector[names.index("r1_gpus_est_slog")] == pytest.approx(features.slog(rival.gpus), rel=1e-5)


def _registered() -> bool:
    from game.cli import COMMANDS, agent

    return agent in COMMANDS


@pytest.mark.slow
@pytest.mark.long
@pytest.mark.skipif(not _registered(), reason="`agent` is not in game/cli/__init__.py's COMMANDS yet")
def test_agi_race_agent_command_plays_and_saves(short_scenario, tmp_path):
    """The command itself: an example agent's game to its end, a save `replay` verifies."""
    save = tmp_path / "game.toml"
    agent = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / "scripted_agent.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    game = subprocess.Popen(
        [sys.executable, "-m", "game", "agent", "--lab", "openai", "--scenario", str(short_scenario),
         "--save-to", str(save)],
        stdin=agent.stdout, stdout=agent.stdin, stderr=subprocess.PIPE,
    )  # fmt: skip
    agent.stdin.close()  # the two processes hold the pipes now: each sees the other's end
    agent.stdout.close()
    _, err = game.communicate(timeout=120)
    assert game.returncode == 0, err.decode()
    assert agent.wait(timeout=30) == 0
    check = subprocess.run(
        [sys.executable, "-m", "game", "replay", str(save)], capture_output=True, timeout=120
    )
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()


def test_an_agent_process_is_refused_a_few_times_then_idle_and_garbage_ends_it(tmp_path):
    """`play --agent`'s driver: refused acts get errors up to the cap, then the week goes on
    without the agent's decisions; a week of lines that are no acts at all ends the agent."""
    from game.agents.process import AgentGone, AgentProcess

    session = Session.new(humans=("xai", "openai"))
    script = tmp_path / "agent.py"
    script.write_text(  # three acts ordering a GPU nobody sells, then garbage
        "import json, sys\n"
        "bad = {'type': 'act', 'actions': [{'kind': 'order', 'gpu': 'X1', 'vendor': 'x', 'count': 1}]}\n"
        "answers = 0\n"
        "for line in sys.stdin:\n"
        "    if json.loads(line)['type'] in ('observation', 'error'):\n"
        "        print(json.dumps(bad) if answers < 3 else 'garbage', flush=True)\n"
        "        answers += 1\n"
    )
    agent = AgentProcess(f"{sys.executable} {script}", "openai", retries=2)
    try:
        result, note = agent.week(session.snapshot())
        assert note and "3 answers refused" in note and "actions[0]" in note
        assert result.book(1) == [] and agent.gone is None
        with pytest.raises(AgentGone, match="no act lines"):
            agent.week(session.snapshot())
        assert agent.gone and agent.proc is not None and agent.proc.poll() is not None
    finally:
        agent.close()
