"""Writes the corpus of broken save files in bad_saves/ and expected.txt (the phrase
each file's error message must contain). Run from the repository root:

    python tests/data/make_bad_saves.py

Files that cannot live in git (a 50 MB file, a folder, a missing or unreadable file)
are made by the tests themselves."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = (HERE.parent.parent / "saves" / "2024-07-colossus.toml").read_text()
V1 = (HERE / "migrations" / "v1-colossus.toml").read_text()
OUT = HERE / "bad_saves"
CONTRACT = """[[labs.xai.contracts]]
partner = "oracle"             # seed facts: 24,000 H100 rented from Oracle (up from 16,000 in May)
gpu = "H100"
count = 24000
price_usd_hour = 2.85          # P5: early 2024 ~2.85
start_week = -10
end_week = 42
"""


def edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


CASES: dict[str, tuple[str | bytes, str]] = {
    "empty.toml": ("", "the file is empty"),
    "blank.toml": ("\n\n   \n", "the file is empty"),
    "not-toml.toml": ("this is not a save\n{]", "not valid TOML"),
    "truncated.toml": (
        GOOD[: len(GOOD) // 2].rsplit("\n", 3)[0] + "\n[labs.openai\ncash = ",
        "not valid TOML",
    ),
    "latin1.toml": (
        GOOD.replace("Colossus (July 2024)", "Colossus (Juli 2024 \u00e9t\u00e9)").encode(
            "latin-1", "replace"
        ),
        "not UTF-8",
    ),
    "binary.toml": (bytes(range(256)) * 4, "not UTF-8"),
    "no-format.toml": (edit('format = "agi-race"\n', ""), "format: must be 'agi-race'"),
    "wrong-format.toml": (edit('format = "agi-race"', 'format = "civ6"'), "format: must be 'agi-race'"),
    "future-version.toml": (edit("version = 3", "version = 99"), "newer than this game reads"),
    "version-text.toml": (edit("version = 3", 'version = "3"'), "version: must be a whole number"),
    "cash-text.toml": (edit("cash = 3.0e9", 'cash = "three billion"'), "[labs.xai] cash: must be a number"),
    "cash-huge.toml": (edit("cash = 3.0e9", "cash = 1e300"), "[labs.xai] cash: must be between"),
    "cash-nan.toml": (edit("cash = 3.0e9", "cash = nan"), "[labs.xai] cash: must be a finite number"),
    "cash-inf.toml": (edit("cash = 3.0e9", "cash = inf"), "[labs.xai] cash: must be a finite number"),
    "users-negative.toml": (edit("users = 2.0e8", "users = -5.0"), "[labs.openai] users: must be between"),
    "share-above-one.toml": (
        edit("founder_share = 0.55", "founder_share = 1.5"),
        "founder_share: must be between",
    ),
    "unknown-gpu.toml": (
        edit("warehouse = { H100 = 35000 }", "warehouse = { TPUv5 = 35000 }"),
        "unknown GPU 'TPUv5'",
    ),
    "unknown-site.toml": (edit("[labs.xai.sites.memphis]", "[labs.xai.sites.mars]"), "unknown site 'mars'"),
    "unknown-lab.toml": (edit('humans = ["xai"]', 'humans = ["meta"]'), "unknown lab in [meta] labs 'meta'"),
    "unknown-partner.toml": (edit('partner = "oracle"', 'partner = "aws"'), "unknown partner 'aws'"),
    "unknown-section.toml": (GOOD + "\n[cheats]\ninfinite_money = true\n", "cheats: unknown section"),
    "unknown-field.toml": (edit("debt = 0.0", "debt = 0.0\nluck = 7"), "[labs.xai] luck: unknown field"),
    "lab-missing.toml": (
        edit('labs = ["xai", "openai", "google"]', 'labs = ["xai", "openai", "google", "anthropic"]'),
        "[labs.anthropic]: missing",
    ),
    "lab-not-listed.toml": (
        edit('labs = ["xai", "openai", "google"]', 'labs = ["xai", "openai"]'),
        "google: unknown lab in [meta] labs",
    ),
    "bad-date.toml": (
        edit("start_date = 2024-07-15", 'start_date = "last summer"'),
        "start_date: must be a date",
    ),
    "dates-backwards.toml": (
        edit("last_date = 2030-12-30", "last_date = 2020-01-01"),
        "last_date: must come after start_date",
    ),
    "contract-ends-first.toml": (
        edit("end_week = 42", "end_week = -20"),
        "end_week: must come after start_week",
    ),
    "run-overdone.toml": (
        edit("done_flop = 2.0e25", "done_flop = 9.0e25"),
        "done_flop: more than the run's flop",
    ),
    "too-many-gpus-for-power.toml": (
        edit("installed = { H100 = 40000 }", "installed = { H100 = 400000 }"),
        "MW of GPUs but only",
    ),
    "split-wrong.toml": (
        edit("split = [0.6, 0.25, 0.15]", "split = [0.6, -0.25]"),
        "split: must be three shares",
    ),
    "humans-not-playable.toml": (
        edit('humans = ["xai"]', 'humans = ["google"]'),
        "google is not a playable lab",
    ),
    "difficulty-unknown.toml": (
        edit('difficulty = "normal"', 'difficulty = "nightmare"'),
        "difficulty: must be one of",
    ),
    "seed-negative.toml": (edit("seed = 2024", "seed = -1"), "seed: must be between"),
    "ai-style-unknown.toml": (edit('xai = "builder"', 'xai = "yolo"'), "unknown AI style 'yolo'"),
    "log-future.toml": (GOOD + '\n[[log]]\nweek = 5\nlab = "xai"\n', "log[0]] week: 5 is not before"),
    "log-bad-lab.toml": (
        edit("week = 0\n", "week = 9\n") + '\n[[log]]\nweek = 5\nlab = "anthropic"\n',
        "log[0]] lab: unknown lab",
    ),
    "meta-not-table.toml": ('format = "agi-race"\nversion = 2\nmeta = 5\n', "[meta]: must be a table"),
    # Issue 13, failure 2: a migration reads a damaged old file.
    "v1-site-not-a-table.toml": (
        V1.replace("[sites.memphis]\ngrid_mw = 70", '[sites]\nmemphis = "xx"\n# grid_mw = 70', 1),
        "[sites.memphis]: must be a table",
    ),
    # Issue 13, failure 10: states the engine never reaches.
    "contract-twice.toml": (
        edit(CONTRACT, CONTRACT + "\n" + CONTRACT),
        "oracle rents out 48,000 H100 in contracts under way but has 40,000 this week",
    ),
    "cash-negative-not-bankrupt.toml": (
        edit("cash = 3.0e9", "cash = -3.0e9"),
        "[labs.xai] cash: -3,000,000,000 USD is below zero, but the lab is not bankrupt",
    ),
    "grid-overbooked.toml": (
        edit(
            "[[labs.openai.contracts]]",
            "[labs.openai.sites.memphis]\nhall_mw = 40\ngrid_alloc_mw = 40\n\n[[labs.openai.contracts]]",
        ),
        "[sites.memphis]: labs and partners' buildings hold 110 MW of grid but the site has 70 MW",
    ),
    "turbines-beyond-permits.toml": (
        edit("turbine_pending_mw = 100", "turbine_pending_mw = 500"),
        "[sites.memphis]: the labs' turbines come to 500 MW; the permits allow 421 MW",
    ),
    "run-too-big.toml": (
        edit("flop = 3.0e25", "flop = 3.0e41"),
        "[labs.xai.runs[0]] flop: must be between 1 and 1e+40 FLOP",
    ),
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    lines = []
    for name, (content, expect) in CASES.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (OUT / name).write_bytes(data)
        lines.append(f"{name}\t{expect}")
    (HERE / "bad_saves_expected.txt").write_text("\n".join(lines) + "\n")
    print(f"wrote {len(CASES)} files")


if __name__ == "__main__":
    main()
