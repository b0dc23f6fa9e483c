"""The pack's manifest: what each output is, what it was built from, with which engines.

The manifest is the pack's own record, so it must itself be reproducible: keys sorted,
lists sorted, no clock (``build_date`` is the article's date or ``SOURCE_DATE_EPOCH``'s),
UTF-8 with a final newline. Read back, it is treated as untrusted input: every shape
error is a located ``DocgenError`` and every path must pass the pack's name rule, because
``verify`` opens files by these paths.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import platform
import re
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import DocgenError, Location, Problem
from ..version import __version__
from .names import RESERVED_NAMES, unsafe_name_reason
from .pdfscan import pdf_page_count

__all__ = [
    "FORMAT_VERSION",
    "Manifest",
    "OutputEntry",
    "engine_versions",
    "parse_manifest",
    "pdf_page_count",
]

FORMAT_VERSION = 1
"""The manifest layout this docgen writes and reads."""

MAX_MANIFEST_BYTES = 1024 * 1024
"""A manifest lists a handful of files; anything larger is not one of ours."""

ENGINE_DISTRIBUTIONS = (
    "weasyprint",
    "pydyf",
    "python-docx",
    "lxml",
    "pillow",
    "fonttools",
    "markdown-it-py",
    "mdit-py-plugins",
    "jinja2",
    "babel",
)
"""The Python distributions whose version can change an output's bytes."""

NATIVE_LIBRARIES = (("harfbuzz", "libharfbuzz.so.0", "hb_version_string"),)
"""Native libraries that shape and subset the PDF's fonts, read through their C API."""

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OUTPUT_KEYS = ("bytes", "format", "language", "pages", "path", "product", "sha256")
_TOP_KEYS = ("article", "build_date", "format_version", "inputs", "outputs", "versions")


@dataclass(frozen=True)
class OutputEntry:
    """One file of the pack. ``path`` is relative to the pack folder, with ``/``;
    ``language`` is ``fr``, ``en`` … or ``fr+en`` for the bilingual sheet; ``pages`` is
    None for formats without fixed pages (DOCX)."""

    path: str
    product: str
    format: str
    language: str
    pages: int | None
    bytes: int
    sha256: str

    def to_json(self) -> dict[str, object]:
        return {
            "bytes": self.bytes,
            "format": self.format,
            "language": self.language,
            "pages": self.pages,
            "path": self.path,
            "product": self.product,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Manifest:
    """The record of one article's pack. Outputs are kept sorted by path and the pairs
    sorted by name, so two manifests of the same pack compare (and serialize) equal."""

    article: str
    outputs: tuple[OutputEntry, ...]
    inputs: tuple[tuple[str, str], ...]
    versions: tuple[tuple[str, str], ...]
    build_date: str
    format_version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        paths = [entry.path for entry in self.outputs]
        for path in paths:
            reason = unsafe_name_reason(path) or (
                "reserved name" if path in RESERVED_NAMES else None
            )
            if reason:
                raise ValueError(f"output path {path!r}: {reason}")
        if len(set(paths)) != len(paths):
            raise ValueError("two outputs with the same path")
        object.__setattr__(self, "outputs", tuple(sorted(self.outputs, key=lambda e: e.path)))
        object.__setattr__(self, "inputs", tuple(sorted(self.inputs)))
        object.__setattr__(self, "versions", tuple(sorted(self.versions)))

    def to_json(self) -> dict[str, object]:
        return {
            "article": self.article,
            "build_date": self.build_date,
            "format_version": self.format_version,
            "inputs": dict(self.inputs),
            "outputs": [entry.to_json() for entry in self.outputs],
            "versions": dict(self.versions),
        }

    def to_bytes(self) -> bytes:
        """Deterministic JSON: sorted keys, 2-space indent, UTF-8 (not escaped), final
        newline. The same manifest gives the same bytes on every machine."""
        text = json.dumps(self.to_json(), sort_keys=True, indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")

    def output(self, path: str) -> OutputEntry | None:
        """The entry for ``path``, if the pack lists it."""
        return next((entry for entry in self.outputs if entry.path == path), None)


@functools.cache  # installed versions do not change while docgen runs
def engine_versions() -> tuple[tuple[str, str], ...]:
    """The versions of everything that shapes an output's bytes: docgen, the Python
    rendering libraries (read from their installed metadata, without importing them: the
    build must not pay WeasyPrint's import for a manifest), Python, zlib (which deflates
    the PDF streams and the zip), and HarfBuzz (which subsets the fonts)."""
    found = [("docgen", __version__), ("python", platform.python_version())]
    listed = _wheel_versions()
    for name in ENGINE_DISTRIBUTIONS:
        version = listed.get(_wheel_name(name))
        if version is None:
            from importlib import metadata  # an install without wheel folders: ask it

            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
        found.append((name, version))
    found.append(("zlib", zlib.ZLIB_RUNTIME_VERSION))
    for name, library, symbol in NATIVE_LIBRARIES:
        version = _native_version(library, symbol)
        if version:
            found.append((name, version))
    return tuple(sorted(found))


def _wheel_name(name: str) -> str:
    """A distribution's name as its ``.dist-info`` folder spells it (PEP 427, PEP 503)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _wheel_versions() -> dict[str, str]:
    """The version of every distribution installed from a wheel, read from the names of
    the ``NAME-VERSION.dist-info`` folders on ``sys.path``, first found first, as Python
    imports them: without ``importlib.metadata`` (and the email parser it loads for every
    METADATA file), whose import alone costs a build about 10 ms."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            stem = folder.removesuffix(".dist-info")
            if stem != folder and stem.count("-") == 1:
                name, version = stem.split("-")
                found.setdefault(_wheel_name(name), version)
    return found


def _native_version(library: str, symbol: str) -> str | None:
    """A C library's ``const char *version(void)``, or None where it is not installed."""
    try:
        function = getattr(ctypes.CDLL(library), symbol)
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_char_p
    function.argtypes = []
    value = function()
    return value.decode("ascii", "replace") if isinstance(value, bytes) else None


def parse_manifest(data: bytes, where: Path) -> Manifest:
    """Read a manifest written by ``Manifest.to_bytes``; raise ``DocgenError`` with every
    problem located in ``where`` (line and column of the JSON error, or of the offending
    key, as near as the text allows)."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise DocgenError.at(where, f"manifest larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data[: error.start].decode("utf-8"))
        raise DocgenError.at(where, "manifest is not UTF-8", line, column) from None
    try:
        raw = json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as error:
        line, column = _locate(text, [json.dumps(error.key)], occurrence=2)
        raise DocgenError.at(where, f"duplicate key {error.key!r}", line, column) from None
    except json.JSONDecodeError as error:
        raise DocgenError.at(
            where, f"invalid JSON: {error.msg}", error.lineno, error.colno
        ) from None
    reader = _Reader(text, where)
    manifest = reader.manifest(raw)
    if reader.problems or manifest is None:
        raise DocgenError(reader.problems)
    return manifest


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object hook refusing repeated keys: ``json`` would silently keep the last,
    so a hostile manifest could show one value to a reader and another to the check."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _position(text_before: str) -> tuple[int, int]:
    """1-based line and column just after ``text_before``."""
    line = text_before.count("\n") + 1
    column = len(text_before) - (text_before.rfind("\n") + 1) + 1
    return line, column


def _locate(text: str, needles: list[str], occurrence: int = 1) -> tuple[int, int]:
    """Line and column of the last of ``needles``, each searched after the previous one
    (the last one ``occurrence`` times); (0, 0) when the text does not contain them."""
    position = 0
    found = -1
    for index, needle in enumerate(needles):
        times = occurrence if index == len(needles) - 1 else 1
        for _ in range(times):
            found = text.find(needle, position)
            if found < 0:
                return 0, 0
            position = found + len(needle)
    return _position(text[:found])


class _Reader:
    """Types the decoded JSON, collecting every problem with the place it points to."""

    def __init__(self, text: str, where: Path) -> None:
        self.text = text
        self.where = where
        self.problems: list[Problem] = []

    def problem(self, message: str, needles: list[str], occurrence: int = 1) -> None:
        line, column = _locate(self.text, needles, occurrence)
        self.problems.append(Problem(Location(self.where, line, column), message))

    def manifest(self, raw: object) -> Manifest | None:
        if not isinstance(raw, dict):
            self.problem("the manifest must be a JSON object", [])
            return None
        version = raw.get("format_version")
        if not _is_int(version) or version != FORMAT_VERSION:
            self.problem(
                f"unsupported format_version {version!r} (this docgen reads {FORMAT_VERSION})",
                ['"format_version"'],
            )
            return None
        for key in sorted(set(_TOP_KEYS) - set(raw)):
            self.problem(f"missing key {key!r}", [])
        for key in sorted(set(raw) - set(_TOP_KEYS)):
            self.problem(f"unknown key {key!r}", [json.dumps(key)])
        article = self.text_value(raw.get("article"), "article")
        build_date = self.date_value(raw.get("build_date"))
        inputs = self.mapping(raw.get("inputs"), "inputs", _is_sha256, "a sha256 (64 hex)")
        versions = self.mapping(raw.get("versions"), "versions", _is_text, "a string")
        outputs = self.outputs(raw.get("outputs"))
        if self.problems:
            return None
        return Manifest(
            article=article,
            outputs=tuple(outputs),
            inputs=tuple(inputs),
            versions=tuple(versions),
            build_date=build_date,
            format_version=FORMAT_VERSION,
        )

    def text_value(self, value: object, key: str, needles: list[str] | None = None) -> str:
        if not _is_text(value):
            self.problem(f"{key}: expected a non-empty string", needles or [f'"{key}"'])
            return ""
        assert isinstance(value, str)
        return value

    def date_value(self, value: object) -> str:
        text = self.text_value(value, "build_date")
        if text and not _is_date(text):
            self.problem(f"build_date: {text!r} is not an ISO date (YYYY-MM-DD)", ['"build_date"'])
        return text

    def mapping(
        self, value: object, key: str, valid: Callable[[object], bool], expected: str
    ) -> list[tuple[str, str]]:
        if not isinstance(value, dict):
            if value is not None:
                self.problem(f"{key}: expected an object of names", [f'"{key}"'])
            return []
        pairs: list[tuple[str, str]] = []
        for name, item in value.items():
            if not name or not valid(item):
                self.problem(
                    f"{key}[{name!r}]: expected {expected}", [f'"{key}"', json.dumps(name)]
                )
            else:
                pairs.append((name, item))
        return pairs

    def outputs(self, value: object) -> list[OutputEntry]:
        if not isinstance(value, list):
            if value is not None:
                self.problem("outputs: expected a list", ['"outputs"'])
            return []
        entries: list[OutputEntry] = []
        seen: set[str] = set()
        for index, item in enumerate(value):
            entry = self.output(index, item)
            if entry is None:
                continue
            if entry.path in seen:
                self.problem(
                    f"outputs[{index}]: path {entry.path!r} listed twice",
                    ['"outputs"', json.dumps(entry.path, ensure_ascii=False)],
                    occurrence=2,
                )
                continue
            seen.add(entry.path)
            entries.append(entry)
        return entries

    def output(self, index: int, item: object) -> OutputEntry | None:
        near = ['"outputs"', *(["{"] * (index + 1))]
        if not isinstance(item, dict):
            self.problem(f"outputs[{index}]: expected an object", ['"outputs"'])
            return None
        before = len(self.problems)
        for key in sorted(set(_OUTPUT_KEYS) - set(item)):
            self.problem(f"outputs[{index}]: missing key {key!r}", near)
        for key in sorted(set(item) - set(_OUTPUT_KEYS)):
            self.problem(f"outputs[{index}]: unknown key {key!r}", [*near, json.dumps(key)])
        if len(self.problems) > before:
            return None

        self.fields(index, item, near)
        if len(self.problems) > before:
            return None
        path = item["path"]
        pages = item["pages"]
        size = item["bytes"]
        return OutputEntry(
            path=path,
            product=item["product"],
            format=item["format"],
            language=item["language"],
            pages=pages,
            bytes=size,
            sha256=item["sha256"],
        )

    def fields(self, index: int, item: dict[str, Any], near: list[str]) -> None:
        """The type and range of each field of ``outputs[index]``."""

        def bad(key: str, expected: str) -> None:
            self.problem(f"outputs[{index}].{key}: expected {expected}", [*near, f'"{key}"'])

        path = item["path"]
        if not isinstance(path, str):
            bad("path", "a string")
        elif reason := unsafe_name_reason(path):
            bad("path", f"a safe relative name ({reason}: {path!r})")
        elif path in RESERVED_NAMES:
            bad("path", f"an output name ({path!r} is reserved)")
        for key in ("product", "format", "language"):
            if not _is_text(item[key]):
                bad(key, "a non-empty string")
        pages = item["pages"]
        if pages is not None and (not _is_int(pages) or pages < 1):
            bad("pages", "a positive integer or null")
        size = item["bytes"]
        if not _is_int(size) or size < 0:
            bad("bytes", "a non-negative integer")
        if not _is_sha256(item["sha256"]):
            bad("sha256", "64 lowercase hexadecimal digits")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _is_sha256(value: object) -> bool:
    return isinstance(value, str) and _SHA256.match(value) is not None


def _is_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
