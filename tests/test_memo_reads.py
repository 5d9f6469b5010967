"""The memo finds the fields a derived rule reads from its source (engine/memo.py): every
field the rule reads as it runs must be among them, or a stale value would be served."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import game.engine
from game.engine import memo, policies, turn
from game.saves import initial_world


def _memoised() -> list:
    """Every rule of the engine decorated with memo.derived."""
    found = {}
    for info in pkgutil.iter_modules(game.engine.__path__):
        module = importlib.import_module(f"game.engine.{info.name}")
        for value in vars(module).values():
            code = getattr(value, "__code__", None)
            if code is not None and code.co_name == "memoised" and hasattr(value, "__wrapped__"):
                found[value.__wrapped__] = value
    return sorted(found.values(), key=lambda f: f.__module__ + f.__name__)


MEMOISED = _memoised()


def test_every_memoised_rule_is_found():
    assert len(MEMOISED) >= 20


@pytest.fixture(scope="module")
def week_50(catalog, colossus, params):
    """Eight games 50 weeks in (the world is immutable: every rule reads the same one)."""
    ctl = policies.make_controllers(catalog, params)
    world = initial_world(colossus, params, 8, seed=2)
    for _ in range(50):
        world, _ = turn.step(world, policies.decide(world, ctl))
    return world


@pytest.mark.parametrize("rule", MEMOISED, ids=lambda f: f.__name__)
def test_the_fields_found_in_a_rules_source_cover_those_it_reads(params, week_50, rule):
    found = memo.reads(rule)
    assert found is not None, f"{rule.__name__}'s reads are not found in its source"
    s = turn.working_copy(week_50)
    s.derived = {}  # every nested rule computes, so every read is seen
    seen = memo._Reads(s)
    takes_params = len(inspect.signature(rule).parameters) == 2
    inspect.unwrap(rule)(*((params, seen) if takes_params else (seen,)))
    assert set(seen._seen) - {memo.CACHE} <= set(found)
