"""The Word backend: an edition laid out on the project's ``reference.docx``.

One package for every Word output (``package``: reference, theme, paper, languages,
properties, marking); two layouts over it: the report (``report``: cover, contents, body,
annexes) for articles, the two-column table (``sheet``) for the bilingual sheet.
"""

from __future__ import annotations

from typing import assert_never

from ...editions import ArticleEdition, Edition, SheetEdition
from ...options import RenderOptions
from ...pack.archive import epoch_date_time
from ...products import get as product
from .. import Output, RenderResult
from .fonts import embed_fonts
from .package import docx_bytes
from .report import report_document
from .sheet import sheet_document


def render(edition: Edition, options: RenderOptions) -> RenderResult:
    """The edition as one ``.docx`` file."""
    match edition:
        case ArticleEdition():
            word, warnings = report_document(edition, options)
            name = product(edition.product).output_name(edition.lang, "docx")
        case SheetEdition():
            word, warnings = sheet_document(edition, options)
            name = product(edition.product).output_name("", "docx")
        case _:
            assert_never(edition)
    warnings = [*warnings, *embed_fonts(word, options.theme)]
    # python-docx stamps zip entries with the local time: fixed times make the bytes a
    # function of the content (docs/reproducible.md).
    stamp = epoch_date_time(options.source_date_epoch, edition.properties.date)
    data = docx_bytes(word, stamp)
    return RenderResult((Output(name, data),), tuple(warnings))
