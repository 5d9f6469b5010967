"""Form pieces: a labelled row, fields that never take more than MAX_FIELD characters,
and a key per field (alt + the letter underlined in its label)."""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from game.play.decisions import Refused
from game.tui.bindings import settled
from game.tui.bounds import Bound
from game.tui.format import MAX_FIELD

KEYS_HINT = "alt + underlined letter: its field. Lists: type a choice's first letters"


def keys_hint() -> Label:
    """The line that says how to reach a field by its key."""
    return Label(Content.styled(KEYS_HINT, "dim"), classes="hint")


def keyed(label: str, key: str | None) -> Content:
    """A label with its field's key underlined (the first letter that is the key)."""
    at = label.lower().find(key.lower()) if key else -1
    if at < 0:
        return Content(label)
    return Content.assemble(label[:at], (label[at], "underline"), label[at + 1 :])


def row(
    label: str,
    widget: Widget,
    tooltip: str | None = None,
    key: str | None = None,
    extras: tuple[Widget, ...] = (),
) -> Horizontal:
    """A form row: a label, then its field (one line: fields are compact), then any
    buttons that fill it in (presets)."""
    lab = Label(keyed(label, key), classes="row-label")
    if tooltip:
        lab.tooltip = tooltip
        widget.tooltip = tooltip
    return Horizontal(lab, widget, *extras, classes="row")


def field_keys(keys: dict[str, str]) -> list[BindingType]:
    """alt+letter -> focus the field of that id (`FieldKeys.action_field`). Priority
    keys: a terminal sends alt+c as a printable c, which the focused field would take."""
    return [
        *(
            Binding(_alt(k), f"field('{widget_id}')", f"go to {widget_id}", show=False, priority=True)
            for k, widget_id in keys.items()
        ),
        # before the list's own enter (which opens it): only while a closed list has the focus
        Binding("enter", "enter_on_list", "add", show=False, priority=True),
    ]


def _alt(key: str) -> str:
    """alt+letter, with shift too: the label shows the letter as a capital ('People'), and
    a tester's alt+P typed a P into the field instead."""
    return f"alt+{key},alt+shift+{key}"


def preset_key(key: str, action: str, description: str) -> Binding:
    """alt+letter -> a preset that fills a field (a priority key, as `field_keys`), run
    after the keys typed before it (FieldKeys.action_after_keys)."""
    return Binding(_alt(key), f"after_keys({action!r})", description, show=False, priority=True)


LIST_SEARCH_SECONDS = 1.0  # letters typed on a list within this of each other make one search


LIST_SEARCH_SECONDS = 1.0  # letters typed on a list within this of each other make one search


class FieldKeys:
    """A form's keys to its fields and presets: mixed into a FormScreen.

    Keys act in the order typed: alt+letter waits for the keys before it, then focuses
    its field at once (Textual's focus() waits its turn: "alt+s Da Enter" stayed on
    Memphis, the letters went to the field before); a list is chosen from while closed,
    by the first letters of a choice (Down, space or a click opens it); Enter on a list
    goes on to the next field (it reopened the list, and a substation was never booked)."""

    async def action_field(self, widget_id: str) -> None:
        await settled(self)  # type: ignore[arg-type]
        widget = self.query_one(f"#{widget_id}")  # type: ignore[attr-defined]
        if not all(node.display for node in widget.ancestors_with_self):  # a field this form hides now
            return  # (alt+r in the standing orders typed into a renewal's hidden weeks)
        self.set_focus(widget)  # type: ignore[attr-defined]
        if isinstance(widget, Input):
            widget.select_all()

    async def action_after_keys(self, action: str) -> None:
        """`action` (a preset), once the keys typed before its key are handled: a tester's
        "alt+g h Enter alt+h" filled the count for the GPU chosen before."""
        await settled(self)  # type: ignore[arg-type]
        await self.run_action(action)  # type: ignore[attr-defined]

    def on_key(self, event: events.Key) -> None:
        """On a closed list: letters choose the first option they begin (or, failing that,
        contain): 'Da' Dallas, 'gb' GB200, 'su' Substation upgrade; Enter goes on."""
        select = self.focused  # type: ignore[attr-defined]
        if not isinstance(select, Select) or select.expanded:
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._enter_on_list(select)
            return
        if event.key in ("home", "end"):  # the first or the last choice
            event.stop()
            values = [value for _, value in select._options if value is not Select.NULL]
            if values:
                select.value = values[0 if event.key == "home" else -1]
            return
        last, typed = getattr(self, "_list_search", (0.0, ""))
        searching = bool(typed) and time.monotonic() - last < LIST_SEARCH_SECONDS
        if not event.is_printable or not event.character or (event.character == " " and not searching):
            return  # a space opens the list, as Textual's Select has it (within a search: a letter)
        event.stop()
        event.prevent_default()
        now = time.monotonic()
        typed = (typed if searching else "") + event.character
        value = list_match(select, typed)
        if value is None and len(typed) > 1:  # no choice goes on so: a fresh start with this letter
            typed = event.character
            value = list_match(select, typed)
        self._list_search = (now, typed)
        if value is not None and value != select.value:
            select.value = value


    def _enter_on_list(self, select: Select) -> None:
        """Enter on a closed list: on to the next field; from the last one, what Enter does
        in the form's fields (a tester's Enter on the market's last list went to the button,
        then Esc, and the order was gone)."""
        action = getattr(self, "ENTER", {}).get(select.id or "")  # the list's own, if it has one
        chain = list(self.focus_chain)  # type: ignore[attr-defined]
        after = chain[chain.index(select) + 1 :] if select in chain else []
        if not action and after and isinstance(after[0], Input | Select):
            self.set_focus(after[0])  # type: ignore[attr-defined]
            if isinstance(after[0], Input):
                after[0].select_all()
            return
        getattr(self, action)() if action else self.confirm()  # type: ignore[attr-defined]


def list_match(select: Select, typed: str) -> Any:
    """The value of `select`'s first option with a word that begins with `typed` (any
    case), else the first whose words contain it, else None."""
    typed = typed.lower()
    options = [(str(label).lower(), value) for label, value in select._options if value is not Select.NULL]
    for label, value in options:
        if label.startswith(typed) or any(word.startswith(typed) for word in label.split()):
            return value
    return next((value for label, value in options if typed in label), None)


class Within(Validator):
    """A number field's check as the player types: the field's Bound parses the text, and
    what it refuses is the failure's description (the words a submit would say)."""

    def __init__(self, bound: Bound) -> None:
        super().__init__()
        self.bound = bound

    def validate(self, value: str) -> ValidationResult:
        try:
            self.bound.parse(value)
        except Refused as err:
            return self.failure(str(err), value)
        return self.success()


def number(
    widget_id: str, bound: Bound, value: str = "", placeholder: str = "", tooltip: str | None = None
) -> Input:
    """A compact field for a number (digits, a dot, e, k/M/B/T, commas; bounded length),
    checked against `bound` as it is typed (Input's -invalid style; the form says why)."""
    return Input(
        value=value,
        placeholder=placeholder,
        id=widget_id,
        max_length=MAX_FIELD,
        restrict=r"[0-9eE.,_+\-kKmMbBtT$ ]*",
        compact=True,
        tooltip=tooltip,
        validators=[Within(bound)],
        valid_empty=bound.optional,
    )


def rebound(field: Input, bound: Bound) -> None:
    """Another range for a field (the sites form: halls or turbines), checked at once."""
    field.validators = [Within(bound)]
    field.validate(field.value)


def invalid(fields: list[Input]) -> str:
    """What is wrong with the first field whose text its range refuses ("" if none); each
    field's -invalid style follows its text."""
    for field in fields:
        result = field.validate(field.value) if field.validators else None
        if result is not None and not result.is_valid:
            return result.failure_descriptions[0] if result.failure_descriptions else f"{field.id}: not valid"
    return ""


def choice(
    widget_id: str, options: list[tuple[str, Any]], value: Any = Select.NULL, prompt: str = "Select"
) -> Select:
    allow_blank = value is Select.NULL
    return Select(options, value=value, id=widget_id, allow_blank=allow_blank, prompt=prompt, compact=True)
