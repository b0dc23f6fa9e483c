"""Hostile Markdown shapes: how long until a clean result or a located refusal.

Each shape once as the attack wrote it (refused by ``docgen.markdown_limits`` in well under
a second) and once just under the limit, where it must still load fast; with ``--pdf``
the under-limit case is also rendered to a PDF brief, where WeasyPrint's layout time
shows. Usage: ``python bench/bench_hostile.py [--pdf]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docgen import api
from docgen.errors import DocgenError
from docgen.markdown_limits import (
    MAX_BRACKETS_PER_BLOCK,
    MAX_FOOTNOTES,
    MAX_REFERENCES,
    MAX_SPANS_PER_BLOCK,
)

FRONT = "---\ntitle: T\nauthor: {name: A}\ndate: 2026-01-01\nlang: fr\n---\n"


def footnotes(n: int) -> str:
    return "".join(f"x[^{i}]\n\n[^{i}]: note {i}\n\n" for i in range(n))


def references(n: int) -> str:
    return "".join(f"[r{i}]: https://example.org/{i}\n" for i in range(n)) + "[r1]\n"


# name: (body of size n, the attack's n, the largest n accepted)
SHAPES: dict[str, tuple[Callable[[int], str], int, int]] = {
    "alternating *a": (lambda n: "*a" * n, 10_000, MAX_SPANS_PER_BLOCK * 2),
    "open brackets [a": (lambda n: "[a" * n, 50_000, MAX_BRACKETS_PER_BLOCK),
    "image brackets ![a": (lambda n: "![a" * n, 20_000, MAX_BRACKETS_PER_BLOCK),
    "reference definitions": (references, 20_000, MAX_REFERENCES),
    "footnotes": (footnotes, 5_000, MAX_FOOTNOTES),
}


def timed(body: str, folder: Path, pdf: bool) -> tuple[float, str]:
    path = folder / "source" / "a.md"
    path.write_text(FRONT + body + "\n", encoding="utf-8")
    start = time.perf_counter()
    try:
        api.load(path)
        if pdf:
            api.build([path], formats=["pdf"], output=folder / "out")
        outcome = "ok"
    except DocgenError as exc:
        outcome = str(exc.problems[0]).split(": error: ", 1)[-1][:60]
    return time.perf_counter() - start, outcome


def main() -> None:
    pdf = "--pdf" in sys.argv
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "source").mkdir()
        print(f"{'shape':24s} {'n':>7s} {'time':>8s}  outcome")
        for label, (make, attack, accepted) in SHAPES.items():
            for n, render in ((attack, False), (accepted, pdf)):
                seconds, outcome = timed(make(n), folder, render)
                print(f"{label:24s} {n:7d} {seconds:7.2f}s  {outcome}")


if __name__ == "__main__":
    main()
