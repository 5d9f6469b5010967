"""Charts: a labelled sparkline with its figures in units (Textual's Sparkline: one row
a series, so the race reads at 80x24)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, Sparkline, Static


class Trend(Horizontal):
    """`title  ▂▃▅▇  last (min-max)` for one series."""

    DEFAULT_CSS = """
    Trend { height: 1; }
    Trend > .trend-title { width: 13; }
    Trend > Sparkline { width: 1fr; min-width: 10; }
    Trend > .trend-value { width: auto; padding-left: 1; }
    """

    def __init__(
        self, title: str, values: Sequence[float], fmt: Callable[[float], str], **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.title = title
        self.values = list(values) or [0.0]
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="trend-title", markup=False)
        yield Sparkline(self.values, summary_function=max)
        yield Label(self.fmt(self.values[-1]), classes="trend-value", markup=False)

    def show(self, title: str, values: Sequence[float]) -> None:
        """New figures in place (cheaper than a new widget)."""
        self.title, self.values = title, list(values) or [0.0]
        self.query_one(".trend-title", Label).update(title)
        self.query_one(Sparkline).data = self.values
        self.query_one(".trend-value", Label).update(self.fmt(self.values[-1]))


BLOCKS = " ▁▂▃▄▅▆▇█"


class RaceChart(Static):
    """Several series on one shared scale, a row each, as wide as the widget: the race of
    capability over time, read at a glance (Sparkline scales each series to itself)."""

    DEFAULT_CSS = """
    RaceChart { height: auto; }
    """

    def __init__(
        self, series: list[tuple[str, list[float]]], fmt: Callable[[float], str], **kwargs: object
    ) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.series = series
        self.fmt = fmt

    def render(self) -> Content:
        values = [v for _, vs in self.series for v in vs if v > 0]
        if not values:
            return Content("no releases yet")
        lo, hi = min(values), max(values)
        span = max(hi - lo, 1e-9)
        label = max(len(name) for name, _ in self.series)
        width = max(self.size.width - label - 10, 8)
        lines = []
        for name, vs in self.series:
            tail = vs[-width:]
            cells = "".join(
                BLOCKS[max(1, min(8, round((v - lo) / span * 7) + 1))] if v > 0 else " " for v in tail
            )
            lines.append(f"{name:<{label}} {cells} {self.fmt(vs[-1]) if vs else ''}")
        lines.append(f"{'':<{label}} scale {self.fmt(lo)} .. {self.fmt(hi)}")
        return Content("\n".join(lines))


class FlowChart(Static):
    """Money series over weeks, a row each on its own scale (the size of each week's
    amount, in or out), the last week and the total at the right; a week with no record
    is blank. The rows share the weeks, so a row reads against the others in time.

    A level (cash) that goes below zero is drawn from its lowest figure up, so a deeper
    deficit is a lower bar, and its weeks below zero and a last figure below zero are in
    the error colour (a flow's bar is the size of its amount, in or out)."""

    DEFAULT_CSS = """
    FlowChart { height: auto; }
    """

    def __init__(
        self,
        series: list[tuple[str, Sequence[float | None]]],
        fmt: Callable[[float], str],
        totals: bool = True,
        levels: tuple[str, ...] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.series = series
        self.fmt = fmt
        self.totals = totals
        self.levels = levels  # rows that are levels (cash), not flows: no total

    def show(self, series: list[tuple[str, Sequence[float | None]]]) -> None:
        self.series = series
        self.refresh(layout=True)

    def render(self) -> Content:
        if not self.series:
            return Content("nothing yet")
        label = max(len(name) for name, _ in self.series)
        tail_width = 24 if self.totals else 12
        width = max(self.size.width - label - tail_width - 2, 8)
        lines = []
        for name, values in self.series:
            tail = list(values)[-width:]
            known = [v for v in values if v is not None]
            signed = name in self.levels and any(v < 0 for v in tail if v is not None)
            row = [Content(f"{name:<{label}} ")]
            for v in tail:
                row.append(Content(" ") if v is None else self._cell(v, tail, signed))
            row.append(Content(" " * (width - len(tail) + 1)))
            last = self.fmt(known[-1]) if known else "-"
            below = signed and bool(known) and known[-1] < 0
            row.append(Content.styled(last, "$error") if below else Content(last))
            if self.totals and known and name not in self.levels:
                row.append(Content(f" Σ {self.fmt(sum(known))}"))
            lines.append(Content("").join(row))
        return Content("\n").join(lines)

    @staticmethod
    def _cell(v: float, tail: list[float | None], signed: bool) -> Content:
        """One week's block: a flow's size; a level below zero from its lowest figure up."""
        seen = [x for x in tail if x is not None]
        if signed:
            lo, hi = min(min(seen), 0.0), max(max(seen), 0.0)
            height = round((v - lo) / max(hi - lo, 1e-9) * 7) + 1
            block = BLOCKS[max(1, min(8, height))]
            return Content.styled(block, "$error") if v < 0 else Content(block)
        top = max((abs(x) for x in seen), default=0.0)
        return Content(BLOCKS[max(1, min(8, round(abs(v) / top * 7) + 1))] if top > 0 else BLOCKS[1])
