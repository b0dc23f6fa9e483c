"""Fitting the bilingual sheet on exactly one page.

Rather than guess from text length, the sheet is laid out by WeasyPrint at decreasing type
sizes until it fits; past the readable floor the build fails, naming the first field that
falls onto a second page.
"""

from __future__ import annotations

from typing import Any

from ...editions.sheet import Row, SheetEdition
from ...errors import Location, Problem, RenderError
from ...options import RenderOptions
from ..html.context import sheet_html
from .weasy import PolicyFetcher, layout

SIZES = (10.0, 9.5, 9.0, 8.5, 8.0)
"""Root type sizes tried in turn, in points; 8 pt is the readable floor."""


def fitted_sheet(edition: SheetEdition, options: RenderOptions) -> tuple[Any, PolicyFetcher]:
    """The sheet laid out on one page at the largest size that fits."""
    base = edition.doc.path.parent
    for size in SIZES:
        html = sheet_html(edition, options, size)
        document, fetcher = layout(html, options.project, base, options.theme.files)
        if len(document.pages) == 1:
            return document, fetcher
    raise RenderError(_overflow(edition, document))


def _overflow(edition: SheetEdition, document: Any) -> Problem:
    """Name the first row that lands past the first page at the smallest size."""
    spilled = set()
    for page in document.pages[1:]:
        spilled.update(page.anchors)
    rows: tuple[Row, ...] = edition.rows
    first = next((row for row in rows if row.ident in spilled), rows[-1])
    return Problem(
        Location(edition.doc.path, first.pos.line, first.pos.column),
        f"the summary sheet does not fit on one page even at {SIZES[-1]:g} pt: "
        f"{first.key} overflows; shorten it or the fields before it",
    )
