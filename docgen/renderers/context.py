"""The variables every HTML template receives (documented in docs/templates.md)."""

from __future__ import annotations

from typing import Any

from ..labels import labels_for
from ..model import Document
from ..options import RenderOptions
from .html import HtmlWriter


def page_context(doc: Document, options: RenderOptions) -> dict[str, Any]:
    """The whole model plus what templates should not compute themselves."""
    writer = HtmlWriter(raw_html=options.project.allow_raw_html)
    return {
        "doc": doc,
        "meta": doc.meta,
        "lang": doc.lang,
        "source_lang": doc.source_lang,
        "labels": labels_for(doc.lang),
        "body": writer.blocks(doc.body),
        "footnotes": writer.footnotes(doc.footnotes),
        "sections": list(doc.sections()),
        "draft": options.draft,
        "paper": options.project.paper,
        **theme_context(options),
    }


def theme_context(options: RenderOptions) -> dict[str, Any]:
    """The theme, and the file URIs templates need for its logo and fonts."""
    theme = options.theme
    return {
        "theme": theme,
        "logo_uri": theme.logo.as_uri() if theme.logo else "",
        "theme_fonts": [
            {"family": f.family, "uri": f.path.as_uri(), "weight": f.weight, "style": f.style}
            for f in theme.fonts
        ],
    }
