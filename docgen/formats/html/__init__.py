"""HTML: the model written as HTML (``writer``), the variables HTML templates receive
(``context``) — shared with the PDF backend — and the ``html`` format itself, the web
edition (``page``: one self-contained page per brief and per sheet).

``render`` imports ``page`` when called, so that importing ``context`` or ``writer`` (as
the PDF backend and the templates do) loads nothing of the web edition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...editions import Edition
    from ...options import RenderOptions
    from .. import RenderResult


def render(edition: Edition, options: RenderOptions) -> RenderResult:
    """The edition as a web page (``brief.LANG.html``, ``summary.html``)."""
    from .page import render as render_page

    return render_page(edition, options)
