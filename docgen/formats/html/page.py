"""The ``html`` format: an edition as one self-contained, accessible web page.

The brief becomes ``brief.LANG.html`` and the sheet ``summary.html``, through the same
Jinja environment and the same texts as the PDF (``context``), with screen templates
(``templates/web/``). Everything the page shows travels inside it — stylesheet, images,
fonts (``embed``) — and it runs no script, so it can be mailed, put on an intranet or read
offline, and it tells no server that it was opened. Layout and rationale: docs/web.md.
"""

from __future__ import annotations

import html
from typing import Any, assert_never

from markupsafe import Markup

from ... import templates
from ...editions import ArticleEdition, Edition, SheetEdition
from ...errors import Location, Problem
from ...model import Section, plain_text
from ...options import RenderOptions
from ...products import get as product
from ...theme import theme_roots
from .. import Output, RenderResult
from .context import article_context, sheet_context
from .embed import file_uri, font_faces_css
from .palette import palette
from .webwriter import WebWriter

TEMPLATES = {"article": "web/brief.html", "sheet": "web/sheet.html"}
"""The web template of each kind of edition (the brief's serves any article edition)."""

_LABELS: dict[str, dict[str, str]] = {
    "skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "back": {"fr": "Retour à l’appel de note", "en": "Back to reference"},
    "marking": {"fr": "Classification :", "en": "Classification:"},
    "published": {"fr": "Publié le", "en": "Published"},
}
"""Words only the web page needs, in the languages of ``docgen.labels`` (English for others)."""


def web_label(key: str, lang: str) -> str:
    table = _LABELS[key]
    return table.get(lang.split("-", maxsplit=1)[0].lower(), table["en"])


def render(edition: Edition, options: RenderOptions) -> RenderResult:
    """The edition as one HTML file, UTF-8."""
    match edition:
        case ArticleEdition():
            page, warnings = article_page(edition, options)
            name = product(edition.product).output_name(edition.lang, "html")
        case SheetEdition():
            page, warnings = sheet_page(edition, options)
            name = product(edition.product).output_name("", "html")
        case _:
            assert_never(edition)
    return RenderResult((Output(name, page.encode("utf-8")),), tuple(warnings))


def article_page(edition: ArticleEdition, options: RenderOptions) -> tuple[str, list[Problem]]:
    """The brief (or report) as a web page, and the warnings of its images and fonts."""
    doc = edition.doc
    lang = edition.lang
    writer = WebWriter(options.project, doc.path.parent, doc.path, web_label("back", lang))
    context = article_context(edition, options)
    context["body"] = writer.blocks(edition.body)
    context["footnotes"] = writer.endnotes(edition.footnotes)
    context["toc"] = _toc(edition.body)
    context["markings"] = [(lang, edition.cover.marking)] if edition.cover.marking else []
    warnings = list(writer.warnings)
    context.update(_web_context(options, lang, warnings, doc.path))
    return _two_pass(TEMPLATES["article"], context, options, warnings, doc.path), warnings


def sheet_page(edition: SheetEdition, options: RenderOptions) -> tuple[str, list[Problem]]:
    """The bilingual sheet as a web page: two columns that stack on a narrow screen."""
    doc = edition.doc
    context = sheet_context(edition, options, 10.0)
    classification = doc.meta.classification
    markings: list[tuple[str, str]] = []
    if classification is not None:
        texts = {lang: classification.text(lang, doc.source_lang) for lang in edition.langs}
        markings = (
            list(texts.items())
            if len(set(texts.values())) > 1
            else [(edition.langs[0], texts[edition.langs[0]])]
        )
    context["markings"] = markings
    context["dirs"] = edition.directions
    warnings: list[Problem] = []
    context.update(_web_context(options, edition.langs[0], warnings, doc.path))
    return _two_pass(TEMPLATES["sheet"], context, options, warnings, doc.path), warnings


def _web_context(
    options: RenderOptions, lang: str, warnings: list[Problem], where: Any
) -> dict[str, Any]:
    """What the web templates need beyond the PDF's variables: colours for both schemes,
    the web labels, the logo as a ``data:`` URI."""
    theme = options.theme
    logo = ""
    if theme.logo is not None:
        found = file_uri(
            theme.logo,
            theme_roots(options.project),
            frozenset(p.resolve() for p in theme.files),
        )
        logo = found.uri
        if not logo:
            warnings.append(
                Problem(Location(where), f"logo not embedded: {found.reason}", "warning")
            )
    return {
        "palette": palette(theme),
        "web_labels": {key: web_label(key, lang) for key in _LABELS},
        "logo_uri": logo,
        "web_fonts": Markup(""),
    }


def _two_pass(
    name: str,
    context: dict[str, Any],
    options: RenderOptions,
    warnings: list[Problem],
    where: Any,
) -> str:
    """Render once without fonts to learn the characters the page shows, then again with
    the fonts subsetted to them."""
    first = templates.render(options.project, name, context)
    css, failed = font_faces_css(first, html.unescape(first), options.theme)
    warnings.extend(
        Problem(Location(where), f"font not embedded: {reason}", "warning") for reason in failed
    )
    context["web_fonts"] = Markup(css)
    return templates.render(options.project, name, context)


def _toc(blocks: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The table of contents: top-level sections and the ones right under them, as plain
    text (a title's footnote reference or link must not be repeated in the menu)."""
    entries = []
    for block in blocks:
        if isinstance(block, Section):
            entries.append(
                {
                    "ident": block.ident,
                    "number": block.number,
                    "title": plain_text(block.title),
                    "children": [
                        {"ident": c.ident, "number": c.number, "title": plain_text(c.title)}
                        for c in block.children
                        if isinstance(c, Section)
                    ],
                }
            )
    return entries
