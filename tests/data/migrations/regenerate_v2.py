"""Rewrite v2-colossus-with-log.toml's state as today's rules reach it from its log,
keeping the file in version 2's shape (its log as version 2 wrote it, money as plain
numbers, none of the fields later versions added). Run it when the rules change:

    python tests/data/migrations/regenerate_v2.py
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import tomli_w

from game.catalog import default_catalog
from game.engine import policies
from game.play.week import play_week
from game.saves import initial_world, load_scenario, save_doc, scenario_params
from game.saves.log import log_actions

HERE = Path(__file__).parent
FILE = HERE / "v2-colossus-with-log.toml"
LATER = (
    "staff",
    "staff_ramped",
    "last_post",
    "round_usd",
    "round_pre",
    "round_basis",
    "round_close_week",
)  # version 5


def main() -> None:
    catalog = default_catalog()
    raw = tomllib.loads(FILE.read_text())
    save = load_scenario(FILE, catalog)  # migrated: the log as today's entries
    origin = load_scenario(save.origin, catalog)
    params = scenario_params(save, catalog)
    world = initial_world(origin, params, 1, seed=save.meta.seed, offset=save.meta.game)
    ctl = policies.make_controllers(catalog, params, save.ai, save.meta.difficulty, ai_labs=params.lab_ids)
    while int(world.week[0]) < save.meta.week:
        entries = [e for e in save.log if e.week == int(world.week[0])]
        logged, covered = log_actions(world, entries)
        world, _ = play_week(world, ctl, logged, covered)
    doc = save_doc(save, world, 0, humans=save.humans, ai=save.ai)
    doc["version"] = 2
    doc["log"] = raw["log"]
    doc["meta"].pop("game_id", None)
    for lab in doc["labs"].values():
        below = lab.pop("sub_dollar", {})
        for name, part in below.items():
            lab[name] = float(lab[name]) + part
        for name in LATER:
            lab.pop(name, None)
    FILE.write_text(tomli_w.dumps(doc))
    np.testing.assert_equal(int(world.week[0]), save.meta.week)


if __name__ == "__main__":
    main()
