"""A table whose rows are the choice: Home and End go to the first and the last row."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class RowTable(DataTable[str]):
    """A DataTable with a row cursor, where Home and End move the cursor to the first and
    the last row (Textual's own scroll sideways, which a table that fits does not need:
    a play-tester pressed End, then x, and cancelled the first decision, not the last)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, *, id: str) -> None:  # noqa: A002 (Textual's own name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
