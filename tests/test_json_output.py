"""One --json for every command: `--json FILE` writes the result to FILE, `--json -` or a
bare `--json` prints it alone on stdout, and every document says what it is and its
version: {"format": "agi-race/<command>", "version": N, ...}."""

from __future__ import annotations

import json

import pytest

from game.cli import main
from game.cli.output import JSON_VERSIONS

COMMANDS = {
    "calc-train": ["calc", "train", "--gpu", "H100", "--count", "1000", "--flop", "1e24"],
    "calc-power": ["calc", "power", "--gpu", "H100", "--count", "1000"],
    "offer": ["offer", "--scenario", "2024-07-colossus", "--lab", "xai", "--partner", "oracle", "--gpu", "H100",
              "--count", "1000", "--term", "52", "--price", "3"],
    "simulate": ["simulate", "--scenario", "2024-07-colossus", "--runs", "2", "--weeks", "3", "--seed", "1"],
    "forecast": ["forecast", "2024-07-colossus", "--futures", "4", "--weeks", "3"],
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_json_document_names_its_format_and_version(command, capsys, tmp_path):
    assert main([*COMMANDS[command], "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)  # nothing but the document on stdout
    assert printed["format"] == f"agi-race/{command}" and printed["version"] == JSON_VERSIONS[command]
    target = tmp_path / "out.json"
    assert main([*COMMANDS[command], "--json", str(target)]) == 0
    written = json.loads(target.read_text())
    capsys.readouterr()  # with a file, the usual text is printed too
    assert written.keys() == printed.keys() and written["format"] == printed["format"]
    assert main([*COMMANDS[command], "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == f"agi-race/{command}"


def test_a_json_file_in_a_missing_folder_is_refused_before_any_work(capsys, tmp_path):
    assert main([*COMMANDS["calc-power"], "--json", str(tmp_path / "no" / "out.json")]) == 2
    said = capsys.readouterr()
    assert "does not exist" in said.err and said.out == ""
