"""``itpm-tui serve --read-only`` in a real headless browser: the board shows, another
process's change appears within 2 s, a write key is refused, the page calls nobody.

Debian's chromium and chromium-driver under Selenium (see tests/web_session.py for how the
canvas-drawn terminal is read); skipped, saying why, without them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from tests.conftest import TODAY
from tests.web_session import ROOT, browser, missing, open_page, served

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(missing()), reason=missing())]

ENV = {"ITPM_USER": "pm", "ITPM_TODAY": TODAY.isoformat()}


def _itpm(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), *args], cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **ENV}, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _audit_rows(db: Path) -> int:
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])
    finally:
        conn.close()


def test_the_read_only_board_in_a_browser_is_live_refuses_writes_and_calls_nobody(
    tmp_path: Path,
) -> None:
    db = tmp_path / "team.db"
    assert _itpm(db, "demo").returncode == 0
    with served(db, "--read-only", env=ENV) as url, browser() as driver:
        started = time.time()
        page = open_page(driver, url)
        page.wait_for("itpm-tui · Today")
        first_paint = time.time() - started
        page.press("3")
        page.wait_for("Stand-up board")
        screen = page.text()
        assert "read-only" in screen and "Done" in screen and "Doing" in screen

        # Another process adds a done task: it tops the Done column within 2 s.
        added = _itpm(db, "add", "Projector 4711", "--project", "NET", "--status", "done")
        committed = time.time()
        assert added.returncode == 0, added.stderr
        shown = page.wait_for("Projector 4711", timeout=10)
        assert shown - committed < 2.0, f"took {shown - committed:.2f} s"

        # Move card right: refused at the key, with the reason, and nothing is written.
        before = _audit_rows(db)
        page.press(">")
        page.wait_for("Not changed: this view was opened read-only")
        page.press("u")  # undo my last change: a write too
        time.sleep(1.0)
        assert _audit_rows(db) == before

        # A stand-up started and presented from the browser: no header, the speaker big.
        page.press("5")
        page.wait_for("No stand-up is running")  # loaded: a key pressed earlier can be lost
        page.press("s")
        page.wait_for("Team Infra")
        page.press(Keys.ENTER)
        page.wait_for(" speaking")
        page.press("f")
        page.wait_for("Esc leaves presentation")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            presented = page.text()
            if "itpm-tui · Stand-up" not in presented and "timebox" in presented:
                break
            time.sleep(0.05)
        assert "◌ read-only" not in presented and "itpm-tui · Stand-up" not in presented
        assert "timebox" in presented  # the big timers of presentation mode
        driver.save_screenshot(str(tmp_path / "presenting.png"))

        assert page.foreign_requests() == []
        assert any(u.startswith(url.replace("http", "ws")) for u in page.requests)
    print(f"first paint {first_paint:.2f} s; change shown after {shown - committed:.3f} s")
