"""Figures as a player reads them: money, a count with its noun, a date. Every sentence
and every screen shares these, so a figure reads the same wherever it is shown."""

from __future__ import annotations

import datetime as dt
import math


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 week`, `3 weeks`, `1,200 GPUs`."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def money(x: float) -> str:
    """USD to about three significant figures, so a unit price times a count comes out as
    the total says: $1.2T, $3.40B, $24.0B, $560M, $12.5M, $39.9k, -$800. The screens
    and the sentences share it."""
    sign = "-" if x < 0 else ""
    a = abs(x)
    if not math.isfinite(a):
        return f"{sign}$inf"
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if a >= size * 0.9995:  # 999,960 is $1.00M, not $1,000k
            v = a / size
            digits = 2 if v < 9.995 else (1 if v < 99.95 else 0)
            if unit in ("M", "k") and digits == 2:
                digits = 1  # $4.5M, $12.5k: cents of millions read as noise
            return f"{sign}${v:,.{digits}f}{unit}"
    return f"{sign}${a:,.0f}"


def money_down(x: float) -> str:
    """`money(x)` rounded down at the digits it shows: a limit ("lenders lend up to $486M")
    that the figure typed from the screen never exceeds ($486.6M read as $487M was refused)."""
    shown = money(x)
    if x <= 0 or not math.isfinite(x):
        return shown
    for _ in range(2):  # the floor may show finer digits ($10.0B down is $9.99B, not $9.90B)
        unit = {"T": 1e12, "B": 1e9, "M": 1e6, "k": 1e3}.get(shown[-1], 1.0)
        digits = len(shown.split(".")[1].rstrip("TBMk")) if "." in shown else 0
        step = unit / 10**digits
        floored = math.floor(x / step + 1e-9) * step
        if floored <= 0:
            break
        shown = money(floored)
    return shown


def day(date: dt.date) -> str:
    """A date as the sentences write it: 05 Aug 2024."""
    return f"{date:%d %b %Y}"
