"""Checks that keep outputs usable with a screen reader, run once on the model.

Warnings, not errors: an article with an undescribed image still builds, but the author is
told where the image is so the description can be written.
"""

from __future__ import annotations

from .errors import Location, Problem
from .model import Document, iter_images


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
