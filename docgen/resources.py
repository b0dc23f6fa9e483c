"""The resource policy for what an article points at: which files it may use, how big.

An article from an outside contributor is untrusted. Its images may only come from the
project's readable folders (symlinks and ``..`` resolved first), stay under a size and a
pixel count (a small PNG can decode to gigabytes), and never from the network unless the
project opts in. Checked once on the model, before any renderer runs, so the PDF and the
DOCX refuse the same things with the same message; the renderers' own fetchers enforce
the same rules again as a second line.
"""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import DocgenError, Location, Problem
from .model import Document, iter_images
from .project import Project

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
"""40 megapixels: a full-page photo at 600 dpi is about 35."""


OUTSIDE = "outside the project's source, templates and assets folders"
NOT_FOUND = "not found"


def readable_roots(project: Project, base: Path) -> tuple[Path, ...]:
    """The folders a document may read from: the project's, and the article's own folder
    (an article built from elsewhere still sees the images beside it)."""
    return (*project.readable_roots, base)


def check_file(
    path: Path, roots: tuple[Path, ...], files: frozenset[Path] = frozenset()
) -> tuple[Path | None, str]:
    """The one local-file rule, for the model check, the PDF fetcher and the DOCX: the real
    path (symlinks and ``..`` resolved) must be a regular file inside ``roots`` (or one of
    ``files``). Returns the real path, or None and the reason."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, NOT_FOUND
    if real not in files and not any(real.is_relative_to(r.resolve()) for r in roots):
        return None, OUTSIDE
    if not real.is_file():
        return None, "not a regular file"
    return real, ""


def resolve_local(src: str, base: Path, project: Project) -> Path | None:
    """The file a relative or ``file:`` image source names, if the policy allows it."""
    parts = urlsplit(src)
    if parts.scheme not in ("", "file"):
        return None
    raw = Path(unquote(parts.path))
    real, _reason = check_file(
        raw if raw.is_absolute() else base / raw, readable_roots(project, base)
    )
    return real


def image_problems(
    doc: Document,
    project: Project,
    read: Callable[[Path], str] | None = None,
    missing: str = "warning",
) -> list[Problem]:
    """Errors for images that break the policy; for images that are missing or not
    loaded, problems of severity ``missing`` (a build makes them errors unless ``--draft``).

    ``read`` gives the source's text to locate each image's column (the loader passes its
    own, so the file is not read again)."""
    base = doc.path.parent
    problems: list[Problem] = []
    locate = _Locator(doc.body_path or doc.path, read or _read_plain)
    for image, line in iter_images(doc):
        src = image.src.strip()
        where = locate(line, src)
        scheme = urlsplit(src).scheme.lower()
        if scheme == "data":
            problems.extend(_data_image(src, where))
            continue
        if scheme in ("http", "https"):
            if not project.allow_remote:
                problems.append(
                    Problem(
                        where,
                        f"remote image {src!r} not loaded (allow_remote_resources is off)",
                        missing,
                    )
                )
            continue
        if scheme not in ("", "file"):
            problems.append(Problem(where, f"image {src!r}: scheme {scheme!r} not allowed"))
            continue
        problems.extend(_local_image(src, base, project, where, missing))
    return problems


def _local_image(
    src: str, base: Path, project: Project, where: Location, missing: str = "warning"
) -> list[Problem]:
    raw = Path(unquote(urlsplit(src).path))
    real, reason = check_file(
        raw if raw.is_absolute() else base / raw, readable_roots(project, base)
    )
    if real is None:
        if reason == NOT_FOUND:
            left_out = "; it will be left out" if missing == "warning" else ""
            return [Problem(where, f"image {src!r} not found{left_out}", missing)]
        if reason == OUTSIDE:
            reason += "; it cannot be used"
        return [Problem(where, f"image {src!r} is {reason}")]
    size = real.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return [
            Problem(where, f"image {src!r} is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
        ]
    return _pixels(real, src, where)


def _data_image(src: str, where: Location) -> list[Problem]:
    """An inline ``data:`` image gets the same size and pixel limits as a file."""
    header, _, payload = src.partition(",")
    if ";base64" not in header:
        return [Problem(where, "inline data: images must be base64-encoded")]
    if len(payload) * 3 // 4 > MAX_IMAGE_BYTES:
        return [Problem(where, f"inline image is larger than {MAX_IMAGE_BYTES:,} bytes")]
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return [Problem(where, "inline data: image is not valid base64")]
    label = src[:40] + "…"
    problems = _pixels(io.BytesIO(data), label, where, svg="svg" in header.lower())
    problems.append(
        Problem(where, f"inline image {label!r} is not embedded in the Word report", "warning")
    )
    return problems


def _pixels(
    image_file: Path | io.BytesIO, src: str, where: Location, svg: bool = False
) -> list[Problem]:
    """Read the image header only (Pillow opens lazily) to refuse decompression bombs."""
    from PIL import Image, UnidentifiedImageError

    if svg or (isinstance(image_file, Path) and image_file.suffix.lower() == ".svg"):
        return []
    try:
        with Image.open(image_file) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError):
        return [Problem(where, f"image {src!r} is not an image file Pillow can read")]
    except Image.DecompressionBombError as exc:
        return [
            Problem(
                where,
                f"image {src!r} is far over the limit of"
                f" {MAX_IMAGE_PIXELS // 1_000_000} megapixels ({exc})",
            )
        ]
    if width * height > MAX_IMAGE_PIXELS:
        return [
            Problem(
                where,
                f"image {src!r} is {width}×{height} pixels; the limit is"
                f" {MAX_IMAGE_PIXELS // 1_000_000} megapixels",
            )
        ]
    return []


class _Locator:
    """The line and column of an image's source in the file, found in its text.

    The model keeps each block's line, not the column of an inline image, and a paragraph
    may span lines: the column comes from searching the file from the block's line on,
    each search continuing after the previous hit so that repeated sources stay apart. The
    file is read once, at the first image."""

    def __init__(self, path: Path, read: Callable[[Path], str]) -> None:
        self.path = path
        self.read = read
        self._lines: list[str] | None = None
        self._after: dict[tuple[int, str], tuple[int, int]] = {}

    def __call__(self, line: int, needle: str) -> Location:
        lines = self._text()
        start_line, start_column = self._after.get((line, needle), (line, 0))
        for number in range(max(start_line, 1), min(line + 200, len(lines) + 1)):
            at = lines[number - 1].find(needle, start_column if number == start_line else 0)
            if needle and at >= 0:
                self._after[(line, needle)] = (number, at + 1)
                return Location(self.path, number, at + 1)
        return Location(self.path, line)

    def _text(self) -> list[str]:
        if self._lines is None:
            try:
                self._lines = self.read(self.path).split("\n")
            except DocgenError:
                self._lines = []
        return self._lines


def _read_plain(path: Path) -> str:
    """A source's text for locating only: unreadable means no column, not an error."""
    from .safeio import FileRefused, read_regular_file

    try:
        data = read_regular_file(path, 4 * 1024 * 1024)
    except (FileRefused, OSError):
        return ""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")
