"""The command-line contract (DESIGN 1): simulate and calc, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from game.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_simulate_prints_a_summary_table(capsys):
    code, out, err = run(capsys, "simulate", "--scenario", "2024-07-colossus", "--runs", "30", "--seed", "1")
    assert code == 0
    for lab in ("xai", "openai", "google"):
        assert lab in out
    assert "AGI in" in out and "wins" in out


def test_simulate_json_has_summary_and_one_record_per_game(capsys, tmp_path):
    path = tmp_path / "out.json"
    code, _, _ = run(
        capsys,
        "simulate",
        "--scenario",
        "2024-07-colossus",
        "--runs",
        "12",
        "--seed",
        "2",
        "--offset",
        "100",
        "--json",
        str(path),
    )
    assert code == 0
    doc = json.loads(path.read_text())
    assert doc["summary"]["games"] == 12
    assert [g["index"] for g in doc["games"]] == list(range(100, 112))
    game = doc["games"][0]
    assert game["winner"] in ("xai", "openai", "google")
    assert isinstance(game["agi_week"], int)
    for lab in ("xai", "openai", "google"):
        rec = game["labs"][lab]
        assert set(rec) >= {"cash", "compute", "capability", "bankrupt"}
    assert sum(doc["summary"]["win_rate"].values()) == pytest.approx(1.0)


def test_simulate_with_weeks_stops_early_with_no_winner(capsys):
    code, out, _ = run(
        capsys,
        "simulate",
        "--scenario",
        "2024-07-colossus",
        "--runs",
        "3",
        "--seed",
        "1",
        "--weeks",
        "4",
        "--json",
        "-",
    )
    doc = json.loads(out)
    assert all(g["winner"] is None and g["weeks"] == 4 and g["end"] == "running" for g in doc["games"])


def test_a_policy_flag_changes_how_a_lab_plays(capsys):
    args = [
        "simulate",
        "--scenario",
        "2024-07-colossus",
        "--runs",
        "5",
        "--seed",
        "4",
        "--weeks",
        "60",
        "--json",
        "-",
    ]
    _, default, _ = run(capsys, *args)
    _, partner, _ = run(capsys, *args, "--policy", "xai=partner")
    xai = [g["labs"]["xai"]["compute"] for g in json.loads(default)["games"]]
    xai_renting = [g["labs"]["xai"]["compute"] for g in json.loads(partner)["games"]]
    assert xai != xai_renting


def test_calc_train_reports_days_hours_energy_and_cost(capsys):
    code, out, _ = run(
        capsys, "calc", "train", "--gpu", "A100", "--count", "25000", "--flop", "2.1e25", "--json"
    )
    doc = json.loads(out)
    assert code == 0 and 67 < doc["days"] < 113
    assert doc["gpu_hours"] == pytest.approx(25000 * doc["days"] * 24)
    assert doc["energy_mwh"] > 0 and doc["rent_cost_usd"] > 0
    code, out, _ = run(capsys, "calc", "train", "--gpu", "GB200", "--count", "100000", "--flop", "2.1e25")
    assert code == 0 and "days" in out


def test_calc_train_mfu_override_scales_time(capsys):
    _, a, _ = run(
        capsys,
        "calc",
        "train",
        "--gpu",
        "H100",
        "--count",
        "1000",
        "--flop",
        "1e23",
        "--mfu",
        "0.2",
        "--json",
    )
    _, b, _ = run(
        capsys,
        "calc",
        "train",
        "--gpu",
        "H100",
        "--count",
        "1000",
        "--flop",
        "1e23",
        "--mfu",
        "0.4",
        "--json",
    )
    assert json.loads(a)["days"] == pytest.approx(2 * json.loads(b)["days"])


def test_calc_power_gives_the_megawatts(capsys):
    code, out, _ = run(capsys, "calc", "power", "--gpu", "GB200", "--count", "100000", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["mw"] == pytest.approx(100000 * doc["kw_per_gpu"] / 1000)
    assert {s["site"] for s in doc["sites"]} >= {"memphis", "abilene"}


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["simulate", "--scenario", "nope", "--runs", "1", "--seed", "1"], "unknown scenario"),
        (["simulate", "--scenario", "2024-07-colossus", "--runs", "0", "--seed", "1"], "--runs"),
        (["simulate", "--scenario", "2024-07-colossus", "--runs", "ten", "--seed", "1"], "--runs"),
        (["simulate", "--scenario", "2024-07-colossus", "--runs", "2", "--save-to", "x.toml"], "--runs 1"),
        (["simulate", "--scenario", "2024-07-colossus", "--runs", "1", "--seed", "-3"], "--seed"),
        (
            ["simulate", "--scenario", "2024-07-colossus", "--runs", "1", "--seed", "1", "--policy", "xai"],
            "LAB=STYLE",
        ),
        (
            [
                "simulate",
                "--scenario",
                "2024-07-colossus",
                "--runs",
                "1",
                "--seed",
                "1",
                "--policy",
                "meta=builder",
            ],
            "not in this scenario",
        ),
        (
            [
                "simulate",
                "--scenario",
                "2024-07-colossus",
                "--runs",
                "1",
                "--seed",
                "1",
                "--policy",
                "xai=yolo",
            ],
            "unknown style",
        ),
        (
            [
                "simulate",
                "--scenario",
                "2024-07-colossus",
                "--runs",
                "1",
                "--seed",
                "1",
                "--difficulty",
                "brutal",
            ],
            "difficulty",
        ),
        (
            ["simulate", "--scenario", "2024-07-colossus", "--runs", "1", "--seed", "1", "--weeks", "1e9"],
            "--weeks",
        ),
        (["calc", "train", "--gpu", "TPU", "--count", "1", "--flop", "1e20"], "unknown GPU"),
        (["calc", "train", "--gpu", "H100", "--count", "-5", "--flop", "1e20"], "--count"),
        (["calc", "train", "--gpu", "H100", "--count", "5", "--flop", "inf"], "--flop"),
        (["calc", "train", "--gpu", "H100", "--count", "5", "--flop", "1e20", "--mfu", "3"], "--mfu"),
        (["calc", "power", "--gpu", "H100"], "--count"),
        (["calc"], "train or power"),
        (["launch"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in err


def test_the_console_script_and_module_run(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "game", "calc", "power", "--gpu", "H100", "--count", "1000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "MW" in result.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "game", "simulate", "--runs", "x"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
