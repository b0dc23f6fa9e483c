"""The reference document is checked before python-docx decompresses anything.

Every hostile package is crafted here, small: a header claiming 2 GiB is a patched field,
never two gigabytes of memory.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest

from docgen.errors import TemplateError
from docgen.safezip import (
    MAX_ENTRIES,
    check_docx_package,
    check_xml_part,
)

from .conftest import REPO

REFERENCE = REPO / "templates" / "report" / "reference.docx"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"


def package(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return buffer.getvalue()


def patch(data: bytes, name: str, *, size: int | None = None, **fields: int) -> bytes:
    """Rewrite a header field of entry ``name`` in both its local and central headers:
    ``size`` (uncompressed), ``flags``, ``method``."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, offsets in (
        (_LOCAL, {"flags": 6, "method": 8, "size": 22}),
        (_CENTRAL, {"flags": 8, "method": 10, "size": 24}),
    ):
        at = 0
        while (at := out.find(signature, at)) >= 0:
            name_at = at + (30 if signature == _LOCAL else 46)
            if out[name_at : name_at + len(encoded)] == encoded:
                if size is not None:
                    struct.pack_into("<I", out, at + offsets["size"], size)
                for field, value in fields.items():
                    struct.pack_into("<H", out, at + offsets[field], value)
            at += 4
    return bytes(out)


def refusal(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "reference.docx"
    path.write_bytes(data)
    with pytest.raises(TemplateError) as caught:
        check_docx_package(path)
    (problem,) = caught.value.problems
    assert problem.location.path == path
    with pytest.raises(TemplateError):
        check_docx_package(path, data)
    return problem.message


def word_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(REFERENCE) as reference:
        return {info.filename: reference.read(info) for info in reference.infolist()}


def test_the_shipped_reference_passes_and_opens() -> None:
    data = REFERENCE.read_bytes()
    check_docx_package(REFERENCE)
    check_docx_package(REFERENCE, data)
    assert docx.Document(io.BytesIO(data)).styles["Normal"] is not None


def test_a_part_claiming_two_gigabytes_is_refused_before_decompressing(tmp_path: Path) -> None:
    parts = word_parts()
    data = patch(package(parts), "word/styles.xml", size=2 * 1024**3)
    message = refusal(tmp_path, data)
    assert "'word/styles.xml' claims 2,147,483,648 bytes decompressed" in message


def test_a_high_ratio_part_is_refused(tmp_path: Path) -> None:
    parts = {**word_parts(), "word/media/zeros.bin": bytes(4 * 1024 * 1024)}
    message = refusal(tmp_path, package(parts))
    assert "'word/media/zeros.bin' decompresses" in message and "zip bomb" in message


def test_a_directory_that_understates_a_part_is_caught_while_reading(tmp_path: Path) -> None:
    real = bytes(900 * 1024)  # under the ratio floor as claimed; the stream holds more
    data = patch(package({**word_parts(), "word/media/x.bin": real}), "word/media/x.bin", size=1000)
    message = refusal(tmp_path, data)
    assert "broken zip" in message or "not the size" in message


def test_encrypted_and_unknown_methods_are_refused(tmp_path: Path) -> None:
    data = package(word_parts())
    assert "encrypted" in refusal(tmp_path, patch(data, "word/document.xml", flags=0x1))
    message = refusal(tmp_path, patch(data, "word/document.xml", method=99))
    assert "compression method 99" in message


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    parts = {f"word/media/{i}.txt": b"" for i in range(MAX_ENTRIES + 1)}
    assert f"limit is {MAX_ENTRIES:,}" in refusal(tmp_path, package(parts, zipfile.ZIP_STORED))


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    assert "not a zip" in refusal(tmp_path, b"PK\x03\x04 not really")


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "DOCTYPE"),
        (b"<x>&undeclared;</x>", "'&undeclared;'"),
        ("<!DOCTYPE x><x/>".encode("utf-16"), "DOCTYPE"),
    ],
)
def test_xml_parts_with_declarations_or_entities_are_refused(
    tmp_path: Path, xml: bytes, expected: str
) -> None:
    parts = {**word_parts(), "docProps/core.xml": xml}
    assert expected in refusal(tmp_path, package(parts))


def test_predefined_entities_pass() -> None:
    check_xml_part(Path("r.docx"), "word/document.xml", b"<x a='&quot;'>&amp;&lt;&#169;</x>")
