"""The data catalog: what ships is complete and sourced; a broken file gets one message
naming the file, the entry and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.catalog import CatalogError, load_catalog
from game.paths import assets_dir


def test_the_catalog_has_the_ids_the_game_promises(catalog):
    assert {"A100", "H100", "H200", "B200", "GB200"} <= set(catalog.gpu_ids)
    assert {"memphis", "abilene"} <= set(catalog.site_ids) and len(catalog.sites) >= 6
    assert {"xai", "openai"} <= set(catalog.lab_ids)
    assert any(not lab.playable for lab in catalog.labs)
    assert {"dell", "supermicro"} <= set(catalog.integrator_ids)
    assert {"oracle", "microsoft", "coreweave"} == set(catalog.partner_ids)
    assert catalog.nvidia.id == "nvidia"


def test_gpu_figures_match_calibration(catalog):
    gpus = {g.id: g for g in catalog.gpus}
    assert gpus["A100"].bf16_tflops == 312 and gpus["H100"].bf16_tflops == 989
    assert gpus["H100"].kw_all_in == 1.5 and gpus["GB200"].tdp_w == 1200
    assert gpus["GB200"].bf16_tflops > 2 * gpus["H100"].bf16_tflops


@pytest.fixture
def assets_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "assets"
    shutil.copytree(assets_dir(), folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    "name, old, new, message",
    [
        (
            "gpus.toml",
            "bf16_tflops = 989",
            "bf16_tflops = -989",
            "gpus.toml [H100] bf16_tflops: must be between",
        ),
        ("gpus.toml", "bf16_tflops = 989", 'bf16_tflops = "fast"', "[H100] bf16_tflops: must be a number"),
        (
            "gpus.toml",
            "hbm_gb = 80\ntdp_w = 700",
            "hbm_gb = 80\nhbm_tb = 1\ntdp_w = 700",
            "[H100] hbm_tb: unknown field",
        ),
        ("gpus.toml", 'bf16_tflops = "G3"\n', "", "[H100] bf16_tflops: no source"),
        ("gpus.toml", "available = 2022-10-01", 'available = "soon"', "[H100] available: must be a date"),
        (
            "sites.toml",
            "grid_max_mw = 300",
            "grid_max_mw = 10",
            "[memphis] grid_max_mw: must be at least grid_mw",
        ),
        (
            "partners.toml",
            "cost_usd_hour.H100 = 2.2",
            "cost_usd_hour.TPU = 2.2",
            "[oracle] cost_usd_hour.TPU: unknown GPU 'TPU'",
        ),
        ("labs.toml", 'policy = "builder"', 'policy = "gambler"', "[xai] policy: must be one of"),
        ("rules.toml", "[score]", "[scores]", "rules.toml [scores]: unknown section"),
        ("vendors.toml", "lead_weeks = 10", "lead_weeks = 2.5", "[dell] lead_weeks: must be a whole number"),
        ("gpus.toml", "[A100]", "[A100", "gpus.toml: not valid TOML"),
        # The events deck is read by the same schema as the rest.
        (
            "events.toml",
            "probability = 1.0",
            "probability = 2",
            "events.toml [grok2-lands] probability: must be between 0 and 1",
        ),
        (
            "events.toml",
            "probability = 1.0",
            "probability = 1.0\nchance = 1",
            "[grok2-lands] chance: unknown field",
        ),
        (
            "events.toml",
            "value = [1.1, 1.3] }]",
            "value = [1.1, 13] }]",
            "[grok2-lands.effects[0]] value: must be between 0.1 and 10 for users",
        ),
        (
            "events.toml",
            '[["best_model", ">=", 25.8]]',
            '[["best_model", "=>", 25.8]]',
            "[grok2-lands] when[0]: op must be",
        ),
        (
            "events.toml",
            'scope = "lab"',
            'scope = "game"',
            "[grok2-lands] labs: a game card acts on the market",
        ),
        (
            "events.toml",
            'gpu = "GB200"',
            'gpu = "GB300"',
            "[gb200-slips.effects[0]] gpu: unknown GPU 'GB300'",
        ),
        ("events.toml", 'labs = ["xai"]', 'labs = ["xia"]', "[grok2-lands] labs[0]: unknown lab 'xia'"),
    ],
)
def test_a_broken_asset_names_file_entry_and_field(assets_copy, name, old, new, message):
    edit(assets_copy, name, old, new)
    with pytest.raises(CatalogError) as err:
        load_catalog(assets_copy)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_a_missing_asset_file_is_named(assets_copy):
    (assets_copy / "sites.toml").unlink()
    with pytest.raises(CatalogError, match="sites.toml: file not found"):
        load_catalog(assets_copy)


def test_every_shipped_number_has_a_source(catalog):
    # load_catalog refuses a number without a source; this guards the promise itself.
    text = (assets_dir() / "gpus.toml").read_text()
    assert text.count(".source]") == len(catalog.gpus)
