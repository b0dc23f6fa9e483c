"""``binder.LANG.docx``: the pack's reports in order, one Word document with one contents.

Written by the report's own writer (``formats.docx.report.ReportWriter``) on the project's
reference document, so the styles are the report's: a pack cover, one TOC field listing
each article (Heading 1) and its sections (one level down), then each article from a new
page — its title, byline, summary, key points, body, timeline and contact. The header
names the pack and carries the pack's marking on every page; the footer "Page X of Y".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from ..editions import ArticleEdition
from ..editions.article import Running
from ..editions.common import Properties
from ..formats import Output, RenderResult
from ..labels import format_long_date, label
from ..model import Block, Section, Text
from ..options import RenderOptions
from .config import Pack
from .labels import pack_label


def deeper(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Sections one level down, under the article's title (sections nest only in
    sections, so nothing else needs walking)."""
    return tuple(
        replace(block, level=block.level + 1, children=deeper(block.children))
        if isinstance(block, Section)
        else block
        for block in blocks
    )


def render_docx(
    pack: Pack,
    editions: Sequence[ArticleEdition],
    marking: str,
    options: RenderOptions,
    lang: str,
) -> RenderResult:
    from ..formats.docx.elements import Element, set_ppr
    from ..formats.docx.fields import enable_update_fields
    from ..formats.docx.package import docx_bytes, reference_path, set_properties
    from ..formats.docx.report import ReportWriter
    from ..pack.archive import epoch_date_time

    first = editions[0]
    writer = ReportWriter(replace(first, body=deeper(first.body)), options, reference_path(options))
    writer.heading_level = 2
    title = pack.title.text(lang)
    short = pack.short_title.text(lang) if pack.short_title else title
    date = format_long_date(pack.date, lang)
    if options.theme.logo is not None:
        writer.logo(options.theme.logo)
    if options.theme.organization:
        writer.paragraph("Affiliation", options.theme.organization)
    writer.paragraph("Kicker", pack_label("pack", lang))
    writer.paragraph("Title", title)
    writer.paragraph("Date", date)
    if marking:
        p = writer.paragraph("Subtitle")
        from ..formats.docx.elements import text_run

        p.append(text_run(marking, writer.styles.id("Marking")))
    toc_end = writer.contents()
    for index, edition in enumerate(editions):
        writer.use(replace(edition, body=deeper(edition.body)))
        cover = edition.cover
        heading = writer.writer.heading(
            writer.body, (Text(cover.title),), writer.ctx, level=1, anchor=f"article-{index + 1}"
        )
        set_ppr(heading, "w:pageBreakBefore")
        if cover.subtitle:
            writer.paragraph("Subtitle", cover.subtitle)
        writer.paragraph("Author", cover.author)
        for detail in (cover.role, cover.organization):
            if detail:
                writer.paragraph("Affiliation", detail)
        writer.paragraph("Date", " · ".join(part for part in (cover.date, cover.marking) if part))
        writer.article()
    writer.fill_contents(toc_end)
    writer.header_footer(Running(short, date, marking, label("page", lang), label("of", lang)))
    word = writer.word
    set_properties(
        word,
        Properties(
            title=title,
            subject=pack_label("pack", lang),
            author=options.theme.organization or first.properties.author,
            keywords=(),
            language=lang,
            category=marking,
            comments="",
            identifier=pack.name,
            date=pack.date,
        ),
    )
    enable_update_fields(cast(Element, word.settings.element))
    stamp = epoch_date_time(options.source_date_epoch, pack.date)
    data = docx_bytes(word, stamp)
    return RenderResult((Output(f"binder.{lang}.docx", data),), tuple(writer.warnings))
