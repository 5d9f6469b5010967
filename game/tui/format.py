"""How the screens write numbers (always in units: $, FLOP/s, MW, users, weeks, dates)
and read the numbers a player types."""

from __future__ import annotations

import datetime as dt
import math

from game.play.decisions import Refused
from game.play.words import money  # noqa: F401 (one money format for screens and sentences)

MAX_FIELD = 24  # characters any field accepts (a longer paste is cut, never parsed)


def flops(x: float, short: bool = False) -> str:
    """FLOP/s with an SI prefix: 120 EFLOP/s, 3.4 ZFLOP/s (short: 120 EF/s)."""
    unit_name = "F/s" if short else "FLOP/s"
    for unit, size in (("Z", 1e21), ("E", 1e18), ("P", 1e15), ("T", 1e12)):
        if abs(x) >= size:
            value = x / size
            return f"{value:,.1f} {unit}{unit_name}" if value < 10 else f"{value:,.0f} {unit}{unit_name}"
    return f"{x:,.0f} {unit_name}"


def flop(x: float) -> str:
    """A compute budget: 3.0e25 FLOP."""
    return f"{x:.1e} FLOP"


def count(x: float) -> str:
    """12, 4,500, 120k, 1.2M, 3.4B (people, GPUs)."""
    a = abs(x)
    if a >= 1e9:
        return f"{x / 1e9:,.1f}B"
    if a >= 1e6:
        return f"{x / 1e6:,.1f}M" if a < 1e7 else f"{x / 1e6:,.0f}M"
    if a >= 1e5:
        return f"{x / 1e3:,.0f}k"
    return f"{x:,.0f}"


def mw(x: float) -> str:
    if abs(x) < 0.05:  # a sliver left after others' claims reads as none ("0.0 MW" beside "0 MW")
        return "0 MW"
    return f"{x:,.0f} MW" if abs(x) >= 10 else f"{x:,.1f} MW"


def mw_down(x: float) -> str:
    """`mw(x)` rounded down at the digits it shows: a limit (the permits' room) that the
    figure typed from the screen never exceeds (111.6 MW read as 112 MW was refused)."""
    step = 1.0 if abs(x) >= 10 else 0.1
    return mw(math.floor(x / step + 1e-9) * step)


def weeks(x: float) -> str:
    if math.isinf(x):
        return "no burn"
    if x == 1:
        return "1 week"
    return f"{x:,.0f} weeks" if abs(x) >= 1.5 or x == int(x) else f"{x:,.1f} weeks"


def day(d: dt.date) -> str:
    return d.strftime("%d %b %Y")


def parse_number(text: str, what: str, lo: float, hi: float, integer: bool = False, unit: str = "") -> float:
    """A number typed by the player (1e25, 100000, 2.5, 1,000, 5B, 20M are fine) or a Refused
    that says in a few words what is wrong: 'count: at most 10,000,000 GPUs'. `unit` is "$"
    for money, else a word after the figure (a GPU, a week: plural as the figure asks)."""
    cleaned = text.replace(",", "").replace("_", "").replace("$", "").strip()[:MAX_FIELD]
    scale = 1.0
    suffixes = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
    if cleaned[-1:].lower() in suffixes and not cleaned.lower().endswith("e"):
        scale = suffixes[cleaned[-1].lower()]
        cleaned = cleaned[:-1]
    try:
        value = float(cleaned) * scale
    except ValueError:
        typed = text.strip()[:MAX_FIELD]
        raise Refused(
            f"{what}: type a number (got {typed!r})" if typed else f"{what}: type a number"
        ) from None
    if not math.isfinite(value):
        raise Refused(f"{what}: type a finite number")
    if integer and value != int(value):
        raise Refused(f"{what}: a whole number")
    if value < lo:
        raise Refused(f"{what}: at least {limit(lo, unit)}")
    if value > hi:
        raise Refused(f"{what}: at most {limit(hi, unit)}")
    return int(value) if integer else value


def limit(x: float, unit: str = "") -> str:
    """A field's limit as a person writes it: $1.00M, 10,000,000 GPUs, 1e+40 FLOP, 90%."""
    if unit == "$":
        return money(x)
    figure = f"{x:,.0f}" if abs(x) < 1e16 and x == int(x) else (f"{x:,g}" if abs(x) < 1e16 else f"{x:.0e}")
    if unit == "%":
        return f"{figure}%"
    if unit in ("GPU", "week"):
        return f"{figure} {unit}{'' if x == 1 else 's'}"
    return f"{figure} {unit}" if unit else figure


def rough(x: float) -> float:
    """An estimate rounded to two significant figures (94,060 -> 94,000)."""
    if x == 0 or not math.isfinite(x):
        return x
    digits = 1 - int(math.floor(math.log10(abs(x))))
    return round(x, digits)
