"""How to play: the turn, the score, and the keys as Textual's key panel finds them (the
dashboard's bindings, after the player's keymap), the game's first and Textual's own
(scroll, focus, copy) last under their own heading."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, KeyPanel, Static
from textual.widgets._key_panel import BindingsTable

from game.play.words import money, plural
from game.tui import bindings
from game.tui.widgets.header import GameHeader

HELP_TEXT = """\
Each turn is a week. Put the week's decisions in your order book from the screens below,
then press n to end the week (f fast-forwards until something needs you: a release, an
event, a delivery, a new alert you can act on; a plays on until only something you can act
on comes up, a year at most; f again stops). After each week the dashboard's summary says
what changed for your lab until you hide it (w); l keeps all the news, yours first.
Alerts marked ! are yours to act on (the key in brackets opens the screen that does it);
alerts marked i tell you of what you cannot change (a rival's run, an outage). Runway is
how long your cash and credit last as your commitments play out: halls are paid as they
are built, rentals until their contracts end, a round under way when it closes; $ charts
your money over the game and the projection. The money screen (c) says how close a
closing round is to its investors' walk-away line and your debt to the lenders' covenant,
including what the next GPU generation does to your GPUs' value.
The first lab to release a model at the AGI capability wins; run out of cash and credit
and you are out. Every decision shows what it costs before you make it; b lists the
week's decisions with their cost, and any can be cancelled until the week ends. Deals
(d) are talks, not orders: a partner answers at once, each offer costs patience, and a
signed deal or investment is binding (leaving a contract early costs its penalty).

Capability is log10 of a model's effective compute (GPT-4 is 25.3). Effective compute is
the run's FLOP times your software efficiency when it started; research raises that ~3x a
year, faster with research compute, people and a stronger model.

Power: GPUs run only in halls with power. A site's grid is shared by every lab there;
substations add grid slowly, gas turbines quickly (permits cap them). Delivered GPUs wait
in the warehouse until a powered hall has room.

Rivals: released models are public; everything else about a rival is an estimate from
news, leaks and hiring (usually within +-35%, at worst half or double), which moves every few weeks.
Their difficulty is skill, never rules: an easy rival reacts months late and misjudges its
plans and money; a hard one reacts at once, sizes its plans and reads its money exactly,
and takes all an investor partner will put in (Microsoft, for OpenAI).

The score (shown at the end, kept in the hall of fame per scenario and difficulty):
  AGI win       {agi} if your lab reaches AGI first
  weeks early   up to {early} more, in proportion to the weeks of the game left then
  your stake    up to {stake}: the founders' share x value / (value + {ref})
The win outweighs the other parts together. Every point of stake given up in a round
costs the same; a bankrupt lab scores nothing for its stake.

Keys (ctrl+p also finds every screen and action):"""


def unwrap(text: str) -> str:
    """Paragraph lines joined into one line each; indented lines (tables) kept as they are."""
    out: list[str] = []
    for line in text.splitlines():
        if out and line and not line.startswith(" ") and out[-1] and not out[-1].startswith(" "):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


def listed(keys: list[BindingType]) -> list[BindingType]:
    """The dashboard's bindings as the help lists them: the same ids, so the player's keymap
    moves them as it moves the dashboard's; each its own action (the key panel puts the
    keys of one action on one row), which the help screen never runs."""
    return [
        Binding(b.key, f"listed({b.id!r})", b.tooltip or b.description, show=False, id=b.id)
        for b in keys
        if isinstance(b, Binding)
    ]


class HelpText(Static, can_focus=True):
    """The help's prose. It has the focus and holds the dashboard's keys, so Textual's key
    panel lists them first, under their own title (the arrows scroll the page it is on)."""

    BINDING_GROUP_TITLE = "On the dashboard"
    BINDINGS = listed(bindings.HQ)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "listed" else True  # listed, greyed: pressed here, nothing


GAME_IDS = frozenset(b.id for b in bindings.ALL if b.id)
HERE = "On this page and everywhere"
TEXTUAL = "Textual's own keys: scrolling, moving between fields, copying, the command palette"


class GameKeys(BindingsTable):
    """The key panel's table with the game's keys first: the dashboard's, then this
    page's and the app's (Back, Quit), and last, under a heading of their own, the keys
    Textual gives every screen (scroll, focus, copy, the command palette)."""

    def render_bindings_table(self) -> Table:
        groups: dict[str, dict[str, list[Binding]]] = {}
        for node, binding, _, _ in self.screen.active_bindings.values():
            if binding.system:
                continue
            title = node.BINDING_GROUP_TITLE or (HERE if binding.id in GAME_IDS else TEXTUAL)
            groups.setdefault(title, {}).setdefault(binding.action, []).append(binding)
        order = [t for t in groups if t not in (HERE, TEXTUAL)] + [t for t in (HERE, TEXTUAL) if t in groups]
        table = Table(box=None, padding=(0, 1), show_header=False, show_edge=False)
        table.add_column(justify="right", style=self.get_component_rich_style("bindings-table--key"))
        table.add_column(style=self.get_component_rich_style("bindings-table--description"))
        heading = self.get_component_rich_style("bindings-table--header")
        for n, title in enumerate(order):
            if n:
                table.add_row("", "")
            table.add_row("", Text(title, style=heading))
            for keys in groups[title].values():
                shown = " ".join(dict.fromkeys(self.app.get_key_display(b) for b in keys))
                what = Text.from_markup(keys[0].description)
                if keys[0].tooltip:  # Textual's palette: "palette: Open the command palette"
                    what.append(": " + keys[0].tooltip, "dim")
                table.add_row(shown, what)
        return table


class GameKeyPanel(KeyPanel):
    """Textual's key panel with the game's keys first (GameKeys)."""

    def compose(self) -> ComposeResult:
        yield GameKeys(shrink=True, expand=False)


class HelpScreen(Screen):
    BINDINGS = bindings.FORM
    AUTO_FOCUS = "#help-text"

    def __init__(self, rules: Any = None, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.rules = rules
        self.keymap = keymap or {}  # the player's remapped keys

    def compose(self) -> ComposeResult:
        yield GameHeader()
        with VerticalScroll(classes="form", id="help"):
            yield HelpText(self._text(), markup=False, id="help-text")
            yield GameKeyPanel(id="keys")
        yield Footer(compact=True)

    def _text(self) -> str:
        """The help, its paragraphs unwrapped so the terminal wraps them to its width."""
        r = self.rules

        def points(x: float) -> str:
            return plural(round(x), "point")

        text = bindings.rekey(HELP_TEXT, self.keymap).format(
            agi=points(r.agi_win_points if r else 0),
            early=points(r.agi_win_points * r.early_share_of_win if r else 0),
            stake=points(r.agi_win_points * r.stake_share_of_win if r else 0),
            ref=money(r.stake_value_ref_usd if r else 0),
        )  # fmt: skip
        return unwrap(text)

    def action_back(self) -> None:
        self.dismiss()
