"""Save files' names and what the loader reads (issue 20, items 5 and 6): a name made of
a save's fields never becomes a file name the system refuses, and two games saved at
once never take the same file."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import attrs
import pytest

from game import saves
from game.cli import main
from game.play.session import Session
from game.saves import SaveError, load_scenario, save_doc, write_save


# -------------------------------------------------------------- item 5: names
def test_an_origin_too_long_for_a_file_name_is_refused_with_one_line(
    colossus, world, catalog, tmp_path, capsys
):
    """Item 5: a 300-character origin passed check-save, then `play --load` and the
    title's Load crashed (OSError: File name too long) looking for the scenario."""
    doc = save_doc(colossus, world)
    doc["meta"]["origin"] = "x" * 300
    path = tmp_path / "long.toml"
    write_save(path, doc)
    assert main(["check-save", str(path)]) == 2
    err = capsys.readouterr().err
    assert "[meta] origin: must be at most 200 characters, got 300" in err and err.count("\n") == 1
    assert saves.describe(path, catalog).damaged


@pytest.mark.parametrize("origin", ["x" * saves.records.MAX_NAME, "../" * 60 + "etc", "a" + "/b" * 99])
def test_the_longest_origin_loads_and_plays_on(origin, colossus, world, catalog, tmp_path, monkeypatch):
    doc = save_doc(colossus, world)
    doc["meta"]["origin"] = origin
    path = tmp_path / "longest.toml"
    write_save(path, doc)
    monkeypatch.setenv("AGI_RACE_HOME", str(tmp_path / "home"))
    session = Session.load(path)  # its origin names no scenario: the history starts at the save
    session.end_week()
    saved = saves.save_new(session.document())
    assert saved.parent == saves.user_dir() and len(saved.name) < 120
    assert load_scenario(saved, catalog).origin == origin


@pytest.mark.parametrize("name", ["x" * 300, "a\x00b", "x" * 5000 + ".toml", "/" + "y" * 300 + "/z"])
def test_a_name_no_file_can_have_is_one_savesError(name, catalog):
    with pytest.raises(SaveError):
        load_scenario(name, catalog)


# -------------------------------------------------------------- item 6: unique names
def test_games_saved_in_the_same_second_never_overwrite_each_other(colossus, world, tmp_path):
    """Item 6: two games saved in the same second to one folder took the same name, and
    the second replaced the first. A new save takes its name exclusively."""
    now = dt.datetime(2026, 1, 15, 14, 30, 12)
    docs = [save_doc(attrs.evolve(colossus, meta=attrs.evolve(colossus.meta, game_id=f"game-{i}")), world)
            for i in range(6)]  # fmt: skip
    start = threading.Barrier(len(docs))
    written: dict[int, Path] = {}

    def save(i: int) -> None:
        start.wait()
        written[i] = saves.save_new(docs[i], tmp_path, now=now)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(docs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(written.values())) == len(docs)
    for i, path in written.items():
        assert saves.read_toml(path)["meta"]["game_id"] == f"game-{i}"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in written.values()
    )  # no leftovers


def test_a_new_file_never_replaces_one_that_exists(tmp_path):
    path = tmp_path / "a.toml"
    assert saves.write_new(path, b"one") == path
    assert saves.write_new(path, b"two") == tmp_path / "a-2.toml"
    assert path.read_bytes() == b"one" and (tmp_path / "a-2.toml").read_bytes() == b"two"


def test_saving_the_same_state_again_writes_nothing_new(colossus, world, tmp_path):
    doc = save_doc(colossus, world)
    first = saves.save_new(doc, tmp_path)
    assert saves.save_new(doc, tmp_path, text=saves.dumps(doc)) == first
    assert len(list(tmp_path.iterdir())) == 1


WRITER = """
import sys
from pathlib import Path
from game.saves.files import write_atomic, write_new
path, new = Path(sys.argv[1]), sys.argv[2] == "new"
versions = [bytes([65 + i]) * 3_000_000 for i in range(2)]
for k in range(10_000):
    if new:
        write_new(path, versions[k % 2])
    else:
        write_atomic(path, versions[k % 2])
    print(k, flush=True)
"""


@pytest.mark.parametrize("how", ["replace", "new"])
def test_kill_9_while_saving_leaves_every_save_whole(tmp_path, how):
    """Overwriting a game's own save stays atomic (a whole temporary file renamed over
    it) and a new save is linked whole to its name: a writer killed at any moment leaves
    each file as one whole version."""
    import os
    import signal
    import subprocess
    import sys

    path = tmp_path / "game.toml"
    whole = {bytes([65 + i]) * 3_000_000 for i in range(2)}
    for _ in range(3):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), how], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        for _ in range(2 + os.getpid() % 3):  # a few whole writes, then a kill mid-way through another
            child.stdout.readline()
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        saved = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
        assert saved and all(p.read_bytes() in whole for p in saved)
        for p in saved if how == "new" else []:
            p.unlink()
