"""The exploit search (`agi-race tournament --search`): a seeded optimiser over the levers
of a player's strategy, every candidate of a generation on the same games, on whatever
assets folder it is given."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import attrs
import numpy as np
import pytest

from game.batch import levers, search
from game.batch.sources import catalog_at
from game.catalog import default_catalog
from game.cli import main
from game.engine import policies, turn
from game.paths import assets_dir
from game.saves import load_scenario, scenario_params

SCENARIO = "2024-07-colossus"


def _toy(target: np.ndarray, games: int):
    """A toy game: a candidate wins each game with a chance that falls with its distance
    from `target`; the draws of a game number are the same for every candidate (CRN)."""

    def evaluate(points: np.ndarray, first: int) -> np.ndarray:
        chance = np.exp(-(((points - target) ** 2).sum(-1)) / 0.2)
        draws = np.random.default_rng(first).uniform(size=games)
        return draws[None, :] < chance[:, None]

    return evaluate


def test_the_optimiser_is_deterministic_for_a_seed() -> None:
    target = np.linspace(0.1, 0.9, 6)
    budget = search.Budget(games=16, population=12, generations=4)
    one, gens_one = search.cross_entropy(_toy(target, 16), 6, 7, budget)
    two, gens_two = search.cross_entropy(_toy(target, 16), 6, 7, budget)
    other, _ = search.cross_entropy(_toy(target, 16), 6, 8, budget)
    assert all(np.array_equal(a, b) for a, b in zip(gens_one, gens_two, strict=True))
    assert [s for s, _ in one] == [s for s, _ in two]
    assert not np.array_equal(one[0][1], other[0][1])


def test_the_optimiser_finds_a_planted_strong_strategy() -> None:
    target = np.array([0.9, 0.1, 0.8, 0.2, 0.7, 0.95])
    start = np.full(6, 0.5)  # the planted strategy is far from where the search starts
    budget = search.Budget(games=64, population=24, generations=12)
    seen, gens = search.cross_entropy(_toy(target, 64), 6, 1, budget, start)
    first_best = _toy(target, 4096)(gens[0], 0).mean(-1).max()
    found = seen[0][1]
    assert np.abs(found - target).max() < 0.2
    assert _toy(target, 4096)(found[None], 0).mean() > max(0.8, first_best + 0.1)


def test_every_candidate_of_a_generation_plays_the_same_games() -> None:
    calls: list[tuple[np.ndarray, int]] = []

    def evaluate(points: np.ndarray, first: int) -> np.ndarray:
        calls.append((points, first))
        return np.zeros((len(points), 4), bool)

    budget = search.Budget(games=4, population=6, generations=3)
    search.cross_entropy(evaluate, 4, 1, budget)
    # One call a generation, every candidate in it, new game numbers each generation.
    assert [len(p) for p, _ in calls] == [6, 6, 6]
    assert [first for _, first in calls] == [0, 4, 8]

    catalog = default_catalog()
    scn = load_scenario(SCENARIO, catalog)
    world = search.candidate_world(scn, catalog, candidates=3, games=5, seed=9, first=20)
    assert np.array_equal(world.game.reshape(3, 5), np.tile(np.arange(20, 25), (3, 1)))
    assert (world.seed == 9).all()


def test_the_neutral_point_plays_as_the_hard_ai() -> None:
    catalog = default_catalog()
    scn = load_scenario(SCENARIO, catalog)
    params = scenario_params(scn, catalog, humans=())
    ctl = policies.make_controllers(catalog, params, dict(scn.ai), "hard", ai_labs=params.lab_ids)
    world = search.candidate_world(scn, catalog, 1, 6, 1, 0)
    values, until = levers.decode(levers.neutral_point(), params.last_week)
    lab = params.lab_ids.index("openai")
    lever = levers.Levers(np.repeat(values, 6, 0), np.repeat(until, 6, 0), lab, scn.meta.week)
    for _ in range(12):
        acts = policies.decide(world, ctl)
        changed = lever(world, acts)
        for field in attrs.fields(type(acts)):
            assert np.allclose(getattr(acts, field.name), getattr(changed, field.name)), field.name
        world, _ = turn.step(world, acts)


def test_a_lever_changes_what_the_lab_does() -> None:
    catalog = default_catalog()
    scn = load_scenario(SCENARIO, catalog)
    params = scenario_params(scn, catalog, humans=())
    ctl = policies.make_controllers(catalog, params, dict(scn.ai), "hard", ai_labs=params.lab_ids)
    world = search.candidate_world(scn, catalog, 1, 4, 1, 0)
    u = levers.neutral_point()
    u[levers.INDEX["borrow"]] = 1.0  # borrow all the credit there is, all game
    u[levers.INDEX["staff"]] = 1.0  # four times the people
    values, until = levers.decode(u, params.last_week)
    lab = params.lab_ids.index("xai")
    acts = policies.decide(world, ctl)
    changed = levers.Levers(np.repeat(values, 4, 0), np.repeat(until, 4, 0), lab, scn.meta.week)(world, acts)
    assert (changed.staff_usd_week[:, lab] > 3.9 * np.maximum(acts.staff_usd_week[:, lab], 0)).all()
    others = [i for i in range(len(params.lab_ids)) if i != lab]
    assert np.array_equal(changed.staff_usd_week[:, others], acts.staff_usd_week[:, others])


@pytest.fixture
def changed_assets(tmp_path: Path) -> Path:
    """A copy of assets/ where AGI's threshold may fall anywhere within ten orders of
    magnitude: some games end in their first weeks."""
    folder = tmp_path / "assets"
    shutil.copytree(assets_dir(), folder)
    rules = folder / "rules.toml"
    text = rules.read_text()
    assert "\nagi_band = 2.0\n" in text
    rules.write_text(text.replace("\nagi_band = 2.0\n", "\nagi_band = 10.0\n"))
    return folder


def test_the_search_plays_a_changed_assets_folder(changed_assets: Path) -> None:
    budget = search.Budget(games=4, population=4, generations=2, confirm=16, ablate=4)
    shares = {}
    for folder in (None, changed_assets):
        catalog = catalog_at(None if folder is None else str(folder))
        scn = load_scenario(SCENARIO, catalog)
        doc = search.run_search(scn, catalog, folder, ("openai",), budget, seed=1, weeks=4)
        shares[folder] = doc["labs"][0]["baseline"]["share"]
    assert shares[None] == 0.0  # nobody reaches AGI in four weeks with the game's own data
    assert shares[changed_assets] > 0.0
    again = search.run_search(scn, catalog, changed_assets, ("openai",), budget, seed=1, weeks=4)
    assert again == doc  # the same seed, the same search


def test_search_runs_end_to_end_from_the_command_line(
    changed_assets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["tournament", "--search", "--budget", "100", "--weeks", "3", "--assets", str(changed_assets)]
    assert main([*args, "--json", "-", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["search"]["assets"] == str(changed_assets.resolve())
    assert [lab["lab"] for lab in doc["search"]["labs"]] == ["xai", "openai"]
    assert [t["measure"] for t in doc["targets"]] == ["the exploit search's best vs the hard AI"]
    for lab in doc["search"]["labs"]:
        assert len(lab["strategies"]) == search.FINALISTS
        assert 0.0 <= lab["best"]["lo"] <= lab["best"]["share"] <= lab["best"]["hi"] <= 1.0
    assert main([*args, "-q"]) == 0
    printed = capsys.readouterr().out
    assert "Exploit search vs the hard AI" in printed and "the hard AI itself" in printed


def test_a_broken_assets_folder_is_one_clear_message(
    changed_assets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (changed_assets / "rules.toml").write_text(
        (changed_assets / "rules.toml").read_text().replace("agi_band = 10.0", "agi_band = 99.0")
    )
    assert main(["tournament", "--search", "--assets", str(changed_assets), "-q"]) == 2
    err = capsys.readouterr().err
    assert "rules.toml" in err and "agi_band" in err and "Traceback" not in err


def test_the_results_do_not_depend_on_how_the_games_are_shared_out(changed_assets: Path) -> None:
    import concurrent.futures as cf

    from game.batch.sources import Source

    catalog = catalog_at(str(changed_assets))
    scn = load_scenario(SCENARIO, catalog)
    points = np.random.default_rng(3).uniform(size=(5, levers.DIMENSIONS))
    points[0] = levers.neutral_point()
    source = Source.of(scn, changed_assets)
    alone = search.Runner(source, seed=4, weeks=3)("openai", points, 12, 0)
    with cf.ThreadPoolExecutor(2) as pool:
        shared = search.Runner(source, seed=4, chunk=24, executor=pool, weeks=3, parts=3)(
            "openai", points, 12, 0
        )
    assert alone.shape == (5, 12) and alone.any()
    assert np.array_equal(alone, shared)
