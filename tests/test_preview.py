"""``docgen preview`` as an author uses it: the real command in its own process, a real
browser on it, real edits to the files."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docgen.preview.server import inject_reload

from .conftest import REPO
from .web import launch_browser

FRONT = """\
---
title: {fr: Titre de la note, en: Title of the brief}
author: {name: Jeanne Martin}
date: 2026-03-14
lang: fr
---
"""
BODY = "# Contexte\n\nPremier texte de la note.\n"


class Preview:
    """A running ``docgen preview`` and what it printed."""

    def __init__(self, process: subprocess.Popen[str], url: str, project: Path) -> None:
        self.process = process
        self.url = url
        self.project = project
        self.stderr: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.put(line)

    def lines(self) -> list[str]:
        found = []
        while not self.stderr.empty():
            found.append(self.stderr.get())
        return found

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path.lstrip("/"))
        if host:
            request.add_header("Host", host)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def wait_files(self, timeout: float = 120) -> None:
        """Until the PDF and Word files are built (the index links them)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _status, index = self.get("/")
            if "/files/a/brief.fr.pdf" in index:
                return
            time.sleep(0.3)
        pytest.fail("the PDF and Word files were not built")


def start(project: Path, *args: str) -> Preview:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "preview", "--port", "0", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
    if not found:
        process.kill()
        pytest.fail(f"no URL from docgen preview: {line!r} {process.stderr.read()!r}")  # type: ignore[union-attr]
    return Preview(process, found.group(1), project)


def stop(preview: Preview) -> int:
    preview.process.send_signal(signal.SIGINT)
    return preview.process.wait(timeout=15)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(FRONT + BODY, encoding="utf-8")
    return tmp_path


@pytest.fixture
def preview(project: Path) -> Iterator[Preview]:
    running = start(project)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_browser() as launched:
        yield launched


def write_atomically(path: Path, text: str) -> None:
    """As editors save: a new file moved over the old one."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def test_edit_error_and_fix_in_the_open_page(preview: Preview, browser: Any) -> None:
    source = preview.project / "source" / "a.md"
    page = browser.new_page()
    try:
        page.goto(preview.url)
        page.click("text=brief.fr.html")
        assert page.inner_text("h1") == "Titre de la note"
        assert "Premier texte de la note." in page.inner_text("main")
        preview.wait_files()

        # An edit shows in the open page, reloaded by the server (how fast: measured by
        # bench/bench_preview.py, not asserted here, on a shared machine).
        write_atomically(source, FRONT + BODY.replace("Premier texte", "Second texte"))
        page.wait_for_function(
            "document.body.innerText.includes('Second texte de la note.')", timeout=30000
        )

        # A broken edit replaces the page with the error, located and escaped.
        broken = FRONT.replace("2026-03-14", "2026-13-14").replace(
            "lang: fr", "lang: fr\n<b>x</b>: 1"
        )
        write_atomically(source, broken + BODY)
        page.wait_for_selector("#docgen-error", timeout=5000)
        error = page.inner_text("#docgen-error")
        assert re.search(r"a\.md:4:7: error: date: invalid date '2026-13-14'", error), error
        assert "<b>x</b>" in error  # the unknown field, named as typed, shown as text
        assert page.evaluate("document.querySelectorAll('#docgen-error *').length") == 0

        # The fix clears it.
        write_atomically(source, FRONT + BODY.replace("Premier texte", "Troisième texte"))
        page.wait_for_function(
            "document.body.innerText.includes('Troisième texte de la note.')", timeout=5000
        )
        assert page.query_selector("#docgen-error") is None

        # The theme is watched too: a new primary colour reaches the page.
        theme = preview.project / "_brand.yml"
        theme.write_text('color:\n  primary: "#006400"\n', encoding="utf-8")
        page.wait_for_function(
            "getComputedStyle(document.querySelector('.band')).backgroundColor"
            " === 'rgb(0, 100, 0)'",
            timeout=5000,
        )
    finally:
        page.close()
    # The PDF and Word files are built after the web pages: give them time on a busy machine.
    deadline = time.monotonic() + 60
    status, index = preview.get("/")
    while "/files/a/summary.pdf" not in index and time.monotonic() < deadline:
        time.sleep(0.5)
        status, index = preview.get("/")
    assert status == 200 and "/files/a/summary.pdf" in index


def test_only_preview_responses_carry_the_script(preview: Preview) -> None:
    status, served = preview.get("/a/a/brief.fr.html")
    built = (preview.project / ".docgen" / "preview" / "web" / "a" / "brief.fr.html").read_text(
        encoding="utf-8"
    )
    assert status == 200 and "EventSource" in served
    assert "<script" not in built
    assert served == inject_reload(built, int(re.findall(r"/events\?v=(\d+)", served)[0]))
    assert not (preview.project / "output").exists()


def test_requests_are_checked(preview: Preview) -> None:
    assert preview.get("/a/a/../../docgen.toml")[0] == 404
    assert preview.get("/a/a/%2e%2e%2fdocgen.toml")[0] == 404
    assert preview.get("/files/a/a.md")[0] == 404
    assert preview.get("/nothing")[0] == 404
    assert preview.get("/", host="attacker.example")[0] == 403
    assert preview.get("/", host="localhost:8000")[0] == 200


def test_ctrl_c_stops_cleanly(preview: Preview) -> None:
    assert preview.get("/")[0] == 200
    assert stop(preview) == 0
    assert any("preview stopped" in line for line in preview.lines())
    with pytest.raises(OSError):
        urllib.request.urlopen(preview.url, timeout=2)


def test_a_port_in_use_is_an_error(preview: Preview, project: Path) -> None:
    port = preview.url.rsplit(":", 1)[1].strip("/")
    done = subprocess.run(
        [sys.executable, "-m", "docgen", "preview", "--port", port],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "cannot listen" in done.stderr
