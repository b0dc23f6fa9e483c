"""``binder.LANG.pdf``: the pack as one HTML document, laid out once by WeasyPrint.

One document rather than briefs glued together, so that the layout engine does what it
does well: page numbers run through the whole binder (``counter(page)``/``counter(pages)``),
the contents page reads each article's first page from the layout (``target-counter``),
running headers name the article on the page (``string-set``), and bookmarks nest each
article's sections under its title (``bookmark-level``). Each article is printed from its
brief edition with the brief's own body HTML and CSS (``article_context``); its anchors are
prefixed so that two articles with a section "Contexte" keep distinct targets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from .. import templates
from ..editions import ArticleEdition
from ..editions.article import Running
from ..formats import Output, RenderResult
from ..formats.html.context import article_context, theme_context
from ..labels import format_long_date, label, labels_for
from ..options import RenderOptions
from .config import Pack
from .labels import pack_label

TEMPLATE = "binder/binder.html"

_ANCHOR = re.compile(r'(\s(?:id|href)=")(#?)([^"#][^"]*)"')


def scoped(html: Markup, prefix: str) -> Markup:
    """``html`` with every ``id`` and in-page link prefixed: articles keep their own
    targets in the one binder document. External links (``href="https:…"``) are left."""

    def change(match: re.Match[str]) -> str:
        attribute, hash_, value = match.groups()
        if attribute.endswith('href="') and not hash_:
            return match.group(0)
        return f'{attribute}{hash_}{prefix}{value}"'

    return Markup(_ANCHOR.sub(change, str(html)))


def binder_context(
    pack: Pack, editions: Sequence[ArticleEdition], marking: str, options: RenderOptions, lang: str
) -> dict[str, Any]:
    """What ``binder/binder.html`` receives: the pack, each article's brief context, and
    the brief stylesheet's variables (``edition.running`` is the pack's)."""
    title = pack.title.text(lang)
    short = pack.short_title.text(lang) if pack.short_title else title
    date = format_long_date(pack.date, lang)
    articles = []
    for index, edition in enumerate(editions, 1):
        context = article_context(edition, options)
        prefix = f"a{index}-"
        context["body"] = scoped(context["body"], prefix)
        context["footnotes"] = scoped(context["footnotes"], prefix)
        context["id"] = f"article-{index}"
        context["number"] = index
        context["short"] = edition.running.title
        articles.append(context)
    organization = options.theme.organization
    return {
        "pack": {
            "name": pack.name,
            "title": title,
            "short": short,
            "date": date,
            "date_iso": pack.date.isoformat(),
            "marking": marking,
            "organization": organization,
            "kicker": pack_label("pack", lang),
            "contents": label("contents", lang),
            "count": pack_label("articles", lang).format(count=len(editions)),
        },
        "articles": articles,
        "edition": {
            "running": Running(short, date, marking, label("page", lang), label("of", lang))
        },
        "lang": lang,
        "dir": editions[0].direction if editions else "ltr",
        "labels": labels_for(lang),
        "draft": any(edition.draft for edition in editions),
        "draft_label": label("draft", lang),
        "paper": options.project.paper,
        **theme_context(options),
    }


def binder_html(
    pack: Pack, editions: Sequence[ArticleEdition], marking: str, options: RenderOptions, lang: str
) -> str:
    context = binder_context(pack, editions, marking, options, lang)
    return templates.render(options.project, TEMPLATE, context)


def render_pdf(
    pack: Pack, editions: Sequence[ArticleEdition], marking: str, options: RenderOptions, lang: str
) -> RenderResult:
    """The binder in ``lang`` as one PDF."""
    from ..formats.pdf.weasy import layout, pdf_bytes

    html = binder_html(pack, editions, marking, options, lang)
    document, fetcher = layout(
        html, options.project, options.project.source_dir, options.theme.files
    )
    data, warnings = pdf_bytes(document, fetcher, pack.config_path, options.pdf_variant)
    name = f"binder.{lang}.pdf"
    return RenderResult((Output(name, data, len(document.pages)),), tuple(warnings))
