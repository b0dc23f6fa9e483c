"""The frame of a Word table: properties, grid, rows and empty cell paragraphs.

The block writer fills the cells; this module knows the table structure Word expects (a
grid column per cell, a width on every cell, the header row flagged to repeat on each page,
rows that never split across pages) so that the writer stays about content.
"""

from __future__ import annotations

from dataclasses import dataclass

from .elements import Element, el, set_ppr, sub

ALIGN = {"left": "left", "center": "center", "right": "right"}


@dataclass(frozen=True)
class TableShape:
    """What the frame needs to know: column widths (twips) and which rows are special."""

    widths: tuple[int, ...]
    rows: int
    header: bool = True
    first_column: bool = False
    indent: int = 0
    keep_together: bool = False
    """Keep every row with the next, so a short table stays on one page when it can."""
    autofit: bool = False
    """Widths are preferred, not fixed: Word may widen a column to fit its longest word."""


def table_frame(
    shape: TableShape, style_id: str, cell_style_id: str, aligns: tuple[str, ...] = ()
) -> tuple[Element, list[list[Element]]]:
    """A ``w:tbl`` and its cell paragraphs, ``[row][column]``, ready to be filled."""
    tbl = el("w:tbl")
    pr = sub(tbl, "w:tblPr")
    sub(pr, "w:tblStyle", w_val=style_id)
    sub(pr, "w:tblW", w_w=str(sum(shape.widths)), w_type="dxa")
    if shape.indent:
        sub(pr, "w:tblInd", w_w=str(shape.indent), w_type="dxa")
    sub(pr, "w:tblLayout", w_type="autofit" if shape.autofit else "fixed")
    sub(
        pr,
        "w:tblLook",
        w_val="04A0" if shape.first_column else "0420",
        w_firstRow="1" if shape.header else "0",
        w_lastRow="0",
        w_firstColumn="1" if shape.first_column else "0",
        w_lastColumn="0",
        w_noHBand="1",
        w_noVBand="1",
    )
    grid = sub(tbl, "w:tblGrid")
    for width in shape.widths:
        sub(grid, "w:gridCol", w_w=str(width))
    cells: list[list[Element]] = []
    for index in range(shape.rows):
        tr = sub(tbl, "w:tr")
        row_pr = sub(tr, "w:trPr")
        sub(row_pr, "w:cantSplit")
        if index == 0 and shape.header:
            sub(row_pr, "w:tblHeader")
        row: list[Element] = []
        for column, width in enumerate(shape.widths):
            tc = sub(tr, "w:tc")
            sub(sub(tc, "w:tcPr"), "w:tcW", w_w=str(width), w_type="dxa")
            p = sub(tc, "w:p")
            set_ppr(p, "w:pStyle", w_val=cell_style_id)
            if shape.keep_together and index < shape.rows - 1:
                set_ppr(p, "w:keepNext")
            align = ALIGN.get(aligns[column] if column < len(aligns) else "")
            if align:
                set_ppr(p, "w:jc", w_val=align)
            row.append(p)
        cells.append(row)
    return tbl, cells
