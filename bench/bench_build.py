"""Time and memory of docgen against the tools users would otherwise use, in one run.

- the PDF brief against WeasyPrint alone rendering the very same HTML (docgen's overhead:
  loading, typography, templates, policy);
- the Word report against pandoc (Markdown → DOCX), when pandoc is installed;
- peak memory of a whole ``docgen build`` against the ``weasyprint`` command on the same
  HTML, each in a fresh process.

The machine is shared and noisy: only medians and the ratios of numbers taken side by side
mean anything. Usage: ``python bench/bench_build.py [-n 7]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from docgen import api
from docgen.editions import ArticleEdition
from docgen.formats.html.context import article_html
from docgen.formats.pdf.weasy import PolicyFetcher
from docgen.options import RenderOptions
from docgen.project import load_project

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "source" / "maroc-kazakhstan.md"


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mib(command: list[str]) -> float:
    """Peak resident memory of ``command`` in MiB. A fresh helper process runs it, so the
    children's maximum it reads is this command's alone."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True,"
        " capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    return int(done.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=7)
    args = parser.parse_args()
    project = load_project(REPO)
    out = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    options = RenderOptions(project)
    edition = api.edition_of(api.load(ARTICLE), "brief", project)
    assert isinstance(edition, ArticleEdition)
    html = article_html(edition, options)
    (out / "brief.html").write_text(html, encoding="utf-8")

    def render(product: str, fmt: str) -> None:
        edition = api.edition_of(api.load(ARTICLE), product, project)
        for output in api.render(edition, fmt, options).outputs:
            (out / output.name).write_bytes(output.data)

    def docgen_brief() -> None:
        render("brief", "pdf")

    def weasyprint_alone() -> None:
        fetcher = PolicyFetcher(project.readable_roots)
        weasyprint.HTML(
            string=html, base_url=ARTICLE.parent.as_uri() + "/", url_fetcher=fetcher
        ).write_pdf(out / "weasy.pdf", pdf_tags=True)

    def docgen_report() -> None:
        render("report", "docx")

    docgen_brief()  # warm caches (fonts, imports, templates) for both sides
    weasyprint_alone()
    docgen_report()
    rows: list[tuple[str, float]] = [
        (
            "brief: docgen (load + typography + HTML + PDF)",
            median_seconds(docgen_brief, args.repeat),
        ),
        ("brief: WeasyPrint alone, same HTML", median_seconds(weasyprint_alone, args.repeat)),
        ("report: docgen (load + typography + DOCX)", median_seconds(docgen_report, args.repeat)),
    ]
    pandoc = shutil.which("pandoc")
    if pandoc:
        command = [pandoc, str(ARTICLE), "-o", str(out / "pandoc.docx")]
        rows.append(
            (
                "report: pandoc md → docx (new process each)",
                median_seconds(lambda: subprocess.run(command, check=True), args.repeat),
            )
        )
    for name, seconds in rows:
        print(f"{name:52s} {seconds * 1000:8.1f} ms  (median of {args.repeat})")
    times = dict(rows)
    print(f"ratio brief docgen / WeasyPrint alone: {rows[0][1] / rows[1][1]:.2f}")
    if pandoc:
        ratio = times["report: docgen (load + typography + DOCX)"] / rows[3][1]
        print(f"ratio report docgen / pandoc:          {ratio:.2f} (pandoc pays process start-up)")

    docgen_cli = [
        sys.executable,
        "-m",
        "docgen",
        "build",
        str(ARTICLE),
        "-p",
        "brief",
        "-q",
        "-o",
        str(out / "cli"),
    ]
    weasy_cli = [sys.executable, "-m", "weasyprint", str(out / "brief.html"), str(out / "w.pdf")]
    docgen_mem = peak_rss_mib(docgen_cli)
    weasy_mem = peak_rss_mib(weasy_cli)
    print(
        f"peak memory: docgen build -p brief {docgen_mem:.0f} MiB,"
        f" weasyprint CLI {weasy_mem:.0f} MiB"
        f" (ratio {docgen_mem / weasy_mem:.2f})"
    )
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
