"""Images by language: ``chart.en.png`` beside ``chart.png`` is the English outputs' chart.

Applied once, when an article is loaded in a language (``source.load``): the document's
image sources are rewritten to the language's variant where that file exists. Everything
downstream — the PDF, the Word file, the job inputs, the image policy and its checks — then
sees the variant as the image, with no rule of its own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import assert_never
from urllib.parse import unquote, urlsplit

from .model import (
    Code,
    Document,
    Emphasis,
    FootnoteRef,
    Image,
    Inline,
    LineBreak,
    Link,
    RawInline,
    Span,
    Strikethrough,
    Strong,
    Text,
    iter_images,
    map_inlines,
)


def variant_src(src: str, lang: str, base: Path) -> str:
    """``src`` with ``.LANG`` before its extension when that file exists beside it (a
    local path only: URLs, data, queries and fragments are left as they are)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or parts.fragment or not lang:
        return src
    head, _, name = src.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return src
    candidate = f"{head}/" * bool(head) + f"{stem}.{lang}.{ext}"
    path = Path(unquote(candidate))
    return candidate if (path if path.is_absolute() else base / path).is_file() else src


def language_images(doc: Document) -> Document:
    """``doc`` with each image replaced by its ``doc.lang`` variant where one exists."""
    if not doc.lang or next(iter_images(doc), None) is None:
        return doc
    base = doc.path.parent

    def run(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return tuple(inline(node) for node in inlines)

    def inline(node: Inline) -> Inline:
        match node:
            case Image():
                src = variant_src(node.src, doc.lang, base)
                return node if src == node.src else replace(node, src=src)
            case Emphasis() | Strong() | Strikethrough() | Link() | Span():
                return replace(node, children=run(node.children))
            case Text() | Code() | LineBreak() | FootnoteRef() | RawInline():
                return node
            case _:
                assert_never(node)

    notes = tuple(replace(n, children=map_inlines(n.children, run)) for n in doc.footnotes)
    return replace(doc, body=map_inlines(doc.body, run), footnotes=notes)
