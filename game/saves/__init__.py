"""Scenario and save files: one TOML format for both.

A file holds `format`, `version`, `[meta]` (title, description, dates, current week,
seed, game index, the game's id, labs, humans, AI styles, difficulty, the scenario it
started from), `[world]` (the AGI threshold), `[market]`, `[sites.<id>]`, `[labs.<id>]`
(money, users, models, GPUs, sites, orders, contracts, runs), `[result]` once the game is
over, and `[[log]]`: what the human labs did each week, for replay. A file leaves out
what is at its default (zero, mostly); a save written by the game holds the whole state
of one game, so a save is a scenario and any save can start a game.

records.py declares every field once (what it accepts, its unit, the World array it
fills), entries.py the log's and the standing orders' records (the values the play layer
passes: an offer is an `Offer`, a week's decisions a `LogEntry`); reading (parse.py)
validates everything through that schema (cattrs) and the engine's invariants
(checks.py) and raises one `SaveError` naming the file, the place in it and the problem.
A raw document, before the schema reads it or after it wrote it, is a `TomlDoc`. Older
versions are migrated (migrations.py); newer ones are refused. Reading is bounded
(files.read_bounded: a regular file of at most MAX_FILE_BYTES). Writing is atomic
(files.py: a temporary file in the same folder, fsync, rename; a new save takes its name
exclusively, files.write_new), with units in comments; library.py names saves, keeps
autosaves per game and lists them; hall_of_fame.py keeps the best scores. The bounds of
every number are the engine's (game/engine/limits.py).
"""

from game.saves.entries import LogEntry, LogOrder, Offer, Standing
from game.saves.files import (
    MAX_FILE_BYTES,
    SaveError,
    TomlDoc,
    config_file,
    dumps,
    read_bounded,
    read_toml,
    resolve,
    user_dir,
    write_atomic,
    write_new,
    write_save,
)
from game.saves.library import (
    GameSaves,
    SaveInfo,
    autosave,
    describe,
    list_saves,
    new_game_id,
    safe_part,
    save_name,
    save_new,
    save_path,
)
from game.saves.log import log_actions, log_entry, offer_actions, offer_entry
from game.saves.migrations import MIGRATIONS, migrate
from game.saves.parse import load_scenario, parse
from game.saves.records import DIFFICULTIES, FORMAT, USD, VERSION, Scenario
from game.saves.world import initial_world, save_doc, scenario_params

__all__ = [
    "DIFFICULTIES", "FORMAT", "MAX_FILE_BYTES", "MIGRATIONS", "USD", "VERSION", "GameSaves", "LogEntry",
    "LogOrder", "Offer", "SaveError", "SaveInfo", "Standing", "TomlDoc", "Scenario", "autosave", "config_file", "describe", "dumps", "initial_world", "list_saves", "load_scenario",
    "log_actions", "log_entry", "migrate", "new_game_id", "offer_actions", "offer_entry", "parse", "read_bounded",
    "read_toml", "resolve", "safe_part", "save_doc", "save_name", "save_new", "save_path", "scenario_params",
    "user_dir", "write_atomic", "write_new", "write_save",
]  # fmt: skip
