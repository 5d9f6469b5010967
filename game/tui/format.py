"""How the screens write numbers, and read the numbers a player types."""

from __future__ import annotations

import math

from game.play.session import Refused


def money(x: float) -> str:
    if abs(x) >= 1e9:
        return f"${x / 1e9:,.1f}B"
    return f"${x / 1e6:,.0f}M"


BLOCKS = " ▁▂▃▄▅▆▇█"


def bars(values: list[float], lo: float, hi: float) -> str:
    """A one-line bar chart of `values` on the scale lo..hi (shared between series)."""
    span = hi - lo
    out = []
    for v in values:
        level = 8 if span <= 0 else int(round((v - lo) / span * 8))
        out.append(BLOCKS[max(0, min(8, level))])
    return "".join(out)


def parse_number(text: str, what: str, lo: float, hi: float, integer: bool = False) -> float:
    """A number typed by the player (1e25, 100000, 2.5, 1,000 are fine) or a Refused."""
    cleaned = text.replace(",", "").replace("_", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise Refused(f"{what}: type a number (got {text!r})") from None
    if not math.isfinite(value):
        raise Refused(f"{what}: type a finite number")
    if integer and value != int(value):
        raise Refused(f"{what}: must be a whole number")
    if not lo <= value <= hi:
        raise Refused(f"{what}: must be between {lo:,g} and {hi:,g}")
    return int(value) if integer else value
