"""A Word package (``reference.docx``) checked before python-docx decompresses it.

A ``.docx`` is a zip file, and python-docx reads every part into memory: a 2 MB package
can claim a 2 GiB ``styles.xml`` (a zip bomb), hide encrypted or exotically compressed
entries that end in an internal error, or carry XML with a DOCTYPE whose entities expand
or dangle. ``check_docx_package`` refuses all of these with a ``TemplateError`` located at
the file, first from the central directory (sizes, ratios, flags, methods, entry count)
and then again while decompressing every entry in a bounded stream — the directory can
lie, so what is actually produced is counted too.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path
from typing import NoReturn

from .errors import TemplateError
from .safeio import FileRefused, read_regular_file

MAX_PACKAGE_BYTES = 50 * 1024 * 1024
"""The package as stored: a reference document with a few images and fonts is far less."""
MAX_ENTRIES = 1000
"""Word writes about a dozen parts; a thousand is generous."""
MAX_CENTRAL_DIRECTORY_BYTES = 1024 * 1024
"""Bounds the memory ``zipfile`` spends listing entries, checked before it does."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""One part, decompressed: an embedded font or a large image fits."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""Every part, decompressed: what python-docx would hold in memory at once."""
MAX_RATIO = 200
"""Decompressed over compressed size. Word's XML compresses 5–20×, fonts and images less;
a bomb compresses a thousandfold."""
RATIO_FLOOR = 1024 * 1024
"""Parts smaller than this may have any ratio: they cannot hurt, and tiny repetitive XML
compresses very well."""

_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
"""The compression methods Word and LibreOffice write; others are refused, not tried."""
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_CHUNK = 64 * 1024
_XML_PART = re.compile(r"\.(xml|rels)$", re.IGNORECASE)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTITY_REF = re.compile(rb"&([A-Za-z_][\w.\-]*);")
_PREDEFINED = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def check_docx_package(path: Path, data: bytes | None = None) -> None:
    """Raise ``TemplateError`` (at ``path``) unless the package is safe to hand to python-docx.

    ``data``: the package's bytes when the caller already holds them — then open *those*
    bytes with python-docx (``docx.Document(io.BytesIO(data))``), not the file again, so
    what was checked is what is read.
    """
    if data is None:
        data = read_docx_bytes(path)
    elif len(data) > MAX_PACKAGE_BYTES:
        _refuse(path, f"is {len(data):,} bytes; the limit is {MAX_PACKAGE_BYTES:,}")
    _check_end_record(path, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            _check_directory(path, infos)
            total = 0
            for info in infos:
                total += _check_entry_stream(path, package, info, MAX_TOTAL_BYTES - total)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        _refuse(path, f"is not a valid .docx (broken zip: {exc})")
    except NotImplementedError as exc:
        _refuse(path, f"is not a valid .docx: {exc}")


def read_docx_bytes(path: Path) -> bytes:
    """The package's bytes, read under the package limit (no FIFO, no device)."""
    try:
        return read_regular_file(path, MAX_PACKAGE_BYTES)
    except FileRefused as exc:
        raise TemplateError.at(path, str(exc)) from None


def check_xml_part(path: Path, name: str, data: bytes) -> None:
    """Refuse a DOCTYPE, an entity declaration or a reference to an undeclared entity.

    OOXML never needs them; lxml would either expand them (a billion laughs) or, with
    entities off, keep references that python-docx writes back as malformed XML.
    """
    text = _as_utf8(data)
    if _DECLARATION.search(text):
        _refuse(path, f"part {name!r} holds a DOCTYPE or entity declaration; Word never writes one")
    for match in _ENTITY_REF.finditer(text):
        if match.group(1) not in _PREDEFINED:
            entity = match.group(1).decode("ascii", "replace")
            _refuse(path, f"part {name!r} refers to the undeclared entity '&{entity};'")


def _check_end_record(path: Path, data: bytes) -> None:
    """Bound the central directory before ``zipfile`` lists it (it allocates per entry)."""
    at = data.rfind(_EOCD, max(0, len(data) - _EOCD_SIZE - 0xFFFF))
    if at < 0 or at + _EOCD_SIZE > len(data):
        _refuse(path, "is not a valid .docx (not a zip file)")
    entries, directory_size = struct.unpack_from("<xxxxxxxxxxHI", data, at)
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        _refuse(path, "is a ZIP64 package; a reference document never needs one")
    if entries > MAX_ENTRIES:
        _refuse(path, f"has {entries:,} entries; the limit is {MAX_ENTRIES:,}")
    if directory_size > MAX_CENTRAL_DIRECTORY_BYTES:
        _refuse(
            path,
            f"has a {directory_size:,}-byte zip directory;"
            f" the limit is {MAX_CENTRAL_DIRECTORY_BYTES:,}",
        )


def _check_directory(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """What the central directory claims, checked before anything is decompressed."""
    if len(infos) > MAX_ENTRIES:
        _refuse(path, f"has {len(infos):,} entries; the limit is {MAX_ENTRIES:,}")
    total = 0
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            _refuse(path, f"part {name!r} is encrypted; save the document without a password")
        if info.compress_type not in _METHODS:
            _refuse(
                path,
                f"part {name!r} uses compression method {info.compress_type};"
                " only stored and deflate are accepted",
            )
        if info.file_size > MAX_ENTRY_BYTES:
            _refuse(
                path,
                f"part {name!r} claims {info.file_size:,} bytes decompressed;"
                f" the limit is {MAX_ENTRY_BYTES:,}",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            _refuse(
                path,
                f"part {name!r} decompresses {info.file_size // max(info.compress_size, 1):,}"
                f" times its size; the limit is {MAX_RATIO} (a zip bomb?)",
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        _refuse(
            path, f"claims {total:,} bytes decompressed in all; the limit is {MAX_TOTAL_BYTES:,}"
        )


def _check_entry_stream(
    path: Path, package: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int
) -> int:
    """Decompress one entry in chunks, never past its claimed size or the budget left;
    ``zipfile`` checks the CRC at the end. XML parts are checked for declarations.
    Returns the bytes produced."""
    limit = min(info.file_size, MAX_ENTRY_BYTES, budget)
    keep_text = bool(_XML_PART.search(info.filename))
    produced = 0
    chunks: list[bytes] = []
    with package.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            produced += len(chunk)
            if produced > limit:
                _refuse(
                    path,
                    f"part {info.filename!r} decompresses to more than {limit:,} bytes",
                )
            if keep_text:
                chunks.append(chunk)
    if produced != info.file_size:
        _refuse(path, f"part {info.filename!r} is not the size its zip directory claims")
    if keep_text:
        check_xml_part(path, info.filename, b"".join(chunks))
    return produced


def _as_utf8(data: bytes) -> bytes:
    """XML parts may be UTF-16 (with a BOM); search them as UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return data
    return data


def _refuse(path: Path, message: str) -> NoReturn:
    raise TemplateError.at(path, f"{path.name} {message}")
