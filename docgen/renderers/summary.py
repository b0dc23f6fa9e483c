"""The bilingual summary sheet: ``summary.pdf`` (one A4 page) and ``summary.docx``.

The PDF must fit exactly one page. Rather than guess from text length, the sheet is laid
out by WeasyPrint at decreasing type sizes until it fits; past the readable floor the build
fails, naming the first field that falls onto a second page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import templates
from ..bilingual import Row, build_rows, marking, sheet_languages
from ..errors import Location, Problem, RenderError
from ..labels import format_long_date, label
from ..model import Document
from ..options import RenderOptions
from ..output import write_atomic
from .context import theme_context
from .summary_docx import write_sheet_docx
from .weasy import layout, write_document

TEMPLATE = "summary/summary.html"
SIZES = (10.0, 9.5, 9.0, 8.5, 8.0)
"""Root type sizes tried in turn, in points; 8 pt is the readable floor."""


def sheet_context(
    doc: Document, options: RenderOptions, rows: list[Row], langs: tuple[str, str], size: float
) -> dict[str, Any]:
    draft_label = " / ".join(dict.fromkeys(label("draft", lang) for lang in langs))
    return {
        "doc": doc,
        "meta": doc.meta,
        "lang": langs[0],
        "source_lang": doc.source_lang,
        "langs": langs,
        "rows": rows,
        "kinds": [label("summary_sheet", lang) for lang in langs],
        "marking": marking(doc, langs),
        "footer": f"{doc.meta.author.name} · {format_long_date(doc.meta.date, langs[0])}",
        "draft": options.draft,
        "draft_label": draft_label,
        "paper": options.project.paper,
        "font_size": f"{size:g}",
        **theme_context(options),
    }


def sheet_html(doc: Document, options: RenderOptions, size: float = SIZES[0]) -> str:
    langs = sheet_languages(doc, options.project.languages)
    rows = build_rows(doc, langs, draft=options.draft)
    return templates.render(
        options.project, TEMPLATE, sheet_context(doc, options, rows, langs, size)
    )


def render(doc: Document, options: RenderOptions) -> list[Path]:
    langs = sheet_languages(doc, options.project.languages)
    rows = build_rows(doc, langs, draft=options.draft)
    for size in SIZES:
        html = templates.render(
            options.project, TEMPLATE, sheet_context(doc, options, rows, langs, size)
        )
        document, fetcher = layout(html, options.project, doc.path.parent, options.theme.files)
        if len(document.pages) == 1:
            break
    else:
        raise RenderError(_overflow(doc, rows, document))
    target = options.target_dir / "summary.pdf"
    options.warnings.extend(write_document(document, fetcher, target, options.pdf_variant))
    docx_target = options.target_dir / "summary.docx"
    write_atomic(docx_target, lambda temp: write_sheet_docx(doc, rows, langs, options, temp))
    return [target, docx_target]


def _overflow(doc: Document, rows: list[Row], document: Any) -> Problem:
    """Name the first row that lands past the first page at the smallest size."""
    spilled = set()
    for page in document.pages[1:]:
        spilled.update(page.anchors)
    first = next((row for row in rows if row.ident in spilled), rows[-1])
    return Problem(
        Location(doc.path, first.pos.line, first.pos.column),
        f"the summary sheet does not fit on one page even at {SIZES[-1]:g} pt: "
        f"{first.key} overflows; shorten it or the fields before it",
    )
