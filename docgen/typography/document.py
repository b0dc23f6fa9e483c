"""The document walk: which text is fixed in which language, and how a paragraph streams."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import assert_never

from ..model import (
    Author,
    Block,
    Code,
    Document,
    Emphasis,
    Footnote,
    FootnoteRef,
    Image,
    Inline,
    LineBreak,
    Link,
    Localized,
    Metadata,
    RawInline,
    Span,
    Strikethrough,
    Strong,
    Text,
    map_inlines,
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
    """Every run of inlines fixed as one stream (each table cell its own, so a quote never
    pairs across cells); code and raw blocks come back as they are."""
    return map_inlines(blocks, lambda inlines: _fix_inlines(inlines, lang))


def _fix_image(image: Image, lang: str) -> Image:
    """Alt text and title are prose (the title is a figure's caption); ``src`` is not."""
    return replace(image, alt=fix_text(image.alt, lang), title=fix_text(image.title, lang))


# --------------------------------------------------------------------------- inlines


def _fix_inlines(inlines: tuple[Inline, ...], lang: str) -> tuple[Inline, ...]:
    """Fix the Text nodes of one paragraph-like run as a single stream, then put them back."""
    if not inlines:
        return inlines
    pieces: list[Piece] = []
    _collect(inlines, pieces, lang)
    texts = run_rules(pieces, _rules_for(lang))
    fixed = iter([text for text, piece in zip(texts, pieces, strict=True) if piece.editable])
    return _rebuild(inlines, fixed, lang)


def _foreign(span: Span, lang: str) -> bool:
    """True when a span's language has other rules than the text around it.

    Such a span is its own stream, fixed in its own language (an English question inside
    French text keeps its "?" glued and gets “…”); the stream around it sees one opaque
    ``ATOM`` there, as for an image, so its rules apply up to the span's edges and never
    inside. A span in a language with the same rules (``en-GB`` in English) stays part of
    the stream: quotes may then pair across its edges."""
    return _rules_for(span.lang) is not _rules_for(lang)


def _collect(inlines: tuple[Inline, ...], pieces: list[Piece], lang: str) -> None:
    """Append the stream pieces of ``inlines`` in reading order (one per Text node)."""
    for node in inlines:
        match node:
            case Text():
                pieces.append(Piece(node.text, True))
            case Emphasis() | Strong() | Strikethrough() | Link():
                _collect(node.children, pieces, lang)
            case Span():
                if _foreign(node, lang):
                    pieces.append(Piece(ATOM, False))
                else:
                    _collect(node.children, pieces, lang)
            case LineBreak():
                pieces.append(Piece("\n", False))
            case Code() | RawInline() | Image() | FootnoteRef():
                pieces.append(Piece(ATOM, False))
            case _:
                assert_never(node)


def _rebuild(inlines: tuple[Inline, ...], fixed: Iterator[str], lang: str) -> tuple[Inline, ...]:
    """``inlines`` with each Text node's text taken, in order, from ``fixed``."""
    out: list[Inline] = []
    for node in inlines:
        match node:
            case Text():
                text = next(fixed)
                out.append(node if text == node.text else Text(text))
            case Emphasis() | Strong() | Strikethrough():
                out.append(replace(node, children=_rebuild(node.children, fixed, lang)))
            case Link():
                children = _rebuild(node.children, fixed, lang)
                out.append(replace(node, children=children, title=fix_text(node.title, lang)))
            case Span():
                if _foreign(node, lang):
                    out.append(replace(node, children=_fix_inlines(node.children, node.lang)))
                else:
                    out.append(replace(node, children=_rebuild(node.children, fixed, lang)))
            case Image():
                out.append(_fix_image(node, lang))
            case Code() | RawInline() | LineBreak() | FootnoteRef():
                out.append(node)
            case _:
                assert_never(node)
    return tuple(out)
