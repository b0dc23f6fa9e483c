"""Rendering helpers for the tests: one product in one format, written where a test wants.

The build writes through ``docgen.api.build``; tests that look at one output call the
format backends directly, as these helpers do, and read the files back.
"""

from __future__ import annotations

from pathlib import Path

from docgen import api
from docgen.editions import ArticleEdition, SheetEdition
from docgen.errors import Problem
from docgen.formats.html.context import article_html
from docgen.formats.html.context import sheet_html as _sheet_html
from docgen.model import Document
from docgen.options import RenderOptions


def render_files(
    doc: Document, product: str, fmt: str, options: RenderOptions, folder: Path
) -> list[Path]:
    """Render ``doc`` as ``product`` in ``fmt`` into ``folder``; the files written."""
    return render_with_warnings(doc, product, fmt, options, folder)[0]


def render_with_warnings(
    doc: Document, product: str, fmt: str, options: RenderOptions, folder: Path
) -> tuple[list[Path], list[Problem]]:
    """Render into ``folder``: the files written and the render's warnings."""
    edition = api.edition_of(doc, product, options.project, draft=options.draft)
    result = api.render(edition, fmt, options)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for output in result.outputs:
        path = folder / output.name
        path.write_bytes(output.data)
        paths.append(path)
    return paths, list(result.warnings)


def render_pdf(doc: Document, options: RenderOptions, folder: Path) -> list[Path]:
    """The brief's PDF."""
    return render_files(doc, "brief", "pdf", options, folder)


def render_report(doc: Document, options: RenderOptions, folder: Path) -> list[Path]:
    """The report's DOCX."""
    return render_files(doc, "report", "docx", options, folder)


def render_sheet(doc: Document, options: RenderOptions, folder: Path) -> list[Path]:
    """The sheet's PDF and DOCX."""
    return [
        *render_files(doc, "sheet", "pdf", options, folder),
        *render_files(doc, "sheet", "docx", options, folder),
    ]


def brief_html(doc: Document, options: RenderOptions) -> str:
    edition = api.edition_of(doc, "brief", options.project, draft=options.draft)
    assert isinstance(edition, ArticleEdition)
    return article_html(edition, options)


def sheet_html(doc: Document, options: RenderOptions) -> str:
    edition = api.edition_of(doc, "sheet", options.project, draft=options.draft)
    assert isinstance(edition, SheetEdition)
    return _sheet_html(edition, options)
