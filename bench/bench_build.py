"""Time docgen's brief against WeasyPrint alone on the same HTML, in one run.

Prints medians and the ratio; the machine is shared and noisy, so only the ratio of
numbers taken side by side means anything. Usage: ``python bench/bench_build.py [-n 7]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from docgen import api
from docgen.options import RenderOptions
from docgen.project import load_project
from docgen.renderers import pdf
from docgen.renderers.weasy import PolicyFetcher

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "source" / "maroc-kazakhstan.md"


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=7)
    args = parser.parse_args()
    project = load_project(REPO)
    out = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    options = RenderOptions(project, out)
    html = pdf.brief_html(api.load(ARTICLE), options)

    def docgen_brief() -> None:
        pdf.render(api.load(ARTICLE), RenderOptions(project, out))

    def weasyprint_alone() -> None:
        fetcher = PolicyFetcher(project.readable_roots)
        weasyprint.HTML(
            string=html, base_url=ARTICLE.parent.as_uri() + "/", url_fetcher=fetcher
        ).write_pdf(out / "weasy.pdf", pdf_tags=True)

    docgen_brief()  # warm caches (fonts, imports) for both
    weasyprint_alone()
    results = {
        "docgen build (load + typography + HTML + PDF)": median_seconds(docgen_brief, args.repeat),
        "WeasyPrint alone (same HTML)": median_seconds(weasyprint_alone, args.repeat),
    }
    pandoc = shutil.which("pandoc")
    if pandoc:
        md = out / "plain.md"
        md.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
        results["pandoc md → html (no PDF engine)"] = median_seconds(
            lambda: subprocess.run([pandoc, str(md), "-s", "-o", str(out / "p.html")], check=True),
            args.repeat,
        )
    for name, seconds in results.items():
        print(f"{name:50s} {seconds * 1000:8.1f} ms (median of {args.repeat})")
    names = list(results)
    print(f"ratio docgen / WeasyPrint alone: {results[names[0]] / results[names[1]]:.2f}")
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
