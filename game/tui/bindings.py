"""Every key of the game in one place, each with an id, so a player can remap keys
(`keymap.toml` in the game's config folder: `end-week = "space"`) and the help screen
lists them from here."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from textual.screen import Screen

SETTLE_SECONDS = 0.5  # the longest a key waits for the keys typed before it


async def settled(screen: Screen) -> None:
    """Wait until the keys typed before the one being handled have been handled.

    Textual hands a key to the focused widget's queue but runs a priority binding (a
    field's alt+letter, Escape in a form, a screen's key on the dashboard) at once, so
    keys typed together ran out of order: "alt+s Da Enter alt+m 100" moved the focus to
    the megawatts before "Da" reached the site list. A priority action awaits this first:
    the queues from the focused widget up to the screen, each until it has handled what
    it holds (the keys, and what they bubble up): a few turns of the event loop with all
    of them empty, or SETTLE_SECONDS at most."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_SECONDS
    pumps = _focus_chain(screen)
    quiet = 0
    while quiet < SETTLE_ROUNDS and loop.time() < deadline:
        pumps |= _focus_chain(screen)  # (a key may move the focus: its chain counts too)
        quiet = 0 if any(p.message_queue_size for p in pumps) else quiet + 1
        await asyncio.sleep(0)


SETTLE_ROUNDS = 3  # turns of the event loop with every queue empty: what was taken is handled


def _focus_chain(screen: Screen) -> set[Any]:
    """The focused widget, its ancestors and the screen: where a key typed goes."""
    chain: set[Any] = {screen}
    node: Any = screen.focused
    while node is not None and node is not screen:
        chain.add(node)
        node = node.parent
    return chain


APP: list[BindingType] = [
    Binding("ctrl+q", "request_quit", "Quit", id="quit-app", show=False),
]

# The keys that open a screen are priority keys: the screen opens (and is mounted) in the
# order the keys were typed, so "s alt+s Da" reaches the sites form (bindings.settled).
HQ: list[BindingType] = [
    Binding("n", "app.end_week", "Week", id="end-week", tooltip="End the week (hot seat: end your turn)"),
    Binding(
        "f", "app.fast_forward", "FFwd", id="fast-forward", tooltip="Play weeks until something needs you"
    ),
    Binding(
        "a",
        "app.fast_forward('act')",
        "FFwd-act",
        id="fast-forward-act",
        tooltip="Play weeks until something you can act on (an actionable alert), the game ends, or a year",
    ),
    Binding("m", "app.open('market')", "GPUs", id="market", tooltip="Buy GPUs: the market", priority=True),
    Binding("s", "app.open('sites')", "Sites", id="sites", tooltip="Halls, turbines, substations", priority=True),
    Binding(
        "d", "app.open('deals')", "Deals", id="deals", tooltip="Rent from partners; Microsoft's investment", priority=True),
    Binding("t", "app.open('training')", "Train", id="training", tooltip="Plan runs; the compute split", priority=True),
    Binding("c", "app.open('finance')", "Money", id="finance", tooltip="Rounds, loans, last week's P&L", priority=True),
    Binding(
        "b", "app.open('book')", "Orders", id="book", show=False, tooltip="This week's decisions; deliveries", priority=True),
    Binding(
        "r", "app.open('rivals')", "Race", id="rivals", show=False, tooltip="Rival intel and the race chart", priority=True),
    Binding(
        "o", "app.open('forecast')", "Odds", id="forecast", show=False, tooltip="Who wins from here: futures", priority=True),
    Binding("l", "app.open('news')", "News", id="news", show=False, tooltip="The news log", priority=True),
    Binding(
        "p",
        "app.open('orders')",
        "Standing",
        id="orders",
        show=False,
        tooltip="Standing orders; ways out: stop or pause halls, sell GPUs, sublet", priority=True,),
    Binding(
        "dollar_sign,e",
        "app.open('ledger')",
        "Ledger",
        id="ledger",
        show=False,
        tooltip="Money over the game: cash, revenue, costs by kind; the runway projection", priority=True,),
    Binding(
        "w", "week_summary", "Week", id="week-summary", show=False, tooltip="Show or hide the week's summary"
    ),
    Binding(
        "g", "toggle_guide", "Guide", id="guide", show=False, tooltip="Show or hide the first-game guide"
    ),
    Binding("question_mark,h", "app.open('help')", "Help", id="help", show=False, tooltip="How to play", priority=True),
    Binding("ctrl+s", "app.save", "Save", id="save", show=False),
    Binding("q", "app.request_quit", "Quit", id="quit", show=False),
]

FORM: list[BindingType] = [
    # a priority key, so it keeps its place among the keys typed with it (bindings.settled)
    Binding("escape", "back", "Back", id="back", priority=True),
    Binding("ctrl+s", "app.save", "Save", id="form-save", show=False),
]

BOOK: list[BindingType] = [
    Binding("x,delete", "cancel_decision", "Cancel decision", id="cancel-decision"),
    Binding("u", "restore_decision", "Undo cancel", id="restore-decision"),
    Binding("o", "see_orders", "On order", id="see-orders"),
]

STANDING: list[BindingType] = [
    Binding("x,delete", "cancel_standing", "Cancel standing order", id="cancel-standing"),
    Binding("u", "restore_standing", "Undo cancel", id="restore-standing"),
]

FORECAST: list[BindingType] = [
    Binding("escape", "leave", "Back", id="forecast-back"),
    Binding("r", "run", "Run again", id="forecast-run"),
    Binding("w", "what_if", "What if", id="forecast-what-if"),
]

CONFIRM: list[BindingType] = [
    Binding("y", "yes", "Yes", id="yes"),
    Binding("n,escape", "no", "No", id="no"),
]

HANDOVER: list[BindingType] = [  # a modal: the app's keys do not reach it, so quit and save are here
    Binding("enter", "ready", "Ready", id="handover-ready"),
    Binding("ctrl+s", "app.save", "Save", id="handover-save"),
    Binding("q,ctrl+q", "app.request_quit", "Quit", id="handover-quit"),
]

AGENT_WAIT: list[BindingType] = [  # the agent's turn: a modal, so the week waits for it
    Binding("ctrl+s", "app.save", "Save", id="agent-wait-save"),
    Binding("q,ctrl+q", "app.request_quit", "Quit", id="agent-wait-quit"),
]

QUIT: list[BindingType] = [
    Binding("s", "save_quit", "Save and quit", id="quit-save"),
    Binding("y", "quit", "Quit", id="quit-yes"),
    Binding("t", "title", "Title screen", id="quit-title"),
    Binding("n,escape", "stay", "Back", id="quit-no"),
]

GAME_OVER: list[BindingType] = [
    Binding("n", "app.new_game", "New game", id="new-game"),
    Binding("question_mark", "app.open('help')", "Help (the score)", id="game-over-help"),
    Binding("q", "app.exit_now", "Quit", id="game-over-quit"),
]

TITLE: list[BindingType] = [
    Binding("ctrl+n", "new", "New game", id="title-new"),
    Binding("ctrl+l", "saves", "Load a save", id="title-load"),
    Binding("ctrl+d", "delete_save", "Delete save", id="title-delete"),
    Binding("ctrl+q", "app.quit", "Quit", id="title-quit"),
]

ALL: list[Binding] = [
    b
    for b in APP
    + HQ
    + FORM
    + BOOK
    + STANDING
    + FORECAST
    + CONFIRM
    + HANDOVER
    + AGENT_WAIT
    + QUIT
    + GAME_OVER
    + TITLE
    if isinstance(b, Binding)
]


def key_of(binding: Binding, keymap: dict[str, str] | None = None) -> str:
    """The key a player presses for a binding, after their remapping, as help writes it."""
    keys = (keymap or {}).get(binding.id or "", binding.key)
    return keys.split(",")[0].replace("question_mark", "?").replace("dollar_sign", "$")


def more_keys(keys: list[BindingType], keymap: dict[str, str] | None = None) -> str:
    """The line under the footer: the keys it has no room for (at 80 columns)."""
    shown = [
        b for b in keys if isinstance(b, Binding) and not b.show and b.id not in ("guide", "week-summary")
    ]
    # two spaces and ^ for ctrl, as the footer writes them: the line fits 80 columns
    return "  ".join(f"{key_of(b, keymap).replace('ctrl+', '^')} {b.description}" for b in shown)


def key_for(action_id: str, keymap: dict[str, str] | None = None) -> str:
    """The key of the dashboard's binding `action_id` (a screen's name, "end-week"),
    after the player's remapping; "" if the dashboard has none."""
    for b in HQ:
        if isinstance(b, Binding) and b.id == action_id:
            return key_of(b, keymap)
    return ""


def with_key(text: str, action_id: str | None, hint: str = "", keymap: dict[str, str] | None = None) -> str:
    """`text` followed by the key that deals with it: 'Runway 5 weeks (c)', '... (s: turbines)'."""
    key = key_for(action_id, keymap) if action_id else ""
    if not key:
        return text
    return f"{text} ({key}: {hint})" if hint else f"{text} ({key})"


def keys_bound(screen: Screen) -> dict[str, str]:
    """The keys Textual binds on `screen` now (the app's keymap applied to its bindings,
    as its key panel and footer show them), by binding id, where they differ from this
    table's: the keys `rekey` writes into texts, so a hint follows a keymap change."""
    now: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        if active.binding.id:
            now.setdefault(active.binding.id, []).append(active.binding.key)
    table = {b.id: set(b.key.split(",")) for b in ALL if b.id}
    return {i: ",".join(keys) for i, keys in now.items() if i in table and set(keys) != table[i]}


def rekey(text: str, keymap: dict[str, str] | None = None, keys: list[BindingType] | None = None) -> str:
    """A text's key hints ('(t plans one)', '(c)', 'press n', 'm, s, t and c') in the
    player's own keys: the play layer writes the default keys, and a remapped binding's
    key, wherever it stands alone as a word, becomes its new one."""
    if not keymap:
        return text
    moved = {
        b.key.split(",")[0]: key_of(b, keymap)
        for b in (keys if keys is not None else APP + HQ)
        if isinstance(b, Binding) and b.id in keymap and len(b.key.split(",")[0]) == 1
    }
    if not moved:
        return text
    alone = re.compile(r"(?<![\w$'.+-])(" + "|".join(map(re.escape, moved)) + r")(?![\w'+-])")
    return alone.sub(lambda m: moved[m.group(1)], text)
