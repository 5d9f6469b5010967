"""Helpers for Pilot tests: they wait for the app (never for a fixed time)."""

from __future__ import annotations

from textual.widgets import Input


async def confirm(pilot) -> None:
    """Press the form's Confirm button (wherever the form has scrolled it)."""
    pilot.app.screen.query_one("#confirm").press()
    await pilot.pause()


async def press_button(pilot, widget_id: str) -> None:
    pilot.app.screen.query_one(f"#{widget_id}").press()
    await pilot.pause()


def text(pilot, widget_id: str) -> str:
    """The plain text a Static shows."""
    return str(pilot.app.screen.query_one(f"#{widget_id}").render())


def fill(pilot, **values: str) -> None:
    """Type values into the current screen's fields (by id)."""
    for widget_id, value in values.items():
        pilot.app.screen.query_one(f"#{widget_id}", Input).value = value


def choose(pilot, **values: object) -> None:
    """Pick options in the current screen's selects (by id)."""
    for widget_id, value in values.items():
        pilot.app.screen.query_one(f"#{widget_id}").value = value


def visible(pilot, widget_id: str) -> bool:
    """Is the widget on screen (inside the terminal, not scrolled away or clipped)?"""
    widget = pilot.app.screen.query_one(f"#{widget_id}")
    region = widget.region
    width, height = pilot.app.size
    return (
        widget.display
        and region.height > 0
        and region.y >= 0
        and region.bottom <= height
        and region.right <= width
    )


async def accept_review(pilot) -> None:
    """Say yes to the review of a binding step (an offer, a loan, a round) if one is up."""
    from game.tui.screens.dialogs import ReviewScreen

    if isinstance(pilot.app.screen, ReviewScreen):
        await pilot.press("y")
        await pilot.pause()


SIZES = ((80, 24), (120, 40))  # the smallest terminal the game supports, and a roomy one


async def unseen_at_each_size(pilot, *widget_ids: str, restore: bool = True) -> list[tuple[str, str]]:
    """The widgets not on screen at 80x24 or at 120x40, as ("WxH", id) pairs: the same app is
    resized to each (the layout follows, as a player's terminal does) and then put back, so
    one run of a flow checks both sizes. The size the app has is checked first, in place:
    a resize costs a full layout, so only the other size is a resize away (and the way
    back is skipped with restore=False, where the check is the flow's last step)."""
    before = pilot.app.size
    here = (before.width, before.height)
    unseen = []
    try:
        for width, height in sorted(SIZES, key=lambda size: size != here):
            if (width, height) != tuple(pilot.app.size):
                await pilot.resize_terminal(width, height)
            await pilot.pause()
            unseen += [(f"{width}x{height}", i) for i in widget_ids if not visible(pilot, i)]
    finally:
        if restore and tuple(pilot.app.size) != here:
            await pilot.resize_terminal(*here)
            await pilot.pause()
    return unseen


async def typed(pilot, *keys: str) -> None:
    """Keys as a terminal delivers a quick typist's: all sent before any is handled (a
    pilot's press waits for the app to be idle after each), then the app left to settle."""
    from textual import events

    app = pilot.app
    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()
