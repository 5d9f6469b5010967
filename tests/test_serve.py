"""`agi-race serve` (issue 26): a browser's websocket drives a game process of its own,
whose saves land in that visitor's folder, and which ends when the page closes."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.cli import main

pytestmark = pytest.mark.slow  # the long tier: `pytest -m slow`

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[>=]|\x1b\][^\x07]*\x07")
TOKEN = "ab" * 16
CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, *flags: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", str(port), "--home", str(home), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    assert "AGI Race on" in server.stdout.readline()  # printed as the server starts listening
    deadline = time.monotonic() + 10
    while True:  # the socket opens right after that line
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            assert time.monotonic() < deadline, "the server never listened"


class Page:
    """What a browser page does over textual-serve's websocket: keys in, the terminal's
    bytes out (read as plain text), and its JSON messages."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.screen = b""
        self.messages: list[str] = []

    async def until(self, found, timeout: float = 20) -> float:
        import aiohttp

        start = time.monotonic()
        while not found(self):
            left = start + timeout - time.monotonic()
            assert left > 0, ANSI.sub(b"", self.screen)[-2000:].decode("utf-8", "replace")
            msg = await asyncio.wait_for(self.ws.receive(), left)
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.screen += msg.data
            elif msg.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(msg.data)
            else:
                raise AssertionError(f"the websocket ended: {msg}")
        return time.monotonic() - start

    def shows(self, text: str) -> bool:
        return text.encode() in ANSI.sub(b"", self.screen)

    async def key(self, data: str) -> None:
        self.screen = b""
        await self.ws.send_str(json.dumps(["stdin", data]))


@pytest.mark.long
def test_a_visitor_plays_saves_downloads_and_the_game_ends_with_the_page(tmp_path):
    aiohttp = pytest.importorskip("aiohttp")
    psutil = pytest.importorskip("psutil")
    pytest.importorskip("textual_serve")
    from game.web.server import visitor_folder

    home = tmp_path / "web"
    server, port = start_server(home, "--max-games", "1")
    url = f"http://127.0.0.1:{port}"

    async def visit() -> list:
        async with aiohttp.ClientSession(cookies={"agi_race_visitor": TOKEN}) as http:
            async with http.ws_connect(f"{url}/ws?width=100&height=32") as ws:
                page = Page(ws)
                await page.until(lambda p: p.shows("New game"))
                async with http.get(url) as full:  # the one game allowed is being played
                    assert full.status == 503 and "games this server runs at once" in await full.text()
                await page.key("\r")  # the New game button has the focus
                await page.until(lambda p: p.shows("week 0"))
                await page.key("n")
                await page.until(lambda p: p.shows("week 1 "))
                await page.key("\x13")  # ctrl+s
                await page.until(lambda p: any("deliver_file_start" in m for m in p.messages))
                key = json.loads(next(m for m in page.messages if "deliver_file_start" in m))[1]
                async with http.get(f"{url}/download/{key}") as download:
                    assert download.status == 200 and "attachment" in download.headers["Content-Disposition"]
                    saved = await download.read()
                    assert saved.startswith(b'format = "agi-race"')
                games = [p for p in psutil.Process(server.pid).children(recursive=True)]
                assert games
            for name, data, status in (("mine.toml", saved, 200), ("junk.toml", b"format = 3", 400)):
                form = aiohttp.FormData()
                form.add_field("save", data, filename=name)
                async with http.post(f"{url}/upload", data=form) as added:  # a save the visitor gives
                    assert added.status == status, await added.text()
            return games  # the page is closed

    try:
        games = asyncio.run(visit())
        closed = time.monotonic()
        gone, alive = psutil.wait_procs(games, timeout=5)
        assert not alive, "a closed page's game process is still there after 5 s"
        assert time.monotonic() - closed < 5
        saves = list((visitor_folder(home, TOKEN) / "saves").glob("*week-0001*.toml"))
        assert len(saves) == 1
        assert [p.name for p in saves[0].parent.glob("uploaded-*")] == ["uploaded-mine.toml"]
        assert [p.name for p in (home / "visitors").iterdir()] == [visitor_folder(home, TOKEN).name]
    finally:
        server.terminate()
        server.wait(10)


def test_serve_without_the_extra_exits_2_with_the_install_hint(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import textual_serve -> ImportError
    assert main(["serve", "--port", "1"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "agi-race: error: serve needs the web extra: pip install 'agi-race[web]'"
    ]


def test_the_browser_keeps_no_key_the_game_needs():
    from game.tui import bindings
    from game.web.child import WEB_KEYS

    browser = {"ctrl+n", "ctrl+w", "ctrl+t", "ctrl+q"}
    for b in bindings.ALL:
        keys = set(WEB_KEYS.get(b.id or "", b.key).split(","))
        assert keys - browser, f"{b.id}: only {b.key} in a browser"


@pytest.mark.long
@pytest.mark.skipif(not CHROMIUM.exists(), reason="no chromium at /usr/bin/chromium")
def test_a_real_browser_reaches_week_1(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    server, port = start_server(tmp_path / "web")
    url = f"http://127.0.0.1:{port}"
    frames: list[bytes] = []
    try:
        with playwright.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM))
            page = browser.new_page()

            def only_loopback(route) -> None:
                host = route.request.url.split("/")[2].split(":")[0]
                if host in ("127.0.0.1", "localhost"):
                    route.continue_()
                else:
                    route.abort()

            page.route("**/*", only_loopback)

            def heard(frame: bytes | str) -> None:
                frames.append(frame if isinstance(frame, bytes) else frame.encode())

            page.on("websocket", lambda ws: ws.on("framereceived", heard))

            def wait_for(text: str) -> None:
                """Until the terminal's frames show `text` (each round trip lets events in)."""
                deadline = time.monotonic() + 60  # a bound for a loaded machine, not a wait
                while text.encode() not in ANSI.sub(b"", b"".join(frames)):
                    assert time.monotonic() < deadline, f"no {text!r} in the page"
                    page.wait_for_timeout(50)  # lets the page's events in without spinning a core

            page.goto(url)
            wait_for("New game")
            page.focus(".xterm-helper-textarea")  # the terminal takes the keys, as after a click
            page.keyboard.press("Enter")
            wait_for("week 0")
            frames.clear()
            page.keyboard.press("n")
            wait_for("week 1 ")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
