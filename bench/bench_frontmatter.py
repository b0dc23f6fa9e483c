"""Front matter speed: the seed's front matter composed and typed, libyaml against ruamel.yaml.

``check`` reads each article's front matter several times; composing it with ruamel.yaml's
pure-Python composer dominated. This prints, measured in one run, the median time of
composing (``yaml_compose.compose``) and of reading the whole front matter
(``parse_front_matter``) with ruamel.yaml alone (as before this change, and as when the C
extension is missing) and with libyaml (PyYAML's C extension, the fast path).
Usage: ``python bench/bench_frontmatter.py [RUNS]``.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from docgen import yaml_compose
from docgen.frontmatter import parse_front_matter
from docgen.model import Pos
from docgen.source import read_text, split

ARTICLE = Path(__file__).resolve().parent.parent / "source" / "maroc-kazakhstan.md"


def median_ms(runs: int, **steps: Callable[[], object]) -> dict[str, float]:
    """Median CPU time of each step in milliseconds, the steps interleaved run by run.

    CPU time and interleaving keep the comparison fair on a machine shared with others.
    """
    times: dict[str, list[float]] = {name: [] for name in steps}
    for step in steps.values():
        step()  # warm-up: imports, caches
    for _ in range(runs):
        for name, step in steps.items():
            gc.collect()
            gc.disable()
            try:
                start = time.process_time()
                step()
                times[name].append(time.process_time() - start)
            finally:
                gc.enable()
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def with_loader(loader: object, step: Callable[[], object]) -> Callable[[], object]:
    """``step`` run with ``loader`` as the fast composer (None: ruamel.yaml alone)."""

    def run() -> object:
        saved, yaml_compose._CLoader = yaml_compose._CLoader, loader
        try:
            return step()
        finally:
            yaml_compose._CLoader = saved

    return run


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    source = split(ARTICLE, read_text(ARTICLE))
    text, offset = source.front_matter, source.front_matter_line - 1
    assert yaml_compose.has_fast_composer(), "PyYAML's C extension with libyaml 0.2.6+ is missing"
    assert yaml_compose._fast(text)[0], "the seed does not take the fast path"

    def compose() -> object:
        return yaml_compose.compose(text, ARTICLE, offset)

    def parse() -> object:
        return parse_front_matter(text, ARTICLE, offset, Pos(1, 1))

    fast = yaml_compose._CLoader
    ms = median_ms(
        runs,
        fast_compose=with_loader(fast, compose),
        slow_compose=with_loader(None, compose),
        fast_parse=with_loader(fast, parse),
        slow_parse=with_loader(None, parse),
    )
    print(f"seed front matter: {len(text):,} characters; median CPU time of {runs} runs")
    print(f"{'':14}{'compose':>12}{'parse_front_matter':>22}")
    print(f"{'ruamel.yaml':14}{ms['slow_compose']:>9.2f} ms{ms['slow_parse']:>19.2f} ms")
    print(f"{'libyaml':14}{ms['fast_compose']:>9.2f} ms{ms['fast_parse']:>19.2f} ms")
    speedup_compose = ms["slow_compose"] / ms["fast_compose"]
    speedup_parse = ms["slow_parse"] / ms["fast_parse"]
    print(f"{'speed-up':14}{speedup_compose:>10.1f} ×{speedup_parse:>19.1f} ×")


if __name__ == "__main__":
    main()
