"""The bytes of an image as an embedding should carry them: the image, nothing else.

A file may carry more than its picture: a ZIP or a document appended after PNG's ``IEND``
or JPEG's end marker, text chunks, EXIF with a GPS position. Viewers ignore it, but a
``.docx`` that embeds the file verbatim sends it along to every reader. Here a PNG is cut
at ``IEND`` and keeps only the chunks that affect rendering; a JPEG is cut at its end
marker and drops comments and application segments other than JFIF, ICC profiles and
Adobe's colour transform; GIF, BMP and TIFF are decoded and re-encoded as PNG.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from .resources import MAX_IMAGE_BYTES
from .safeio import FileRefused, read_regular_file

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEPT = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"iCCP",
    b"sBIT",
    b"pHYs",
}
"""Chunks that change what is drawn; text, time, EXIF and private chunks are dropped."""
_JPEG_KEPT_APP = {0xE0, 0xE2, 0xEE}
"""APP0 (JFIF), APP2 (ICC profile), APP14 (Adobe colour transform). APP1 (EXIF, XMP) is
dropped: it may hold a GPS position. (Word then ignores an EXIF rotation.)"""
_REENCODED = {"GIF", "BMP", "TIFF"}
_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}


class ImageDataError(ValueError):
    """The file is not an image that can be cleaned; the message says why.

    A ``ValueError``, so that callers already catching unreadable images catch it too."""


def clean_image_bytes(path: Path) -> bytes:
    """The image data of ``path`` alone, ready to embed (see the module docstring)."""
    try:
        data = read_regular_file(path, MAX_IMAGE_BYTES)
    except FileRefused as exc:
        raise ImageDataError(f"image {path.name!r}: {exc}") from None
    if data.startswith(_PNG_SIGNATURE):
        return clean_png(data, path.name)
    if data.startswith(b"\xff\xd8"):
        return clean_jpeg(data, path.name)
    return _reencode(data, path.name)


def clean_png(data: bytes, name: str = "image") -> bytes:
    """The PNG up to and including ``IEND``, with only the chunks that affect rendering."""
    out = [_PNG_SIGNATURE]
    at = len(_PNG_SIGNATURE)
    while at + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, at)
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data):
            break
        if kind in _PNG_KEPT:
            out.append(data[at:end])
        if kind == b"IEND":
            return b"".join(out)
        at = end
    raise ImageDataError(f"image {name!r} is a truncated PNG (no IEND chunk)")


def clean_jpeg(data: bytes, name: str = "image") -> bytes:
    """The JPEG up to its end marker (EOI), without comments or private segments."""
    out = [b"\xff\xd8"]
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return b"".join(out)
        (length,) = struct.unpack_from(">H", data, at + 2)
        end = at + 2 + length
        if length < 2 or end > len(data):
            break
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _JPEG_KEPT_APP:
            out.append(data[at:end])
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            scan_end = _scan_end(data, end)
            out.append(data[end:scan_end])
            end = scan_end
        at = end
    raise ImageDataError(f"image {name!r} is a truncated JPEG (no end marker)")


def _scan_end(data: bytes, at: int) -> int:
    """Where entropy-coded data stops: the first 0xFF not followed by 0x00 (a stuffed
    byte) or a restart marker (0xD0–0xD7)."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return len(data)
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            at += 2
            continue
        return at


def _reencode(data: bytes, name: str) -> bytes:
    """GIF, BMP, TIFF: decoded and written again as PNG (the first frame)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in _REENCODED:
                raise ImageDataError(
                    f"image {name!r} is {image.format or 'of an unknown format'};"
                    " only PNG, JPEG, GIF, BMP and TIFF can be embedded"
                )
            image.load()
            plain = image if image.mode in _PNG_MODES else image.convert("RGBA")
            out = io.BytesIO()
            plain.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ImageDataError(f"image {name!r} cannot be decoded ({exc})") from None
