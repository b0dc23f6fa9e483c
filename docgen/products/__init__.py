"""The registry of products — brief, report, sheet — and which formats each offers.

A product is what a reader receives (a two-page brief, an editable report, a one-page
bilingual sheet); a format is the file type it comes in. ``docgen build --format pdf``
means "every product's PDF"; ``--product brief`` narrows by product. Like the formats'
registry, this module imports nothing heavy.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import formats

if TYPE_CHECKING:
    from ..errors import Problem
    from ..model import Document
    from ..project import Project


@dataclass(frozen=True)
class ProductInfo:
    """A product's contract.

    ``per_language`` products (brief, report) make one file per language asked for; the
    sheet makes one per article, holding two languages. ``stem`` names the output
    (``{lang}`` is replaced): the format adds the extension. ``template`` is the HTML
    template HTML-based formats lay it out with; ``edition`` the kind of edition it reads
    (``article``: cover, synopsis, body, annexes; ``sheet``: bilingual rows). ``check``
    (``module:function``) runs on every article before anything is written, without
    loading any renderer.
    """

    name: str
    description: str
    defaults: tuple[str, ...]
    per_language: bool
    stem: str
    template: str
    edition: str = "article"
    check: str = ""

    @property
    def formats(self) -> tuple[str, ...]:
        """The formats that offer this product (each format's registration says)."""
        return tuple(f for f in formats.names() if self.name in formats.get(f).products)

    def output_name(self, lang: str, fmt: str) -> str:
        return f"{self.stem.format(lang=lang)}.{formats.get(fmt).extension}"

    def checks(self, doc: Document, project: Project, draft: bool) -> list[Problem]:
        """The product's problems with ``doc`` (errors, or warnings under ``draft``)."""
        if not self.check:
            return []
        module, function = self.check.split(":")
        found: list[Problem] = getattr(importlib.import_module(module), function)(
            doc, project, draft
        )
        return found


_REGISTRY: dict[str, ProductInfo] = {}

ALIASES = {"summary": "sheet"}
"""Format names of docgen 0.1 that were really products: ``--format summary`` still
means ``--product sheet``."""

LEGACY_FORMATS = {"pdf": "brief", "docx": "report", "summary": "sheet"}
"""How docgen 0.1 read a format list: each name was a product. A list that holds
``summary`` is read this way, so ``formats = ["pdf", "docx", "summary"]`` in an older
``docgen.toml`` still builds the brief, the report and the sheet."""


def register(info: ProductInfo) -> None:
    """Add a product; a duplicate name, or a default format that does not offer the
    product, is a bug."""
    if info.name in _REGISTRY:
        raise ValueError(f"product {info.name!r} is already registered")
    if not set(info.defaults) <= set(info.formats):
        raise ValueError(f"product {info.name!r}: defaults {info.defaults} not all offered")
    _REGISTRY[info.name] = info


def get(name: str) -> ProductInfo:
    return _REGISTRY[name]


def names() -> list[str]:
    """Product names in registration order (the order builds run in)."""
    return list(_REGISTRY)


def select(
    products: Sequence[str] = (), formats_: Sequence[str] = ()
) -> list[tuple[ProductInfo, str]]:
    """The (product, format) pairs to build.

    Products default to all; formats narrow them: a product built in the formats asked
    for that it offers, or in its defaults when no format is asked. Names must be known
    (the CLI and ``docgen.toml`` check them first, with their own messages).
    """
    chosen = [_REGISTRY[name] for name in dict.fromkeys(products or names())]
    wanted = list(dict.fromkeys(formats_))
    pairs: list[tuple[ProductInfo, str]] = []
    for product in chosen:
        offered = [f for f in product.formats if f in wanted] if wanted else product.defaults
        pairs.extend((product, fmt) for fmt in offered)
    return pairs


register(
    ProductInfo(
        "brief",
        "PDF brief, one per language (brief.LANG.pdf)",
        defaults=("pdf",),
        per_language=True,
        stem="brief.{lang}",
        template="brief/brief.html",
    )
)
register(
    ProductInfo(
        "report",
        "Word report, one per language (report.LANG.docx)",
        defaults=("docx",),
        per_language=True,
        stem="report.{lang}",
        template="brief/brief.html",
    )
)
register(
    ProductInfo(
        "sheet",
        "bilingual summary sheet, one page (summary.pdf, summary.docx)",
        defaults=("pdf", "docx"),
        per_language=False,
        stem="summary",
        template="summary/summary.html",
        edition="sheet",
        check="docgen.bilingual:check_sheet",
    )
)
