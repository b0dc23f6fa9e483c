"""Typography on hostile input: time for a long run of one pattern against a short one.

Articles come from outside, so no text may make the typography rules slow. For each shape
(a long word, digits, quotes, URLs…) this prints the time at full size and at 10 KB,
measured in one run, and the ratio to linear time: about 1 means linear, the size ratio
(10 or 20) would mean quadratic. Usage: ``python bench/bench_typography.py``.
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from pathlib import Path

from docgen.model import Author, Document, Emphasis, Localized, Metadata, Paragraph, Text
from docgen.typography import apply, fix_text

KB = 1000
SMALL = 10 * KB
TAIL = " Quoi ? 5%"
SHAPES: dict[str, tuple[str, int]] = {
    "one word": ("a", 200 * KB),
    "digits": ("1", 200 * KB),
    "a@": ("a@", 100 * KB),
    "dot space": (". ", 100 * KB),
    "apostrophes": ("'", 100 * KB),
    "double quotes": ('"', 100 * KB),
    "colons": (":", 100 * KB),
    "http://": ("http://", 100 * KB),
    "spaces": (" ", 100 * KB),
    "no-break spaces": ("\u00a0", 100 * KB),
    "grouped digits": ("1\u202f", 100 * KB),
    "e-mails": ("a.b@c.d ", 100 * KB),
    "urls and marks": ("http://a ? ", 100 * KB),
    "quoted words": ('"a" ', 100 * KB),
    "dashes": ("— ", 100 * KB),
    "incises": ("a — b — ", 100 * KB),
    "sentences and dashes": (". A — ", 100 * KB),
    "titles": ("M. A ", 100 * KB),
    "numeros": ("n° 1 ", 100 * KB),
    "times": ("14 h 30 ", 100 * KB),
    "units": ("1 km ", 100 * KB),
    "elisions": ("rock 'n' ", 100 * KB),
}


def document(text: str) -> Document:
    """``text`` as one paragraph of many nodes, every other one emphasised."""
    chunks = [text[i : i + 100] for i in range(0, len(text), 100)]
    paragraph = Paragraph(
        tuple(Text(c) if i % 2 == 0 else Emphasis((Text(c),)) for i, c in enumerate(chunks))
    )
    meta = Metadata(Localized.plain("T"), Author("A"), dt.date(2026, 1, 1), "fr")
    return Document(Path("bench.md"), meta, (paragraph,), lang="fr")


def seconds(text: str, repeat: int = 3) -> float:
    """Median time of French, English and French through ``apply`` on ``text``."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fix_text(text, "fr")
            fix_text(text, "en")
            apply(document(text))
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def main() -> None:
    print(f"{'shape':18s} {'size':>8s} {'time':>9s} {'10 KB':>9s} {'× linear':>9s}")
    for name, (unit, size) in SHAPES.items():
        full = seconds(unit * (size // len(unit)) + TAIL, repeat=1)
        small = seconds(unit * (SMALL // len(unit)) + TAIL)
        ratio = full / small / (size / SMALL)
        print(f"{name:18s} {size:8d} {full:8.3f}s {small:8.4f}s {ratio:9.2f}")


if __name__ == "__main__":
    main()
