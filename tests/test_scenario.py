"""The July-2024 scenario starts from the story in seed-facts.md."""

from __future__ import annotations

import pytest

from game.engine import compute
from game.saves import SaveError, load_scenario

XAI, OPENAI = 0, 1


def test_colossus_starts_from_the_july_2024_story(colossus, world, params):
    assert colossus.meta.start_date.isoformat() == "2024-07-15"
    assert colossus.meta.last_date.isoformat() == "2030-12-30"
    assert colossus.lab_ids[:2] == ("xai", "openai") and colossus.humans == ("xai",)
    h100 = params.gpu_ids.index("H100")
    owned = (
        world.installed[0, XAI].sum(0)[h100] + world.warehouse[0, XAI, h100] + world.order_count[0, XAI].sum()
    )
    assert owned == 100_000  # the Memphis cluster
    oracle = params.partner_ids.index("oracle")
    rented = world.contract_count[0, XAI][world.contract_partner[0, XAI] == oracle].sum()
    assert rented == 24_000
    assert world.valuation[0, XAI] == 24e9
    memphis = params.site_ids.index("memphis")
    assert world.grid_alloc[0, XAI, memphis] == 70
    gb200 = params.gpu_ids.index("GB200")
    future = (world.contract_gpu[0, OPENAI] == gb200) & (world.contract_partner[0, OPENAI] >= 0)
    assert world.contract_count[0, OPENAI][future].sum() == 100_000


def test_scenario_installs_fit_their_power(world, params):
    assert (compute.installed_mw(params, world) <= compute.usable_mw(world) + 1e-9).all()


def test_every_batch_copy_is_the_same_game_start(world):
    assert (world.cash == world.cash[0]).all()
    assert list(world.game) == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('labs = ["xai", "openai", "google"]', 'labs = ["xai", "openai", "meta"]', "unknown lab 'meta'"),
        ("cash = 3.0e9", 'cash = "lots"', "labs.xai] cash: must be a number"),
        ('gpu = "H100"\ncount = 15000', 'gpu = "TPU"\ncount = 15000', "orders[0]] gpu: unknown GPU"),
        ('partner = "oracle"', 'partner = "aws"', "unknown partner 'aws'"),
        ("version = 6", "version = 99", "newer than this game reads"),
        ("[labs.xai.sites.memphis]", "[labs.xai.sites.mars]", "unknown site"),
    ],
)
def test_a_broken_scenario_names_the_place(tmp_path, catalog, old, new, message):
    from game.paths import scenarios_dir

    text = (scenarios_dir() / "2024-07-colossus.toml").read_text()
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(SaveError) as err:
        load_scenario(path, catalog)
    assert message in str(err.value) and str(path) in str(err.value)


def test_unknown_scenario_names_the_shipped_ones(catalog):
    with pytest.raises(SaveError, match="2024-07-colossus"):
        load_scenario("no-such-scenario", catalog)
