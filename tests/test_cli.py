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


@pytest.mark.slow
def test_simulate_prints_a_summary_table_and_json_has_one_record_per_game(capsys, tmp_path):
    """One simulation to the end of its games: the summary table on stdout, and the JSON
    file's summary and one record per game."""
    path = tmp_path / "out.json"
    code, out, _ = run(
        capsys,
        "simulate",
        "--scenario",
        "2024-07-colossus",
        "--runs",
        "4",
        "--seed",
        "2",
        "--offset",
        "100",
        "--json",
        str(path),
    )
    assert code == 0
    for lab in ("xai", "openai", "google"):
        assert lab in out
    assert "AGI in" in out and "wins" in out
    doc = json.loads(path.read_text())
    assert doc["summary"]["games"] == 4
    assert [g["index"] for g in doc["games"]] == list(range(100, 104))
    game = doc["games"][0]
    assert game["winner"] in ("xai", "openai", "google")
    assert isinstance(game["agi_week"], int) if game["end"] == "agi" else game["agi_week"] is None
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


# ---------------------------------------------------------------- issue 14: as a user sees it
COLOSSUS = ["--scenario", "2024-07-colossus"]


def on_a_terminal(*argv, stdout_tty=False, env=None, timeout=120):
    """Run `python -m game ARGV` with stderr (and stdout, if asked) on a pseudo-terminal
    of 120 x 40, as a person at a terminal would: (exit code, stdout text, stderr text)."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios

    def terminal():
        main_fd, child_fd = pty.openpty()
        fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        return main_fd, child_fd

    err_main, err_child = terminal()
    out_main, out_child = terminal() if stdout_tty else (None, subprocess.PIPE)
    clean = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES")}
    clean = {k: v for k, v in clean.items() if not k.startswith("TTY_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "game", *argv],
        stdin=subprocess.DEVNULL,
        stdout=out_child,
        stderr=err_child,
        env={**clean, "TERM": "xterm-256color", **(env or {})},
    )
    os.close(err_child)
    if stdout_tty:
        os.close(out_child)
    reading = {err_main: b"", (out_main if stdout_tty else proc.stdout.fileno()): b""}
    open_fds = list(reading)
    while open_fds:
        ready, _, _ = select.select(open_fds, [], [], timeout)
        if not ready:
            proc.kill()
            raise TimeoutError(argv)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal's other end closed
                data = b""
            if data:
                reading[fd] += data
            else:
                open_fds.remove(fd)
    code = proc.wait()
    out_fd = out_main if stdout_tty else proc.stdout.fileno()
    for fd in (err_main, out_main):
        if fd is not None:
            os.close(fd)
    return code, reading[out_fd].decode(), reading[err_main].decode()


@pytest.mark.slow
@pytest.mark.long
def test_long_work_shows_a_progress_bar_on_a_terminal_and_nothing_piped(tmp_path):
    argv = ["simulate", *COLOSSUS, "--runs", "16", "--seed", "1", "--chunk", "8", "--weeks", "8"]
    code, out, err = on_a_terminal(*argv, env={"AGI_RACE_HOME": str(tmp_path)})
    assert code == 0 and "xai" in out and "\x1b" not in out  # results piped: plain text
    assert "simulating" in err and "/16 games" in err and "games/s" in err and "ETA" in err
    assert "simulating: 16 games in" in err  # the bar gives way to one line
    code, _, quiet = on_a_terminal(*argv, "--quiet", env={"AGI_RACE_HOME": str(tmp_path)})
    assert code == 0 and quiet == ""
    piped = subprocess.run([sys.executable, "-m", "game", *argv], capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""


@pytest.mark.slow
def test_forecast_shows_its_progress_on_a_terminal(tmp_path):
    from tests.test_forecast import a_saved_game

    save = a_saved_game(tmp_path, 3)
    code, out, err = on_a_terminal("forecast", save, "--futures", "30", "--weeks", "12")
    assert code == 0 and "futures from week 3" in out
    assert "forecasting" in err and "/30 futures" in err and "forecasting: 30 futures in" in err


def test_tables_are_coloured_on_a_terminal_and_aligned_plain_text_when_piped(capsys):
    code, out, _ = on_a_terminal("calc", "power", "--gpu", "H100", "--count", "100000", stdout_tty=True)
    assert code == 0 and "\x1b[" in out and "memphis" in out
    code, piped, _ = run(capsys, "calc", "power", "--gpu", "H100", "--count", "100000")
    assert code == 0 and "\x1b" not in piped
    rows = piped.splitlines()[1:]
    header, body = rows[0], rows[1:]
    assert header.split()[:3] == ["site", "grid", "MW"] and len(body) == 7
    assert len({len(line) for line in [header, *body]}) == 1  # right-aligned figures end together
    assert all(not line.endswith(" ") for line in piped.splitlines())


@pytest.mark.slow
def test_progress_is_reported_within_a_chunk_and_across_processes(colossus, catalog):
    from game.batch.simulate import simulate

    heard = []
    simulate(colossus, catalog, runs=4, seed=1, weeks=6, chunk=4, progress=lambda d, t: heard.append((d, t)))
    assert len(heard) >= 6 and heard[-1] == (4, 4)  # every week of the one chunk, not just its end
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)
    heard.clear()
    simulate(
        colossus, catalog, runs=4, seed=1, weeks=6, workers=2, progress=lambda d, t: heard.append((d, t))
    )
    assert len(heard) >= 6 and heard[-1] == (4, 4) and all(t == 4 for _, t in heard)
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)


def test_a_forecast_reports_each_week_and_the_same_odds(colossus, params):
    import numpy as np

    from game.engine import forecast, policies
    from game.saves import initial_world

    world = initial_world(colossus, params, 1, seed=2)
    ctl = policies.make_controllers(world.params.catalog, params, {}, "normal", ai_labs=params.lab_ids)
    heard = []
    quiet = forecast.run(world, ctl, futures=16, weeks=8)
    told = forecast.run(world, ctl, futures=16, weeks=8, progress=lambda d, t: heard.append((d, t)))
    assert [t for _, t in heard] == [16] * 8 and heard[-1][0] == 16
    assert 0 < heard[0][0] < heard[1][0] < 16
    assert np.array_equal(quiet.win, told.win) and np.array_equal(quiet.agi_weeks, told.agi_weeks)


# ------------------------------------------------------------ outputs checked before work
@pytest.fixture
def no_simulation(monkeypatch):
    import game.batch.simulate

    def refuse(*args, **kwargs):
        raise AssertionError("the simulation ran before its outputs were checked")

    monkeypatch.setattr(game.batch.simulate, "simulate", refuse)


@pytest.mark.parametrize(
    "flag, target, needle",
    [
        ("--save-to", "/dev/full", "not a regular file"),
        ("--save-to", "/dev/null", "not a regular file"),
        ("--json", "/dev/full", "not a regular file"),
        ("--save-to", "{tmp}/no/such/folder/x.toml", "does not exist"),
        ("--json", "{tmp}/no/such/folder/x.json", "does not exist"),
        ("--save-to", "{tmp}", "is a folder"),
        ("--json", "{tmp}/a-file/x.json", "is not a folder"),
        ("--json", "{tmp}", "is a folder"),
        ("--json", "{tmp}/out/", "names a folder"),  # issue 20: wrote a file named `out`
        ("--save-to", "{tmp}/out/", "names a folder"),
        ("--json", "", "empty"),
        ("--save-to", "", "empty"),  # issue 20: saved nothing, silently
    ],
)
def test_bad_outputs_exit_2_before_any_simulation(capsys, tmp_path, no_simulation, flag, target, needle):
    (tmp_path / "a-file").write_text("x")
    target = target.format(tmp=tmp_path)
    code, out, err = run(capsys, "simulate", *COLOSSUS, "--runs", "1", "--seed", "1", flag, target)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err and flag in err
    assert not (tmp_path / "no").exists() and not (tmp_path / "out").exists()  # nothing made on the way


@pytest.mark.parametrize("target", ["", "{tmp}/out/", "{tmp}"])
def test_the_tournament_refuses_a_json_folder_or_no_name(capsys, tmp_path, target):
    code, out, err = run(capsys, "tournament", "--quick", "--json", target.format(tmp=tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1 and "--json" in err
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_is_refused_before_the_work(tmp_path):
    """As a user without write access (root keeps its other powers but loses the one that
    ignores file modes)."""
    import os
    import shutil

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root, and no setpriv to drop the power to ignore file modes")
        prefix = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]
    cases = {
        "--save-to": [
            "simulate",
            *COLOSSUS,
            "--runs",
            "1",
            "--seed",
            "1",
            "--save-to",
            str(locked / "x.toml"),
        ],
        "--json": ["simulate", *COLOSSUS, "--runs", "50000", "--seed", "1", "--json", str(locked / "x.json")],
    }
    for flag, args in cases.items():
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "game", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "AGI_RACE_HOME": str(tmp_path)},
        )
        assert result.returncode == 2 and result.stdout == "", result.stderr
        assert result.stderr.count("\n") == 1 and f"{flag}: cannot write in {locked}" in result.stderr
    assert list(locked.iterdir()) == []


def test_a_save_never_replaces_a_device_or_a_pipe(tmp_path, colossus, world):
    import os
    import stat

    from game.saves import SaveError, save_doc, write_save

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(SaveError, match="not a regular file"):
        write_save(pipe, save_doc(colossus, world))
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_outputs_still_written_where_they_may_be(capsys, tmp_path):
    save, out = tmp_path / "end.toml", tmp_path / "out.json"
    out.write_text("old")
    code, printed, _ = run(
        capsys, "simulate", *COLOSSUS, "--runs", "1", "--seed", "1", "--weeks", "2",
        "--save-to", str(save), "--json", str(out),
    )  # fmt: skip
    assert code == 0 and "saved the final state" in printed
    assert json.loads(out.read_text())["runs"] == 1 and "[meta]" in save.read_text()


def test_check_save_refuses_a_device_a_pipe_and_a_file_over_the_limit_at_once(tmp_path):
    """Issue 20: `check-save /dev/zero` read 5.3 GB in 5 s; a FIFO waited for a writer.
    Run in a process of its own, with its memory capped, so a regression fails, not hangs."""
    import os

    from game.saves import MAX_FILE_BYTES

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30));"
        "from game.cli import main; print([main([c, f]) for f in sys.argv[1:] for c in ('check-save', 'replay')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "/dev/zero", str(fifo), str(big)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "AGI_RACE_HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.stdout.strip() == str([2] * 6), result.stderr[-2000:]
    lines = result.stderr.splitlines()
    assert len(lines) == 6 and all(line.startswith("agi-race: error: ") for line in lines)
    assert "not a regular file" in lines[0] and "not a regular file" in lines[2]
    assert "too large" in lines[4] and f"{MAX_FILE_BYTES:,}" in lines[4]


# ------------------------------------------------------------ every flag honoured or refused
@pytest.fixture
def started(monkeypatch):
    """The session `play` would start, instead of running the app."""
    from game.tui.app import AgiRaceApp

    seen = {}

    def run_app(self):
        seen["session"] = self.session
        seen["autosave_every"] = self.autosave_every

    monkeypatch.setattr(AgiRaceApp, "run", run_app)
    monkeypatch.setattr("game.cli.play.has_terminal", lambda: True)  # as if at a terminal
    return seen


def test_play_without_a_terminal_exits_2_saying_so(tmp_path):
    """Issue 20: `agi-race` with no terminal drew the title screen into a pipe and waited
    for keys forever. check-save and simulate still work without one."""
    import os

    env = {**os.environ, "AGI_RACE_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "game"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "needs a terminal" in result.stderr


def test_play_with_flags_and_no_terminal_exits_2(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "__stdin__", io.StringIO(""))
    code, out, err = run(capsys, "play", "--lab", "openai", "--seed", "3")
    assert code == 2 and out == "" and err.count("\n") == 1 and "needs a terminal" in err
    from game.paths import scenarios_dir

    code, out, _ = run(capsys, "check-save", str(scenarios_dir() / "sandbox.toml"))
    assert code == 0 and "valid" in out


def test_play_flags_start_that_game_on_the_default_scenario(capsys, started):
    assert main(["play", "--lab", "openai", "--difficulty", "hard", "--seed", "5"]) == 0
    session = started["session"]
    assert session is not None and session.humans == ("openai",)
    assert session.scenario.name == "2024-07-colossus"
    assert session.scenario.meta.difficulty == "hard" and session.scenario.meta.seed == 5
    assert main(["play", "--seed", "9", "--autosave-every", "0"]) == 0
    assert started["session"].scenario.meta.seed == 9 and started["autosave_every"] == 0
    assert main(["play"]) == 0 and started["session"] is None  # no flags: the title screen


@pytest.mark.parametrize(
    "argv, needles",
    [
        (["play", "--load", "x.toml", "--lab", "openai"], ["--load", "--lab"]),
        (
            ["play", "--load", "x.toml", "--scenario", "sandbox", "--seed", "3"],
            ["--load", "--scenario", "--seed"],
        ),
        (["play", "--lab", "google"], ["--lab", "invalid choice"]),
        (["play", "--difficulty", "brutal"], ["--difficulty", "invalid choice"]),
        (
            [
                "offer",
                *COLOSSUS,
                "--lab",
                "openai",
                "--partner",
                "microsoft",
                "--gpu",
                "H100",
                "--invest",
                "5e9",
            ],
            ["--gpu", "--invest"],
        ),
        (
            ["offer", *COLOSSUS, "--lab", "xai", "--partner", "oracle", "--invest", "1e9", "--term", "52"],
            ["--term", "--invest"],
        ),
        (
            ["offer", *COLOSSUS, "--lab", "xai", "--partner", "oracle", "--share", "0.1"],
            ["--share", "--invest"],
        ),
    ],
)
def test_conflicting_flags_exit_2_naming_them(capsys, started, argv, needles):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert all(n in err for n in needles), err
    assert "session" not in started


def test_every_option_says_its_choices_and_default(catalog):
    import argparse

    from game.cli import build_parser

    def parsers(parser, path=()):
        yield path, parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    yield from parsers(child, (*path, name))

    checked = 0
    for path, parser in parsers(build_parser(catalog)):
        text = " ".join(parser.format_help().split())
        assert "default: none" not in text, path  # issue 20: a default is shown only where one exists
        for action in parser._actions:
            if not action.option_strings or action.nargs == 0 or action.dest in ("help", "version"):
                continue
            checked += 1
            formatter = parser._get_formatter()
            helptext = formatter._get_help_string(action) % {**vars(action), "prog": parser.prog}
            where = f"{' '.join(path)} {action.option_strings[-1]}"
            if action.default not in (None, []):
                assert "default" in helptext, where
            for choice in action.choices or ():
                assert str(choice) in text, (where, choice)
    assert checked > 30


def test_the_commands_in_the_help_have_no_default(capsys):
    """Issue 20: every command in `agi-race --help` ended in '(default: none)'."""
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    assert "simulate" in top and "check-save" in top and "(default" not in top
    with pytest.raises(SystemExit):
        main(["calc", "--help"])
    assert "(default" not in capsys.readouterr().out


def test_help_lists_the_names_a_user_may_type(capsys, catalog):
    for argv, names in (
        (
            ["simulate", "--help"],
            (*catalog.difficulty_ids, *catalog.style_ids, "2024-07-colossus", "sandbox"),
        ),
        (["offer", "--help"], (*catalog.partner_ids, *catalog.site_ids, "VR200 (Rubin)", "FEYNMAN")),
        (["calc", "train", "--help"], ("H100", "Rubin", "default: the GPU's")),
        (["play", "--help"], ("xai", "openai", "both", "hard")),
    ):
        with pytest.raises(SystemExit) as done:
            main(argv)
        help_text = " ".join(capsys.readouterr().out.split())
        assert done.value.code == 0 and all(n in help_text for n in names), (argv, help_text)


def test_version_is_the_installed_one(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"agi-race {version('agi-race')}"


def test_simulate_difficulty_per_lab(capsys, colossus, catalog):
    from game.batch.simulate import controllers, simulate
    from game.saves import scenario_params

    base = ["simulate", *COLOSSUS, "--runs", "6", "--seed", "3", "--weeks", "30", "--json", "-"]
    _, plain, _ = run(capsys, *base)
    _, per_lab, _ = run(capsys, *base, "--difficulty", "xai=hard", "--difficulty", "openai=easy")
    _, mixed, _ = run(
        capsys, *base, "--difficulty", "easy", "--difficulty", "xai=hard", "--difficulty", "openai=easy"
    )
    direct = simulate(
        colossus, catalog, runs=6, seed=3, weeks=30, difficulty={"xai": "hard", "openai": "easy"}
    )
    assert json.loads(per_lab)["games"] == direct.games != json.loads(plain)["games"]
    assert direct.controllers.difficulty == ("hard", "easy", colossus.meta.difficulty)
    assert json.loads(mixed)["games"] != json.loads(per_lab)["games"]  # google plays easy there
    params = scenario_params(colossus, catalog, humans=())
    assert controllers(colossus, catalog, params, difficulty={"google": "hard"}).difficulty == (
        colossus.meta.difficulty, colossus.meta.difficulty, "hard",
    )  # fmt: skip
    _, all_hard, _ = run(capsys, *base, "--difficulty", "hard")
    _, every_lab_hard, _ = run(
        capsys, *base, *[f"--difficulty={lab}=hard" for lab in ("xai", "openai", "google")]
    )
    assert json.loads(all_hard)["games"] == json.loads(every_lab_hard)["games"]


@pytest.mark.parametrize(
    "value, needle",
    [("xai=brutal", "unknown level 'brutal'"), ("meta=hard", "not in this scenario"), ("=hard", "LAB=LEVEL")],
)
def test_simulate_difficulty_bad_values(capsys, value, needle):
    code, out, err = run(capsys, "simulate", *COLOSSUS, "--runs", "1", "--difficulty", value)
    assert code == 2 and out == "" and err.count("\n") == 1 and needle in err and "--difficulty" in err


# ---------------------------------------------------------------------------- packaging
@pytest.mark.parametrize("typed, gpu", [("Rubin", "VR200"), ("feynman", "FEYNMAN"), ("h100", "H100"),
                                        ("GB200", "GB200"), ("nvidia h200 sxm", "H200")])  # fmt: skip
def test_gpus_by_id_or_common_name_any_case(capsys, typed, gpu):
    code, out, _ = run(capsys, "calc", "power", "--gpu", typed, "--count", "1000", "--json")
    assert code == 0 and json.loads(out)["gpu"] == gpu
    code, out, _ = run(capsys, "calc", "train", "--gpu", typed, "--count", "1000", "--flop", "1e24", "--json")
    assert code == 0 and json.loads(out)["gpu"] == gpu


def test_an_offer_takes_a_common_gpu_name(capsys):
    argv = ["offer", *COLOSSUS, "--lab", "xai", "--partner", "oracle", "--count", "10000", "--term", "52",
            "--price", "2.5", "--json", "--gpu"]  # fmt: skip
    _, by_id, _ = run(capsys, *argv, "H100")
    _, by_name, _ = run(capsys, *argv, "h100")
    assert json.loads(by_id) == json.loads(by_name)


def test_every_gpu_has_one_common_name(catalog):
    from game.catalog.names import common_name, find_gpu

    names = [common_name(g).casefold() for g in catalog.gpus]
    assert len(set(names)) == len(names)
    for g in catalog.gpus:
        for typed in (g.id, g.id.lower(), common_name(g), common_name(g).upper(), g.name):
            assert find_gpu(catalog, typed) is g
    with pytest.raises(LookupError, match=r"VR200 \(Rubin\)"):
        find_gpu(catalog, "TPU")


def test_the_license_is_the_one_pyproject_names():
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (root / "LICENSE").read_text().startswith("MIT License")


@pytest.mark.slow
def test_the_wheel_finds_its_own_data_whatever_lies_beside_it(tmp_path):
    """Build the wheel, unpack it as pip would into a site folder that also holds empty
    `saves/` and `assets/` folders, and play from it (issue 14: they hijacked the data)."""
    import os
    import zipfile
    from pathlib import Path

    pytest.importorskip("hatchling")
    root = Path(__file__).resolve().parent.parent
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(root)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("agi_race-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "game/_data/saves/2024-07-colossus.toml" in names and "game/_data/assets/gpus.toml" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith(("tests/", "saves/", "assets/", "benchmarks/")) for n in names)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    (site / "saves").mkdir()
    (site / "assets").mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "AGI_RACE_HOME": str(tmp_path / "home")}
    argv = ["simulate", *COLOSSUS, "--runs", "2", "--weeks", "3", "--seed", "1", "--json", "-"]
    played = subprocess.run(
        [sys.executable, "-m", "game", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert played.returncode == 0, played.stderr
    assert json.loads(played.stdout)["summary"]["games"] == 2
    where = subprocess.run(
        [sys.executable, "-c", "import game.paths as p; print(p.scenarios_dir()); print(p.assets_dir())"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert where.stdout.split() == [
        str(site / "game" / "_data" / "saves"),
        str(site / "game" / "_data" / "assets"),
    ]


def test_a_checkout_finds_its_own_top_level_data():
    from pathlib import Path

    from game.paths import assets_dir, scenarios_dir

    root = Path(__file__).resolve().parent.parent
    assert scenarios_dir() == root / "saves" and assets_dir() == root / "assets"


# ---------------------------------------------------------------- random command lines
FLAGS = {
    "simulate": ["--scenario", "--runs", "--weeks", "--seed", "--offset", "--policy", "--difficulty",
                 "--chunk", "--workers", "--json", "--save-to", "--quiet"],
    "calc train": ["--gpu", "--count", "--flop", "--mfu", "--json"],
    "calc power": ["--gpu", "--count", "--json"],
    "offer": ["--scenario", "--lab", "--partner", "--gpu", "--count", "--term", "--price", "--site",
              "--start-week", "--invest", "--share", "--seed", "--json"],
}  # fmt: skip
VALUES = ["1", "0", "-1", "2.5", "1e9", "1e400", "-0", "nan", "inf", "0x10", "", " ", "=", "--", "-",
          "H100", "rubin", "xai", "openai", "oracle", "hard", "xai=hard", "xai=yolo", "2024-07-colossus",
          "sandbox", "9" * 30, "out/", "/dev/null", "é", "💥"]  # fmt: skip


def _argv():
    from hypothesis import strategies as st

    def tokens(command: str):
        value = st.sampled_from(VALUES) | st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=6
        )
        flag = st.sampled_from([*FLAGS[command], "--nope", "-x"])
        pair = st.tuples(flag, value).map(list) | flag.map(lambda f: [f]) | value.map(lambda v: [v])
        return st.lists(pair, max_size=6).map(lambda ps: [*command.split(), *(t for p in ps for t in p)])

    return st.sampled_from(sorted(FLAGS)).flatmap(tokens)


def test_random_command_lines_end_in_one_line_or_work_never_a_traceback(tmp_path, monkeypatch):
    """Issue 20: a bad flag or number gets one line saying what and where, exit 2; never a
    traceback. A command line that would play games stops at the simulation (stubbed)."""
    from hypothesis import HealthCheck, given, settings

    import game.batch.simulate

    class Reached(Exception):
        pass

    def simulate(*args, **kwargs):
        raise Reached

    monkeypatch.setattr(game.batch.simulate, "simulate", simulate)
    monkeypatch.chdir(tmp_path)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_argv())
    def check(argv):
        import contextlib
        import io

        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(argv)
            except SystemExit as done:  # --help
                code = done.code
            except Reached:
                code = 0
        text = err.getvalue()
        assert "Traceback" not in text and code in (0, 1, 2), (argv, text)
        if code == 2:
            assert text.count("\n") == 1 and text.startswith("agi-race: error: "), (argv, text)

    check()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, not even a probe
