"""The document walk: which text is fixed in which language, and how a paragraph streams."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..model import (
    Author,
    Block,
    BlockQuote,
    BulletList,
    Code,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    Localized,
    Metadata,
    OrderedList,
    Paragraph,
    RawInline,
    Section,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
)
from .common import COMMON_RULES
from .engine import ATOM, Piece, Rule, run_rules
from .english import ENGLISH_RULES
from .french import FRENCH_RULES

__all__ = ["apply", "fix_text"]


def _rules_for(lang: str) -> tuple[Rule, ...]:
    """The rules for a language code; its primary subtag decides ("fr-CA" is French)."""
    primary = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    if primary == "fr":
        return FRENCH_RULES
    if primary == "en":
        return ENGLISH_RULES
    return COMMON_RULES


# --------------------------------------------------------------------------- public API


def fix_text(text: str, lang: str) -> str:
    """``text`` with the typography of ``lang`` (front-matter fields, alt texts, titles)."""
    if not text:
        return text
    return run_rules([Piece(text, True)], _rules_for(lang))[0]


def apply(doc: Document) -> Document:
    """A copy of ``doc`` with typography fixed in the body, footnotes and front matter.

    The body and footnotes are in ``doc.lang`` (the source language when empty); each
    front-matter text is in its own language code.
    """
    lang = doc.lang or doc.meta.lang
    return replace(
        doc,
        meta=_fix_metadata(doc.meta),
        body=_fix_blocks(doc.body, lang),
        footnotes=tuple(_fix_footnote(note, lang) for note in doc.footnotes),
    )


# --------------------------------------------------------------------------- front matter


def _fix_metadata(meta: Metadata) -> Metadata:
    """Every Localized text of the front matter; keywords and the author's name untouched."""

    def fix(localized: Localized) -> Localized:
        return localized.map(lambda text, code: fix_text(text, meta.lang if code == "*" else code))

    def fix_optional(localized: Localized | None) -> Localized | None:
        return None if localized is None else fix(localized)

    author: Author = replace(
        meta.author,
        role=fix_optional(meta.author.role),
        organization=fix_optional(meta.author.organization),
    )
    timeline = tuple(replace(entry, text=fix(entry.text)) for entry in meta.timeline)
    return replace(
        meta,
        title=fix(meta.title),
        author=author,
        subtitle=fix_optional(meta.subtitle),
        short_title=fix_optional(meta.short_title),
        classification=fix_optional(meta.classification),
        summary=fix_optional(meta.summary),
        key_points=tuple(fix(point) for point in meta.key_points),
        timeline=timeline,
        contact=fix_optional(meta.contact),
    )


# --------------------------------------------------------------------------- blocks


def _fix_footnote(note: Footnote, lang: str) -> Footnote:
    return replace(note, children=_fix_blocks(note.children, lang))


def _fix_blocks(blocks: tuple[Block, ...], lang: str) -> tuple[Block, ...]:
    return tuple(_fix_block(block, lang) for block in blocks)


def _fix_block(block: Block, lang: str) -> Block:
    """One block with its text fixed; code and raw blocks come back as they are."""
    if isinstance(block, (Paragraph, Heading)):
        return replace(block, children=_fix_inlines(block.children, lang))
    if isinstance(block, Section):
        return replace(
            block,
            title=_fix_inlines(block.title, lang),
            children=_fix_blocks(block.children, lang),
        )
    if isinstance(block, (BulletList, OrderedList)):
        return replace(block, items=tuple(_fix_item(item, lang) for item in block.items))
    if isinstance(block, BlockQuote):
        return replace(block, children=_fix_blocks(block.children, lang))
    if isinstance(block, Figure):
        return replace(
            block, image=_fix_image(block.image, lang), caption=_fix_inlines(block.caption, lang)
        )
    return _fix_table(block, lang) if isinstance(block, Table) else block  # code, raw, rule


def _fix_table(table: Table, lang: str) -> Table:
    """Each cell is its own stream: a quote never pairs across cells."""
    return replace(
        table,
        header=_fix_row(table.header, lang),
        rows=tuple(_fix_row(row, lang) for row in table.rows),
    )


def _fix_item(item: ListItem, lang: str) -> ListItem:
    return replace(item, children=_fix_blocks(item.children, lang))


def _fix_row(cells: tuple[TableCell, ...], lang: str) -> tuple[TableCell, ...]:
    return tuple(TableCell(_fix_inlines(cell.children, lang)) for cell in cells)


def _fix_image(image: Image, lang: str) -> Image:
    """Alt text and title are prose (the title is a figure's caption); ``src`` is not."""
    return replace(image, alt=fix_text(image.alt, lang), title=fix_text(image.title, lang))


# --------------------------------------------------------------------------- inlines


def _fix_inlines(inlines: tuple[Inline, ...], lang: str) -> tuple[Inline, ...]:
    """Fix the Text nodes of one paragraph-like run as a single stream, then put them back."""
    if not inlines:
        return inlines
    pieces: list[Piece] = []
    _collect(inlines, pieces)
    texts = run_rules(pieces, _rules_for(lang))
    fixed = iter([text for text, piece in zip(texts, pieces, strict=True) if piece.editable])
    return _rebuild(inlines, fixed, lang)


def _collect(inlines: tuple[Inline, ...], pieces: list[Piece]) -> None:
    """Append the stream pieces of ``inlines`` in reading order (one per Text node)."""
    for node in inlines:
        if isinstance(node, Text):
            pieces.append(Piece(node.text, True))
        elif isinstance(node, (Emphasis, Strong, Strikethrough, Link)):
            _collect(node.children, pieces)
        elif isinstance(node, LineBreak):
            pieces.append(Piece("\n", False))
        elif isinstance(node, (Code, RawInline, Image, FootnoteRef)):
            pieces.append(Piece(ATOM, False))


def _rebuild(inlines: tuple[Inline, ...], fixed: Iterator[str], lang: str) -> tuple[Inline, ...]:
    """``inlines`` with each Text node's text taken, in order, from ``fixed``."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            text = next(fixed)
            out.append(node if text == node.text else Text(text))
        elif isinstance(node, (Emphasis, Strong, Strikethrough)):
            out.append(replace(node, children=_rebuild(node.children, fixed, lang)))
        elif isinstance(node, Link):
            children = _rebuild(node.children, fixed, lang)
            out.append(replace(node, children=children, title=fix_text(node.title, lang)))
        elif isinstance(node, Image):
            out.append(_fix_image(node, lang))
        else:
            out.append(node)  # Code, RawInline, LineBreak, FootnoteRef
    return tuple(out)
