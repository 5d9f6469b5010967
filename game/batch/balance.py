"""What a tournament's results say: the balance targets, each met or not, and the results
as Markdown (the README's balance section is this output)."""

from __future__ import annotations

from typing import Any

from game.batch.levers import described
from game.engine.params import Params


def style_key(level: str, first: tuple[str, str], second: tuple[str, str]) -> str:
    """The key of a style-matrix cell: `styles:xai=builder,openai=partner` at normal,
    `styles@hard:...` at another level."""
    at = "" if level == "normal" else f"@{level}"
    return f"styles{at}:{first[0]}={first[1]},{second[0]}={second[1]}"


def _share(cells: dict[str, dict[str, Any]], key: str, lab: str) -> float | None:
    cell = cells.get(key)
    return None if cell is None else cell["win"][lab]["share"]


def _row(measure: str, target: str, value: str, met: bool | None) -> dict[str, Any]:
    return {"measure": measure, "target": target, "value": value, "met": met}


STYLE_LEVELS = ("normal", "hard")  # the style matrix is measured at both
STRONGEST = 0.75  # no strategy or style wins more than this against the hard AI
RUNWAY_GAMES = 0.20  # each lab's runway under 12 weeks at least once in this share of games
BANKRUPT = (0.01, 0.10)  # bankrupt labs in default games
HARD_BANKRUPT_POINTS = 0.02  # hard AI labs go bankrupt at most this much more than normal ones


def targets(
    summaries: list[dict[str, Any]],
    params: Params,
    players: tuple[str, ...] = ("xai", "openai"),
    search: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The balance targets, each met or not; a target whose cells were not played is left
    out. `search`: the exploit search's document (search.run_search), if it ran."""
    cells = {c["key"]: c for c in summaries}
    out = []
    names = {lab: params.catalog.lab(lab).name for lab in params.lab_ids}

    default = cells.get("default")
    if default is not None:
        shares = {lab: default["win"][lab]["share"] for lab in players}
        out.append(_row("default AI win share", "each 40-60%",
                        ", ".join(f"{names[lab]} {v:.1%}" for lab, v in shares.items()),
                        all(0.40 <= v <= 0.60 for v in shares.values())))  # fmt: skip

    styles = params.catalog.style_ids
    a, b = players
    for level in STYLE_LEVELS:
        keys = {(sa, sb): style_key(level, (a, sa), (b, sb)) for sa in styles for sb in styles}
        if not all(key in cells for key in keys.values()):
            continue
        matrix = {pair: cells[key] for pair, key in keys.items()}
        worst = []
        for lab, mine_first in ((a, True), (b, False)):
            for s in styles:
                against = [matrix[(s, t) if mine_first else (t, s)]["win"][lab]["share"] for t in styles]
                worst.append((min(against), f"{names[lab]} as {s}"))
        best, who = max(worst)
        out.append(_row(f"style matrix ({len(styles)} x {len(styles)}, {level})",
                        f"no style wins >= {STRONGEST:.0%} against every style",
                        f"best worst-case: {who} {best:.1%}", best < STRONGEST))  # fmt: skip

    strat = [c for c in summaries if c["group"] == "strategies"]
    if strat:
        top = max(strat, key=lambda c: c["win"][c["focus"]]["share"])
        weak = [c for c in strat if c["strategy"] in ("idle", "one-giant-run")]
        weak_max = max((c["win"][c["focus"]]["share"] for c in weak), default=0.0)
        out.append(_row("scripted strategies vs the hard AI", f"each <= {STRONGEST:.0%}",
                        f"best: {top['strategy']} as {names[top['focus']]} {top['win'][top['focus']]['share']:.1%}",
                        top["win"][top["focus"]]["share"] <= STRONGEST))  # fmt: skip
        out.append(_row("idle and one-giant-run vs the hard AI", "each < 5%",
                        f"at most {weak_max:.1%}", weak_max < 0.05))  # fmt: skip
    if search is not None and search.get("labs"):
        best = max(search["labs"], key=lambda r: r["best"]["share"])
        b = best["best"]
        out.append(_row("the exploit search's best vs the hard AI", f"<= {STRONGEST:.0%}",
                        ", ".join(f"{names.get(r['lab'], r['lab'])} {r['best']['share']:.1%} "
                                  f"({r['best']['lo']:.0%}-{r['best']['hi']:.0%})" for r in search["labs"]),
                        b["share"] <= STRONGEST))  # fmt: skip

    for lab in players:
        ladder = [
            _share(cells, key, lab)
            for key in (f"difficulty:{lab}=hard,rest=normal", f"difficulty:{lab}=normal,rest=easy",
                        f"difficulty:{lab}=easy,rest=normal", "default")
        ]  # fmt: skip
        if any(x is None for x in ladder):
            continue
        hard, over_easy, easy, even = (float(x or 0.0) for x in ladder)
        ok = 0.6 <= hard <= 0.8 and 0.6 <= over_easy <= 0.8 and easy < even < hard
        out.append(_row(f"difficulty ladder, {names[lab]}", "hard vs normal and normal vs easy 60-80%, monotone",
                        f"hard/normal {hard:.1%}, normal/easy {over_easy:.1%}; easy/normal {easy:.1%} < "
                        f"normal/normal {even:.1%}", ok))  # fmt: skip

    if default is not None:
        alarm = {lab: default["runway_alarm"][lab] for lab in players}
        out.append(_row("games where the lab's runway < 12 weeks at least once",
                        f"each >= {RUNWAY_GAMES:.0%}",
                        ", ".join(f"{names[lab]} {v:.1%}" for lab, v in alarm.items()),
                        all(v >= RUNWAY_GAMES for v in alarm.values())))  # fmt: skip
        broke = default["bankrupt_share"]
        lo, hi = BANKRUPT
        out.append(
            _row("bankruptcies (default)", f"{lo:.0%}-{hi:.0%} of labs", f"{broke:.1%}", lo <= broke <= hi)
        )
    all_hard = cells.get("hard")
    if default is not None and all_hard is not None:
        more = {lab: all_hard["bankrupt"][lab] - default["bankrupt"][lab] for lab in params.lab_ids}
        lab, most = max(more.items(), key=lambda kv: kv[1])
        out.append(_row("bankruptcies, hard AI vs normal AI", f"hard <= normal + {HARD_BANKRUPT_POINTS * 100:.0f} points",
                        f"most: {names[lab]} {all_hard['bankrupt'][lab]:.1%} vs {default['bankrupt'][lab]:.1%}",
                        most <= HARD_BANKRUPT_POINTS + 1e-12))  # fmt: skip
    if default is not None:
        median = default["agi_date"]["p50"]
        none = 1 - default["agi_share"]
        in_band = median is not None and "2027-07-01" <= median <= "2029-06-30"
        out.append(_row("AGI date", "median 2027-07..2029-06; 5-25% without AGI",
                        f"median {median}, {none:.1%} without", in_band and 0.05 <= none <= 0.25))  # fmt: skip
        rows = default.get("history", [])
        if rows:
            missed = [r for r in rows if not r["met"]]
            out.append(_row("history table (end 2024, end 2025)", "every row within 2x",
                            f"{len(rows) - len(missed)} of {len(rows)} rows"
                            + (f"; off: {', '.join(r['id'] for r in missed)}" if missed else ""), not missed))  # fmt: skip
    off = cells.get("deck-off")
    if default is not None and off is not None:
        moves = {lab: default["win"][lab]["share"] - off["win"][lab]["share"] for lab in params.lab_ids}
        lab, move = max(moves.items(), key=lambda kv: abs(kv[1]))
        out.append(_row("the events deck moves a lab's share", "<= 5 points",
                        f"most: {names[lab]} {move * 100:+.1f} points", abs(move) <= 0.05))  # fmt: skip
    return out


# --------------------------------------------------------------------- markdown
def _pct(win: dict[str, float]) -> str:
    return f"{win['share']:.1%} ({win['lo']:.0%}-{win['hi']:.0%})"


def _fmt(x: float | None, what: str) -> str:
    if x is None:
        return "-"
    if what in ("users",):
        return f"{x / 1e6:,.0f}M"
    if what == "compute":
        return f"{x / 1e3:,.0f}k H100e"
    if what == "weeks_per_release":
        return f"{x:,.1f} weeks"
    return f"${x / 1e9:,.1f}B"


def markdown(doc: dict[str, Any], names: dict[str, str]) -> str:
    """A tournament (Tournament.to_dict()) as Markdown tables: the targets, the default
    race, the style matrix, the difficulty ladder, the scripted strategies and the
    history table. `names` gives each lab id its name."""
    cells = {c["key"]: c for c in doc["cells"]}
    labs = [lab for lab in names if any(lab in c["win"] for c in doc["cells"])]
    out = [f"{doc['games_per_cell']:,} games per cell, seed {doc['seed']}, scenario {doc['scenario']}.", ""]
    if not doc["cells"]:
        out = [f"Seed {doc['seed']}, scenario {doc['scenario']}.", ""]
    out += ["| measure | target | result | met |", "|---|---|---|---|"]
    for t in doc["targets"]:
        met = "yes" if t["met"] else "no" if t["met"] is not None else "-"
        out.append(f"| {t['measure']} | {t['target']} | {t['value']} | {met} |")
    race = [c for c in doc["cells"] if c["group"] in ("default", "deck", "baseline")]
    if race:
        out += [
            "",
            "| match-up | "
            + " | ".join(names[lab] for lab in labs)
            + " | AGI median | no AGI | bankrupt labs | runway < 12 weeks |",
        ]
        out.append("|---" * (len(labs) + 5) + "|")
        for c in race:
            wins = " | ".join(_pct(c["win"][lab]) for lab in labs)
            out.append(
                f"| {c['key']} | {wins} | {c['agi_date']['p50']} | {1 - c['agi_share']:.1%} | "
                f"{c['bankrupt_share']:.1%} | {c['runway_alarm_share']:.1%} |"
            )
    for level in STYLE_LEVELS:
        styles = [c for c in doc["cells"] if c["group"] == "styles" and c.get("level", "normal") == level]
        if not styles:
            continue
        out += [
            "",
            f"Style matrix ({level} difficulty): each cell is the first lab's and the second lab's win share.",
            "",
        ]
        pairs = [c["key"].split(":", 1)[1].split(",") for c in styles]
        first = list(dict.fromkeys(p[0].split("=")[1] for p in pairs))
        second = list(dict.fromkeys(p[1].split("=")[1] for p in pairs))
        a, b = pairs[0][0].split("=")[0], pairs[0][1].split("=")[0]
        out.append(f"| {names[a]} \\ {names[b]} | " + " | ".join(second) + " |")
        out.append("|---" * (len(second) + 1) + "|")
        for sa in first:
            row = []
            for sb in second:
                c = cells.get(style_key(level, (a, sa), (b, sb)))
                row.append("-" if c is None else f"{c['win'][a]['share']:.0%} / {c['win'][b]['share']:.0%}")
            out.append(f"| {sa} | " + " | ".join(row) + " |")
    ladder = [c for c in doc["cells"] if c["group"] == "difficulty"]
    if ladder:
        out += ["", "| difficulty match-up | the lab's win share |", "|---|---|"]
        out += [f"| {c['key'].split(':', 1)[1]} | {_pct(c['win'][c['focus']])} |" for c in ladder]
    strat = [c for c in doc["cells"] if c["group"] == "strategies"]
    if strat:
        players = sorted({c["focus"] for c in strat}, key=labs.index)
        out += ["", "Scripted strategies against the hard AI (the strategy's lab's win share):", ""]
        out += [
            "| strategy | " + " | ".join(names[lab] for lab in players) + " |",
            "|---" * (len(players) + 1) + "|",
        ]
        for name in dict.fromkeys(c["strategy"] for c in strat):
            shares = []
            for lab in players:
                cell = cells.get(f"strategy:{lab}={name}")
                shares.append("-" if cell is None else _pct(cell["win"][lab]))
            out.append(f"| {name} | " + " | ".join(shares) + " |")
    if doc.get("search"):
        out += ["", search_markdown(doc["search"], names).rstrip("\n")]
    history = cells.get("default", {}).get("history", [])
    if history:
        out += [
            "",
            "| history (calibration.md section 6) | date | history | median of the default games | ratio |",
            "|---|---|---|---|---|",
        ]
        for r in history:
            ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}" + ("" if r["met"] else " (off)")
            out.append(
                f"| {names.get(r['lab'], r['lab'])} {r['what']} | {r['date']} | {_fmt(r['history'], r['what'])} | {_fmt(r['median'], r['what'])} | {ratio} |"
            )
    return "\n".join(out) + "\n"


def search_markdown(search: dict[str, Any], names: dict[str, str]) -> str:
    """The exploit search's result (search.run_search) as a Markdown table: for each lab,
    the hard AI's own share and the finalists', on the same fresh games."""
    budget = search["budget"]
    out = [
        f"Exploit search against the hard AI: {budget['generations']} generations of {budget['population']} "
        f"candidates on {budget['games']} games each, then the best {len(search['labs'][0]['strategies'])} "
        f"and the hard AI itself on {budget['confirm']:,} fresh games ({budget['games_per_lab']:,} games a lab, "
        f"seed {search['seed']}). The best's levers are the win share it loses without each, on "
        f"{budget['ablate']:,} more games.",
        "",
        "| lab | strategy | win share (95% interval) | levers it leans on |",
        "|---|---|---|---|",
    ]
    for lab in search["labs"]:
        name = names.get(lab["lab"], lab["lab"])
        base = lab["baseline"]
        out.append(f"| {name} | the hard AI itself | {_pct(base)} | - |")
        for i, row in enumerate(lab["strategies"], 1):
            out.append(
                f"| {name} | found #{i} | {_pct(row)} | {'; '.join(described(row)) or 'none: plays as the AI'} |"
            )
    return "\n".join(out) + "\n"
