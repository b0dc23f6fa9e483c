"""The variables every HTML template receives (documented in docs/templates.md).

Templates get the edition (``edition``: cover, synopsis, annexes, running texts — the same
texts the Word backend prints) and, for custom templates written against docgen 0.1, the
document and its front matter as before.
"""

from __future__ import annotations

from typing import Any

from ... import templates
from ...editions import ArticleEdition, SheetEdition
from ...labels import labels_for
from ...options import RenderOptions
from ...pack.reproducible import project_url_map
from ...products import get as product
from ...project import builtin_templates_dir
from .writer import HtmlWriter


def article_context(edition: ArticleEdition, options: RenderOptions) -> dict[str, Any]:
    """The edition, the whole model, and what templates should not compute themselves."""
    doc = edition.doc
    writer = HtmlWriter(raw_html=options.project.allow_raw_html)
    return {
        "edition": edition,
        "doc": doc,
        "meta": doc.meta,
        "lang": edition.lang,
        "dir": edition.direction,
        "source_lang": doc.source_lang,
        "labels": labels_for(edition.lang),
        "body": writer.blocks(edition.body),
        "footnotes": writer.footnotes(edition.footnotes),
        "sections": edition.sections,
        "draft": edition.draft,
        "paper": options.project.paper,
        **theme_context(options),
    }


def article_html(edition: ArticleEdition, options: RenderOptions) -> str:
    """The brief (or report) as one HTML page, stylesheet included."""
    template = product(edition.product).template
    return templates.render(options.project, template, article_context(edition, options))


def sheet_context(edition: SheetEdition, options: RenderOptions, size: float) -> dict[str, Any]:
    doc = edition.doc
    return {
        "edition": edition,
        "doc": doc,
        "meta": doc.meta,
        "lang": edition.langs[0],
        "source_lang": doc.source_lang,
        "langs": edition.langs,
        "rows": edition.rows,
        "kinds": edition.kinds,
        "marking": edition.marking,
        "footer": edition.footer,
        "draft": edition.draft,
        "draft_label": edition.draft_label,
        "paper": options.project.paper,
        "font_size": f"{size:g}",
        **theme_context(options),
    }


def sheet_html(edition: SheetEdition, options: RenderOptions, size: float = 10.0) -> str:
    """The sheet as one HTML page at root type size ``size`` (points)."""
    template = product(edition.product).template
    return templates.render(options.project, template, sheet_context(edition, options, size))


def theme_context(options: RenderOptions) -> dict[str, Any]:
    """The theme, and the URLs templates need for its logo and fonts: canonical ones
    (``docgen.pack.reproducible``), so the PDF does not depend on the project's folder."""
    theme = options.theme
    urls = project_url_map(options.project.root, builtin_templates_dir())
    return {
        "theme": theme,
        "logo_uri": urls.url(theme.logo) if theme.logo else "",
        "theme_fonts": [
            {"family": f.family, "uri": urls.url(f.path), "weight": f.weight, "style": f.style}
            for f in theme.fonts
        ],
    }
