"""Form rows."""

from __future__ import annotations

from typing import Any

from textual.containers import Horizontal
from textual.widgets import Label


def row(label: str, widget: Any) -> Horizontal:
    """A form row: a label, then its field."""
    return Horizontal(Label(label, classes="row-label"), widget, classes="row")
