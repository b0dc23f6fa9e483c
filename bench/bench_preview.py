"""How soon ``docgen preview`` serves an edit, against a whole ``docgen build -f html``.

An author saves the article; the preview rebuilds the web page in its warm process and the
browser reloads it. Measured here from the save (an atomic replace, as editors do) to the
first time the served page holds the new text, polled over HTTP every 20 ms: the wall time a
reader waits, minus the browser's own reload. Beside it, in the same run, the wall time of a
fresh ``docgen build -f html -p brief`` of the same article (a new process: what an author
would run without the preview). The ratio is the figure to watch; absolute times move with
the machine. Usage: ``python bench/bench_preview.py [-n 9]``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FRONT = """\
---
title: {fr: Titre de la note, en: Title of the brief}
author: {name: Jeanne Martin}
date: 2026-03-14
lang: fr
---
"""
PARAGRAPH = "Texte de la note, paragraphe {0}, repris pour donner du corps à la page. " * 6


def body(marker: str) -> str:
    paragraphs = "\n\n".join(PARAGRAPH.format(i) for i in range(40))
    return f"# Contexte\n\n{marker} de la note.\n\n{paragraphs}\n"


def save(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8", "replace"))
    except OSError:
        return ""


def settle(root: str) -> None:
    """Until the preview's PDF and Word build after an edit is over: it would otherwise
    share the CPU with the timed build."""
    time.sleep(0.3)
    deadline = time.monotonic() + 120
    while "building…" in fetch(root) and time.monotonic() < deadline:
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=9)
    args = parser.parse_args()
    project = Path(tempfile.mkdtemp(prefix="docgen-bench-preview-"))
    (project / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    (project / "source").mkdir()
    source = project / "source" / "a.md"
    save(source, FRONT + body("Texte 0"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "docgen"]
    preview = subprocess.Popen(
        [*command, "preview", "--port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert preview.stdout is not None
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", preview.stdout.readline())
        assert found, "no URL from docgen preview"
        page = found.group(1) + "a/a/brief.fr.html"  # /a/ARTICLE/PAGE
        deadline = time.monotonic() + 120
        while "Texte 0 de la note" not in fetch(page):
            assert time.monotonic() < deadline, "the first page never came"
            time.sleep(0.1)
        settle(found.group(1))
        served: list[float] = []
        built: list[float] = []
        for i in range(1, args.repeat + 1):
            marker = f"Texte {i}"
            started = time.perf_counter()
            save(source, FRONT + body(marker))
            while f"{marker} de la note" not in fetch(page):
                time.sleep(0.02)
            served.append(time.perf_counter() - started)
            settle(found.group(1))
            started = time.perf_counter()
            subprocess.run(
                [*command, "build", "-f", "html", "-p", "brief", "-q", "--force"],
                cwd=project,
                env=env,
                check=True,
                capture_output=True,
            )
            built.append(time.perf_counter() - started)
    finally:
        preview.terminate()
        preview.wait(timeout=30)
    edit, build = statistics.median(served), statistics.median(built)
    print(f"wall seconds, medians of {args.repeat} edits")
    print(
        f"  edit served by docgen preview     {edit:6.2f} s   ({min(served):.2f}–{max(served):.2f})"
    )
    print(
        f"  docgen build -f html (a process)  {build:6.2f} s   ({min(built):.2f}–{max(built):.2f})"
    )
    print(f"  preview / build                   {edit / build:6.2f}×")


if __name__ == "__main__":
    main()
