"""The HTML report in a real headless browser: it renders, logs no console error, fetches
nothing, and prints on A4.

Debian's ``chromium`` (``.ci/run`` installs it when run as root); skipped without it. All
traffic goes through a recording proxy on loopback: the browser's own calls home (Google
hosts, made whatever the page is) are told apart from the page's, and a control page with
a remote image and a failing script proves both checks can fail.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import Cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium; .ci/run does as root)"
)

BROWSER_OWN = (".google.com", ".gvt1.com", ".googleapis.com", ".gstatic.com")
"""Hosts Chromium itself calls (time, accounts, components) whatever page it shows."""


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.requestline)
        self.send_response(404)
        self.end_headers()

    do_POST = do_HEAD = do_CONNECT = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    """A proxy on loopback that answers 404 to everything and records each request line."""
    seen: list[str] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def _host(request_line: str) -> str:
    target = request_line.split()[1]
    target = target.split("://", 1)[-1]
    return target.split("/", 1)[0].split(":", 1)[0]


def _page_requests(seen: list[str]) -> list[str]:
    return [r for r in seen if not _host(r).endswith(BROWSER_OWN)]


def _chromium(page: Path, proxy_url: str, profile: Path, *extra: str) -> str:
    """Run headless Chromium on ``page``; return its log (stderr)."""
    assert CHROMIUM is not None
    args = [
        CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", f"--user-data-dir={profile}",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--no-pings",
        f"--proxy-server={proxy_url}", "--proxy-bypass-list=<-loopback>",
        "--enable-logging=stderr", "--v=0", *extra, page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


def _console(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_control_page_shows_the_checks_can_fail(
    proxy: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, seen = proxy
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><img src="http://example.invalid/x.png">'
                    '<script>console.error("boom")</script>')  # fmt: skip
    log = _chromium(page, url, tmp_path / "profile", f"--screenshot={tmp_path / 'c.png'}")
    assert any('"boom"' in line for line in _console(log))
    assert _page_requests(seen) == ["GET http://example.invalid/x.png HTTP/1.1"]


def test_the_demo_report_renders_with_no_console_error_and_no_request(
    run: Cli, proxy: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, seen = proxy
    run("demo", "--force")
    page = tmp_path / "report.html"
    run("report", "--format", "html", "--output", str(page))
    shot = tmp_path / "report.png"
    log = _chromium(page, url, tmp_path / "profile", f"--screenshot={shot}",
                    "--window-size=1240,1754")  # fmt: skip
    assert _console(log) == []
    assert _page_requests(seen) == []
    assert _png_size(shot) == (1240, 1754)
    assert shot.stat().st_size > 100_000  # text, tables and sparklines, not a blank page


def test_the_report_prints_on_a4_pages(
    run: Cli, proxy: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, seen = proxy
    run("demo", "--force")
    page = tmp_path / "report.html"
    run("report", "--format", "html", "--output", str(page))
    pdf = tmp_path / "report.pdf"
    log = _chromium(page, url, tmp_path / "profile", f"--print-to-pdf={pdf}",
                    "--no-pdf-header-footer")  # fmt: skip
    assert _console(log) == []
    assert _page_requests(seen) == []
    boxes = _media_boxes(pdf.read_bytes())
    assert len(boxes) >= 3  # three projects over several pages
    assert set(boxes) == {(595, 842)}  # A4 in points (210 x 297 mm), every page


def _media_boxes(data: bytes) -> list[tuple[int, int]]:
    """The (width, height) in whole points of every page's MediaBox."""
    return [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(rb"MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    ]
