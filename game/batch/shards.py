"""What batch work sends to a worker, and what a large simulation leaves on disk.

A worker (a process of the default pool, a Dask worker on another machine, any
`concurrent.futures.Executor`) is sent a `ScenarioRef` and a few numbers, `(seed,
offset, runs)`: the scenario's own TOML text, rebuilt there against the worker's own
catalog (loaded once per process), never a pickled catalog, World or Params. The
reference names a fingerprint of the game data (assets/) it was made with, and a worker
whose data differ refuses the work instead of playing another game.

`simulate --shard-out DIR` writes one columnar `.npz` file per shard (`write_shard`),
with `manifest.json` beside them; `summarise_dir` merges them into the summary that
`simulate.summarise` makes in memory: counts are summed, and percentiles are exact, from
order statistics found by radix selection over the shards (four passes of a 16-bit
histogram over the values' sortable bit patterns), so memory is bounded by one shard
whatever the number of games.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from game.catalog import Catalog, default_catalog
from game.paths import assets_dir
from game.saves import FORMAT, SaveError, Scenario, dumps, migrate, parse, read_bounded, write_atomic

MANIFEST = "manifest.json"
SHARD_FORMAT = "agi-race-shards"
SHARD_VERSION = 1


# ------------------------------------------------------------------ references
@functools.cache
def assets_digest() -> str:
    """A fingerprint of this installation's game data (every file under assets/)."""
    digest = hashlib.sha256()
    root = assets_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class DataMismatch(RuntimeError):
    """A worker's game data are not the data the work was planned with."""


@attrs.frozen
class ScenarioRef:
    """A scenario as a worker gets it: its path (for names and messages), its TOML text,
    and the fingerprint of the game data it belongs with."""

    path: str
    text: str = attrs.field(repr=False)
    assets: str

    @classmethod
    def of_file(cls, scn: Scenario, catalog: Catalog) -> ScenarioRef:
        """The file `scn` was read from, as it is on disk."""
        _check_catalog(catalog)
        return cls(str(scn.path), read_bounded(Path(scn.path)).decode("utf-8"), assets_digest())

    @classmethod
    def of_document(cls, doc: dict[str, Any], path: Path, catalog: Catalog) -> ScenarioRef:
        """A save document made in memory (a game being played: `Session.document()`)."""
        _check_catalog(catalog)
        return cls(str(path), dumps(doc), assets_digest())

    def load(self) -> tuple[Scenario, Catalog]:
        """The scenario and this process's catalog (each parsed once per process)."""
        if self.assets != assets_digest():
            raise DataMismatch(
                f"this worker's game data ({assets_digest()}) differ from the ones the work was planned "
                f"with ({self.assets}): install the same agi-race version on every worker"
            )
        return _parsed(self.path, self.text), default_catalog()


def _check_catalog(catalog: Catalog) -> None:
    if catalog is not default_catalog() and catalog != default_catalog():
        raise ValueError("only the game's own catalog (assets/) can be shared with worker processes")


@functools.lru_cache(maxsize=8)
def _parsed(path: str, text: str) -> Scenario:
    where = Path(path)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SaveError(f"{where}: not valid TOML ({err})") from None
    if doc.get("format") != FORMAT:
        raise SaveError(f"{where} format: must be {FORMAT!r}, got {doc.get('format')!r}")
    return parse(migrate(doc, str(where)), default_catalog(), where)


# ---------------------------------------------------------------- shard files
# Columns of a shard: one row per game. Per-lab columns are (games, labs); the tallies
# (games, labs, partners), (games, answers, reasons) and (games, events).
LAB_FIELDS = ("cash", "debt", "valuation", "compute", "capability", "software", "users",
              "bankrupt", "founder_share", "score")  # fmt: skip


def shard_name(first: int, games: int) -> str:
    return f"shard-{first:012d}-{games:09d}.npz"


def write_shard(folder: Path, columns: dict[str, np.ndarray], first: int) -> Path:
    """Write one shard's columns (atomically) as `shard-FIRST-GAMES.npz` in `folder`."""
    import io

    games = len(columns["index"])
    buffer = io.BytesIO()
    arrays: dict[str, Any] = dict(columns)
    np.savez(buffer, allow_pickle=False, **arrays)
    path = Path(folder) / shard_name(first, games)
    write_atomic(path, buffer.getvalue())
    return path


def write_manifest(folder: Path, meta: dict[str, Any]) -> None:
    doc = {"format": SHARD_FORMAT, "version": SHARD_VERSION} | meta
    write_atomic(Path(folder) / MANIFEST, (json.dumps(doc, indent=1) + "\n").encode("utf-8"))


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    try:
        doc = json.loads(read_bounded(path))
    except SaveError:
        raise
    except (OSError, ValueError) as err:
        raise SaveError(f"{path}: not a shard manifest ({err})") from None
    if not isinstance(doc, dict) or doc.get("format") != SHARD_FORMAT:
        raise SaveError(f"{path}: not a shard manifest (format {SHARD_FORMAT!r} expected)")
    if doc.get("version") != SHARD_VERSION:
        raise SaveError(f"{path}: shard version {doc.get('version')!r}; this agi-race reads {SHARD_VERSION}")
    return doc


SHARD_FILE = re.compile(r"shard-(\d{12})-(\d{9})\.npz")


def shard_files(folder: Path, manifest: dict[str, Any]) -> list[Path]:
    """The shards of the run in `folder`, in game order; a missing or overlapping range
    is a SaveError naming it."""
    found = []
    for path in Path(folder).iterdir():
        m = SHARD_FILE.fullmatch(path.name)
        if m:
            found.append((int(m.group(1)), int(m.group(2)), path))
    found.sort()
    at, end = manifest["offset"], manifest["offset"] + manifest["runs"]
    out = []
    for first, games, path in found:
        if first < at:
            raise SaveError(f"{path}: games {first:,}.. overlap the shard before it")
        if first > at:
            raise SaveError(f"{folder}: games {at:,}..{first - 1:,} are missing (no shard holds them)")
        out.append(path)
        at = first + games
    if at < end:
        raise SaveError(f"{folder}: games {at:,}..{end - 1:,} are missing (no shard holds them)")
    if at > end:
        raise SaveError(f"{folder}: the shards hold games past {end - 1:,}, the manifest's last")
    return out


# ------------------------------------------------------------ exact percentiles
_SIGN = np.uint64(1 << 63)


def _keys(values: np.ndarray) -> np.ndarray:
    """float64 -> uint64 keys in the same order."""
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
    return np.where(bits & _SIGN, ~bits, bits | _SIGN)


def _value(key: int) -> float:
    k = np.uint64(key)
    bits = k & ~_SIGN if k & _SIGN else ~k
    return float(np.array([bits], np.uint64).view(np.float64)[0])


def _lerp(a: float, b: float, t: float) -> float:
    """numpy's linear interpolation (numpy.lib._function_base_impl._lerp), for one value."""
    a64, b64, t64 = np.float64(a), np.float64(b), np.float64(t)
    diff = b64 - a64
    if t64 >= 0.5:
        return float(b64 - diff * (1 - t64))
    return float(a64 + diff * t64)


def percentile_ranks(n: int, qs: tuple[float, ...]) -> list[tuple[int, int, float]]:
    """For each q: the order statistics numpy's 'linear' percentile reads, and its weight."""
    quantiles = np.true_divide(np.asarray(qs, dtype=np.float64), 100)
    virtual = (n - 1) * quantiles
    below = np.floor(virtual)
    gamma = virtual - below
    lo = np.clip(below, 0, n - 1).astype(np.int64)
    hi = np.clip(below + 1, 0, n - 1).astype(np.int64)
    return [(int(a), int(b), float(g)) for a, b, g in zip(lo, hi, gamma, strict=True)]


def select(
    columns: Callable[[], Iterator[dict[str, np.ndarray]]], wanted: dict[str, list[int]]
) -> dict[str, dict[int, float]]:
    """The order statistics `wanted[name]` (0-based ranks) of each named column, exactly,
    over the parts `columns()` yields (read once per pass, four passes)."""
    targets = [(name, rank) for name, ranks in wanted.items() for rank in sorted(set(ranks))]
    prefix = {t: 0 for t in targets}
    remaining = {t: t[1] for t in targets}
    for shift in (48, 32, 16, 0):
        counts = {t: np.zeros(1 << 16, np.int64) for t in targets}
        for part in columns():
            for name in wanted:
                keys = _keys(part[name])
                for t in targets:
                    if t[0] != name:
                        continue
                    chosen = (
                        keys if shift == 48 else keys[(keys >> np.uint64(shift + 16)) == np.uint64(prefix[t])]
                    )
                    digits = ((chosen >> np.uint64(shift)) & np.uint64(0xFFFF)).astype(np.int64)
                    counts[t] += np.bincount(digits, minlength=1 << 16)
        for t in targets:
            cumulative = np.cumsum(counts[t])
            digit = int(np.searchsorted(cumulative, remaining[t], side="right"))
            remaining[t] -= int(cumulative[digit - 1]) if digit else 0
            prefix[t] = (prefix[t] << 16) | digit
    out: dict[str, dict[int, float]] = {name: {} for name in wanted}
    for (name, rank), key in prefix.items():
        out[name][rank] = _value(key)
    return out


# ------------------------------------------------------------------ the merge
def summarise_dir(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest and the summary of the games in `folder`'s shards: the same summary as
    `simulate.summarise` of the same games in memory. One shard is in memory at a time."""
    import datetime as dt

    from game.engine import deals
    from game.engine.state import END_REASONS

    manifest = read_manifest(folder)
    files = shard_files(folder, manifest)
    labs: list[str] = manifest["labs"]
    partners: list[str] = manifest["partners"]
    events: list[str] = manifest["events"]
    start = dt.date.fromisoformat(manifest["start_date"])
    L = len(labs)

    n = 0
    wins = np.zeros(L + 1, np.int64)  # the last: no winner
    ends = np.zeros(len(END_REASONS), np.int64)
    bankrupt = np.zeros(L, np.int64)
    signed = np.zeros((L, len(partners)), np.int64)
    answers = np.zeros((len(deals.ANSWERS), len(deals.REASONS)), np.int64)
    fired = np.zeros(len(events), np.int64)
    first_signed = np.full((L, len(partners)), np.iinfo(np.int64).max)
    first_fired = np.full(len(events), np.iinfo(np.int64).max)
    agi = 0

    def parts() -> Iterator[dict[str, np.ndarray]]:
        for path in files:
            with np.load(path) as z:
                cols = {k: z[k] for k in z.files}
            part = {"agi_week": cols["agi_week"][cols["agi_week"] >= 0].astype(np.float64)}
            for what in ("compute", "cash", "capability"):
                for li, lab in enumerate(labs):
                    part[f"{what}:{lab}"] = cols[what][:, li].astype(np.float64)
            yield part

    for path in files:
        with np.load(path) as z:
            cols = {k: z[k] for k in z.files}
        games = len(cols["index"])
        base = n
        n += games
        wins += np.bincount(np.where(cols["winner"] >= 0, cols["winner"], L), minlength=L + 1)
        ends += np.bincount(cols["end"], minlength=len(END_REASONS))
        bankrupt += cols["bankrupt"].sum(0)
        agi += int((cols["agi_week"] >= 0).sum())
        signed += cols["signed"].sum(0)
        answers += cols["answers"].sum(0)
        fired += cols["events"].sum(0)
        row = base + np.arange(games)
        hit = cols["signed"] > 0
        first_signed = np.minimum(first_signed, np.where(hit, row[:, None, None], first_signed).min(0))
        hit_e = cols["events"] > 0
        first_fired = np.minimum(first_fired, np.where(hit_e, row[:, None], first_fired).min(0))

    qs = (10.0, 50.0, 90.0)
    sizes = {"agi_week": agi} | {
        f"{what}:{lab}": n for what in ("compute", "cash", "capability") for lab in labs
    }
    ranks = {name: percentile_ranks(size, qs) if size else [] for name, size in sizes.items()}
    stats = select(
        parts, {name: [r for lo, hi, _ in rs for r in (lo, hi)] for name, rs in ranks.items() if rs}
    )

    def pct(name: str) -> dict[str, float | None]:
        if not ranks[name]:
            return {"p10": None, "p50": None, "p90": None}
        got = stats[name]
        return {
            f"p{int(q)}": _lerp(got[lo], got[hi], g) for q, (lo, hi, g) in zip(qs, ranks[name], strict=True)
        }

    agi_week = pct("agi_week")
    deal_totals: dict[str, dict[str, int]] = {}
    for li, lab in enumerate(labs):
        order = sorted((int(first_signed[li, k]), k) for k in range(len(partners)) if signed[li, k])
        deal_totals[lab] = {partners[k]: int(signed[li, k]) for _, k in order}
    answer_totals = {
        f"{deals.ANSWERS[a]}:{deals.REASONS[r]}": int(answers[a, r])
        for a, r in zip(*np.nonzero(answers), strict=True)
    }
    order = sorted((int(first_fired[c]), c) for c in range(len(events)) if fired[c])
    event_totals = {events[c]: int(fired[c]) for _, c in order}
    summary = {
        "deals_signed": deal_totals,
        "answers": dict(sorted(answer_totals.items())),
        "events_fired": dict(sorted(event_totals.items(), key=lambda kv: -kv[1])),
        "games": n,
        "win_rate": {lab: int(wins[li]) / n for li, lab in enumerate(labs)} | {"none": int(wins[L]) / n},
        "ends": {reason: int(ends[k]) for k, reason in enumerate(END_REASONS)},
        "agi_share": agi / n,
        "agi_week": agi_week,
        "agi_date": {
            k: ((start + dt.timedelta(weeks=int(round(v)))).isoformat() if v is not None else None)
            for k, v in agi_week.items()
        },
        "bankruptcies": {lab: int(bankrupt[li]) for li, lab in enumerate(labs)},
        "compute": {lab: pct(f"compute:{lab}") for lab in labs},
        "cash": {lab: pct(f"cash:{lab}") for lab in labs},
        "capability": {lab: pct(f"capability:{lab}") for lab in labs},
    }
    return manifest, summary


def folder_ready(folder: Path) -> Path:
    """`--shard-out DIR`: the folder, made if absent; one holding another run's files is refused."""
    path = Path(folder).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SaveError(f"{path}: cannot make the folder ({err.strerror or err})") from None
    if not path.is_dir():
        raise SaveError(f"{path}: not a folder")
    taken = [p.name for p in path.iterdir() if p.name == MANIFEST or SHARD_FILE.fullmatch(p.name)]
    if taken:
        raise SaveError(f"{path}: holds another run's shards ({taken[0]}); give an empty or new folder")
    if not os.access(path, os.W_OK):
        raise SaveError(f"{path}: read-only")
    return path
