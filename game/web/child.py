"""One visitor's game, as `agi-race serve` starts it (`python -m game.web.child`): the
Textual app on textual-serve's web driver, its saves, autosaves and settings in the
visitor's own folder ($AGI_RACE_HOME, set by the server for this process).

In a browser some keys never reach the page (ctrl+n, ctrl+w and ctrl+t open and close
tabs and windows; ctrl+q quits some browsers): the bindings that use them get keys the
page receives (`WEB_KEYS`, through the same remapping as keymap.toml; the visitor's own
keymap.toml still wins). Every save the visitor asks for is also delivered to the
browser as a download."""

from __future__ import annotations

from pathlib import Path

from textual import events, on

from game.tui import app as tui_app
from game.tui.app import AgiRaceApp
from game.tui.messages import SaveDone

QUIT_DELIVERY = "save-and-quit"  # the download a save-and-quit waits for
QUIT_WAIT_S = 15.0  # seconds: the longest the page waits for it before the game ends anyway

# binding id -> keys, for the bindings whose only key a browser keeps for itself
WEB_KEYS = {
    "quit-app": "f10,ctrl+q",
    "title-quit": "f10,ctrl+q",
    "title-new": "f2",
    "title-load": "f3",  # ctrl+l is the browser's address bar
}


class WebApp(AgiRaceApp):
    """AgiRaceApp in a browser: browser-safe keys, saves delivered as downloads."""

    CSS_PATH = str(Path(tui_app.__file__).with_name(AgiRaceApp.CSS_PATH))  # Textual reads it beside the class

    def _load_keymap(self) -> None:
        super()._load_keymap()  # the visitor's keymap.toml, if they wrote one
        self.keymap = WEB_KEYS | self.keymap
        self.set_keymap(self.keymap)

    def on_save_done(self, message: SaveDone) -> None:
        # Textual also runs AgiRaceApp.on_save_done (handlers run along the class's MRO)
        if message.error or message.autosave or message.path is None or message.then_quit:
            return  # save and quit delivers in quit_after_save
        self.deliver_binary(message.path, mime_type="application/toml")

    def quit_after_save(self, path: Path) -> None:
        """Save and quit in a browser: the process ends once the download has been taken
        (or failed), not before, which would cut it off; at most QUIT_WAIT_S later."""
        self.deliver_binary(path, mime_type="application/toml", name=QUIT_DELIVERY)
        self.set_timer(QUIT_WAIT_S, self.exit)

    @on(events.DeliveryComplete)
    @on(events.DeliveryFailed)
    def _delivered(self, event: events.DeliveryComplete | events.DeliveryFailed) -> None:
        if event.name == QUIT_DELIVERY:
            self.exit()


def main() -> int:
    app = WebApp()
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
