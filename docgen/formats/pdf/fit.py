"""Fitting the bilingual sheet on exactly one page.

The sheet is laid out by WeasyPrint at the largest root type size of ``SIZES`` that keeps
it on one page; past the readable floor the build fails, naming the first field that falls
onto a second page.

A layout costs about a third of a second, so the size is predicted rather than searched
step by step: the first layout, at 10 pt, gives the content's height over the page's
(``overflow``), and the content's height shrinks with the type size roughly as a power
``K`` of it (lines get shorter *and* fewer: between 1 and 2, measured near 1.5 on sheets of
many lengths). The predicted size is laid out second. Only when the prediction misses does
the search go on, each next guess from the power law through the two nearest layouts;
when the guess fits and the law says the next size up would not, it is kept. In the common
case that is two layouts instead of up to five.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...editions.sheet import Row, SheetEdition
from ...errors import Location, Problem, RenderError
from ...options import RenderOptions
from ..html.context import sheet_html
from .weasy import PolicyFetcher, layout

SIZES = (10.0, 9.5, 9.0, 8.5, 8.0)
"""Root type sizes that may be chosen, in points, largest first; 8 pt is the readable floor."""

K = 1.5
"""How the content's height scales with the type size before any second layout is known:
``height(s) ≈ height(10) × (s / 10) ** K``. Measured on sheets from 3 to 12 key points, the
exponent between two sizes ranged from about 0.8 to 1.7 (lines rewrap in steps)."""


@dataclass
class _Layout:
    """One layout of the sheet at one font size, and whether it fits."""

    document: Any
    fetcher: PolicyFetcher
    overflow: float | None
    """The content's height over the page's (at most 1 when the sheet fits), or ``None``
    when it could not be measured."""

    @property
    def fits(self) -> bool:
        return len(self.document.pages) == 1


def fitted_sheet(edition: SheetEdition, options: RenderOptions) -> tuple[Any, PolicyFetcher]:
    """The sheet laid out on one page at the largest size that fits (predicted, then
    checked: see the module's docstring)."""
    base = edition.doc.path.parent

    def lay_out(size: float) -> _Layout:
        html = sheet_html(edition, options, size)
        document, fetcher = layout(html, options.project, base, options.theme.files)
        return _Layout(document, fetcher, overflow(document))

    tried = search(lay_out)
    best = max((s for s, t in tried.items() if t.fits), default=None)
    if best is None:
        raise RenderError(_overflow(edition, tried[SIZES[-1]].document))
    return tried[best].document, tried[best].fetcher


def search(lay_out: Callable[[float], _Layout]) -> dict[float, _Layout]:
    """Every layout the search made, by size: the first at ``SIZES[0]``, then as
    ``next_size`` says."""
    tried = {SIZES[0]: lay_out(SIZES[0])}
    while (size := next_size(tried)) is not None:
        tried[size] = lay_out(size)
    return tried


def next_size(tried: dict[float, _Layout]) -> float | None:
    """The next size to lay out, given the layouts so far; ``None`` when the search is
    over: the largest fitting size tried is kept, or, when none fits, the floor has been
    tried."""
    fitting = [s for s, t in tried.items() if t.fits]
    missing = sorted(s for s, t in tried.items() if not t.fits)
    if not fitting and SIZES[-1] in missing:
        return None
    below = max(fitting, default=None)
    above = min((s for s in missing if below is None or s > below), default=None)
    if above is None:  # the largest size fits (or nothing was tried yet: no prediction)
        return None if below is not None else SIZES[0]
    candidates = [s for s in SIZES if s < above and (below is None or s > below)]
    if not candidates:
        return None
    if below is not None:
        # A fitting layout: go one size up only if the law through it and the nearest
        # overflowing layout says that size would fit too.
        up = min(candidates)
        fitting_overflow = tried[below].overflow
        if fitting_overflow is None:
            return None
        exponent = _exponent(below, fitting_overflow, above, tried[above].overflow)
        return up if fitting_overflow * (up / below) ** exponent <= 1.0 else None
    # Only overflowing layouts: the law through the two smallest (or K) predicts the size
    # at which the content height meets the page's.
    overflowing = tried[above].overflow
    if overflowing is None:
        return candidates[0]  # not measured: one step at a time
    second = missing[1] if len(missing) > 1 else None
    exponent = K
    if second is not None:
        exponent = _exponent(above, overflowing, second, tried[second].overflow)
    target = above * max(overflowing, 1.0) ** (-1.0 / exponent)
    return next((s for s in candidates if s <= target + 1e-9), candidates[-1])


def _exponent(size_a: float, overflow_a: float, size_b: float, overflow_b: float | None) -> float:
    """The power law's exponent through two layouts, kept within what sheets show."""
    if overflow_b is None or overflow_a <= 0 or overflow_b <= 0 or size_a == size_b:
        return K
    exponent = math.log(overflow_b / overflow_a) / math.log(size_b / size_a)
    return min(max(exponent, 0.5), 3.0) if math.isfinite(exponent) else K


def overflow(document: Any) -> float | None:
    """The laid-out content's height (its lines and images, every page's added up) over
    one page's content height: more than 1 for a sheet that does not fit.

    This reads WeasyPrint's box tree, which is not its public interface: should it change,
    ``None``, and the search falls back to one size at a time.
    """
    try:
        from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox

        total = 0.0
        room = 0.0
        for page in document.pages:
            page_box = page._page_box  # private: see the docstring
            top = page_box.content_box_y()
            bottom = top
            for box in page_box.children[0].descendants():
                if isinstance(box, (LineBox, ReplacedBox)):
                    bottom = max(bottom, box.position_y + box.margin_height())
            total += bottom - top
            room = page_box.height
    except (AttributeError, ImportError, IndexError, TypeError):
        return None
    return total / room if room > 0 else None


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
