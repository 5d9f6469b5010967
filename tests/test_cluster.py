"""Batch work on other executors (issue 26): the Executor seam gives the same results on
Dask as on one process, and shards written to disk summarise as the games in memory."""

from __future__ import annotations

import concurrent.futures as cf
import json
import sys

import numpy as np
import pytest

from game.batch import shards, tournament
from game.batch.simulate import summarise
from game.cli import main
from game.engine import deals
from game.engine.state import END_REASONS
from game.saves import scenario_params

SIM = ["simulate", "--scenario", "2024-07-colossus", "--runs", "15", "--weeks", "8", "--seed", "4"]


def stdout_of(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_percentiles_merged_over_parts_are_numpys():
    rng = np.random.default_rng(1)
    cases = [
        rng.normal(size=1001) * 1e9,
        rng.integers(100, 140, size=333).astype(float),  # many ties
        np.array([5.0]),
        np.array([-2.5, 7.0]),
        np.concatenate([rng.lognormal(40, 2, size=500), -rng.lognormal(20, 1, size=77)]),
    ]
    qs = (10.0, 50.0, 90.0)
    for values in cases:
        cuts = sorted(rng.integers(0, len(values), size=3))
        parts = np.split(values, cuts)
        ranks = shards.percentile_ranks(len(values), qs)
        got = shards.select(
            lambda parts=parts: iter({"v": p} for p in parts), {"v": [r for a, b, _ in ranks for r in (a, b)]}
        )
        merged = [shards._lerp(got["v"][a], got["v"][b], g) for a, b, g in ranks]
        assert merged == [float(x) for x in np.percentile(values, qs)]


def fake_columns(rng, first: int, games: int, labs: int, partners: int, events: int) -> dict[str, np.ndarray]:
    agi = np.where(rng.random(games) < 0.6, rng.integers(90, 300, games), -1)
    return {
        "index": np.arange(first, first + games),
        "winner": rng.integers(-1, labs, games),
        "end": rng.integers(0, len(END_REASONS), games),
        "agi_week": agi,
        "weeks": rng.integers(100, 300, games),
        **{
            k: rng.normal(size=(games, labs)) * 1e10
            for k in ("cash", "debt", "valuation", "software", "users")
        },
        "compute": rng.lognormal(50, 1, size=(games, labs)),
        "capability": np.round(rng.normal(28, 1, size=(games, labs)), 2),
        "bankrupt": rng.random((games, labs)) < 0.05,
        "founder_share": rng.random((games, labs)),
        "score": rng.random((games, labs)),
        "signed": rng.integers(0, 3, (games, labs, partners)) * (rng.random((games, labs, partners)) < 0.3),
        "answers": rng.integers(0, 4, (games, len(deals.ANSWERS), len(deals.REASONS))),
        "events": rng.integers(0, 2, (games, events)) * (rng.random((games, events)) < 0.2),
    }


def records(cols: dict[str, np.ndarray], params) -> list[dict]:
    """What simulate.game_records says of the same games (the fields summarise reads)."""
    labs, partners = params.lab_ids, params.partner_ids
    cards = [c.id for c in params.catalog.events]
    out = []
    for b in range(len(cols["index"])):
        w, agi = int(cols["winner"][b]), int(cols["agi_week"][b])
        out.append({
            "winner": labs[w] if w >= 0 else None,
            "end": END_REASONS[int(cols["end"][b])],
            "agi_week": agi if agi >= 0 else None,
            "labs": {lab: {"cash": float(cols["cash"][b, i]), "compute": float(cols["compute"][b, i]),
                           "capability": float(cols["capability"][b, i]), "bankrupt": bool(cols["bankrupt"][b, i])}
                     for i, lab in enumerate(labs)},
            "deals": {lab: {q: int(cols["signed"][b, i, k]) for k, q in enumerate(partners) if cols["signed"][b, i, k]}
                      for i, lab in enumerate(labs)},
            "answers": {f"{deals.ANSWERS[a]}:{deals.REASONS[r]}": int(cols["answers"][b, a, r])
                        for a, r in zip(*np.nonzero(cols["answers"][b]), strict=True)},
            "events": {card: int(cols["events"][b, c]) for c, card in enumerate(cards) if cols["events"][b, c]},
        })  # fmt: skip
    return out


def test_shards_on_disk_summarise_as_the_games_in_memory(tmp_path, colossus, catalog):
    params = scenario_params(colossus, catalog, humans=())
    rng = np.random.default_rng(3)
    sizes, first, games = [700, 1, 299, 1000], 50, []
    for n in sizes:
        cols = fake_columns(rng, first, n, params.n_labs, len(params.partner_ids), len(catalog.events))
        shards.write_shard(tmp_path, cols, first)
        games += records(cols, params)
        first += n
    shards.write_manifest(tmp_path, {
        "scenario": "fake", "seed": 1, "offset": 50, "runs": sum(sizes), "weeks": None,
        "start_date": params.start_date.isoformat(), "labs": list(params.lab_ids),
        "partners": list(params.partner_ids), "events": [c.id for c in catalog.events],
    })  # fmt: skip
    _, merged = shards.summarise_dir(tmp_path)
    assert json.dumps(merged) == json.dumps(summarise(params, games))
    (tmp_path / shards.shard_name(751, 299)).unlink()
    with pytest.raises(shards.SaveError, match="games 751..1,049 are missing"):
        shards.summarise_dir(tmp_path)


def test_simulate_shard_out_and_summarise_give_the_in_memory_summary(tmp_path, capsys):
    memory = json.loads(stdout_of(capsys, *SIM, "--chunk", "6", "--json", "-"))
    out = tmp_path / "shards"
    on_disk = json.loads(stdout_of(capsys, *SIM, "--chunk", "6", "--shard-out", str(out), "--json", "-"))
    again = json.loads(stdout_of(capsys, "summarise", str(out), "--json", "-"))
    assert len(list(out.glob("shard-*.npz"))) == 3
    assert json.dumps(on_disk["summary"]) == json.dumps(again["summary"]) == json.dumps(memory["summary"])
    assert "games" not in on_disk
    assert main([*SIM, "--shard-out", str(out)]) == 2  # a folder with another run's shards
    assert "holds another run's shards" in capsys.readouterr().err


def test_dask_gives_the_same_json_as_one_process(capsys):
    distributed = pytest.importorskip("distributed")
    one = stdout_of(capsys, *SIM, "--chunk", "5", "--json", "-", "--workers", "1")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=50,
    ) as cluster:
        dask = stdout_of(capsys, *SIM, "--chunk", "5", "--json", "-", "--dask", cluster.scheduler_address)
    assert dask == one


def test_a_tournament_on_an_executor_is_the_tournament_on_one_process(colossus, catalog):
    cells = [
        c for c in tournament.plan(catalog, ("xai", "openai", "google")) if c.group in ("default", "deck")
    ]
    kw = dict(games=6, seed=2, chunk=3, weeks=6)
    alone = tournament.run(colossus, catalog, cells, **kw).to_dict()
    with cf.ThreadPoolExecutor(2) as pool:
        shared = tournament.run(colossus, catalog, cells, executor=pool, **kw).to_dict()
    assert json.dumps(shared) == json.dumps(alone)


def test_dask_without_the_extra_exits_2_with_the_install_hint(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    assert main([*SIM, "--dask"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["agi-race: error: --dask needs the dask extra: pip install 'agi-race[dask]'"]
    assert main([*SIM, "--dask", "http://nowhere"]) == 2


def test_a_worker_with_other_game_data_refuses_the_work(colossus, catalog):
    ref = shards.ScenarioRef.of_file(colossus, catalog)
    rebuilt, _ = ref.load()  # the scenario, from its text
    assert (rebuilt.path, rebuilt.meta, rebuilt.labs) == (colossus.path, colossus.meta, colossus.labs)
    with pytest.raises(shards.DataMismatch, match="install the same agi-race version"):
        shards.ScenarioRef(ref.path, ref.text, "0" * 16).load()


def test_a_forecast_on_an_executor_is_the_forecast_on_one_process():
    from game.play.session import Session

    session = Session.new(seed=8)
    for _ in range(3):
        session.end_week()
    one = session.forecast(futures=12, weeks=8)
    with cf.ThreadPoolExecutor(2) as pool:  # the workers rebuild the game from its save document
        shared = session.forecast(futures=12, weeks=8, executor=pool, workers=3)
    for name in (
        "futures",
        "weeks_played",
        "win",
        "no_winner",
        "bankrupt",
        "agi_share",
        "agi_weeks",
        "on_points",
    ):
        assert np.array_equal(getattr(one, name), getattr(shared, name)), name
