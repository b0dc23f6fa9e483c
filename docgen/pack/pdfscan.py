"""A PDF's page count, read from its own page tree, without a PDF library at run time.

The renderer knows ``len(document.pages)`` and should pass it to the manifest when it can;
this reader is for the callers that only hold bytes (a build that gets paths back from a
renderer, ``verify`` tooling). It reads what WeasyPrint (pydyf) writes: classic objects
and compressed object streams (``/Type /ObjStm``, FlateDecode), finds the catalog's
``/Pages`` object and returns its ``/Count``. Decompression is capped, so a hostile file
cannot exhaust memory; anything it cannot read raises ``ValueError``.
"""

from __future__ import annotations

import re
import zlib

MAX_INFLATED_BYTES = 64 * 1024 * 1024
"""Cap on the bytes inflated from all object streams of one file."""

_HEADER = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_CATALOG = re.compile(rb"/Type\s*/Catalog(?![A-Za-z0-9])")
_PAGES_REF = re.compile(rb"/Pages\s+(\d{1,10})\s+\d{1,5}\s+R\b")
_PAGES_TYPE = re.compile(rb"/Type\s*/Pages(?![A-Za-z0-9])")
_COUNT = re.compile(rb"/Count\s+(\d{1,9})\b")
_LENGTH = re.compile(rb"/Length\s+(\d{1,10})(?!\s+\d+\s+R)")
_INTEGER = re.compile(rb"\d{1,10}")


def pdf_page_count(data: bytes) -> int:
    """The number of pages of the PDF ``data`` (the root page tree's ``/Count``)."""
    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF (no %PDF- header)")
    objects = pdf_objects(data)
    catalogs = [body for body in objects.values() if _CATALOG.search(body)]
    if not catalogs:
        raise ValueError("no document catalog")
    reference = _PAGES_REF.search(catalogs[-1])
    if reference is None:
        raise ValueError("the catalog has no /Pages")
    pages = objects.get(int(reference.group(1)))
    if pages is None or not _PAGES_TYPE.search(pages):
        raise ValueError("the catalog's /Pages is not a page tree")
    count = _COUNT.search(pages)
    if count is None:
        raise ValueError("the page tree has no /Count")
    return int(count.group(1))


def pdf_objects(data: bytes) -> dict[int, bytes]:
    """Every object's body (its dictionary, for streams) by object number, the objects of
    compressed object streams included; a later definition replaces an earlier one, as an
    incremental update does."""
    objects: dict[int, bytes] = {}
    budget = [MAX_INFLATED_BYTES]
    for match in _HEADER.finditer(data):
        start = match.end()
        body = _dictionary_at(data, start) or data[start : data.find(b"endobj", start)]
        objects[int(match.group(1))] = body
        if b"/ObjStm" in body:
            stream = _stream_after(data, start + len(body), body)
            if stream is not None:
                objects.update(_object_stream(stream, body, budget))
    return objects


def _dictionary_at(data: bytes, start: int) -> bytes | None:
    """The ``<< … >>`` dictionary beginning at ``start`` (after blanks), nesting, literal
    strings and hex strings respected; None when the object is not a dictionary."""
    position = start
    while position < len(data) and data[position : position + 1] in b" \t\r\n\f\x00":
        position += 1
    if data[position : position + 2] != b"<<":
        return None
    depth = 0
    index = position
    while index < len(data):
        pair = data[index : index + 2]
        char = data[index : index + 1]
        if pair == b"<<":
            depth += 1
            index += 2
        elif pair == b">>":
            depth -= 1
            index += 2
            if depth == 0:
                return data[position:index]
        elif char == b"(":
            index = _skip_literal(data, index)
        elif char == b"<":
            close = data.find(b">", index)
            index = len(data) if close < 0 else close + 1
        else:
            index += 1
    return None


def _skip_literal(data: bytes, index: int) -> int:
    """The index after the literal string opening at ``index`` (balanced, ``\\`` escapes)."""
    depth = 0
    while index < len(data):
        char = data[index : index + 1]
        if char == b"\\":
            index += 2
            continue
        if char == b"(":
            depth += 1
        elif char == b")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def _stream_after(data: bytes, position: int, dictionary: bytes) -> bytes | None:
    """The raw bytes of the stream that follows ``dictionary``, by its direct /Length."""
    keyword = data.find(b"stream", position, position + 64)
    length = _LENGTH.search(dictionary)
    if keyword < 0 or length is None:
        return None
    begin = keyword + len(b"stream")
    if data[begin : begin + 2] == b"\r\n":
        begin += 2
    elif data[begin : begin + 1] in (b"\n", b"\r"):
        begin += 1
    return data[begin : begin + int(length.group(1))]


def _object_stream(stream: bytes, dictionary: bytes, budget: list[int]) -> dict[int, bytes]:
    """The objects held in one ``/ObjStm``: its header pairs (number, offset), then bodies."""
    if b"/FlateDecode" in dictionary:
        inflater = zlib.decompressobj()
        try:
            stream = inflater.decompress(stream, budget[0])
        except zlib.error:
            return {}
        budget[0] -= len(stream)
        if inflater.unconsumed_tail:
            raise ValueError(f"object streams inflate past {MAX_INFLATED_BYTES} bytes")
    elif b"/Filter" in dictionary:
        return {}
    first_match = re.search(rb"/First\s+(\d{1,10})", dictionary)
    if first_match is None:
        return {}
    first = int(first_match.group(1))
    numbers = [int(n) for n in _INTEGER.findall(stream[:first])]
    pairs = list(zip(numbers[0::2], numbers[1::2], strict=False))
    found: dict[int, bytes] = {}
    for index, (number, offset) in enumerate(pairs):
        end = pairs[index + 1][1] if index + 1 < len(pairs) else len(stream) - first
        found[number] = stream[first + offset : first + end]
    return found
