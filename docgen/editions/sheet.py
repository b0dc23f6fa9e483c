"""The bilingual summary sheet's edition: its rows, shared by every format.

One row per field, one cell per language, so the two columns stay aligned row by row in
every output. Completeness is checked here too: every text the sheet shows must exist in
both languages, or the build fails (``--draft`` shows a visible marker instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..bilingual import check_sheet, sheet_languages, untranslated
from ..errors import SourceError
from ..labels import format_long_date, format_partial_date, label
from ..model import NOWHERE, Document, Localized, Pos
from .common import Properties, custom_properties, direction, field_text

__all__ = ["Cell", "Row", "SheetEdition", "check_sheet", "sheet_edition", "sheet_languages"]


@dataclass(frozen=True)
class Cell:
    """One language's text of a row; ``missing`` when the source has none; ``lead`` is a
    prefix set apart (a timeline date)."""

    lang: str
    text: str
    missing: bool = False
    lead: str = ""


@dataclass(frozen=True)
class Row:
    """A row of the sheet. ``key`` names the field (``key_points[2]``), ``kind`` styles it."""

    key: str
    kind: str
    cells: tuple[Cell, ...]
    label: tuple[str, ...] = ()
    pos: Pos = NOWHERE

    @property
    def ident(self) -> str:
        """An HTML id for the row, used to find which field overflows the page."""
        return "row-" + self.key.replace("[", "-").replace("]", "").replace(".", "-")


def build_rows(doc: Document, langs: tuple[str, str], draft: bool = False) -> list[Row]:
    """The sheet's rows in reading order; raises ``SourceError`` listing every missing text
    unless ``draft`` (then the missing texts are marked in their cells)."""
    meta = doc.meta
    if not draft:
        problems = untranslated(doc, langs, skip=("short_title",))
        if problems:
            raise SourceError(problems)

    def cells(loc: Localized | None) -> tuple[Cell, ...]:
        out = []
        for lang in langs:
            text = loc.get(lang) if loc is not None else None
            if text is None:
                out.append(Cell(lang, label("missing", lang), missing=True))
            else:
                out.append(Cell(lang, text))
        return tuple(out)

    def fixed(texts: list[str]) -> tuple[Cell, ...]:
        return tuple(Cell(lang, text) for lang, text in zip(langs, texts, strict=True))

    rows = [Row("title", "title", cells(meta.title), pos=meta.title.pos)]
    if meta.subtitle:
        rows.append(Row("subtitle", "subtitle", cells(meta.subtitle), pos=meta.subtitle.pos))
    author_texts = []
    for lang in langs:
        parts = [meta.author.name]
        for part in (meta.author.role, meta.author.organization):
            if part is not None:
                parts.append(part.get(lang) or label("missing", lang))
        author_texts.append(", ".join(parts))
    rows.append(Row("author", "author", fixed(author_texts)))
    for item in meta.extra:
        if not item.show:
            continue
        loc = item.value if isinstance(item.value, Localized) else None
        field_cells = tuple(
            Cell(c.lang, c.text, c.missing, item.label.text(c.lang))
            for c in (
                cells(loc) if loc is not None else fixed([field_text(item, lang) for lang in langs])
            )
        )
        rows.append(Row(item.name, "field", field_cells, pos=item.pos))
    rows.append(Row("date", "date", fixed([format_long_date(meta.date, lang) for lang in langs])))
    if meta.summary:
        rows.append(
            Row(
                "summary",
                "summary",
                cells(meta.summary),
                tuple(label("summary", lang) for lang in langs),
                meta.summary.pos,
            )
        )
    for index, point in enumerate(meta.key_points):
        heading = tuple(label("key_points", lang) for lang in langs) if index == 0 else ()
        key = f"key_points[{index}]"
        rows.append(Row(key, "key-point", cells(point), heading, point.pos))
    for index, entry in enumerate(meta.timeline):
        heading = tuple(label("timeline", lang) for lang in langs) if index == 0 else ()
        texts = cells(entry.text)
        dated = tuple(
            Cell(c.lang, c.text, c.missing, format_partial_date(entry.date, c.lang)) for c in texts
        )
        rows.append(Row(f"timeline[{index}]", "timeline", dated, heading, entry.pos))
    if meta.contact:
        rows.append(
            Row(
                "contact",
                "contact",
                cells(meta.contact),
                tuple(label("contact", lang) for lang in langs),
                meta.contact.pos,
            )
        )
    return rows


def marking(doc: Document, langs: tuple[str, str]) -> str:
    """The classification in both languages (once if they are the same)."""
    if doc.meta.classification is None:
        return ""
    texts = [doc.meta.classification.text(lang, doc.source_lang) for lang in langs]
    return texts[0] if texts[0] == texts[1] else " / ".join(texts)


@dataclass(frozen=True)
class SheetEdition:
    """The one-page bilingual sheet of an article, format-neutral: its rows (one per field,
    one cell per language), the heading and footer texts, the marking in both languages,
    and its properties. ``directions`` gives each column's writing direction."""

    product: str
    doc: Document
    langs: tuple[str, str]
    directions: tuple[str, str]
    rows: tuple[Row, ...]
    kinds: tuple[str, str]
    marking: str
    footer: str
    draft: bool
    draft_label: str
    properties: Properties


def sheet_edition(
    doc: Document, configured: tuple[str, ...] = (), draft: bool = False, product: str = "sheet"
) -> SheetEdition:
    """The sheet of ``doc``; raises ``SourceError`` for missing texts unless ``draft``."""
    langs = sheet_languages(doc, configured)
    rows = build_rows(doc, langs, draft=draft)
    meta = doc.meta
    title = " / ".join(meta.title.text(lang, doc.source_lang) for lang in langs)
    return SheetEdition(
        product=product,
        doc=doc,
        langs=langs,
        directions=(direction(langs[0]), direction(langs[1])),
        rows=tuple(rows),
        kinds=(label("summary_sheet", langs[0]), label("summary_sheet", langs[1])),
        marking=marking(doc, langs),
        footer=f"{meta.author.name} · {format_long_date(meta.date, langs[0])}",
        draft=draft,
        draft_label=" / ".join(dict.fromkeys(label("draft", lang) for lang in langs)),
        properties=Properties(
            title=title,
            subject="",
            author=meta.author.name,
            keywords=meta.keywords,
            language=langs[0],
            category=marking(doc, langs),
            comments="",
            identifier=doc.stem,
            date=meta.date,
            custom=custom_properties(meta, langs[0], doc.source_lang),
        ),
    )
