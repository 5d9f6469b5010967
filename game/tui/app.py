"""The terminal game: a Textual app around one Session (B = 1).

The app owns the screen stack, the turn order (one player, or two on one terminal), the
fast-forward worker, saving (in a worker: the screen stays responsive), the few settings a
player keeps between games (the first-game guide, remapped keys), and the rescue of a game
when the app meets an error it did not expect (rescue.py)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import attrs
from textual import work
from textual.app import SystemCommand
from textual.screen import Screen

from game.agents.process import AgentProcess
from game.catalog import Catalog, default_catalog
from game.paths import scenarios_dir
from game.play import intel
from game.play.news import NewsItem
from game.play.session import Session
from game.play.words import plural
from game.saves import (
    SaveError,
    SaveInfo,
    list_saves,
    load_scenario,
)
from game.saves.hall_of_fame import FameEntry, record_score
from game.tui import bindings, rescue
from game.tui.ahead import PlayingAhead
from game.tui.guard import Rescuing, Saving
from game.tui.messages import FastForwardDone, StartGame
from game.tui.opponent import Opposing
from game.tui.screens import (
    BookScreen,
    DealsScreen,
    FinanceScreen,
    ForecastScreen,
    GameOverScreen,
    HandoverScreen,
    HelpScreen,
    HQScreen,
    LedgerScreen,
    MarketScreen,
    NewsScreen,
    QuitScreen,
    RivalsScreen,
    SitesScreen,
    TitleScreen,
    TrainingScreen,
)
from game.tui.screens.orders import OrdersScreen
from game.tui.settings import Settings
from game.tui.stops import stop_reason

SCREENS = {
    "market": MarketScreen,
    "sites": SitesScreen,
    "deals": DealsScreen,
    "training": TrainingScreen,
    "finance": FinanceScreen,
    "book": BookScreen,
    "orders": OrdersScreen,
    "rivals": RivalsScreen,
    "forecast": ForecastScreen,
    "news": NewsScreen,
    "ledger": LedgerScreen,
}
FAST_FORWARD_LIMIT = 26  # weeks fast-forward plays at most before it stops by itself
ACT_LIMIT = 52  # weeks "fast-forward until something I can act on" plays at most
LOAD_LIST_LIMIT = 60  # saves the title screen lists (each is read and checked to show it)


def save_label(title: str, s: SaveInfo) -> str:
    """A save in the load list, on one line of 80 columns: its game, lab, week, the date
    and cash in the game, and when it was written."""
    when = f"{s.date:%d %b %y}" if s.date else "?"
    kind = "auto" if s.autosave else "save"
    return f"{title}: {s.lab} week {s.week}, {when}, ${s.cash / 1e9:,.1f}B · {kind} {s.written:%d %b %H:%M:%S}"


class AgiRaceApp(Settings, Saving, Rescuing, Opposing, PlayingAhead):
    """AGI Race in the terminal."""

    TITLE = "AGI Race"
    CSS_PATH = "app.tcss"
    BINDINGS = bindings.APP

    def __init__(
        self,
        session: Session | None = None,
        catalog: Catalog | None = None,
        agent: AgentProcess | None = None,
    ) -> None:
        super().__init__()
        self.agent = agent  # a program playing a lab against the person (opponent.py)
        self.catalog = catalog or default_catalog()
        self.session: Session | None = session
        self.player = 0
        self.fast_forwarding = False
        self.ff_mode = "news"  # "news": stop at anything new of yours; "act": only at what you can act on
        # urgent alerts the player saw and fast-forwarded past anyway (pressed again): (week, keys)
        self.ff_ack: tuple[int, frozenset[str]] = (-1, frozenset())
        self.ff_votes: set[int] = set()
        self.autosave_every: int | None = None  # None: the session's default
        self.settings = self._read_settings()
        self.keymap: dict[str, str] = {}  # the player's remapped keys (binding id -> keys)
        self.autosave_weeks = 0  # the game's autosave cadence (the app autosaves, in a worker)
        self.saving = False  # a save the player asked for is being written
        self.crash: rescue.Crash | None = None  # what a crash left behind (the app is closing)
        self.trail: deque[str] = deque(maxlen=rescue.KEYS_KEPT)  # the last keys and clicks
        self._before: Session | None = None  # the game before the last key or click

    @property
    def game(self) -> Session:
        """The session being played (the turn actions run only in a game)."""
        assert self.session is not None, "no game is being played"
        return self.session

    # ----------------------------------------------------------------- screens
    def on_mount(self) -> None:
        if self.settings.get("theme") in self.available_themes:
            self.theme = self.settings["theme"]
        self.watch(self, "theme", self._remember_theme, init=False)
        self._load_keymap()
        if self.session is not None:
            self.start(self.session)
        else:
            self.push_screen(self.title_screen())
            self._offer_rescue()

    def title_screen(self, last: Session | None = None) -> TitleScreen:
        """The title screen; after `last` (a game that ended) it keeps that game's lab
        and rival difficulty."""
        scenarios = []
        for path in sorted(scenarios_dir().glob("*.toml")):
            try:
                scn = load_scenario(path, self.catalog)
            except SaveError:
                continue
            scenarios.append((path.stem, scn.meta.title, scn.meta.description))
        saves = [  # game by game, the most recently played first; damaged files last
            (s.line() if s.damaged else save_label(game.title, s), str(s.path))
            for game in list_saves(self.catalog)
            for s in game.saves
        ][:LOAD_LIST_LIMIT]
        if last is None:
            return TitleScreen(self.catalog, scenarios, saves)
        humans = last.scenario.humans
        lab = "both" if len(humans) > 1 else (humans[0] if humans else "xai")
        return TitleScreen(self.catalog, scenarios, saves, lab, last.scenario.meta.difficulty)

    def _clear_stack(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def start(self, session: Session) -> None:
        self.session = session
        self._before = None
        # The app autosaves after the session's weeks, in a worker (off the UI thread).
        self.autosave_weeks = session.autosave_every if self.autosave_every is None else self.autosave_every
        session.autosave_every = 0
        people = self.people()
        self.player = people[0] if people else 0
        self.ff_votes.clear()
        self._clear_stack()
        self.push_screen(HQScreen(session, self.player, guide=self.settings["guide"]))
        if session.over:
            self.show_game_over()

    def on_start_game(self, message: StartGame) -> None:
        self.start(message.session)

    async def action_open(self, name: str) -> None:
        """A screen, mounted before the next key is handled: keys typed right after the
        one that opens it (a player's "s alt+s Da Enter") went to it before its fields
        were there, and were lost."""
        if name == "help":  # help is there whatever the state of the game
            await self.push_screen(HelpScreen(self.catalog.rules.score, self.keymap))
            return
        if self.session is None or self.session.over or self.fast_forwarding:
            return
        await self.push_screen(SCREENS[name](self.session, self.player))

    def _show_player(self) -> None:
        """The dashboard of the player whose turn it is (hot seat: behind a hand-over)."""
        session = self.game
        top = self.screen_stack[-1] if len(self.screen_stack) == 2 else None
        if isinstance(top, HQScreen) and top.lab == self.player and top.session is session:
            if top.is_mounted:  # (one pushed a moment ago shows the session when it mounts)
                top.refresh_view()  # the same player again: refresh the dashboard in place
            return
        self._clear_stack()
        self.push_screen(HQScreen(session, self.player, guide=self.settings["guide"]))
        if len(self.people()) > 1:
            name = session.lab_name(self.player)
            text = f"{name} to play, week {session.week}. Others, look away.\nPress enter when ready."
            self.push_screen(
                HandoverScreen(text), lambda _: self._tell_news()
            )  # each player hears their own news

    # ------------------------------------------------------------------- turns
    def _next_human(self) -> int | None:
        """The next player this week, or None if the current one is the last."""
        humans = self.people()
        if self.player in humans and humans.index(self.player) < len(humans) - 1:
            return humans[humans.index(self.player) + 1]
        return None

    def action_end_week(self) -> None:
        session = self.session
        if session is None or session.over or self.fast_forwarding:
            return
        following = self._next_human()
        if following is not None:  # hot seat: the next player decides before the week ends
            self.player = following
            self._show_player()
            return
        if not self.agent_turn():  # an agent plays a lab: its week first, in a worker
            self.finish_week()

    def tell(self, text: str, title: str = "") -> None:
        """Say `text` on the dashboard's note line (the README promises no pop-ups over it);
        elsewhere, as a notification."""
        if isinstance(self.screen, HQScreen) and self.screen.is_mounted:
            self.screen.note(f"{title}: {text}" if title else text)
        else:
            self.notify(text, title=title, markup=False)

    def finish_week(self) -> None:
        """Every lab has decided: play the week and show the next player."""
        self._play_week()
        if not self.game.over:
            people = self.people()
            self.player = people[0] if people else 0
            self._show_player()
            if len(people) == 1:
                self._tell_news()  # in hot seat, after the hand-over

    def _play_week(self) -> None:
        self.ff_votes.clear()
        self.game.end_week()
        if self._autosave_due(self.game):
            self._start_save(autosave=True)
        if self.game.over:
            self.show_game_over()

    def _tell_news(self, heading: str = "") -> None:
        """Open the dashboard's week summary on the last week's news (no notification: a
        toast would cover the screen); it stays until the player hides it."""
        for screen in self.screen_stack:
            if isinstance(screen, HQScreen) and screen.lab == self.player:
                screen.show_summary(heading)

    def action_fast_forward(self, mode: str = "news") -> None:
        session = self.session
        if self.fast_forwarding:  # pressed again: stop after this week
            self.fast_forwarding = False
            return
        self.ff_mode = mode if mode in ("news", "act") else "news"
        if session is None or session.over or not isinstance(self.screen, HQScreen):
            return  # fast-forward starts from the dashboard, with no form open
        self.ff_votes.add(self.player)
        following = self._next_human()
        if following is not None:  # hot seat: everyone must agree; the next player is asked
            self.player = following
            self._show_player()
            self.notify(
                f"{session.lab_name(self.player)}: f to fast-forward too, n to play one week", timeout=6
            )
            return
        if len(self.people()) > 1 and not set(self.people()) <= self.ff_votes:
            self.notify("Fast-forward needs every player's f; this week ends as with n.", timeout=4)
            self.action_end_week()
            return
        urgent = [
            (lab, a)
            for lab in self.people()
            for a in intel.alerts(session.turn(lab))
            if a.severity == "error" and a.actionable
        ]
        keys = frozenset(a.key for _, a in urgent)
        if urgent and self.ff_ack != (session.week, keys):
            # fast-forward does not run past idle training or a runway about to end unasked:
            # the same key again this week runs on anyway (and stops only at something new)
            self.ff_votes.clear()
            self.ff_ack = (session.week, keys)
            lab, alert = urgent[0]
            again = bindings.key_for("fast-forward-act" if self.ff_mode == "act" else "fast-forward", self.keymap)
            self.tell(
                f"{session.lab_name(lab)}: {alert.text}. Deal with it first (n plays a single week), "
                f"or press {again} again to play on anyway."
            )
            return
        self.ff_ack = (session.week, keys) if urgent else (-1, frozenset())
        self.fast_forwarding = True
        self._fast_forward()

    @work(thread=True, exclusive=True, group="turns")
    def _fast_forward(self) -> None:
        session = self.game
        humans = self.people() or [self.player]
        played, reason = 0, ""
        first: dict[int, dict[str, float]] = {}
        limit = ACT_LIMIT if self.ff_mode == "act" else FAST_FORWARD_LIMIT
        try:
            while not reason:
                if played >= limit:
                    reason = f"{limit} weeks played"
                elif not self.fast_forwarding:
                    reason = "Stopped."
                elif session.over:
                    reason = "The game is over."
                else:
                    seen = {lab: {a.key: a.amount for a in intel.alerts(session.turn(lab))} for lab in humans}
                    for lab in humans:  # each alert's figure when this fast-forward first saw it
                        first.setdefault(lab, {})
                        for key, amount in seen[lab].items():
                            first[lab].setdefault(key, amount)
                    before = len(session.news)
                    self._before = session.snapshot()  # a crash in this week rescues the game before it
                    gone = self.agent_week_now(session)  # an agent's lab: its week, asked here
                    session.end_week()
                    played += 1
                    if self._autosave_due(session):  # this worker is off the UI thread already
                        self._write_save(session, session.snapshot(), autosave=True, then_quit=False)
                    reason = gone or self._stop_reason(session.news[before:], seen, humans, first) or ""
        finally:
            self.fast_forwarding = False
            self.post_message(FastForwardDone(played, reason))

    def _stop_reason(
        self,
        news: list[NewsItem],
        seen: dict[int, dict[str, float]],
        humans: list[int],
        first: dict[int, dict[str, float]] | None = None,
    ) -> str | None:
        """Why fast-forward stops after this week, or None (tui/stops.py)."""
        return stop_reason(self.game, news, seen, humans, first, self.ff_mode, self.ff_ack[1])

    def on_fast_forward_done(self, message: FastForwardDone) -> None:
        session = self.game
        self.ff_votes.clear()
        if session.over:
            self.show_game_over()
            return
        self.player = self.people()[0] if self.people() else 0
        self._show_player()
        self._tell_news(f"Fast-forward: {plural(message.weeks, 'week')}. {message.reason}")

    def show_game_over(self) -> None:
        session = self.game
        if self.agent is not None:
            self.agent.finish(session)  # the agent hears the result; its process ends
        people = self.people()
        if not people:
            return
        lab = people[0]
        scores, scn = session.scores(), session.scenario
        results = [
            FameEntry(lab=h, score=scores[h], result=session.result(), week=session.week, game=scn.game_id)
            for h in (session.params.lab_ids[i] for i in people)
        ]
        if session.ended_here:
            board = record_score(scn.origin, scn.meta.difficulty, results)
        else:  # a save of a finished game: show its board, do not score it again
            board = record_score(scn.origin, scn.meta.difficulty, [])
        if board.note:  # a damaged hall of fame was kept aside (or could not be)
            self.notify(board.note, severity="warning", markup=False)
        heading = f"({scn.origin}, {scn.meta.difficulty})"
        if self.settings["guide"]:
            self.settings["guide"] = False  # the guide is for the first game
            self._write_settings()
        entries = [attrs.asdict(e) for e in board.entries]
        names = {lab.id: lab.name for lab in self.catalog.labs}
        self.push_screen(GameOverScreen(intel.debrief(session.turn(lab)), entries, heading, names))

    # ------------------------------------------------------------------- quit
    def action_request_quit(self) -> None:
        s = self.session
        if s is not None and not s.over:  # asked even when nothing is lost: it leads to the title screen
            weeks = s.unsaved_weeks
            lost = [f"{plural(weeks, 'week')} since your last save"] if weeks else []
            if s.book_unsaved:
                lost.append("this week's decisions booked since your last save")
            then = {"quit": self.exit, "title": self.action_new_game, "save": lambda: self._start_save(then_quit=True)}
            self.push_screen(QuitScreen(lost), lambda choice: then.get(choice or "", lambda: None)())
            return
        self.exit()

    def action_to_title(self) -> None:
        """The title screen (to load another save or start again): as quitting, it asks
        first when it would lose play."""
        s = self.session
        if s is not None and not s.over and (s.unsaved_weeks or s.book_unsaved):
            self.action_request_quit()  # its dialog offers the title screen
            return
        self.action_new_game()

    def action_exit_now(self) -> None:
        self.exit()

    def action_new_game(self) -> None:
        last = self.session
        self.session = None
        self.fast_forwarding = False
        self._clear_stack()
        self.push_screen(self.title_screen(last))

    # --------------------------------------------------------- command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.session is None or self.session.over or self.fast_forwarding:
            return
        yield SystemCommand("End week", "Play the week", self.action_end_week)
        yield SystemCommand("Fast-forward", "Play weeks until something needs you", self.action_fast_forward)
        yield SystemCommand(
            "Fast-forward to act",
            "Play weeks until something you can act on",
            lambda: self.action_fast_forward("act"),
        )
        for name in SCREENS:
            yield SystemCommand(name.title(), f"Open the {name} screen", lambda n=name: self.action_open(n))
        yield SystemCommand("Save game", "Save to your saves folder", self.action_save)
        yield SystemCommand("Title screen", "Leave this game for the title screen (asks if play is unsaved)", self.action_to_title)
