"""Shared fixtures: the real catalog and the July-2024 scenario, and a helper that builds
small worlds with chosen state for rule tests."""

from __future__ import annotations

import gc
from pathlib import Path

import attrs
import numpy as np
import platformdirs
import pytest

from game.catalog import Catalog, default_catalog
from game.engine.actions import Actions
from game.engine.params import Params
from game.engine.state import World
from game.saves import Scenario, initial_world, load_scenario, scenario_params

APP = "agi-race"

COLOSSUS = "2024-07-colossus"

# The player's own folders, as the game would find them outside the tests: no test may
# write there (see the autouse fixture `private_folders` and tests/test_dependable.py).
PLAYER_FOLDERS = tuple(
    Path(f(APP, appauthor=False))
    for f in (platformdirs.user_data_dir, platformdirs.user_config_dir, platformdirs.user_cache_dir)
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `long` run first: pytest-xdist hands tests out in this order, and a long
    one handed out last leaves the other worker idle while it runs (the suite's time on
    two cores)."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)  # stable


def pytest_collection_finish(session: pytest.Session) -> None:
    """The cyclic garbage collector less often, and never through what collection loaded.

    A Pilot test makes and drops hundreds of thousands of small objects (Textual's styles,
    segments, strips) and, at Python's default thresholds, a worker spent a fifth of its
    CPU collecting them, each full collection walking every module, class and function the
    collection imported as well. Those are frozen (gc.freeze: never collected, never
    walked again) and the young generation is collected every 10,000 allocations instead
    of 700: garbage still goes (a worker's memory stays a few hundred MB), at a quarter
    less CPU for the suite. Only the tests' process: the game keeps Python's defaults."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """The garbage the thresholds above leave is collected as the tests end, before
    pytest-xdist reports the worker finished: execnet interrupts (SIGINT) a worker still
    busy 5 s after it was told to stop, and pytest's last collections of a worker's
    garbage took that long on a loaded machine (a KeyboardInterrupt in a gc callback)."""
    gc.collect()


@pytest.fixture(autouse=True)
def private_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test plays in folders of its own: the game's home ($AGI_RACE_HOME) and the
    platform's data, config and cache folders (the XDG variables platformdirs reads) point
    into a temporary folder, so saves, autosaves, settings and the hall of fame written by
    a test never reach the player's. A test that wants a known home sets AGI_RACE_HOME
    again (monkeypatch restores both)."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("AGI_RACE_HOME", str(root / "agi-race"))
    monkeypatch.setenv("AGI_RACE_ODDS_AHEAD", "0")  # no odds played ahead: tests/test_odds_ahead.py turns it on
    for var, name in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(root / name))
    return root


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture(scope="session")
def colossus(catalog: Catalog) -> Scenario:
    return load_scenario(COLOSSUS, catalog)


@pytest.fixture(scope="session")
def params(colossus: Scenario, catalog: Catalog) -> Params:
    return scenario_params(colossus, catalog, humans=())


@pytest.fixture
def world(colossus: Scenario, params: Params) -> World:
    return initial_world(colossus, params, 4, seed=7)


def blank(world: World, **changes: np.ndarray) -> World:
    """The world with every lab emptied (no GPUs, sites, contracts, runs, orders) and
    `changes` applied: a clean slate for one rule."""
    empty = {
        "warehouse": np.zeros_like(world.warehouse),
        "installed": np.zeros_like(world.installed),
        "order_count": np.zeros_like(world.order_count),
        "hall_mw": np.zeros_like(world.hall_mw),
        "hall_building": np.zeros_like(world.hall_building),
        "grid_alloc": np.zeros_like(world.grid_alloc),
        "turbine_mw": np.zeros_like(world.turbine_mw),
        "turbine_pending": np.zeros_like(world.turbine_pending),
        "turbine_left": np.zeros_like(world.turbine_left),
        "substation_left": np.zeros_like(world.substation_left),
        "substation_payer": np.full_like(world.substation_payer, -1),
        "contract_partner": np.full_like(world.contract_partner, -1),
        "contract_count": np.zeros_like(world.contract_count),
        "run_phase": np.zeros_like(world.run_phase),
        "integrator_backlog": np.zeros_like(world.integrator_backlog),
    }
    empty.update(changes)
    return attrs.evolve(world, **empty)


def idle(world: World, **changes: np.ndarray) -> Actions:
    return Actions.idle(world).replace(**changes)


def index(ids: tuple[str, ...], name: str) -> int:
    return ids.index(name)


def orders(world: World, lab: int | slice, gpu: int, count: int, vendor: int = 0) -> np.ndarray:
    """An order_count action (B, L, V, G): `count` GPUs of one type through one integrator."""
    B, L, G = world.warehouse.shape
    V = len(world.params.integrator_ids)
    out = np.zeros((B, L, V, G), np.int64)
    out[:, lab, vendor, gpu] = count
    return out


def runs(world: World, lab: int, flop: float) -> np.ndarray:
    """A start_flop action (B, L, R): one new run of `flop` for `lab`."""
    out = np.zeros(world.run_phase.shape)
    out[:, lab, 0] = flop
    return out


def with_rules(world: World, section: str, **changes: float) -> World:
    """The world played under rules with some of one section's constants changed (as if
    assets/rules.toml said so)."""
    p = world.params
    rules = p.catalog.rules
    changed = attrs.evolve(rules, **{section: attrs.evolve(getattr(rules, section), **changes)})
    params = attrs.evolve(p, catalog=attrs.evolve(p.catalog, rules=changed))
    return attrs.evolve(world, params=params)


def quiet(world: World) -> World:
    """The world with every event card just fired: none fires again for its cooldown
    (13 weeks or more), so a rule can be watched for a few weeks without the deck."""
    return attrs.evolve(
        world, event_last=np.broadcast_to(world.week[:, None, None], world.event_last.shape).copy()
    )
