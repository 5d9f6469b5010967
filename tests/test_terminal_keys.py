"""Every alt+letter key the game binds reaches it from a real terminal. A terminal sends
alt+letter as ESC then the letter, and Textual reads ESC b and ESC f as ctrl+left and
ctrl+right (word moves), so a field bound to alt+f could never be reached at the
keyboard, although a Pilot test pressing "alt+f" passed (the play-test's "all free"
preset and the standing orders' run budget)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual._xterm_parser import XTermParser
from textual.binding import Binding

import game.tui


def bound_keys() -> dict[str, list[str]]:
    """Every key bound by a class of the game's TUI: key -> the classes binding it."""
    found: dict[str, list[str]] = {}
    for info in pkgutil.walk_packages(game.tui.__path__, "game.tui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for b in cls.__dict__.get("BINDINGS", []):
                if isinstance(b, Binding):
                    for key in b.key.split(","):
                        found.setdefault(key.strip(), []).append(f"{module.__name__}.{name}")
    return found


def from_terminal(sent: str) -> list[str]:
    """The keys Textual reads from the bytes a terminal sends."""
    parser = XTermParser()
    events = [*parser.feed(sent), *parser.feed("")]
    return [e.key for e in events if hasattr(e, "key")]


def test_the_parser_reads_esc_letter_as_alt_letter_except_b_and_f():
    assert from_terminal("\x1bl") == ["alt+l"]
    assert from_terminal("\x1bf") == ["ctrl+right"]  # what the test below guards against


def test_every_alt_letter_key_arrives_from_a_terminal_as_itself():
    keys = bound_keys()
    alts = {k: where for k, where in keys.items() if k.startswith("alt+") and len(k) == len("alt+x")}
    assert len(alts) >= 10  # the forms' field keys and presets were found
    lost = {k: where for k, where in alts.items() if from_terminal("\x1b" + k[-1]) != [k]}
    assert lost == {}
