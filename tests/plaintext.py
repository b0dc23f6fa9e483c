"""A plain-text format backend, registered by a test to show that a format is one module
and one registration (tests/test_architecture.py)."""

from __future__ import annotations

from typing import assert_never

from docgen.editions import ArticleEdition, Edition, SheetEdition
from docgen.formats import Output, RenderResult
from docgen.model import Section, iter_nodes, plain_text
from docgen.options import RenderOptions
from docgen.products import get as product


def render(edition: Edition, options: RenderOptions) -> RenderResult:
    match edition:
        case ArticleEdition():
            lines = [edition.cover.title, edition.summary]
            for node, _line in iter_nodes(edition.body):
                if isinstance(node, Section):
                    lines.append(plain_text(node.title))
            name = product(edition.product).output_name(edition.lang, "txt")
        case SheetEdition():
            lines = [" | ".join(cell.text for cell in row.cells) for row in edition.rows]
            name = product(edition.product).output_name("", "txt")
        case _:
            assert_never(edition)
    return RenderResult((Output(name, "\n".join(lines).encode()),))
