"""Cold-path CPU: docgen's French pack of the seed against WeasyPrint alone and against the
pandoc way to the same files, and ``docgen check`` against pandoc's DOCX conversion.

Every figure is the CPU time (user + system, ``getrusage(RUSAGE_CHILDREN)``) of whole
processes, started fresh, the median of ``-n`` runs; the rows are taken side by side in one
run, so their ratios hold on a shared, noisy machine even when the absolute times do not.

- docgen: ``docgen build source/maroc-kazakhstan.md --force -j 1 -q`` in a copy of the
  project without ``docgen.toml``: brief PDF, report DOCX, sheet PDF and DOCX in French
  (the sheet is bilingual), the cache bypassed;
- the WeasyPrint floor: one process importing WeasyPrint, laying out and writing docgen's
  own brief and sheet HTML (made once beforehand by ``article_html``/``sheet_html``, the
  sheet at the size docgen fits it to): the layout docgen cannot avoid;
- the pandoc way: ``pandoc a.md -o a.docx``, ``pandoc a.md -o a.pdf --pdf-engine=weasyprint``
  and the ``weasyprint`` command on a one-page HTML of the summary and key points;
- ``docgen check`` against ``pandoc a.md -o a.docx``; and, for context, Python importing
  click, markdown-it-py and PyYAML alone against the same.

Python runs from compiled bytecode, as an installed docgen does (the bench keeps its own
``PYTHONPYCACHEPREFIX``; ``PYTHONDONTWRITEBYTECODE`` would otherwise make every run compile
docgen's sources again), and docgen with what it keeps in the user's cache folder
(``user_cache.py``: WeasyPrint's C declarations as parsed, docgen's templates as compiled).
The bench keeps its own ``XDG_CACHE_HOME``, filled, as the bytecode, by the unmeasured first
run; the rows without docgen never read it; ``--no-user-cache`` keeps nothing there. Usage:
``python bench/bench_cold.py [-n 5] [--no-user-cache]``. Needs pandoc for the
pandoc rows.
"""

from __future__ import annotations

import argparse
import html
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "maroc-kazakhstan"
TARGETS = {"pack / floor": 1.3, "pack / pandoc way": 0.85, "check / pandoc docx": 1.5}
"""The issue's bounds on each ratio."""

LIBRARIES = "import click, markdown_it, yaml"
"""A row for context, with no target: Python starting and importing the three libraries
``check`` cannot do without (the command line, the Markdown parser, the YAML composer),
against pandoc's whole conversion."""

FLOOR = """\
import sys
import weasyprint
for source, target in zip(sys.argv[1::2], sys.argv[2::2]):
    weasyprint.HTML(filename=source).write_pdf(target, pdf_tags=True)
"""


def cpu_seconds(commands: list[list[str]], cwd: Path) -> float:
    """CPU time of ``commands`` run one after the other, each a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for command in commands:
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def make_project(folder: Path) -> Path:
    """The seed article alone, with its translation and record: a French pack."""
    (folder / "source").mkdir(parents=True)
    for suffix in (".md", ".en.md", ".i18n.yml"):
        shutil.copy(SEED.with_suffix(suffix), folder / "source" / SEED.with_suffix(suffix).name)
    return folder


def docgen_html(project: Path, out: Path) -> tuple[Path, Path]:
    """docgen's brief and sheet HTML, the sheet at the size docgen fits it to, with the
    canonical URLs made plain ``file:`` URLs again so WeasyPrint alone can read them."""
    from docgen import api
    from docgen.editions import ArticleEdition, SheetEdition
    from docgen.formats.html.context import article_html, sheet_html
    from docgen.formats.pdf import fit
    from docgen.formats.pdf.weasy import layout
    from docgen.options import RenderOptions
    from docgen.pack.reproducible import CANONICAL_HOST
    from docgen.project import builtin_templates_dir, load_project
    from docgen.theme import load_theme

    loaded = load_project(project)
    options = RenderOptions(loaded, theme=load_theme(loaded))
    doc = api.load(project / "source" / SEED.with_suffix(".md").name)
    brief = api.edition_of(doc, "brief", loaded)
    sheet = api.edition_of(doc, "sheet", loaded)
    assert isinstance(brief, ArticleEdition) and isinstance(sheet, SheetEdition)
    # The size docgen fits the sheet to: the largest that keeps it on one page.
    size = next(
        size
        for size in fit.SIZES
        if len(layout(sheet_html(sheet, options, size), loaded, doc.path.parent)[0].pages) == 1
    )
    roots = {
        f"file://{CANONICAL_HOST}/docgen/": builtin_templates_dir().as_uri() + "/",
        f"file://{CANONICAL_HOST}/project/": project.resolve().as_uri() + "/",
    }
    paths = []
    for name, made in (
        ("brief.html", article_html(brief, options)),
        ("sheet.html", sheet_html(sheet, options, size)),
    ):
        text = made
        for canonical, real in roots.items():
            text = text.replace(canonical, real)
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def summary_html(out: Path) -> Path:
    """A one-page HTML of the summary and key points in both languages: the sheet the
    pandoc way."""
    from docgen import api

    meta = api.load(SEED.with_suffix(".md")).meta
    parts = [
        "<html><head><meta charset='utf-8'><style>",
        "body{font:9pt serif} td{vertical-align:top;width:50%}</style></head><body><table>",
    ]
    for value in (meta.title, meta.summary, *meta.key_points):
        if value is None:
            continue
        cells = "".join(f"<td>{html.escape(value.text(lang))}</td>" for lang in ("fr", "en"))
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</table></body></html>")
    path = out / "summary.html"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=5)
    parser.add_argument(
        "--no-user-cache",
        action="store_true",
        help="keep nothing in docgen's user cache folder: WeasyPrint's C declarations parsed"
        " and docgen's templates compiled in every docgen process",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="docgen-bench-cold-"))
    project = make_project(folder / "project")
    out = folder / "out"
    out.mkdir()
    brief_html, sheet_html = docgen_html(project, out)
    article = str(project / "source" / SEED.with_suffix(".md").name)
    python = sys.executable
    weasyprint = str(Path(python).with_name("weasyprint"))
    pandoc = shutil.which("pandoc")
    env_python = [python, "-W", "ignore"]
    os.environ["PYTHONWARNINGS"] = "ignore"
    # Compiled bytecode, as an installed docgen has: kept in the bench's folder (the
    # unmeasured first run writes it), whatever PYTHONDONTWRITEBYTECODE says here.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    if args.no_user_cache:  # a file where the folder would be: nothing can be kept
        (folder / "cache").write_text("not a folder", encoding="utf-8")
    rows: dict[str, list[list[str]]] = {
        "docgen pack (build --force -j 1)": [
            [*env_python, "-m", "docgen", "build", article, "--force", "-j", "1", "-q"]
        ],
        "WeasyPrint floor (brief + sheet HTML)": [
            [
                *env_python,
                "-c",
                FLOOR,
                str(brief_html),
                str(out / "b.pdf"),
                str(sheet_html),
                str(out / "s.pdf"),
            ]
        ],
        "docgen check": [[*env_python, "-m", "docgen", "check", article]],
        LIBRARIES: [[*env_python, "-c", "import click, markdown_it, yaml"]],
    }
    if pandoc:
        rows["pandoc way (docx + pdf + sheet pdf)"] = [
            [pandoc, article, "-o", str(out / "a.docx")],
            [pandoc, article, "-o", str(out / "a.pdf"), f"--pdf-engine={weasyprint}"],
            [weasyprint, str(summary_html(out)), str(out / "summary.pdf")],
        ]
        rows["pandoc a.md -o a.docx"] = [[pandoc, article, "-o", str(out / "a.docx")]]
    for commands in rows.values():  # once, unmeasured: file caches, compiled bytecode
        cpu_seconds(commands, project)
    samples: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(args.repeat):  # interleaved, so a busy moment touches every row
        for name, commands in rows.items():
            samples[name].append(cpu_seconds(commands, project))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"CPU seconds (user + sys), medians of {args.repeat} whole-process runs")
    for name, value in medians.items():
        spread = f"{min(samples[name]):.2f}–{max(samples[name]):.2f}"
        print(f"  {name:40s} {value:6.2f} s   ({spread})")
    pairs = {
        "pack / floor": (
            "docgen pack (build --force -j 1)",
            "WeasyPrint floor (brief + sheet HTML)",
        )
    }
    if pandoc:
        pairs["pack / pandoc way"] = (
            "docgen pack (build --force -j 1)",
            "pandoc way (docx + pdf + sheet pdf)",
        )
        pairs["check / pandoc docx"] = ("docgen check", "pandoc a.md -o a.docx")
        pairs["check's libraries / pandoc docx"] = (LIBRARIES, "pandoc a.md -o a.docx")
    print("ratios of the medians (the issue's measure), and the median of each round's own")
    print("ratio (both rows run in the same round, so a slow spell of the machine touches")
    print("both):")
    for name, (top, bottom) in pairs.items():
        ratio = medians[top] / medians[bottom]
        paired = statistics.median(
            a / b for a, b in zip(samples[top], samples[bottom], strict=True)
        )
        verdict = ""
        if name in TARGETS:
            met = "met" if ratio <= TARGETS[name] else "not met"
            verdict = f"  (target ≤ {TARGETS[name]}×: {met})"
        print(f"  {name:40s} {ratio:6.2f}×  per round {paired:.2f}×{verdict}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
