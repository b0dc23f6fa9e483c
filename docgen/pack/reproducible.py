"""Outputs whose bytes depend only on their content: not on the clock, the time zone, or
the folder the project sits in.

**DOCX.** python-docx writes each part's content deterministically, but the zip around it
carries the local time of the save (time zone included) and the temporary file's mode.
``normalize_zip`` rewrites the same entries in the same order with fixed attributes.

**PDF.** Measured with WeasyPrint 70 / pydyf 0.13: the brief's bytes do not depend on the
run or the time zone (no ``/ID`` unless asked, whose value is then an md5 of the objects;
``/CreationDate`` comes from the article's ``dcterms.created``; font subset tags are an md5
of the Pango font description, not of a path). One thing depends on the folder: an image's
XObject name is the md5 of its *URL* (``weasyprint.images``), and a relative link becomes
an absolute ``file://`` URI in the link annotation. Both vanish when the HTML is laid out
with a canonical base URL: ``UrlMap`` gives every local file a URL under a host that
cannot exist (``file://docgen.invalid/<label>/<relative path>``), and maps it back to the
real file for the URL fetcher, which then applies the usual resource policy.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .archive import DateTime, zip_entries

CONTENT_TYPES = "[Content_Types].xml"
"""The OPC part that Word expects first in the package."""

CANONICAL_HOST = "docgen.invalid"
"""The host of canonical file URLs: ``.invalid`` is reserved (RFC 2606), so no real file
URL (host empty or ``localhost``) can be mistaken for one."""

MAX_ENTRY_BYTES = 512 * 1024 * 1024
"""A DOCX entry larger than this is not one python-docx wrote for a brief."""


def normalize_zip(data: bytes, date_time: DateTime) -> bytes:
    """The zip ``data`` (a DOCX) rewritten byte-stably: the same entries, in the same order
    but with ``[Content_Types].xml`` first, each with ``date_time``, mode 0644, a Unix
    creator and deflate level 9. The content of every entry is kept as it is."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        for info in infos:
            if info.file_size > MAX_ENTRY_BYTES:
                raise ValueError(f"{info.filename!r} is larger than {MAX_ENTRY_BYTES} bytes")
        ordered = sorted(infos, key=lambda info: info.filename != CONTENT_TYPES)
        entries = [(info.filename, source.read(info)) for info in ordered if not info.is_dir()]
    return zip_entries(entries, date_time)


@dataclass(frozen=True)
class UrlMap:
    """Canonical URLs for local files: ``file://docgen.invalid/<label>/<path>``, where each
    label names one root folder. A file is written under the deepest root that holds it,
    so the same project gives the same URLs wherever it is checked out."""

    roots: tuple[tuple[str, Path], ...]

    def __post_init__(self) -> None:
        labels = [label for label, _ in self.roots]
        if len(set(labels)) != len(labels) or not all(_plain_label(x) for x in labels):
            raise ValueError(f"root labels must be distinct plain names: {labels}")
        resolved = tuple((label, root.resolve()) for label, root in self.roots)
        object.__setattr__(self, "roots", resolved)

    def url(self, path: Path) -> str:
        """The canonical URL of ``path``; its real ``file://`` URI when no root holds it
        (correct, but then the PDF depends on where that file is)."""
        real = path.resolve()
        best: tuple[int, str, Path] | None = None
        for label, root in self.roots:
            if real.is_relative_to(root) and (best is None or len(root.parts) > best[0]):
                best = (len(root.parts), label, root)
        if best is None:
            return real.as_uri()
        _, label, root = best
        relative = real.relative_to(root).as_posix()
        tail = "" if relative == "." else quote(relative, safe="/")
        return f"file://{CANONICAL_HOST}/{label}/{tail}"

    def base_url(self, folder: Path) -> str:
        """The base URL for HTML whose relative references start in ``folder``."""
        url = self.url(folder)
        return url if url.endswith("/") else url + "/"

    def path(self, url: str) -> Path | None:
        """The real file behind a canonical URL; None for any other URL (a real ``file://``
        URL, ``data:``, ``https:`` …), which the fetcher handles as before. A canonical URL
        with an unknown label or a ``..`` segment raises ``ValueError`` (refused)."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc.lower() != CANONICAL_HOST:
            return None
        decoded = unquote(parts.path)
        if "\x00" in decoded or "\\" in decoded:
            raise ValueError(f"control character or backslash in {url}")
        segments = decoded.split("/")
        label, rest = (segments[1], segments[2:]) if len(segments) > 1 else ("", [])
        root = dict(self.roots).get(label)
        if root is None:
            raise ValueError(f"unknown root {label!r} in {url}")
        if any(segment in ("..", ".") for segment in rest):
            raise ValueError(f"'..' in {url}")
        return root.joinpath(*[segment for segment in rest if segment])


def project_url_map(
    project_root: Path, builtin_templates: Path, extra: Iterable[tuple[str, Path]] = ()
) -> UrlMap:
    """The map a build uses: the project (sources, its templates, assets) as ``project``,
    docgen's own templates as ``docgen`` (inside the wheel or the repository: the deeper
    root wins, so fonts get the same URL either way), and ``extra`` roots such as an
    article's folder outside the project (label it ``article``)."""
    return UrlMap((("docgen", builtin_templates), ("project", project_root), *extra))


def _plain_label(label: str) -> bool:
    """A label is one URL-safe path segment."""
    return bool(label) and label not in (".", "..") and quote(label, safe="") == label
