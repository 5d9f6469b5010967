"""`agi-race serve`: the full game in a browser, on textual-serve.

textual-serve runs one process of a command per websocket (a browser page): here the
command is `python -m game.web.child`, and `VisitorService` gives each process its own
environment, where AGI_RACE_HOME is the visitor's folder under the server's home
(`visitors/<id>/`: saves, autosaves, settings, keymap) and AGI_RACE_HALL_OF_FAME the
server's one leaderboard. A visitor is known by a random cookie the page sets, so a
reload finds the same saves; a client without it gets a new folder per connection.

A visitor adds a save file of their own at /upload: it is checked as the game checks a
save, and a good one goes to their saves folder, in the title screen's Load list from
their next page on.

A page that closes ends its process: textual-serve asks it to quit, and a process
still there after `STOP_SECONDS` is killed. At most `max_games` processes run at once;
the next visitor gets a page saying so (HTTP 503) instead of a new process.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("agi-race.serve")

COOKIE = "agi_race_visitor"
TOKEN = re.compile(r"[0-9a-f]{32}")
STOP_SECONDS = 3.0  # a closed page's process has this long to quit before it is killed
KILL_SECONDS = 1.5
COMMAND = f"{shlex.quote(sys.executable)} -m game.web.child"

FULL_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>AGI Race: all games taken</title>
<meta http-equiv="refresh" content="30"></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>AGI Race</h1>
<p>All {cap} games this server runs at once are being played. This page tries again
every 30 seconds; a game frees up when its player closes their page.</p>
</body></html>
"""

UPLOAD_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>AGI Race: add a save</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>AGI Race: add a save</h1>
<p>{message}</p>
<form method="post" enctype="multipart/form-data">
<input type="file" name="save" accept=".toml"> <button type="submit">Add to my saves</button>
</form>
<p><a href="/">Back to the game</a> (reload it: the title screen lists your saves).</p>
</body></html>
"""


def visitor_folder(home: Path, token: str) -> Path:
    """The folder of the visitor with this cookie (named by its hash, not the cookie)."""
    return home / "visitors" / hashlib.sha256(token.encode()).hexdigest()[:32]


class VisitorService(AppService):
    """One visitor's game process, with its own AGI_RACE_HOME."""

    def __init__(self, *args: Any, folder: Path, hall_of_fame: Path, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.folder = folder
        self.hall_of_fame = hall_of_fame

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width=width, height=height)
        env["AGI_RACE_HOME"] = str(self.folder)
        env["AGI_RACE_HALL_OF_FAME"] = str(self.hall_of_fame)
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):  # nothing of the server's user leaks in
            env[name] = str(self.folder / name.lower())
        return env

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def end(self) -> None:
        """Ask the process to quit; kill it if it is still there after STOP_SECONDS."""
        process = self._process
        try:
            await asyncio.wait_for(self.stop(), STOP_SECONDS)
        except (TimeoutError, ConnectionError, RuntimeError):
            pass
        if process is None or process.returncode is not None:
            return
        for signal_it in (process.terminate, process.kill):
            try:
                signal_it()
                await asyncio.wait_for(process.wait(), KILL_SECONDS)
                return
            except ProcessLookupError:
                return
            except TimeoutError:
                continue


class GameServer(Server):
    """textual-serve's Server with a folder per visitor, a cap on games and a sure end to
    each page's process."""

    def __init__(self, home: Path, host: str, port: int, max_games: int) -> None:
        super().__init__(COMMAND, host=host, port=port, title="AGI Race")
        self.home = home
        self.max_games = max_games
        self.games: dict[str, VisitorService] = {}

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.add_routes([web.get("/upload", self.handle_upload_form), web.post("/upload", self.handle_upload)])
        return app

    async def handle_upload_form(self, request: web.Request) -> web.Response:
        return self._upload_page("A save file you downloaded from this game (a .toml file).")

    def _upload_page(self, message: str, status: int = 200) -> web.Response:
        import html

        return web.Response(
            status=status, text=UPLOAD_PAGE.format(message=html.escape(message)), content_type="text/html"
        )

    async def handle_upload(self, request: web.Request) -> web.Response:
        """A save the visitor gives: checked, then added to their saves folder."""
        from game.saves import MAX_FILE_BYTES

        token = request.cookies.get(COOKIE, "")
        if not TOKEN.fullmatch(token):
            return self._upload_page("Open the game page first (it gives this browser its folder).", 400)
        reader = await request.multipart()
        part = await reader.next()
        if not isinstance(part, BodyPartReader):
            return self._upload_page("Choose a file first.", 400)
        name = Path(part.filename or "save.toml").name
        data = bytearray()
        while chunk := await part.read_chunk():
            data += chunk
            if len(data) > MAX_FILE_BYTES:
                return self._upload_page(f"{name} is larger than a save can be.", 413)
        folder = visitor_folder(self.home, token)
        try:
            kept = await asyncio.to_thread(_add_save, folder, name, bytes(data))
        except ValueError as err:
            return self._upload_page(f"{name} was not added: {err}", 400)
        return self._upload_page(f"Added {kept}: reload the game page to load it from the title screen.")

    async def handle_index(self, request: web.Request) -> Any:
        if len(self.games) >= self.max_games:
            return web.Response(
                status=503, text=FULL_PAGE.format(cap=self.max_games), content_type="text/html"
            )
        # The page's links and websocket go back to the address the browser used (the
        # host it asked for; https behind a proxy that says so), not the one listened on.
        scheme = "https" if request.headers.get("X-Forwarded-Proto") == "https" else request.scheme
        self.public_url = f"{scheme}://{request.host}"  # read before the next await: no race
        response = await super().handle_index(request)
        token = request.cookies.get(COOKIE, "")
        if not TOKEN.fullmatch(token):
            response.set_cookie(
                COOKIE, secrets.token_hex(16), httponly=True, samesite="Strict", max_age=30 * 24 * 3600
            )
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if len(self.games) >= self.max_games:
            await websocket.close(code=1013, message=b"all games are taken; try again later")
            return websocket
        token = request.cookies.get(COOKIE, "")
        if not TOKEN.fullmatch(token):
            token = secrets.token_hex(16)  # no cookie: a folder for this connection alone
        folder = visitor_folder(self.home, token)
        folder.mkdir(parents=True, exist_ok=True)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service = VisitorService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
            folder=folder,
            hall_of_fame=self.home / "hall-of-fame.toml",
        )
        self.games[service.app_service_id] = service
        try:
            await service.start(width, height)
            log.info(
                "game %s started for %s (pid %s)", service.app_service_id[:8], folder.name[:8], service.pid
            )
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one visitor's failure never stops the server
            log.exception(error)
        finally:
            await service.end()
            self.games.pop(service.app_service_id, None)
            log.info("game %s ended", service.app_service_id[:8])
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            f"AGI Race on {self.public_url} (at most {self.max_games} games at once; ctrl+c stops)"
        )
        self.console.print(f"visitors' folders: {self.home / 'visitors'}")

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(game.end() for game in list(self.games.values())))


def _add_save(folder: Path, name: str, data: bytes) -> str:
    """Check `data` as the game loads a save; a good one joins the visitor's saves (under
    a new name: nothing is overwritten). ValueError says why not."""
    import tempfile

    from game.catalog import default_catalog
    from game.saves import SaveError, load_scenario, write_new

    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).stem).strip(".-")[:60] or "save"
    saves = folder / "saves"
    saves.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as staging:
        trial = Path(staging) / f"{stem}.toml"
        trial.write_bytes(data)
        try:
            load_scenario(trial, default_catalog())
        except SaveError as err:
            raise ValueError(str(err).replace(str(trial), name)) from None
    return write_new(saves / f"uploaded-{stem}.toml", data).name


def serve(home: Path, host: str, port: int, max_games: int) -> None:
    home.mkdir(parents=True, exist_ok=True)
    GameServer(home, host, port, max_games).serve()
