"""A lab played by an agent process against a person (`agi-race play --agent LAB=COMMAND`).

The session is a two-player game (both labs' decisions are logged, so the save replays);
the app's turns skip the agent's lab, and when the person ends the week the agent is asked
for its own in a worker (game/agents/process.py speaks the protocol), behind a modal that
says so; the week is played when it answers. An agent that is gone leaves its lab idle,
with one notification. Mixed into AgiRaceApp (game/tui/app.py)."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, work
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from game.agents.process import AgentGone, AgentProcess
from game.play.news import NOTE, NewsItem
from game.play.session import Session
from game.tui import bindings
from game.tui.messages import AgentDone


class AgentWaitScreen(ModalScreen[None]):
    """The agent's turn: the week waits for its answer (save and quit still work)."""

    BINDINGS = bindings.AGENT_WAIT

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.text, markup=False)
            yield Static("ctrl+s saves the weeks played · q quits", markup=False)


class Opposing(App):
    """The agent's side of the turns."""

    session: Session | None
    agent: AgentProcess | None
    finish_week: Callable[[], None]  # AgiRaceApp's: play the week, then show the person

    def agent_lab(self) -> int | None:
        """The lab the agent plays in this game (still so when it is gone: nobody plays it)."""
        s, agent = self.session, self.agent
        if s is None or agent is None or agent.lab not in s.humans:
            return None
        return s.lab_index(agent.lab)

    def people(self) -> list[int]:
        """The labs people play here, in their turn order (not the agent's)."""
        s = self.session
        return [lab for lab in s.human_labs if lab != self.agent_lab()] if s else []

    def agent_turn(self) -> bool:
        """Ask the agent for its week in a worker (True), or False: no agent plays now."""
        lab, agent, session = self.agent_lab(), self.agent, self.session
        if lab is None or agent is None or agent.gone or session is None:
            return False
        self.push_screen(AgentWaitScreen(f"{session.lab_name(lab)} (agent) is deciding…"))
        self._ask_agent(agent, session, session.snapshot())
        return True

    @work(thread=True, exclusive=True, group="agent")
    def _ask_agent(self, agent: AgentProcess, session: Session, copy: Session) -> None:
        self.post_message(AgentDone(session, *agent_answer(agent, copy)))

    def on_agent_done(self, message: AgentDone) -> None:
        if isinstance(self.screen, AgentWaitScreen):
            self.pop_screen()
        session = self.session
        if session is None or session is not message.session or session.over:
            return  # another game by now
        apply_agent(session, self.agent, message.result, message.note, message.gone)
        if message.gone:
            self.notify(gone_text(session, self.agent, message.gone), severity="warning", timeout=8)
        self.finish_week()

    def agent_week_now(self, session: Session) -> str | None:
        """The agent's week asked here (fast-forward's worker): why it is gone, if it is."""
        agent = self.agent
        if self.agent_lab() is None or agent is None or agent.gone:
            return None
        result, note, gone = agent_answer(agent, session.snapshot())
        apply_agent(session, agent, result, note, gone)
        return gone_text(session, agent, gone) if gone else None

    def on_unmount(self, event: events.Unmount) -> None:
        if self.agent is not None:
            self.agent.close()


def agent_answer(agent: AgentProcess, copy: Session) -> tuple[Session, str | None, str | None]:
    """The agent's week on `copy`: (the game with its decisions, a note, why it is gone)."""
    try:
        result, note = agent.week(copy)
        return result, note, None
    except AgentGone as why:
        return copy, None, str(why)
    except Exception as why:  # a bug in the driver: the lab plays on idle, the game goes on
        agent.gone = agent.gone or f"{type(why).__name__}: {why}"
        agent.close()
        return copy, None, agent.gone


def apply_agent(
    session: Session, agent: AgentProcess | None, result: Session, note: str | None, gone: str | None
) -> None:
    """Take the agent's week into the game (its book, its talks and their news), or, if it
    is gone, leave its lab idle and say so in the news."""
    if agent is None:
        return
    lab = session.lab_index(agent.lab)
    if gone:
        session.news.append(NewsItem(session.week, gone_text(session, agent, gone), NOTE, urgent=False))
        return
    session.world = result.world  # the agent's talks (the person's are in it: it is a snapshot)
    session.books[lab] = result.book(lab)
    if result.rounds.get(lab):
        session.rounds[lab] = list(result.rounds[lab])
    session.news = list(result.news)
    if note:
        session.news.append(NewsItem(session.week, note, NOTE, urgent=True))


def gone_text(session: Session, agent: AgentProcess | None, why: str) -> str:
    name = session.lab_name(session.lab_index(agent.lab)) if agent else "The agent"
    return f"{name} (agent) stopped playing: {why}. Its lab plays on with no new decisions."
