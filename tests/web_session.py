"""``itpm-tui serve`` in a real headless Chromium driven by Selenium, read as a person sees it.

The page draws the terminal on a canvas (xterm.js with its WebGL/canvas renderer), so there
is no text in the DOM to read. What xterm.js draws is exactly the bytes it received on the
page's WebSocket; Chrome's performance log (the DevTools protocol's
``Network.webSocketFrameReceived``) hands those frames over, with the time each arrived, and
a terminal emulator (pyte) replays them into the screen's text. A screenshot keeps the
picture for a person to look at.

Selenium Manager never downloads anything: the driver is Debian's ``/usr/bin/chromedriver``
(``Service(executable_path=...)``) and ``SE_OFFLINE`` is set.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
)
CHROME_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--no-pings", "--window-size=1280,800",
)  # fmt: skip
"""Without the network-related ones Chromium hangs on connections this machine cannot make."""
ROOT = Path(__file__).resolve().parent.parent


def missing() -> str:
    """Why the browser tests cannot run here ("" if they can)."""
    if CHROMIUM is None:
        return (
            "no chromium on PATH (apt-get install chromium chromium-driver; .ci/run does as root)"
        )
    if CHROMEDRIVER is None:
        return "no chromedriver (apt-get install chromium-driver; .ci/run does as root)"
    for module in ("selenium", "pyte", "textual_serve"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[test]')"
    return ""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served(db: Path, *flags: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``itpm-tui serve`` on ``db`` in its own process; yield its URL until the end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), "serve", "--port", str(port), *flags],
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=ROOT,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                out = process.communicate(timeout=5)[0] if process.poll() is not None else ""
                raise AssertionError(f"serve did not start: {out[-2000:]}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class WebTerminal:
    """One browser tab on a served app: keys in, the terminal's text out."""

    driver: Any
    screen: Any = None
    stream: Any = None
    requests: list[str] = field(default_factory=list)
    """Every URL the page asked for (documents, scripts, fonts, WebSockets)."""
    frames: list[tuple[float, bytes]] = field(default_factory=list)
    """Each WebSocket frame received: (wall-clock time it arrived, bytes)."""
    _shown: int = 0
    """How many of ``frames`` the screen has replayed."""

    def pump(self) -> None:
        """Read the performance log so far into ``requests``, ``frames`` and the screen."""
        import pyte

        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method, params = message["method"], message["params"]
            if method == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
            elif method == "Network.webSocketCreated":
                self.requests.append(params["url"])
                query = parse_qs(urlparse(params["url"]).query)
                self.screen = pyte.Screen(int(query["width"][0]), int(query["height"][0]))
                self.stream = pyte.ByteStream(self.screen)
            elif method == "Network.webSocketFrameReceived":
                response = params["response"]
                if response["opcode"] != 2:  # text frames are pings and pongs
                    continue
                data = base64.b64decode(response["payloadData"])
                self.frames.append((entry["timestamp"] / 1000, data))

    def _replay(self, needle: str | None = None) -> float | None:
        """Feed the frames not shown yet to the screen, one by one; return the arrival time
        of the first after which ``needle`` is on screen (None if it is not)."""
        while self.stream is not None and self._shown < len(self.frames):
            at, data = self.frames[self._shown]
            self._shown += 1
            self.stream.feed(data)
            if needle is not None and needle in "\n".join(self.screen.display):
                return at
        return None

    def text(self) -> str:
        """The terminal's screen now, as lines of text."""
        self.pump()
        self._replay()
        return "\n".join(self.screen.display) if self.screen is not None else ""

    def wait_for(self, needle: str, timeout: float = 20.0) -> float:
        """Wait until ``needle`` is on screen; return the wall-clock time its frame arrived."""
        if needle in self.text():
            return time.time()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            at = self._replay(needle)
            if at is not None:
                return at
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} did not appear; the screen shows:\n{self.text()}")

    def press(self, keys: str) -> None:
        """Type ``keys`` into the terminal (xterm.js's hidden textarea has the focus)."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)

    def foreign_requests(self) -> list[str]:
        """Requests the page made to anywhere but this machine's loopback."""
        # Chromium's own pages (its new-tab page's chrome-untrusted:// bar among them) are
        # the browser's requests, not the page's, and never leave the machine.
        allowed_schemes = ("chrome:", "chrome-untrusted:", "chrome-extension:", "data:",
                           "about:", "blob:", "devtools:")  # fmt: skip
        return [url for url in self.requests if not url.startswith(allowed_schemes)
                and urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1")]  # fmt: skip


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium under Selenium with a fresh profile and the performance log on."""
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never download a driver or browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM is not None and CHROMEDRIVER is not None
    profile = tempfile.mkdtemp(prefix="itpm-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver: Any, url: str) -> WebTerminal:
    """Load the served page in ``driver``; the log from before is dropped."""
    driver.get_log("performance")
    driver.get(url)
    return WebTerminal(driver)
