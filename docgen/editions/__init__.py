"""Editions: an article prepared for one product in one language, format-neutral.

An edition is built once from the document and read by every format backend: the PDF
templates and the Word backend print the same cover, synopsis, annexes, running header
and properties. Backends ``match`` on the edition's type.
"""

from __future__ import annotations

from ..model import Document
from .article import ArticleEdition, article_edition
from .sheet import SheetEdition, sheet_edition

Edition = ArticleEdition | SheetEdition

__all__ = ["ArticleEdition", "Edition", "SheetEdition", "build_edition"]


KINDS = ("article", "sheet")


def build_edition(
    kind: str,
    product: str,
    doc: Document,
    *,
    languages: tuple[str, ...] = (),
    draft: bool = False,
) -> Edition:
    """The ``kind`` of edition of ``doc`` for ``product``: a sheet is bilingual
    (``languages``, the project's, choose its second language); an article edition is in
    ``doc.lang``."""
    if kind == "sheet":
        return sheet_edition(doc, languages, draft, product)
    if kind == "article":
        return article_edition(doc, product, draft)
    raise ValueError(f"unknown edition kind {kind!r}; known: {', '.join(KINDS)}")
