"""Form pieces: a labelled row, and fields that never take more than MAX_FIELD characters."""

from __future__ import annotations

from typing import Any

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from game.tui.format import MAX_FIELD


def row(label: str, widget: Widget, tooltip: str | None = None) -> Horizontal:
    """A form row: a label, then its field (one line: fields are compact)."""
    lab = Label(label, classes="row-label")
    if tooltip:
        lab.tooltip = tooltip
        widget.tooltip = tooltip
    return Horizontal(lab, widget, classes="row")


def number(widget_id: str, value: str = "", placeholder: str = "", tooltip: str | None = None) -> Input:
    """A compact field for a number (digits, a dot, e, k/M/B/T, commas; bounded length)."""
    return Input(
        value=value,
        placeholder=placeholder,
        id=widget_id,
        max_length=MAX_FIELD,
        restrict=r"[0-9eE.,_+\-kKmMbBtT$ ]*",
        compact=True,
        tooltip=tooltip,
    )


def choice(
    widget_id: str, options: list[tuple[str, Any]], value: Any = Select.NULL, prompt: str = "Select"
) -> Select:
    allow_blank = value is Select.NULL
    return Select(options, value=value, id=widget_id, allow_blank=allow_blank, prompt=prompt, compact=True)
