"""``sheets.pdf``: every article's bilingual sheet, one page each, in the pack's order.

Each sheet is fitted to its page exactly as ``summary.pdf`` is (``formats.pdf.fit``), and
the pages of all of them are written as one PDF by WeasyPrint (``Document.copy``) — no
PDF merging library, and the file is tagged like every other PDF docgen writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..editions.sheet import sheet_edition
from ..errors import Location, Problem
from ..formats import Output, RenderResult
from ..model import Document
from ..options import RenderOptions
from .config import Pack


def render_sheets(pack: Pack, docs: Sequence[Document], options: RenderOptions) -> RenderResult:
    from ..formats.pdf.fit import fitted_sheet
    from ..formats.pdf.weasy import pdf_bytes

    languages = options.project.languages or pack.languages
    laid_out = []
    warnings: list[Problem] = []
    for doc in docs:
        edition = sheet_edition(doc, tuple(languages), options.draft, "sheet")
        document, fetcher = fitted_sheet(edition, options)
        laid_out.append((document, fetcher))
        warnings += [
            Problem(Location(doc.path), f"resource not loaded: {message}", "warning")
            for message in dict.fromkeys(fetcher.refused)
        ]
    first, fetcher = laid_out[0]
    combined = first.copy([page for document, _f in laid_out for page in document.pages])
    data, _more = pdf_bytes(combined, fetcher, pack.config_path, options.pdf_variant)
    return RenderResult((Output("sheets.pdf", data, len(combined.pages)),), tuple(warnings))
