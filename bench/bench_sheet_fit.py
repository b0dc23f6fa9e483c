"""How many layouts fitting the bilingual sheet takes, and whether it finds the size an
exhaustive search finds: the text prediction (``sheet_height``) against the power law alone.

Sheets are made from the seed's sheet by replacing each text with a random run of the
seed's own words of a random length (0.4 to 1.8 times the original), dropping a quarter of
the key points and timeline entries and adding as many key points again. For each sheet the
script lays it out at every size (the exhaustive answer: the largest size on one page), then
counts the layouts each search makes. Layouts are memoized, so both searches see the same
measurements. Usage: ``python bench/bench_sheet_fit.py [-n 30] [--seed 7]``.

``--fit`` measures instead what ``formats/pdf/sheet_height.py`` assumes: each kind of row's
characters per line (at 1 pt, on A4), fitted to the heights of the rows WeasyPrint lays out
at 9 and 10 pt on the same sheets, beside the value in ``SHAPES``. Run it after changing
``summary.css``, and copy the fitted values.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import random
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "maroc-kazakhstan"


def variants(sheet: Any, rnd: random.Random, count: int) -> list[Any]:
    """``count`` sheets made from ``sheet`` (see the module's docstring)."""
    words = " ".join(
        c.text
        for r in sheet.rows
        if r.kind in ("key-point", "summary", "timeline")
        for c in r.cells
    ).split()

    def vary(text: str) -> str:
        length = max(1, int(len(text.split()) * rnd.uniform(0.4, 1.8)))
        start = rnd.randrange(len(words))
        return " ".join((words * 2)[start : start + length])

    made = []
    for _ in range(count):
        rows = []
        for row in sheet.rows:
            if row.kind in ("key-point", "timeline") and rnd.random() < 0.25:
                continue
            fixed = row.kind in ("author", "date")
            cells = (
                row.cells
                if fixed
                else tuple(dataclasses.replace(c, text=vary(c.text)) for c in row.cells)
            )
            rows.append(dataclasses.replace(row, cells=cells))
            if row.kind == "key-point" and rnd.random() < 0.25:
                more = tuple(dataclasses.replace(c, text=vary(c.text)) for c in row.cells)
                rows.append(dataclasses.replace(row, label=(), cells=more))
        keyed = tuple(dataclasses.replace(r, key=f"row{i}") for i, r in enumerate(rows))
        made.append(dataclasses.replace(sheet, rows=keyed))
    return made


def compare(edition: Any, options: Any, folder: Path) -> tuple[bool, int, bool, int]:
    """For one sheet: whether each search (text prediction, power law) finds the size the
    exhaustive search finds, and how many layouts each makes."""
    from docgen.formats.html.context import sheet_html
    from docgen.formats.pdf import fit
    from docgen.formats.pdf.weasy import layout

    made: dict[float, Any] = {}

    def lay_out(size: float) -> Any:
        if size not in made:
            html = sheet_html(edition, options, size)
            document, fetcher = layout(html, options.project, folder)
            made[size] = fit._Layout(document, fetcher, fit.overflow(document))
        return made[size]

    exact = next((s for s in fit.SIZES if lay_out(s).fits), None)
    outcome: list[Any] = []
    for estimate in (fit.estimate_of(edition, options), None):
        sizes: list[float] = []

        def counted(size: float, sizes: list[float] = sizes) -> Any:
            sizes.append(size)
            return lay_out(size)

        tried = fit.search(counted, estimate)
        found = max((s for s, t in tried.items() if t.fits), default=None)
        outcome += [found == exact, len(sizes)]
    return outcome[0], outcome[1], outcome[2], outcome[3]


def row_heights(edition: Any, options: Any, folder: Path, size: float) -> dict[str, float]:
    """Each row's laid-out height in CSS pixels, by row ident; a row cut by a page break
    is left out."""
    from weasyprint.formatting_structure.boxes import TableRowBox

    from docgen.formats.html.context import sheet_html
    from docgen.formats.pdf.weasy import layout

    document, _ = layout(sheet_html(edition, options, size), options.project, folder)
    heights: dict[str, list[float]] = collections.defaultdict(list)
    for page in document.pages:
        for box in page._page_box.descendants():
            ident = box.element.get("id") if box.element is not None else None
            if isinstance(box, TableRowBox) and ident:
                heights[ident].append(box.margin_height())
    return {ident: found[0] for ident, found in heights.items() if len(found) == 1}


def fit_shapes(editions: list[Any], options: Any, folder: Path) -> None:
    """Print each kind's characters per line as measured, beside ``SHAPES``'s."""
    from docgen.formats.pdf import sheet_height as model

    measured: dict[str, list[tuple[Any, float, float]]] = collections.defaultdict(list)
    for edition in editions:
        for size in (9.0, 10.0):
            heights = row_heights(edition, options, folder, size)
            for row in edition.rows:
                if row.ident in heights:
                    measured[row.kind].append((row, size, heights[row.ident]))
    print("kind         rows  SHAPES  fitted  rows within 1 px (SHAPES, fitted)")
    for kind, samples in sorted(measured.items()):
        shape = model.SHAPES.get(kind, model.DEFAULT_SHAPE)

        def matches(chars: float, shape: Any = shape, samples: Any = samples) -> int:
            trial = dataclasses.replace(shape, characters_at_1pt=chars)
            return sum(
                abs(model.row_height(row, size, shape=trial) - height) <= 1.0
                for row, size, height in samples
            )

        best = max(range(150, 1000, 2), key=lambda chars: (matches(chars), -abs(chars - 500)))
        print(
            f"{kind:12} {len(samples):5} {shape.characters_at_1pt:7g} {best:7}"
            f"  {matches(shape.characters_at_1pt)}, {matches(best)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=30, help="sheets to try")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--fit", action="store_true", help="measure sheet_height's constants")
    args = parser.parse_args()

    from docgen import api
    from docgen.editions import SheetEdition
    from docgen.formats.pdf.weasy import warm
    from docgen.options import RenderOptions
    from docgen.project import load_project
    from docgen.theme import load_theme

    folder = Path(tempfile.mkdtemp(prefix="docgen-bench-fit-"))
    (folder / "source").mkdir()
    for suffix in (".md", ".en.md", ".i18n.yml"):
        shutil.copy(SEED.with_suffix(suffix), folder / "source")
    project = load_project(folder)
    options = RenderOptions(project, theme=load_theme(project))
    sheet = api.edition_of(
        api.load(folder / "source" / SEED.with_suffix(".md").name), "sheet", project
    )
    assert isinstance(sheet, SheetEdition)
    warm()
    if args.fit:
        fit_shapes(variants(sheet, random.Random(args.seed), args.n), options, folder)
        shutil.rmtree(folder)
        return
    agree: collections.Counter[str] = collections.Counter()
    counts: dict[str, list[int]] = {"text": [], "law": []}
    for edition in variants(sheet, random.Random(args.seed), args.n):
        text_same, text_count, law_same, law_count = compare(edition, options, folder)
        agree["text"] += text_same
        agree["law"] += law_same
        counts["text"].append(text_count)
        counts["law"].append(law_count)
    shutil.rmtree(folder)
    print(f"{args.n} sheets (random seed {args.seed}): layouts per sheet, and how often the")
    print("size found is the one found by laying out every size")
    for name, label in (("text", "text prediction"), ("law", "power law from 10 pt")):
        spread = collections.Counter(counts[name])
        print(
            f"  {label:22} mean {statistics.mean(counts[name]):.2f} layouts "
            f"({', '.join(f'{k}: {v}' for k, v in sorted(spread.items()))}), "
            f"same size {agree[name]}/{args.n}"
        )


if __name__ == "__main__":
    main()
