"""Table column widths from their content, shared by the PDF brief and the Word report.

Why: equal columns break long words mid-word ("Instrume|nt") in one column while another
holds a two-digit year in a wide empty cell, and a browser-style automatic layout lets a
table whose longest words do not fit run past the page. Both outputs therefore ask this
module for one width per column, from the text each column holds: every column gets at
least its longest unbreakable word when the table can fit them all, and what is left goes
to the columns with the most text.

Widths are counted in characters (a proxy that holds for the proportional fonts used: the
outputs scale the fractions to the room they have).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Table, plain_text

_BREAKS = re.compile(r"\s+|(?<=-)")
"""Where a line may break inside a cell: at a space, or after a hyphen."""

CELL_PADDING = 2.0
"""Characters' worth of cell padding added to every column."""

DESIRED_CAP = 48.0
"""A column never asks for more than this many characters: long prose cells wrap."""


def _measure(table: Table) -> tuple[list[float], list[float]]:
    """Per column: the longest unbreakable word and the longest cell text, in characters."""
    columns = max(len(table.header), len(table.aligns), *(len(row) for row in table.rows))
    longest_word = [1.0] * columns
    longest_text = [1.0] * columns
    for row in (table.header, *table.rows):
        for index, cell in enumerate(row):
            text = plain_text(cell.children)
            # A no-break space keeps its neighbours together ("1 250,5", "14 h"); a line
            # may break after a hyphen ("Accord-|cadre", "ABC-|2025-|000123").
            glued = text.replace("\u00a0", "_").replace("\u202f", "_")
            words = _BREAKS.split(glued)
            words = [w for w in words if w]
            if words:
                longest_word[index] = max(longest_word[index], *(len(w) for w in words))
            longest_text[index] = max(longest_text[index], float(len(text)))
    return longest_word, longest_text


def column_widths(table: Table, room: float, padding: float = CELL_PADDING) -> list[float]:
    """Each column's width in characters, for a table at most ``room`` characters wide
    whose cells' margins take ``padding`` characters: what each column wants when all
    fit (the table is then narrower than ``room``), else ``column_fractions`` of ``room``."""
    words, texts = _measure(table)
    want = [max(w, min(t, DESIRED_CAP)) + padding for w, t in zip(words, texts, strict=True)]
    if sum(want) <= room:
        return want
    return [room * share for share in column_fractions(table, room, padding)]


def column_fractions(table: Table, room: float, padding: float = CELL_PADDING) -> list[float]:
    """The share of the table's width (summing to 1) each column gets, for a table ``room``
    characters wide.

    Each column wants its longest cell (capped at ``DESIRED_CAP``) and needs its longest
    word. When every column can have what it wants, shares follow the wants; else each
    gets its need and the rest is shared in proportion to what each still lacks. When even
    the needs do not fit, the columns with short words keep them whole and only the columns
    with the longest words are narrowed, all to the same width (they are the ones whose
    words have syllables to hyphenate at): a year or an amount is never split.
    """
    words, texts = _measure(table)
    need = [w + padding for w in words]
    want = [max(n, min(t, DESIRED_CAP) + padding) for n, t in zip(need, texts, strict=True)]
    if sum(want) <= room:
        return _normalized(want)
    if sum(need) >= room:
        return _normalized(_water_filled(need, room))
    spare = room - sum(need)
    lack = [w - n for w, n in zip(want, need, strict=True)]
    total_lack = sum(lack)
    return _normalized([n + spare * gap / total_lack for n, gap in zip(need, lack, strict=True)])


def _water_filled(need: Sequence[float], room: float) -> list[float]:
    """``need`` with its largest values lowered to one common cap so that they sum to
    ``room`` (or to the smallest even share when the needs are all alike)."""
    ordered = sorted(need)
    left = room
    for index, value in enumerate(ordered):
        cap = left / (len(ordered) - index)
        if value > cap:
            return [min(n, cap) for n in need]
        left -= value
    return list(need)


def _normalized(values: Sequence[float]) -> list[float]:
    total = sum(values)
    return [value / total for value in values]
