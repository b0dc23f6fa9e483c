"""Fitting the bilingual sheet on exactly one page.

The sheet is laid out by WeasyPrint at the largest root type size of ``SIZES`` that keeps
it on one page; past the readable floor the build fails, naming the first field that falls
onto a second page.

A layout costs about 0.2 s, so the size is predicted rather than searched step by step.
With the built-in sheet, the prediction comes from the text before any layout
(``sheet_height``): the first layout is at the largest size predicted to fit, and in the
common case it is the only one. Each layout then measures the content's height over the
page's (``overflow``), and the search corrects the prediction by the ratio measured at the
nearest size laid out: it goes on to the largest size between the largest that fits and the
smallest that does not which the corrected prediction says fits, and stops when there is
none.

With a project's own sheet template the text cannot be read as the page will set it, so the
search starts at 10 pt and predicts with a power law instead: the content's height shrinks
with the type size roughly as a power ``K`` of it (lines get shorter *and* fewer: between
1 and 2, measured near 1.5 on sheets of many lengths), the exponent fitted through two
layouts once there are two. In the common case that is two layouts instead of up to five.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...editions.sheet import Row, SheetEdition
from ...errors import Location, Problem, RenderError
from ...options import RenderOptions
from ...products import get as product
from ...project import builtin_templates_dir
from ...templates import resolve
from ..html.context import sheet_html
from .sheet_height import estimated_overflow
from .weasy import PolicyFetcher, layout

SIZES = (10.0, 9.5, 9.0, 8.5, 8.0)
"""Root type sizes that may be chosen, in points, largest first; 8 pt is the readable floor."""

K = 1.5
"""How the content's height scales with the type size before any second layout is known:
``height(s) ≈ height(10) × (s / 10) ** K``. Measured on sheets from 3 to 12 key points, the
exponent between two sizes ranged from about 0.8 to 1.7 (lines rewrap in steps)."""

SHEET_STYLESHEET = "summary/summary.css"
"""The stylesheet ``sheet_height`` was measured on, with the sheet's own template."""

Estimate = Callable[[float], float]
"""The content's height over the page's at a size, predicted before any layout."""

SLACK = 0.04
"""How far past the page a text prediction may reach and its size still be tried, first or
on the way up: near a size where lines rewrap, the prediction was measured up to 4.2 % of
the page high (a sheet predicted at 1.028 of its page at 8.5 pt laid out at 0.990). Trying
such a size costs one layout when it does not fit; not trying it would keep a smaller size
than fits. On 60 random sheets (``bench/bench_sheet_fit.py``) every size found was the one
laying out every size finds."""


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

    tried = search(lay_out, estimate_of(edition, options))
    best = max((s for s, t in tried.items() if t.fits), default=None)
    if best is None:
        raise RenderError(_overflow(edition, tried[SIZES[-1]].document))
    return tried[best].document, tried[best].fetcher


def estimate_of(edition: SheetEdition, options: RenderOptions) -> Estimate | None:
    """The prediction from the sheet's text (``sheet_height``), or ``None`` when the
    project sets the sheet with its own template or stylesheet."""
    builtin = builtin_templates_dir().resolve()
    names = (product(edition.product).template, SHEET_STYLESHEET)
    if not all(resolve(options.project, name).is_relative_to(builtin) for name in names):
        return None
    paper, logo = options.project.paper, options.theme.logo is not None
    return lambda size: estimated_overflow(edition, size, paper, logo)


def search(
    lay_out: Callable[[float], _Layout], estimate: Estimate | None = None
) -> dict[float, _Layout]:
    """Every layout the search made, by size: the first at the largest size ``estimate``
    says fits (``SIZES[0]`` without one), then as ``next_size`` says."""
    start = SIZES[0]
    if estimate is not None:
        start = next((s for s in SIZES if estimate(s) <= 1.0 + SLACK), SIZES[-1])
    tried = {start: lay_out(start)}
    while (size := next_size(tried, estimate)) is not None:
        tried[size] = lay_out(size)
    return tried


def next_size(tried: dict[float, _Layout], estimate: Estimate | None = None) -> float | None:
    """The next size to lay out, given the layouts so far; ``None`` when the search is
    over: the largest fitting size tried is kept, or, when none fits, the floor has been
    tried."""
    fitting = [s for s, t in tried.items() if t.fits]
    missing = sorted(s for s, t in tried.items() if not t.fits)
    if not fitting and SIZES[-1] in missing:
        return None
    below = max(fitting, default=None)
    above = min((s for s in missing if below is None or s > below), default=None)
    candidates = [s for s in SIZES if (above is None or s < above) and (below is None or s > below)]
    if not candidates:
        return None
    predicted = _predictor(tried, below, above, estimate)
    if predicted is None:  # not measured: one size at a time, up from a fit, else down
        return min(candidates) if below is not None else candidates[0]
    # Up from a fitting layout, a text prediction is given its slack; down, it is not.
    bound = 1.0 + SLACK if estimate is not None and below is not None else 1.0
    guess = next((s for s in candidates if predicted(s) <= bound), None)
    if guess is None and below is None:
        return candidates[-1]  # nothing fits yet: the floor decides
    return guess


def _predictor(
    tried: dict[float, _Layout],
    below: float | None,
    above: float | None,
    estimate: Estimate | None,
) -> Callable[[float], float] | None:
    """The overflow predicted at a size from the layouts bracketing it (``below`` fits,
    ``above`` does not): ``estimate`` corrected by the ratio measured at the nearest of
    them, or else the power law through them (or through the nearest two on one side)."""
    near = [s for s in (below, above) if s is not None]
    if any(tried[s].overflow is None for s in near):
        return None
    if estimate is not None:

        def corrected(size: float) -> float:
            ref = min(near, key=lambda s: abs(math.log(size / s)))
            measured = tried[ref].overflow
            assert measured is not None
            return estimate(size) * measured / estimate(ref)

        return corrected
    if len(near) == 1:
        same_side = sorted(
            (s for s, t in tried.items() if s != near[0] and t.fits == tried[near[0]].fits),
            key=lambda s: abs(s - near[0]),
        )
        near += same_side[:1]
    ref = near[0]
    measured = tried[ref].overflow
    assert measured is not None
    exponent = K
    if len(near) == 2:
        exponent = _exponent(ref, measured, near[1], tried[near[1]].overflow)
    return lambda size: measured * (size / ref) ** exponent


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
