"""Fonts cut down to the characters a document uses (fontTools), remembered per process.

Two outputs embed fonts: the web edition (WOFF2 in the page) and the Word files
(obfuscated TrueType parts). Each has its own fontTools options, named by a ``profile``;
this module keeps what they share: the subsetting itself and a bounded in-process memory of
its results, by profile, font content and characters. Subsetting costs about 0.2 s a face,
and the preview renders in one long-lived process, so an edit that types no new character
costs none.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from collections.abc import Callable
from typing import Any

MAX_REMEMBERED = 64
"""Subsets kept in memory, oldest dropped first (a face is tens of kilobytes)."""

_SUBSETS: dict[tuple[str, str, frozenset[str]], bytes] = {}
_LOCK = threading.Lock()


def subset_font(
    data: bytes, chars: frozenset[str], profile: str, configure: Callable[[Any], None]
) -> bytes:
    """``data`` cut down to ``chars`` with the options ``configure`` sets on a fresh
    ``fontTools.subset.Options`` (the same ``profile`` must always configure the same)."""
    key = (profile, hashlib.sha256(data).hexdigest(), chars)
    with _LOCK:
        found = _SUBSETS.get(key)
    if found is not None:
        return found
    from fontTools import subset  # type: ignore[import-untyped]  # only when a font is embedded

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    options = subset.Options()
    configure(options)
    font = subset.load_font(io.BytesIO(data), options, dontLoadGlyphNames=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    result = out.getvalue()
    with _LOCK:
        if len(_SUBSETS) >= MAX_REMEMBERED:
            _SUBSETS.pop(next(iter(_SUBSETS)))
        _SUBSETS[key] = result
    return result
