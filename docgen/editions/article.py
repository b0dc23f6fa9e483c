"""The edition of an article in one language: what the brief and the report show.

Built once from the document, in the edition's language, so that the cover, the synopsis,
the annexes, the running header and the document properties are composed in one place —
the PDF template and the Word backend read the same texts and cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..labels import format_long_date, format_partial_date, label, labels_for
from ..model import Block, Document, Footnote, Localized, Section
from .common import Properties, custom_properties, direction, shown_fields


@dataclass(frozen=True)
class Cover:
    """The first things a reader sees, in the edition's language."""

    kicker: str
    title: str
    subtitle: str
    author: str
    role: str
    organization: str
    date: str
    date_iso: str
    marking: str
    fields: tuple[tuple[str, str], ...] = ()
    """(label, text) of the project fields declared with ``show = true``."""


@dataclass(frozen=True)
class TimelineItem:
    """A timeline entry as the templates show it: its date in words, its text."""

    date: str
    date_iso: str
    text: str


@dataclass(frozen=True)
class Running:
    """The running header and footer: the short title (with the draft label), the date,
    the marking, and the words around the page number."""

    title: str
    date: str
    marking: str
    page: str
    of: str


@dataclass(frozen=True)
class ArticleEdition:
    """A brief or a report in one language, format-neutral.

    ``doc`` stays available for custom templates; everything the built-in layouts print
    comes from the fields here.
    """

    product: str
    lang: str
    direction: str
    doc: Document
    cover: Cover
    summary: str
    key_points: tuple[str, ...]
    body: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    timeline: tuple[TimelineItem, ...]
    contact: str
    running: Running
    properties: Properties
    draft: bool = False

    @property
    def sections(self) -> list[Section]:
        return list(self.doc.sections())

    @property
    def labels(self) -> dict[str, str]:
        return labels_for(self.lang)


def article_edition(doc: Document, product: str, draft: bool = False) -> ArticleEdition:
    """The edition of ``doc`` (already in its language, typography applied) as ``product``
    (``brief`` or ``report``: the kicker names it)."""
    lang = doc.lang or doc.source_lang
    meta = doc.meta

    def text(value: Localized | None) -> str:
        return value.text(lang, doc.source_lang) if value is not None else ""

    date = format_long_date(meta.date, lang)
    marking = text(meta.classification)
    short = text(meta.short_title or meta.title)
    if draft:
        short = f"{label('draft', lang)} — {short}"
    return ArticleEdition(
        product=product,
        lang=lang,
        direction=direction(lang),
        doc=doc,
        cover=Cover(
            kicker=label(product, lang),
            title=text(meta.title),
            subtitle=text(meta.subtitle),
            author=meta.author.name,
            role=text(meta.author.role),
            organization=text(meta.author.organization),
            date=date,
            date_iso=meta.date.isoformat(),
            marking=marking,
            fields=shown_fields(meta, lang, doc.source_lang),
        ),
        summary=text(meta.summary),
        key_points=tuple(text(point) for point in meta.key_points),
        body=doc.body,
        footnotes=doc.footnotes,
        timeline=tuple(
            TimelineItem(format_partial_date(e.date, lang), e.date.iso(), text(e.text))
            for e in meta.timeline
        ),
        contact=text(meta.contact),
        running=Running(short, date, marking, label("page", lang), label("of", lang)),
        properties=Properties(
            title=text(meta.title),
            subject=text(meta.subtitle),
            author=meta.author.name,
            keywords=meta.keywords,
            language=lang,
            category=marking,
            comments=text(meta.summary),
            identifier=doc.stem,
            date=meta.date,
            custom=custom_properties(meta, lang, doc.source_lang),
        ),
        draft=draft,
    )
