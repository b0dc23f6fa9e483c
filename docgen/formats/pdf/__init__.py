"""The PDF backend: an edition's HTML (Jinja templates) laid out by WeasyPrint.

The HTML is produced first (``docgen.formats.html.context``) and handed to WeasyPrint
second, so tests can check the exact HTML quickly and keep PDF tests for what only a PDF
shows. The sheet is fitted to one page (``fit``); the brief flows over as many as needed.
"""

from __future__ import annotations

from typing import assert_never

from .libraries import import_weasyprint

# First, before any module below imports it: WeasyPrint's libraries found in the linker
# cache rather than by a process per guessed name (``libraries``).
import_weasyprint()

from ...editions import ArticleEdition, Edition, SheetEdition  # noqa: E402
from ...options import RenderOptions  # noqa: E402
from ...products import get as product  # noqa: E402
from .. import Output, RenderResult  # noqa: E402
from ..html.context import article_html  # noqa: E402
from .fit import fitted_sheet  # noqa: E402
from .weasy import layout, pdf_bytes  # noqa: E402 - imported only when a PDF is made
from .weasy import warm as warm  # noqa: E402 - warmed before renders are forked


def render(edition: Edition, options: RenderOptions) -> RenderResult:
    """The edition as one PDF file."""
    doc = edition.doc
    match edition:
        case ArticleEdition():
            html = article_html(edition, options)
            document, fetcher = layout(html, options.project, doc.path.parent, options.theme.files)
            name = product(edition.product).output_name(edition.lang, "pdf")
        case SheetEdition():
            document, fetcher = fitted_sheet(edition, options)
            name = product(edition.product).output_name("", "pdf")
        case _:
            assert_never(edition)
    data, warnings = pdf_bytes(document, fetcher, doc.path, options.pdf_variant)
    return RenderResult((Output(name, data, len(document.pages)),), tuple(warnings))
