"""The build engine at scale: 26 articles in two languages (52 briefs and reports, 26
sheets in PDF and Word: 156 files), built serially, with ``-j 2``, on a 2-worker Dask
cluster, and by pandoc making the same PDF and DOCX pairs; then a rebuild with nothing
changed and one with one article edited. Wall-clock seconds of whole ``docgen build``
processes, medians of ``-n`` runs, ratios printed from the same run.

Usage: ``python bench/bench_engine.py [-n 3] [--articles 26]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "maroc-kazakhstan"


def make_project(folder: Path, count: int) -> Path:
    """``count`` copies of the seed article (with its translation and record)."""
    (folder / "source").mkdir(parents=True)
    (folder / "docgen.toml").write_text('[docgen]\nlanguages = ["all"]\n', encoding="utf-8")
    for index in range(1, count + 1):
        name = f"article-{index:02d}"
        for suffix in (".md", ".en.md", ".i18n.yml"):
            shutil.copy(SEED.with_suffix(suffix), folder / "source" / f"{name}{suffix}")
    return folder


def docgen(project: Path, *args: str) -> Callable[[], None]:
    command = [sys.executable, "-m", "docgen", "build", "-q", *args]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return lambda: subprocess.run(command, cwd=project, env=env, check=True)


def median_seconds(run: Callable[[], object], repeat: int, before: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pandoc_pairs(project: Path, out: Path) -> Callable[[], None] | None:
    """pandoc making a DOCX and a PDF (through WeasyPrint) of every article and its
    translation: the same pairs docgen makes, without the sheets."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return None
    sources = sorted((project / "source").glob("*.md"))
    weasyprint = Path(sys.executable).with_name("weasyprint")

    def run() -> None:
        for source in sources:
            target = out / source.stem
            subprocess.run([pandoc, str(source), "-o", f"{target}.docx"], check=True)
            subprocess.run(
                [pandoc, str(source), "-o", f"{target}.pdf", f"--pdf-engine={weasyprint}"],
                check=True,
                capture_output=True,
            )

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=1)
    parser.add_argument("--articles", type=int, default=26)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="docgen-bench-engine-"))
    project = make_project(folder / "project", args.articles)
    nothing = lambda: None  # noqa: E731
    rows: dict[str, float] = {}
    rows["serial (-j 1)"] = median_seconds(
        docgen(project, "-j", "1", "--force"), args.repeat, nothing
    )
    rows["-j 2"] = median_seconds(docgen(project, "-j", "2", "--force"), args.repeat, nothing)

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        address = cluster.scheduler_address
        dask = docgen(project, "--scheduler", address, "--force")
        dask()  # the workers import docgen and WeasyPrint once
        rows["Dask, 2 local workers"] = median_seconds(dask, args.repeat, nothing)

    rows["no-op rebuild"] = median_seconds(docgen(project), args.repeat, nothing)
    edited = project / "source" / "article-01.md"
    text = edited.read_text(encoding="utf-8")

    def edit() -> None:
        """A word changed in a paragraph: the structure stays, so the translation pairs."""
        changed = text.replace("partenariat", f"partenariat ({time.time_ns() % 1000})", 1)
        edited.write_text(changed, encoding="utf-8")

    rows["one article edited"] = median_seconds(docgen(project), args.repeat, edit)
    pandoc = pandoc_pairs(project, folder)
    if pandoc is not None:
        rows["pandoc, same PDF and DOCX pairs"] = median_seconds(pandoc, args.repeat, nothing)

    files = sum(1 for p in (project / "output").rglob("*") if p.suffix in (".pdf", ".docx"))
    print(f"{args.articles} articles × 2 languages: {files} files; medians of {args.repeat}")
    for name, seconds in rows.items():
        print(f"  {name:34s} {seconds:8.2f} s")
    serial = rows["serial (-j 1)"]
    print(f"speed-up -j 2 over -j 1:              {serial / rows['-j 2']:.2f}×")
    print(f"speed-up Dask (2 workers) over -j 1:  {serial / rows['Dask, 2 local workers']:.2f}×")
    print(f"no-op rebuild / cold serial build:    {rows['no-op rebuild'] / serial:.3f}")
    print(f"one-article edit / cold serial build: {rows['one article edited'] / serial:.3f}")
    if pandoc is not None:
        ratio = rows["-j 2"] / rows["pandoc, same PDF and DOCX pairs"]
        print(f"docgen -j 2 (with sheets) / pandoc:   {ratio:.2f}")
    else:
        print("pandoc: not installed, no comparison")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
