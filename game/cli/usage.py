"""What every command shares: the one-line usage error, the argument parser and its help
format, number checkers, and the lookups that turn what a person typed (a GPU's common
name, `LAB=STYLE`, `LAB=LEVEL`) into the catalog's ids."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from game.catalog import Catalog, Gpu
from game.catalog.names import find_gpu, known_gpus

PROG = "agi-race"


class UsageError(Exception):
    """A problem with what the user typed; the message is shown as one line."""


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with an option's default shown where it has one (`(default: 1)`),
    unless its help already says what happens without it (`default: ...`). Nothing is
    added where there is no default: commands, positional arguments, on/off flags and
    options whose absence means "not given" (a rental's terms, an output file)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if (
            not action.option_strings  # a command or a positional argument
            or "default" in text
            or action.required
            or action.nargs == 0
            or action.default in (None, [], argparse.SUPPRESS)
        ):
            return text
        return f"{text} (default: %(default)s)" if text else "default: %(default)s"


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one UsageError (so main prints one line)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# ------------------------------------------------------------------ value checkers
def number(text: str, lo: float, hi: float, integer: bool = False) -> float:
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise argparse.ArgumentTypeError(f"must be {kind}, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    if not lo <= value <= hi:
        raise argparse.ArgumentTypeError(f"must be between {lo:g} and {hi:g}, got {text}")
    return value


def checker(what: str, lo: float, hi: float, integer: bool = False) -> Callable[[str], float]:
    """An argparse `type` accepting numbers in [lo, hi] (whole numbers if `integer`)."""

    def check(text: str) -> float:
        return number(text, lo, hi, integer)

    check.__name__ = what  # argparse names the option's type in its message
    return check


RUNS = checker("--runs", 1, 10_000_000, integer=True)
WEEKS = checker("--weeks", 1, 5_000, integer=True)
SEED = checker("--seed", 0, 2**63 - 1, integer=True)
WORKERS = checker("--workers", 1, 256, integer=True)
COUNT = checker("--count", 1, 100_000_000, integer=True)


def one_of(names: Sequence[str]) -> str:
    return ", ".join(names)


def add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar (there is none when stderr is not a terminal)",
    )


def add_policy(parser: argparse.ArgumentParser, catalog: Catalog | None, what: str, default: str) -> None:
    styles = f" ({one_of(catalog.style_ids)})" if catalog else ""
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="LAB=STYLE",
        help=f"{what}{styles}; repeatable (default: {default})",
    )


# ------------------------------------------------------------------ lookups
def gpu(catalog: Catalog, name: str, flag: str = "--gpu") -> Gpu:
    """The GPU named by id or common name, any case (`h100`, `Rubin`)."""
    try:
        return find_gpu(catalog, name)
    except LookupError as err:
        raise UsageError(f"{flag}: {err}") from None


def gpu_help(catalog: Catalog | None) -> str:
    return (
        f"by id or common name, any case: {known_gpus(catalog.gpus)}" if catalog else "by id or common name"
    )


def policies(catalog: Catalog, items: list[str], lab_ids: tuple[str, ...]) -> dict[str, str]:
    """`LAB=STYLE` items as {lab: style}, each checked against the scenario and catalog."""
    out = {}
    for item in items:
        lab, style = _pair("--policy", "LAB=STYLE", item, lab_ids)
        if style not in catalog.style_ids:
            raise UsageError(f"--policy: unknown style {style!r} (known: {one_of(catalog.style_ids)})")
        out[lab] = style
    return out


def difficulties(catalog: Catalog, items: list[str], lab_ids: tuple[str, ...]) -> str | dict[str, str] | None:
    """`--difficulty` values: a bare LEVEL sets every lab, LAB=LEVEL one lab (a later item
    wins). None when none was given; one level when every lab has the same."""
    if not items:
        return None
    levels: dict[str, str] = {}
    for item in items:
        if "=" in item:
            lab, level = _pair("--difficulty", "LEVEL or LAB=LEVEL", item, lab_ids)
            targets: tuple[str, ...] = (lab,)
        else:
            level, targets = item, lab_ids
        if level not in catalog.difficulty_ids:
            raise UsageError(
                f"--difficulty: unknown level {level!r} (known: {one_of(catalog.difficulty_ids)})"
            )
        levels.update(dict.fromkeys(targets, level))
    if set(levels) == set(lab_ids) and len(set(levels.values())) == 1:
        return next(iter(levels.values()))
    return levels


def _pair(flag: str, shape: str, item: str, lab_ids: tuple[str, ...]) -> tuple[str, str]:
    lab, sep, value = item.partition("=")
    if not sep or not lab or not value:
        raise UsageError(f"{flag} must look like {shape}, got {item!r}")
    if lab not in lab_ids:
        raise UsageError(f"{flag}: lab {lab!r} is not in this scenario (labs: {one_of(lab_ids)})")
    return lab, value


def level(catalog: Catalog, value: str | None) -> str | None:
    """A single difficulty level, checked."""
    if value is not None and value not in catalog.difficulty_ids:
        raise UsageError(f"--difficulty: unknown level {value!r} (known: {one_of(catalog.difficulty_ids)})")
    return value
