"""Checks that keep outputs usable with a screen reader, run once on the model.

Warnings, not errors: an article with an undescribed image still builds, but the author is
told where the image is so the description can be written.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import Location, Problem
from .model import (
    Block,
    BlockQuote,
    BulletList,
    Document,
    Emphasis,
    Figure,
    Image,
    Inline,
    Link,
    OrderedList,
    Paragraph,
    Section,
    Strikethrough,
    Strong,
    Table,
)


def _images_in(inlines: tuple[Inline, ...]) -> Iterator[Image]:
    for node in inlines:
        if isinstance(node, Image):
            yield node
        elif isinstance(node, (Emphasis, Strong, Strikethrough, Link)):
            yield from _images_in(node.children)


def _images(blocks: tuple[Block, ...], line: int = 0) -> Iterator[tuple[Image, int]]:
    """Every image with the line of the block holding it."""
    for block in blocks:
        here = getattr(block, "line", 0) or line
        if isinstance(block, Figure):
            yield block.image, here
        elif isinstance(block, Paragraph):
            yield from ((image, here) for image in _images_in(block.children))
        elif isinstance(block, (Section, BlockQuote)):
            yield from _images(block.children, here)
        elif isinstance(block, (BulletList, OrderedList)):
            for item in block.items:
                yield from _images(item.children, item.line or here)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    yield from ((image, here) for image in _images_in(cell.children))


def iter_images(doc: Document) -> Iterator[tuple[Image, int]]:
    """Every image of the body and footnotes, with the source line of its block."""
    blocks = doc.body + tuple(b for note in doc.footnotes for b in note.children)
    return _images(blocks)


def missing_alt_text(doc: Document) -> list[Problem]:
    """A warning for every image without a description (alt text)."""
    path = doc.body_path or doc.path
    return [
        Problem(
            Location(path, line),
            f"image {image.src!r} has no description (alt text): write ![description]({image.src})",
            "warning",
        )
        for image, line in iter_images(doc)
        if not image.alt.strip()
    ]
