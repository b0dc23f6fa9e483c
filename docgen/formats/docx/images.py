"""Images in the Word report, at a size that keeps their proportions and fits the text.

Which files may be embedded is decided by ``docgen.resources`` (the policy shared with the
PDF): only files below the project's readable folders, never remote ones.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

from docx.image.exceptions import (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
)
from docx.image.image import Image as WordImage
from docx.shared import Mm
from docx.text.run import Run

from ...images import clean_image_bytes
from .elements import Element

MAX_HEIGHT = Mm(110)
"""Tallest picture, as in the PDF brief: a figure never fills a page on its own."""


_UNREADABLE = (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
    OSError,
    ValueError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    struct.error,
)
"""What python-docx's image parsers raise on a truncated or foreign file."""


class ImageRefused(Exception):
    """The image cannot go into the report; the message says why (for the warning)."""


def add_picture(
    r: Element, story: Any, path: Path, *, alt: str, title: str, max_width: int
) -> None:
    """Put the picture in run ``r`` (of ``story``), alt text in its description."""
    try:
        # The image's own data only: bytes appended after it never travel into the report.
        data = clean_image_bytes(path)
        image = WordImage.from_blob(data)
    except _UNREADABLE as exc:
        reason = f"image {path.name!r} is not a readable PNG, JPEG, GIF, BMP or TIFF"
        reason += f" ({exc})" if str(exc) else ""
        raise ImageRefused(reason) from None
    width, height = int(image.width), int(image.height)
    scale = min(1.0, max_width / width if width else 1.0, MAX_HEIGHT / height if height else 1.0)
    shape = Run(r, story).add_picture(
        io.BytesIO(data), width=int(width * scale) or 1, height=int(height * scale) or 1
    )
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    if title:
        doc_pr.set("title", title)
