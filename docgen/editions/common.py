"""What every edition has: document properties and the writing direction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
