"""One owner for every limit (issue 20, items 3, 8, 9, 10): a value the game
accepts is a value it can save, and a file the loader accepts is a state the engine can
play and save again. The limits live in game/engine/limits.py; the engine clips to them
and the save schema and checks read them."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
import pytest

from game.cli import main
from game.engine import deals, limits, policies
from game.engine.actions import Actions
from game.engine.turn import step
from game.play.session import Session
from game.saves import Offer, SaveError, initial_world, load_scenario, save_doc, scenario_params, write_save


def saved_and_loaded(scn, world, path: Path, catalog, **kwargs):
    write_save(path, save_doc(scn, world, **kwargs))
    return load_scenario(path, catalog)


def play(world, catalog, weeks: int, base: Actions | None = None):
    ai = policies.make_controllers(catalog, world.params)
    for _ in range(weeks):
        world, _ = step(world, policies.decide(world, ai, base=base))
        base = None
    return world


# -------------------------------------------------------------- item 3: counters
def test_a_counter_to_an_offer_at_the_highest_price_saves_and_loads(tmp_path):
    """Item 3: the form takes up to $1,000/GPU-hour; a counter to such an offer was kept
    as 349.65x the list price and the loader allowed 100x, so every later save was
    refused. The engine keeps the standing counter within MAX_COUNTER_RATIO."""
    session = Session.new()
    reply = session.offer(
        0, Offer(partner="coreweave", gpu="H100", count=50_000, start=0, weeks=52,
            price=limits.MAX_PRICE_USD_HOUR),
    )  # fmt: skip
    assert reply.answer == "counter"
    assert 0 < session.world.last_counter.max() <= limits.MAX_COUNTER_RATIO
    path = session.save(tmp_path / "counter.toml")
    loaded = Session.load(path)
    assert np.array_equal(loaded.world.last_counter, session.world.last_counter)


def test_keeping_the_counter_within_its_limit_changes_no_ask(params):
    """The standing counter only lowers an ask (min(ask, counter x list)); every ask the
    shipped catalog can make is a small multiple of the list price, far below the limit,
    so the clip changes no answer."""
    d = params.rules.deals
    highest = max(
        1 + d.price_noise, 1.01 * float((params.partner_cost / np.maximum(params.partner_price, 1e-9)).max())
    )
    assert highest * 10 < limits.MAX_COUNTER_RATIO


# -------------------------------------------------------------- item 10: halls
def test_halls_at_their_limit_load_play_and_save_again(colossus, catalog, tmp_path):
    """Item 10: a hall size at the file's upper bound loaded, and the game's own next save
    was above it. The engine starts no hall beyond MAX_HALL_MW (built and under way) and
    the loader refuses a file whose halls already are."""
    params = scenario_params(colossus, catalog)
    world = initial_world(colossus, params, 1)
    halls = world.hall_mw.copy()
    halls[0, 0, 0] = limits.MAX_HALL_MW
    world = attrs.evolve(world, hall_mw=halls, hall_building=np.zeros_like(world.hall_building))
    scn = saved_and_loaded(colossus, world, tmp_path / "halls.toml", catalog)
    world = initial_world(scn, params, 1)
    ask = Actions.idle(world)
    ask = ask.replace(build_mw=np.full_like(ask.build_mw, limits.MAX_BUILD_MW))
    world = play(world, catalog, 3, base=ask)
    assert (world.hall_mw + world.hall_building <= limits.MAX_HALL_MW).all()
    saved_and_loaded(colossus, world, tmp_path / "again.toml", catalog)

    building = world.hall_building.copy()
    building[0, 0, 0] = 1.0
    path = tmp_path / "over.toml"
    write_save(path, save_doc(colossus, attrs.evolve(world, hall_building=building)))
    with pytest.raises(SaveError, match=r"at most 100,000,000 MW of halls at a site"):
        load_scenario(path, catalog)


# -------------------------------------------------------------- item 8: contracts
def future_contracts(colossus, catalog, copies: int, tmp_path) -> tuple[Path, int]:
    """A save with `copies` of one contract that starts in week 20, each for 60% of
    what Oracle has free then."""
    params = scenario_params(colossus, catalog)
    world = initial_world(colossus, params, 1)
    doc = save_doc(colossus, world)
    q, g = params.partner_ids.index("oracle"), params.gpu_ids.index("H100")
    held = sum(
        c["count"] for lab in doc["labs"].values() for c in lab.get("contracts", [])
        if (c.get("source") or c["partner"]) == "oracle" and c["gpu"] == "H100" and c["end_week"] > 20
    )  # fmt: skip
    count = int(0.6 * (params.partner_capacity[20, q, g] - held))
    assert count > 0
    contract = {"partner": "oracle", "gpu": "H100", "count": count, "price_usd_hour": 3.0,
                "start_week": 20, "end_week": 72}  # fmt: skip
    doc["labs"]["xai"]["contracts"] = [*doc["labs"]["xai"].get("contracts", []), *[dict(contract)] * copies]
    path = tmp_path / f"future-{copies}.toml"
    write_save(path, doc)
    return path, count


def test_a_contract_not_yet_started_listed_twice_is_refused(colossus, catalog, tmp_path, capsys):
    """Item 8: it loaded, and once the contract started every save was refused (the
    partner over its capacity). Contracts to come count against the partner's GPUs from
    the week they start."""
    path, _ = future_contracts(colossus, catalog, 2, tmp_path)
    with pytest.raises(SaveError, match=r"oracle rents out .* from week 20, when a contract starts"):
        load_scenario(path, catalog)
    assert main(["check-save", str(path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_contract_to_come_that_fits_loads_plays_past_its_start_and_saves_again(colossus, catalog, tmp_path):
    path, count = future_contracts(colossus, catalog, 1, tmp_path)
    scn = load_scenario(path, catalog)
    world = play(initial_world(scn, scenario_params(scn, catalog), 1), catalog, 22)
    assert count in world.contract_count[0, 0]
    saved_and_loaded(scn, world, tmp_path / "after.toml", catalog)


# -------------------------------------------------------------- item 9: sub-dollar
@pytest.mark.parametrize("field", ["debt", "valuation", "staff_usd_week", "round_usd", "revenue_fast"])
def test_a_negative_amount_made_of_zero_and_a_remainder_is_refused(colossus, world, catalog, tmp_path, field):
    """Item 9: `debt = 0` with `sub_dollar.debt = -0.4` loaded as a debt of -$0.40, which
    the engine never makes (a field whose -1 means "none" included)."""
    doc = save_doc(colossus, world)
    doc["labs"]["xai"][field] = 0
    doc["labs"]["xai"]["sub_dollar"] = {field: -0.4}
    path = tmp_path / "dust.toml"
    write_save(path, doc)
    with pytest.raises(SaveError, match=rf"\[labs.xai\] {field}: with sub_dollar -0.4, -0.4 USD; must be"):
        load_scenario(path, catalog)
    doc["labs"]["xai"][field] = -1 if field in ("staff_usd_week", "revenue_fast") else 1
    write_save(path, doc)
    if field in ("staff_usd_week", "revenue_fast"):
        with pytest.raises(SaveError, match="-1 means none; it has nothing below the dollar"):
            load_scenario(path, catalog)
    else:
        assert getattr(initial_world(load_scenario(path, catalog), world.params, 1), field)[0, 0] == 0.6


def _modules_that_bound_offers():
    from game.cli import offer as offer_command
    from game.play import book, decisions, review, talks
    from game.saves import entries, log

    return [deals, offer_command, book, decisions, review, talks, entries, log]


@pytest.mark.parametrize("module", _modules_that_bound_offers(), ids=lambda m: m.__name__)
def test_the_limits_live_in_one_table(module):
    """The engine's clips, the talks, the forms' re-export, the log and the offer command
    name the table's limits (game/engine/limits.py), not literals of their own: two copies
    disagreeing made saves unloadable. (The offer command allowed a start 5,000 weeks
    ahead, where the engine stops at 520.)"""
    import inspect
    import re

    source = inspect.getsource(module)
    for literal in (
        "520",
        "1040",
        "1e3",
        "1000",
        "1_000.0",
        "10_000_000",
        "100_000_000",
        "1e13",
        "1e15",
        "1e11",
    ):
        found = re.search(rf"(?<![\w.]){re.escape(literal)}(?![\w.])", source)
        assert found is None, (literal, source[max(found.start() - 80, 0) : found.end() + 20])


def test_a_model_at_its_upper_bound_values_the_lab_beyond_any_round_and_still_saves(
    colossus, catalog, tmp_path
):
    """Found by benchmarks/save_fuzz.py: a file with best_model = 107 loaded, and once
    the lab raised, the round's basis (its value on its merits, 1.7e49 USD) was above
    the file's bound for money. The prices of rounds, like the valuation they come
    from, have no upper bound."""
    params = scenario_params(colossus, catalog)
    world = initial_world(colossus, params, 1)
    best = world.best_model.copy()
    best[0, 0] = 200.0  # the file's upper bound
    world = attrs.evolve(world, best_model=best)
    scn = saved_and_loaded(colossus, world, tmp_path / "best.toml", catalog)
    world = initial_world(scn, params, 1)
    ask = Actions.idle(world)
    raise_usd = ask.raise_usd.copy()
    raise_usd[0, 0] = 1e12
    world = play(world, catalog, 3, base=ask.replace(raise_usd=raise_usd))
    assert world.round_basis[0, 0] > limits.MAX_USD or world.last_post[0, 0] > limits.MAX_USD
    saved_and_loaded(scn, world, tmp_path / "again.toml", catalog)
