"""The end of the game: the result and the AGI threshold the game drew, why the winner
won (its edge and its winning run), your decisions that mattered, your score part by part
with how each part was reached, and the hall of fame."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from game.play.debrief import Debrief
from game.tui import bindings
from game.tui.screens.base import plain, styled
from game.tui.widgets.header import GameHeader


class GameOverScreen(Screen):
    BINDINGS = bindings.GAME_OVER

    def __init__(
        self, debrief: Debrief, board: list[dict[str, Any]], heading: str, names: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.names = names or {}  # lab id -> name, for the hall of fame
        self.debrief = debrief
        self.board = board
        self.heading = heading

    def compose(self) -> ComposeResult:
        yield GameHeader()
        with VerticalScroll(id="game-over"):
            yield Static(self._text(), markup=False, id="debrief")
            with Horizontal(classes="buttons"):
                yield Button("New game (n)", id="again", variant="primary", compact=True)
                yield Button("Quit (q)", id="quit", compact=True)
        yield Footer(compact=True)

    def _text(self) -> Content:
        d = self.debrief
        lines = [styled("[b]GAME OVER[/b]  $r", r=d.result)]
        if d.threshold:
            lines.append(plain(d.threshold[0].upper() + d.threshold[1:] + "."))
        lines.append(plain(""))
        if d.why:
            lines.append(styled("[b]Why $w won[/b]", w=d.winner))
            lines += [plain(f"  {line}") for line in d.why]
        lines.append(styled("[b]Your game[/b]"))
        lines += [plain(f"  {line}") for line in d.decisions]
        lines.append(styled("[b]Your score[/b] $t points", t=f"{d.total:,.0f}"))
        whys = d.score_why or ("",) * len(d.score)
        for (name, points), why in zip(d.score, whys, strict=True):
            lines.append(plain(f"  {name:<12} {points:>7,.0f}  {why}".rstrip()))
        lines.append(plain("  The win outweighs the other parts together (? explains the score)."))
        lines.append(styled("[b]Hall of fame[/b] $h", h=self.heading))
        for i, e in enumerate(self.board[:5]):
            lines.append(
                plain(
                    f"  {i + 1}. {self.names.get(e['lab'], e['lab'])} {float(e['score']):,.0f} - {e['result']}"
                )
            )
        if not self.board:
            lines.append(plain("  (empty)"))
        return Content("\n").join(lines)

    @on(Button.Pressed, "#again")
    async def _again(self) -> None:
        await self.app.run_action("new_game")

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()
