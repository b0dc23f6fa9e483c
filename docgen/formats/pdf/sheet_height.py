"""The bilingual sheet's height predicted from its text, before any layout.

A layout of the sheet costs about 0.2 s; fitting it by trial (``fit``) used to lay it out at
10 pt first only to learn by how much it overflows. The built-in sheet is a simple thing to
predict: one table row per field, each row as tall as its longer cell, each cell plain text
in one font at one size, with fixed paddings. So each cell's line count is estimated from
its length (``ceil(characters / characters per line)``, characters per line shrinking as the
type grows) and the page's content height from the rows' lines and paddings.

The constants below are those of ``templates/summary/summary.css`` (paddings, relative type
sizes, line heights) and, for characters per line, measured: fitted on 43 sheets of 4 to 20
rows made from the seed's French and English texts, laid out by WeasyPrint at 9 and 10 pt
(row heights read from the box tree). On those 86 layouts the prediction of the content's
height was within 2.3 % of WeasyPrint's (standard deviation 0.8 %). After a change to the
sheet's stylesheet, ``python bench/bench_sheet_fit.py --fit`` measures them again.

A prediction is only a first guess: ``fit`` lays the sheet out at the size it points to and
corrects from what the layout measures. It is used only with the built-in sheet template
and stylesheet; a project that overrides either gets the power-law search from 10 pt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...editions.sheet import Row, SheetEdition

PX_PER_MM = 96 / 25.4
PX_PER_PT = 4 / 3

LINE_HEIGHT = 1.38
"""The sheet's ``line-height`` (``html``), relative to each element's own type size."""


@dataclass(frozen=True)
class RowShape:
    """How a kind of row is set: its vertical paddings (mm), the characters of one line at
    1 pt on A4 (characters per line × type size in points: lines get shorter as the type
    grows), and its line height relative to the root type size."""

    padding_mm: float
    characters_at_1pt: float
    line_height: float


_SANS_SMALL = RowShape(1.8, 550, 0.85 * LINE_HEIGHT)
SHAPES: dict[str, RowShape] = {
    "title": RowShape(1.8, 258, 1.55 * 1.15),  # h1: 1.55rem, line-height 1.15
    "subtitle": RowShape(1.8, 454, 1.0 * LINE_HEIGHT),
    "author": RowShape(2.4, 550, 0.85 * LINE_HEIGHT),  # padding-top 1.5mm
    "field": _SANS_SMALL,
    "date": RowShape(2.9, 550, 0.85 * LINE_HEIGHT),  # padding-bottom 2mm
    "summary": RowShape(3.0, 482, 1.0 * LINE_HEIGHT),  # the panel: 1.5mm all round
    "key-point": RowShape(1.8, 440, 1.0 * LINE_HEIGHT),  # narrower: the number's disc
    "timeline": RowShape(1.8, 518, 0.92 * LINE_HEIGHT),
    "contact": _SANS_SMALL,
}
"""Row kinds of ``editions.sheet`` (CSS classes ``row-KIND``); measured on A4."""

DEFAULT_SHAPE = SHAPES["key-point"]
"""A kind the table does not know: set as body text."""

SECTION_LABEL_MM = 3.5
"""A section label's paddings (3 + 0.5 mm); its line is 0.75rem."""

HEAD_MM = 4.0
"""The header band above the table: its padding and margin (2 + 2 mm), plus its 3 pt rule
and one 0.75rem line."""

LOGO_MM = 10.5
"""The logo, at most 9 mm high, and its 1.5 mm margin."""

PAPERS_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
"""Paper sizes; the sheet's margins are 15 mm at the sides, 17 and 16 mm top and bottom."""

A4_TEXT_WIDTH_MM = 180.0


def estimated_overflow(edition: SheetEdition, size: float, paper: str, logo: bool) -> float:
    """The sheet's content height at root type size ``size`` (points) over its page's, as
    ``fit.overflow`` measures it on a layout: more than 1 means it would not fit."""
    width_mm, height_mm = PAPERS_MM.get(paper, PAPERS_MM["A4"])
    room = (height_mm - 33.0) * PX_PER_MM
    wider = (width_mm - 30.0) / A4_TEXT_WIDTH_MM
    small_line = 0.75 * LINE_HEIGHT * size * PX_PER_PT
    height = HEAD_MM * PX_PER_MM + 3 * PX_PER_PT + small_line
    if logo:
        height += LOGO_MM * PX_PER_MM
    for row in edition.rows:
        height += row_height(row, size, wider)
        if row.label:
            height += SECTION_LABEL_MM * PX_PER_MM + small_line
    return height / room


def row_height(row: Row, size: float, wider: float = 1.0, shape: RowShape | None = None) -> float:
    """A row's height in CSS pixels at ``size``, set as ``shape`` (its kind's by default);
    ``wider``: the text width over A4's."""
    shape = shape or SHAPES.get(row.kind, DEFAULT_SHAPE)
    per_line = shape.characters_at_1pt * wider / size
    lines = max(
        (math.ceil(_characters(cell.text, cell.lead) / per_line) for cell in row.cells),
        default=1,
    )
    return shape.padding_mm * PX_PER_MM + max(lines, 1) * shape.line_height * size * PX_PER_PT


def _characters(text: str, lead: str) -> int:
    """A cell's length as it is set: its text, after its lead (a date) and a space."""
    return len(text) + (len(lead) + 1 if lead else 0)
