"""The tournament harness: cells of match-ups played on the same game numbers, results as
data, the balance targets, the scripted strategies, and `agi-race tournament`."""

from __future__ import annotations

import json

import numpy as np
import pytest

from game.batch import balance, tournament
from game.batch.strategies import STRATEGIES
from game.cli import main
from game.engine import policies
from game.engine.actions import Actions
from game.saves import initial_world

pytestmark = pytest.mark.slow  # the long tier: `pytest -m slow`

XAI, OPENAI = 0, 1


def test_the_plan_has_every_cell_the_targets_need(catalog, params):
    keys = {c.key for c in tournament.plan(catalog, params.lab_ids)}
    assert {"default", "deck-off", "hard"} <= keys
    assert sum(k.startswith("styles:") for k in keys) == 9
    assert sum(k.startswith("styles@hard:") for k in keys) == 9  # the style matrix at hard too
    assert sum(k.startswith("difficulty:") for k in keys) == 6
    assert {f"strategy:{lab}={name}" for lab in ("xai", "openai") for name in STRATEGIES} <= keys
    assert {"idle", "rent-everything", "build-everything", "maximum-debt", "raise-every-round", "research-heavy",
            "staff-heavy", "one-giant-run", "lowball-offers", "expert"} <= set(STRATEGIES)  # fmt: skip


def test_a_cell_is_the_same_in_any_chunking(colossus, catalog):
    cell = tournament.Cell("default", "default")
    history = tournament.load_history(catalog)
    whole = tournament.play_chunk(colossus, catalog, cell, 12, 3, 0, history, weeks=40)
    parts = [
        tournament.play_chunk(colossus, catalog, cell, n, 3, first, history, 40)
        for first, n in ((0, 5), (5, 7))
    ]
    for name, value in whole.items():
        assert np.array_equal(value, np.concatenate([p[name] for p in parts]), equal_nan=True), name


def test_results_are_data_with_intervals_and_targets(colossus, catalog, params):
    cells = [c for c in tournament.plan(catalog, params.lab_ids) if c.key in ("default", "deck-off")]
    seen = []
    result = tournament.run(
        colossus,
        catalog,
        cells,
        games=16,
        seed=2,
        chunk=8,
        progress=lambda d, t: seen.append((d, t)),
        weeks=80,
    )
    assert seen[-1] == (32, 32) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    doc = json.loads(json.dumps(result.to_dict()))  # plain data, JSON all the way down
    default = next(c for c in doc["cells"] if c["key"] == "default")
    shares = sum(w["share"] for w in default["win"].values())
    assert shares == pytest.approx(1.0)
    for w in default["win"].values():
        assert 0 <= w["lo"] <= w["share"] <= w["hi"] <= 1
    assert {r["id"] for r in default["history"]} == {r.id for r in tournament.load_history(catalog)}
    measures = {t["measure"] for t in doc["targets"]}
    assert {
        "default AI win share",
        "bankruptcies (default)",
        "AGI date",
        "the events deck moves a lab's share",
    } <= measures
    md = balance.markdown(doc, {lab: catalog.lab(lab).name for lab in params.lab_ids})
    assert "| measure | target | result | met |" in md and "xAI" in md


def test_the_wilson_interval_holds_the_share_and_narrows_with_games():
    lo, hi = tournament.wilson(50, 100)
    assert lo < 0.5 < hi
    lo2, hi2 = tournament.wilson(500, 1000)
    assert hi2 - lo2 < hi - lo
    assert tournament.wilson(0, 10)[0] == 0.0 and tournament.wilson(10, 10)[1] == 1.0


def _strategy_actions(colossus, catalog, params, name):
    world = initial_world(colossus, params, 6, seed=4)
    ctl = policies.make_controllers(catalog, params, difficulty="hard", ai_labs=params.lab_ids)
    strategy = STRATEGIES[name]
    mine = np.arange(params.n_labs) == XAI
    if strategy.knobs:
        ctl = policies.with_knobs(ctl, mine, **strategy.knobs)
    acts = policies.decide(world, ctl)
    return world, strategy.adjust(world, acts, mine, 0) if strategy.adjust else acts


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_a_strategy_changes_only_its_own_lab(colossus, catalog, params, name):
    world, acts = _strategy_actions(colossus, catalog, params, name)
    ai = policies.decide(
        world, policies.make_controllers(catalog, params, difficulty="hard", ai_labs=params.lab_ids)
    )
    for field in ("order_count", "offer_partner", "raise_usd", "staff_usd_week", "split", "start_flop"):
        assert np.array_equal(getattr(acts, field)[:, OPENAI], getattr(ai, field)[:, OPENAI]), (name, field)


def test_strategies_do_what_their_names_say(colossus, catalog, params):
    _, idle = _strategy_actions(colossus, catalog, params, "idle")
    world = initial_world(colossus, params, 6, seed=4)
    nothing = Actions.idle(world)
    assert all(
        np.array_equal(getattr(idle, f)[:, XAI], getattr(nothing, f)[:, XAI])
        for f in ("order_count", "raise_usd")
    )
    _, rent = _strategy_actions(colossus, catalog, params, "rent-everything")
    assert rent.order_count[:, XAI].sum() == 0 and rent.build_mw[:, XAI].sum() == 0
    _, build = _strategy_actions(colossus, catalog, params, "build-everything")
    assert (build.offer_partner[:, XAI] == -1).all()
    _, debt = _strategy_actions(colossus, catalog, params, "maximum-debt")
    assert (debt.borrow_usd[:, XAI] > 1e12).all()
    _, heavy = _strategy_actions(colossus, catalog, params, "research-heavy")
    assert heavy.split[:, XAI, 2] == pytest.approx(0.35)
    _, giant = _strategy_actions(colossus, catalog, params, "one-giant-run")
    assert giant.start_flop[:, XAI].max() > 1e26  # two years of its compute at once


def test_the_command_prints_the_targets_and_writes_json(capsys, tmp_path):
    out = tmp_path / "t.json"
    code = main(["tournament", "--games", "6", "--cells", "default", "--json", str(out), "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "default AI win share" in printed and "history" in printed
    doc = json.loads(out.read_text())
    assert doc["games_per_cell"] == 6 and [c["key"] for c in doc["cells"]] == ["default"]


def test_the_command_refuses_an_unknown_group_before_any_work(capsys, tmp_path):
    assert main(["tournament", "--cells", "default,nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().err
    assert main(["tournament", "--games", "5", "--json", str(tmp_path / "missing" / "x.json")]) == 2


def _cell(key, group, win, level="normal", bankrupt=None, runway=None, **more):
    """A cell's summary with only what the targets read."""
    labs = ("xai", "openai", "anthropic", "google", "meta")
    shares = {lab: win.get(lab, 0.0) for lab in labs} | {"none": 0.0}
    return {
        "key": key, "group": group, "level": level, "focus": more.get("focus"), "strategy": more.get("strategy"),
        "games": 2000, "win": {lab: {"share": v, "lo": v, "hi": v} for lab, v in shares.items()},
        "agi_share": 0.85, "agi_date": {"p10": "2027-01-01", "p50": "2028-02-01", "p90": "2029-01-01"},
        "bankrupt_share": 0.03, "bankrupt": {lab: (bankrupt or {}).get(lab, 0.02) for lab in labs},
        "runway_alarm_share": 0.3, "runway_alarm": {lab: (runway or {}).get(lab, 0.3) for lab in labs},
    }  # fmt: skip


def _targets(params, cells, search=None):
    return {t["measure"]: t for t in balance.targets(cells, params, search=search)}


def test_the_targets_of_money_bankruptcy_and_the_hard_style_matrix(params):
    even = {"xai": 0.45, "openai": 0.45}
    cells = [
        _cell("default", "default", even, runway={"xai": 0.35, "openai": 0.12}),
        _cell("hard", "baseline", even, level="hard", bankrupt={"xai": 0.09, "openai": 0.02}),
    ]
    styles = params.catalog.style_ids
    for level in ("normal", "hard"):
        for sa in styles:
            for sb in styles:
                strong = level == "hard" and sa == styles[0]  # one style beats every other at hard
                win = {"xai": 0.8 if strong else 0.45, "openai": 0.15 if strong else 0.45}
                cells.append(
                    _cell(balance.style_key(level, ("xai", sa), ("openai", sb)), "styles", win, level)
                )
    t = _targets(params, cells)
    runway = t["games where the lab's runway < 12 weeks at least once"]
    assert runway["met"] is False and "OpenAI 12.0%" in runway["value"]
    hard = t["bankruptcies, hard AI vs normal AI"]
    assert hard["met"] is False and "xAI 9.0% vs 2.0%" in hard["value"]
    assert t["style matrix (3 x 3, normal)"]["met"] is True
    assert t["style matrix (3 x 3, hard)"]["met"] is False
    cells[0]["runway_alarm"]["openai"] = 0.2
    cells[1]["bankrupt"]["xai"] = 0.04
    t = _targets(params, cells)
    assert t["games where the lab's runway < 12 weeks at least once"]["met"] is True
    assert t["bankruptcies, hard AI vs normal AI"]["met"] is True


def test_the_search_has_its_target_row_and_markdown(params):
    def lab(name, share):
        row = {"share": share, "lo": share - 0.05, "hi": share + 0.05, "levers": ["rent x4 (whole game)"]}
        best = row | {
            "leans": [{"lever": "rent", "setting": "rent x4 (whole game)", "without": 0.4, "points": 30.0}]
        }
        return {"lab": name, "baseline": {"share": 0.3, "lo": 0.25, "hi": 0.35}, "strategies": [best, row],
                "best": best, "met": share <= 0.75}  # fmt: skip

    found = {"scenario": "s", "seed": 1, "assets": None, "limit": 0.75, "labs": [lab("xai", 0.5), lab("openai", 0.8)],
             "budget": {"games": 32, "population": 24, "generations": 7, "confirm": 400, "ablate": 86,
                        "games_per_lab": 8000}}  # fmt: skip
    row = _targets(params, [], found)["the exploit search's best vs the hard AI"]
    assert row["met"] is False and "OpenAI 80.0%" in row["value"]
    found["labs"][1] = lab("openai", 0.7)
    assert _targets(params, [], found)["the exploit search's best vs the hard AI"]["met"] is True
    md = balance.search_markdown(found, {"xai": "xAI", "openai": "OpenAI"})
    assert "| OpenAI | found #1 | 70.0% (65%-75%) | rent x4 (whole game): +30 points |" in md
