"""What every edition has: document properties and the writing direction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..labels import format_long_date
from ..model import Metadata, ProjectField

RIGHT_TO_LEFT = ("ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug")
"""Primary language subtags written right to left."""


def direction(lang: str) -> str:
    """``rtl`` for a right-to-left language (its primary subtag decides), else ``ltr``."""
    primary = lang.replace("_", "-").split("-", 1)[0].lower()
    return "rtl" if primary in RIGHT_TO_LEFT else "ltr"


@dataclass(frozen=True)
class Properties:
    """The document properties every format stores (PDF metadata, Word core properties).

    Full texts: a format with limits (Word's 255 characters) applies them itself, once.
    ``date`` is the article's, never the clock's, so rebuilding gives the same metadata.
    """

    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    language: str
    category: str
    comments: str
    identifier: str
    date: dt.date
    custom: tuple[tuple[str, str], ...] = ()
    """The project's fields by name (Word custom properties, PDF metadata), all of them,
    shown or not."""


def field_text(item: ProjectField, lang: str, fallback: str | None = None) -> str:
    """A project field's value as the reader sees it: a date in words, a list joined."""
    if isinstance(item.value, dt.date):
        return format_long_date(item.value, lang)
    return item.text(lang, fallback)


def shown_fields(
    meta: Metadata, lang: str, fallback: str | None = None
) -> tuple[tuple[str, str], ...]:
    """(label, text) of each field declared with ``show = true``, in ``lang``."""
    return tuple(
        (item.label.text(lang, fallback), field_text(item, lang, fallback))
        for item in meta.extra
        if item.show
    )


def custom_properties(
    meta: Metadata, lang: str, fallback: str | None = None
) -> tuple[tuple[str, str], ...]:
    """Every project field by name, for metadata (a date stays ISO, machine-readable)."""
    return tuple((item.name, item.text(lang, fallback)) for item in meta.extra)
