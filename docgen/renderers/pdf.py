"""The PDF brief: ``templates/brief/brief.html`` rendered by WeasyPrint.

The HTML is produced first (``brief_html``) and handed to WeasyPrint second, so tests can
check the exact HTML quickly and keep PDF tests for what only a PDF shows.
"""

from __future__ import annotations

from pathlib import Path

from .. import templates
from ..model import Document
from ..options import RenderOptions
from .context import page_context
from .weasy import write_pdf  # this module is imported only when a PDF is made

TEMPLATE = "brief/brief.html"


def output_name(doc: Document) -> str:
    return f"brief.{doc.lang}.pdf"


def brief_html(doc: Document, options: RenderOptions) -> str:
    """The brief as one HTML page, stylesheet included."""
    return templates.render(options.project, TEMPLATE, page_context(doc, options))


def render(doc: Document, options: RenderOptions) -> list[Path]:
    target = options.target_dir / output_name(doc)
    warnings = write_pdf(
        brief_html(doc, options),
        target,
        options.project,
        base_dir=doc.path.parent,
        variant=options.pdf_variant,
        files=options.theme.files,
    )
    options.warnings.extend(warnings)
    return [target]
