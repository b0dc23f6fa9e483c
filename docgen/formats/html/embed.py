"""Images and fonts as ``data:`` URIs, so that a web edition is one self-contained file.

A web page that loads ``chart.png`` or a font from beside it breaks when it is mailed,
put on an intranet or opened from a zip; one that loads them from a server tells that
server who reads it. The web edition therefore carries everything inline: images under the
same resource policy as the PDF and the Word report (``docgen.resources``: a regular file
inside the project's readable folders, within the size limits, its bytes reduced to the
image data by ``docgen.images``), fonts subsetted to the characters the page uses (a
brief's ten faces come to ~150 KB instead of 4.7 MB).

Everything here is a pure function of bytes, so the same inputs give the same file
(fontTools keeps the fonts' own timestamps; WOFF2 is brotli, which is deterministic).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ...fontsubset import subset_font
from ...images import clean_image_bytes
from ...project import Project, builtin_templates_dir
from ...resources import MAX_IMAGE_BYTES, NOT_FOUND, check_file, readable_roots
from ...safeio import FileRefused, read_regular_file
from ...theme import Theme

_DATA_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
"""Inline images kept as written: the model check has already verified their base64 and
their size; in an ``<img>`` even an SVG cannot run script."""


@dataclass(frozen=True)
class Embedded:
    """An image source for the page: a ``data:`` URI, or ``""`` and why it was left out
    (``quiet`` when the model check already warned, as for a missing file)."""

    uri: str
    reason: str = ""
    quiet: bool = False


def image_uri(
    src: str, base: Path, project: Project, files: frozenset[Path] = frozenset()
) -> Embedded:
    """The ``data:`` URI for an image source of an article in ``base``, or why not."""
    src = src.strip()
    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme == "data":
        media = src[5:].split(";", 1)[0].split(",", 1)[0].strip().lower()
        if media in _DATA_IMAGE_TYPES and ";base64," in src[:100].lower():
            return Embedded(src)
        return Embedded("", f"inline image of type {media or 'unknown'!r} is not embedded")
    if scheme in ("http", "https"):
        return Embedded("", "remote images are not embedded in the web edition")
    if scheme not in ("", "file"):
        return Embedded("", f"scheme {scheme!r} not allowed")
    raw = Path(unquote(parts.path))
    return file_uri(raw if raw.is_absolute() else base / raw, readable_roots(project, base), files)


def file_uri(path: Path, roots: tuple[Path, ...], files: frozenset[Path] = frozenset()) -> Embedded:
    """A local image (or logo) under the resource policy, as a ``data:`` URI."""
    real, reason = check_file(path, roots, files)
    if real is None:
        return Embedded("", reason, quiet=reason == NOT_FOUND)
    if real.stat().st_size > MAX_IMAGE_BYTES:
        return Embedded("", f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MiB")
    if real.suffix.lower() == ".svg":
        try:
            data = read_regular_file(real, MAX_IMAGE_BYTES, follow_symlinks=False)
        except (FileRefused, OSError) as exc:
            return Embedded("", str(exc))
        return Embedded(_data_uri("image/svg+xml", data))
    try:
        data = clean_image_bytes(real)
    except (ValueError, OSError) as exc:
        return Embedded("", str(exc))
    media = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return Embedded(_data_uri(media, data))


def _data_uri(media: str, data: bytes) -> str:
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


# -- fonts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    """One ``@font-face``: a family, a file, and when the page needs it (``needs``: a tag
    the page must contain, ``""`` for always)."""

    family: str
    path: Path
    weight: str = "normal"
    style: str = "normal"
    needs: tuple[str, ...] = ()
    arabic: bool = False


def builtin_faces() -> tuple[Face, ...]:
    """docgen's own fonts (templates/fonts/, as fonts.css declares them for the PDF)."""
    fonts = builtin_templates_dir() / "fonts"
    return (
        Face("Docgen Serif", fonts / "NotoSerif-Regular.ttf"),
        Face("Docgen Serif", fonts / "NotoSerif-Italic.ttf", style="italic", needs=("<em",)),
        Face("Docgen Serif", fonts / "NotoSerif-Bold.ttf", weight="bold"),
        Face(
            "Docgen Serif",
            fonts / "NotoSerif-BoldItalic.ttf",
            weight="bold",
            style="italic",
            needs=("<em", "<strong"),
        ),
        Face("Docgen Sans", fonts / "NotoSans-Regular.ttf"),
        Face("Docgen Sans", fonts / "NotoSans-Italic.ttf", style="italic", needs=("<em",)),
        Face("Docgen Sans", fonts / "NotoSans-Bold.ttf", weight="bold"),
        Face("Docgen Arabic", fonts / "NotoNaskhArabic-Regular.ttf", arabic=True),
        Face("Docgen Arabic", fonts / "NotoNaskhArabic-Bold.ttf", weight="bold", arabic=True),
        Face("Docgen Mono", fonts / "DejaVuSansMono.ttf", needs=("<code",)),
    )


def _has_arabic(chars: frozenset[str]) -> bool:
    return any(
        0x0600 <= ord(c) <= 0x08FF or 0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF
        for c in chars
    )


_ALWAYS = frozenset(
    [chr(code) for code in range(0x20, 0x7F)]
    + [chr(code) for code in range(0xA0, 0x100)]
    + list("\u0152\u0153\u0178\u2009\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e")
    + list("\u2022\u2026\u2039\u203a\u202f\u20ac\u2191")
)
"""Always kept: ASCII, Latin-1 and the usual typographic marks (French and English), so
that an edit in the preview rarely needs a new subset, and the page's fonts rarely change
with its text."""


def font_faces_css(page: str, text: str, theme: Theme) -> tuple[str, list[str]]:
    """``@font-face`` rules for every face ``page`` needs, each subsetted to the
    characters of ``text`` and embedded as WOFF2; and the fonts that could not be."""
    chars = frozenset(text) | _ALWAYS
    faces = [
        face
        for face in builtin_faces()
        if all(tag in page for tag in face.needs) and (not face.arabic or _has_arabic(chars))
    ]
    faces += [Face(f.family, f.path, f.weight, f.style) for f in theme.fonts]
    rules: list[str] = []
    failed: list[str] = []
    allowed = frozenset(f.path.resolve() for f in theme.fonts)
    for face in faces:
        builtin = face.path.resolve().is_relative_to(builtin_templates_dir().resolve())
        real, reason = check_file(face.path, (builtin_templates_dir(),), allowed)
        if real is None:
            failed.append(f"{face.path.name}: {reason}")
            continue
        try:
            data = read_regular_file(real, 32 * 1024 * 1024)
            woff2 = subset_woff2(data, chars)
        except Exception as exc:  # a theme's font file may be anything fontTools refuses
            if builtin:
                raise
            failed.append(f"{face.path.name}: {type(exc).__name__}: {exc}")
            continue
        uri = _data_uri("font/woff2", woff2)
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; src: url({uri}) format("woff2");'
            f" font-weight: {face.weight}; font-style: {face.style}; font-display: swap; }}"
        )
    return "\n".join(rules), failed


def _web_options(options: Any) -> None:
    options.flavor = "woff2"
    options.hinting = False
    options.layout_features = ["kern"]
    options.layout_closure = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.recalc_timestamp = False


def subset_woff2(data: bytes, chars: frozenset[str]) -> bytes:
    """The font ``data`` cut down to ``chars``, as WOFF2, kerning kept, hinting dropped
    (remembered per process: ``fontsubset``)."""
    return subset_font(data, chars, "web", _web_options)
