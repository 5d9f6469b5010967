"""The base of every in-game screen, and of the forms that put decisions in the book.

A screen is handed the session and the lab it plays for (attributes down); it reads the
play layer's views and hands decisions to the session; it posts messages up. Text from a
player or a file is never parsed as markup: dynamic text goes through Content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static
from textual.widgets._select import SelectOverlay

from game.play.decisions import Decision, Refused
from game.play.session import Confirm
from game.tui import bindings
from game.tui.bindings import settled
from game.tui.widgets.header import GameHeader

if TYPE_CHECKING:
    from game.play.desk import LabTurn
    from game.play.session import Session


def plain(text: str) -> Content:
    """Text shown as it is (never markup)."""
    return Content(text)


def styled(markup: str, **values: object) -> Content:
    """Our own markup with values dropped in as plain text ($name in the markup)."""
    return Content.from_markup(markup, **values)


def error(text: str) -> Content:
    return styled("[$error]$text[/]", text=text)


class GameScreen(Screen):
    """An in-game screen for one lab of one session."""

    TITLE_TEXT = ""

    def __init__(self, session: Session, lab: int) -> None:
        super().__init__()
        self.session = session
        self.lab = lab

    @property
    def turn(self) -> LabTurn:
        """The lab's turn as it stands (a frozen value the views read)."""
        return self.session.turn(self.lab)

    def compose(self) -> ComposeResult:
        yield GameHeader()
        yield from self.body()
        yield Footer(compact=True)

    def body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.sub_title = (
            f"{self.session.lab_name(self.lab)} · week {self.session.week} · {self.session.date:%d %b %Y}"
        )
        self.refresh_view()

    def on_screen_resume(self) -> None:
        if self.is_mounted:  # a screen resumed as it is pushed shows the session once mounted
            self.refresh_view()

    def refresh_view(self) -> None:
        """Show the session as it is now."""

    async def action_back(self) -> None:
        """Esc (a priority key: bindings.FORM), after the keys typed before it."""
        await settled(self)
        if self is self.app.screen:  # (the keys before it may have left this screen already)
            self.leave()

    def leave(self) -> None:
        self.dismiss()

    def show(self, widget_id: str, content: Content | str) -> None:
        self.query_one(f"#{widget_id}", Static).update(
            plain(content) if isinstance(content, str) else content
        )


class FormScreen(GameScreen):
    """A form that puts one kind of decision in the week's book. The preview line says
    what it would cost and do; a refused decision says why, in place, and changes
    nothing; one that leaves little runway asks first."""

    BINDINGS = bindings.FORM
    AUTO_FOCUS = "Input"  # the form's first field: type, then enter
    CONFIRM = "Add to this week's orders"

    def body(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static(styled("[b]$t[/b]", t=self.TITLE_TEXT), classes="form-title")
            yield from self.info()
            yield from self.fields()
            yield Static("", id="preview", markup=False)
            with Horizontal(classes="buttons"):
                yield from self.buttons()
            yield from self.after()
        # The answer to what the player just did sits above the footer, outside the scrolling
        # form: at 80x24 a long form kept it below the fold.
        yield Static("", id="message", classes="answer", markup=False)

    def info(self) -> ComposeResult:
        yield from ()

    def fields(self) -> ComposeResult:
        yield from ()

    def after(self) -> ComposeResult:
        """What the form shows below its buttons (a table the form need not scroll past)."""
        yield from ()

    def buttons(self) -> ComposeResult:
        yield Button(self.CONFIRM, id="confirm", variant="primary", compact=True)
        yield Button("Back", id="back", compact=True)

    def decision(self) -> Decision:
        raise Refused("nothing to decide here")

    def preview(self) -> Content | str:
        return ""

    def refresh_view(self) -> None:
        self._update_preview()

    def _update_preview(self) -> None:
        """The preview line, or what is wrong with a field as it is typed (the field turns
        red: its range, from the one table of limits, refuses the text)."""
        from game.tui.widgets.form import invalid

        wrong = invalid(list(self.query(Input)))
        if wrong:
            self.show("preview", error(wrong))
            return
        try:
            content = self.preview()
        except Refused as err:
            content = error(str(err))
        self.show("preview", content)

    # A form whose decision is what its fields say: leaving it with something typed and
    # not added says what was dropped (a loan typed, then Esc, went without a word).
    SAYS_DROPPED = False

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        if not getattr(self, "_preview_due", False):  # once for the changes of one refresh:
            self._preview_due = True  # a form's fields, as they mount, redrew it 16 times
            self.call_after_refresh(self._due_preview)
        if getattr(self, "_held", None) == self._values():  # the form's own change: its words stay
            return
        self._held: tuple[tuple[str | None, str], ...] | None = None
        self.show("message", "")  # the last result no longer speaks for what the fields hold

    def _due_preview(self) -> None:
        self._preview_due = False
        if self.is_attached:
            self._update_preview()

    def _values(self) -> tuple[tuple[str | None, str], ...]:
        return tuple((w.id, str(w.value)) for w in (*self.query(Input), *self.query(Select)))

    def hold_message(self) -> None:
        """The fields as the form itself just set them: their change events, whenever they
        arrive, leave the message that says why (it was cleared before it could be read)."""
        self._held = self._values()

    def _fields_now(self) -> dict[str | None, str]:
        return {field.id: field.value for field in self.query(Input)}

    def _settle(self) -> None:
        """What the fields hold as opened, or as the last decision added left them."""
        self._as_left = self._fields_now()

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._settle)
        self.call_after_refresh(self._select_first)

    def _select_first(self) -> None:
        """The field the form opens on holds its text selected: typing replaces it (a
        play-tester's 50 became 10050)."""
        if isinstance(self.focused, Input):
            self.focused.select_all()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back" and isinstance(self.focused, SelectOverlay):
            return False  # Esc closes the open list (Esc is a priority key: bindings.FORM)
        return super().check_action(action, parameters)

    def leave(self) -> None:
        """Back to the dashboard; what was typed and not added is said, not dropped silently."""
        now = self._fields_now()
        words = ""
        if (
            self.SAYS_DROPPED
            and now != getattr(self, "_as_left", None)
            and now != getattr(self, "_refused", None)
        ):
            try:
                words = (
                    f"Not added: {self.decision().label(self.session.params)} (you left before adding it)."
                )
            except Refused:
                words = "Left without adding what you typed."
        title = self.TITLE_TEXT.split(":")[0]
        self.dismiss()
        tell = getattr(self.app, "tell", None)  # AgiRaceApp's: the dashboard's note line
        if words and tell is not None:  # not a toast (one covered the next screen's buttons)
            tell(words, title=title)

    @on(Button.Pressed, "#confirm")
    def _pressed_confirm(self) -> None:
        self.confirm()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.submitted(event.input)

    # Enter in one of these fields runs that field's own action (a method name), not the
    # form's main one: a form with several actions (a split, a budget) says which.
    ENTER: dict[str, str] = {}

    def submitted(self, field: Input) -> None:
        """Enter in a field: its own action if it has one, else confirm the form. The
        field's text is then selected, so what the player types next replaces it (it
        used to append: '2e26' then '3e26' read '2e263e26')."""
        action = self.ENTER.get(field.id or "")
        if action:
            getattr(self, action)()
        else:
            self.confirm()
        field.select_all()

    def confirm(self) -> None:
        try:
            self.submit(self.decision())
        except Refused as err:
            self.say(str(err), failed=True)

    def submit(self, decision: Decision, confirmed: bool = False) -> None:
        """Hand the decision to the session; when it needs confirming, ask first."""
        self.submit_all([decision], confirmed)

    def submit_all(self, chosen: list[Decision], confirmed: bool = False) -> None:
        """Hand decisions to the session, all or none (one order split between integrators);
        when they need confirming, ask first (one decision asks again through `submit`,
        which a form may extend)."""
        from game.play.book import decide_all
        from game.tui.screens.dialogs import ConfirmScreen

        try:
            said = decide_all(self.session, self.lab, chosen, confirmed=confirmed)
        except Confirm as warning:

            def answer(yes: bool | None) -> None:
                if not yes:
                    self.say("Not added.", failed=True)
                elif len(chosen) == 1:
                    self.submit(chosen[0], confirmed=True)
                else:
                    self.submit_all(chosen, confirmed=True)

            self.app.push_screen(ConfirmScreen(str(warning)), answer)
            return
        except Refused as err:
            self.say(str(err), failed=True)
            return
        self.refresh_view()
        self._settle()
        self.say("Added to this week's orders (b lists them): " + "; ".join(said))

    def fill(self, **values: str) -> None:
        """Put values in fields (a partner's counter) without clearing the message that
        says why; the preview follows them."""
        with self.prevent(Input.Changed):
            for widget_id, value in values.items():
                self.query_one(f"#{widget_id}", Input).value = value
        self._update_preview()

    def show(self, widget_id: str, content: Content | str) -> None:
        super().show(widget_id, content)
        if widget_id == "message":  # the answer's bar shows only while it says something
            self.query_one("#message").display = bool(str(content).strip())

    def say(self, text: str, failed: bool = False) -> None:
        """The answer to what the player just did, in the bar above the footer."""
        self.show("message", error(text) if failed else plain(text))
        if failed:  # the player tried what the fields hold: leaving says nothing more of it
            self._refused = self._fields_now()
        # after the new text is laid out (its height changes), so all of it comes into sight

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.leave()

    def value(self, widget_id: str) -> object:
        return self.query_one(f"#{widget_id}").value  # type: ignore[attr-defined]

    def text(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Input).value)
