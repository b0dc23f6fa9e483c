"""The pack: manifest, deterministic zip and verification, on real PDF and DOCX files."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import date
from importlib import metadata
from pathlib import Path

import docx
import pypdf
import pytest
import weasyprint

from docgen.errors import ConfigError, DocgenError
from docgen.pack.archive import (
    epoch_date_time,
    source_date_epoch,
    write_zip,
    zip_bytes,
    zip_entries,
)
from docgen.pack.manifest import Manifest, OutputEntry, engine_versions, parse_manifest
from docgen.pack.pdfscan import pdf_page_count
from docgen.pack.verify import verify_pack

from .conftest import REPO

STAMP = (2025, 12, 1, 0, 0, 0)
BUILD_BRIEF = (sys.executable, "-m", "docgen", "build", "source/maroc-kazakhstan.md", "-f", "pdf")
BUILD_BRIEF += ("--lang", "fr", "--quiet")


def pdf_of(pages: int, **options: object) -> bytes:
    """A real WeasyPrint PDF of ``pages`` pages."""
    body = '<p style="break-after: page">page</p>' * (pages - 1) + "<p>fin</p>"
    return weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf(**options)


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def entry(path: str, data: bytes, **fields: object) -> OutputEntry:
    base = OutputEntry(
        path=path,
        product="brief",
        format=path.rsplit(".", 1)[-1],
        language="fr",
        pages=None,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return {
        "brief.fr.pdf": pdf_of(3),
        "summary.pdf": pdf_of(1),
        "report.fr.docx": docx_bytes("Rapport"),
    }


def manifest_for(files: dict[str, bytes]) -> Manifest:
    entries = []
    for name, data in files.items():
        pages = pdf_page_count(data) if name.endswith(".pdf") else None
        language = "fr+en" if name.startswith("summary") else "fr"
        entries.append(entry(name, data, pages=pages, language=language))
    return Manifest(
        article="maroc–kazakhstan",
        outputs=tuple(entries),
        inputs=(
            ("source/maroc-kazakhstan.md", "a" * 64),
            ("source/maroc-kazakhstan.en.md", "b" * 64),
        ),
        versions=engine_versions(),
        build_date="2025-12-01",
    )


@pytest.fixture
def pack(tmp_path: Path, outputs: dict[str, bytes]) -> Path:
    """A real pack folder: the files, then their manifest."""
    folder = tmp_path / "maroc-kazakhstan"
    folder.mkdir()
    for name, data in outputs.items():
        (folder / name).write_bytes(data)
    (folder / "manifest.json").write_bytes(manifest_for(outputs).to_bytes())
    return folder


# --- manifest ---------------------------------------------------------------------------


def test_manifest_bytes_are_sorted_indented_utf8_and_read_back(pack: Path) -> None:
    data = (pack / "manifest.json").read_bytes()
    manifest = parse_manifest(data, pack / "manifest.json")
    shuffled = replace(
        manifest,
        outputs=tuple(reversed(manifest.outputs)),
        inputs=tuple(reversed(manifest.inputs)),
    )
    assert shuffled.to_bytes() == data
    assert manifest == shuffled
    assert data.endswith(b"}\n")
    assert "maroc–kazakhstan".encode() in data  # UTF-8, not \u escapes
    text = data.decode()
    assert text.splitlines()[1] == '  "article": "maroc–kazakhstan",'
    assert list(json.loads(text)) == sorted(json.loads(text))
    assert [e.path for e in manifest.outputs] == ["brief.fr.pdf", "report.fr.docx", "summary.pdf"]
    assert manifest.output("brief.fr.pdf").pages == 3  # type: ignore[union-attr]
    assert manifest.output("summary.pdf").language == "fr+en"  # type: ignore[union-attr]
    assert manifest.output("report.fr.docx").pages is None  # type: ignore[union-attr]


def test_malformed_json_is_located_by_line_and_column(tmp_path: Path) -> None:
    where = tmp_path / "manifest.json"
    with pytest.raises(DocgenError) as caught:
        parse_manifest(b'{\n  "article": "x",\n  "outputs": [,]\n}\n', where)
    (problem,) = caught.value.problems
    assert (problem.location.path, problem.location.line, problem.location.column) == (where, 3, 15)
    assert "invalid JSON" in problem.message


def test_wrong_shape_reports_every_problem_at_its_key(pack: Path) -> None:
    raw = json.loads((pack / "manifest.json").read_bytes())
    raw["outputs"][1]["sha256"] = "XYZ"
    raw["outputs"][2]["pages"] = 0
    raw["build_date"] = "2025-13-01"
    text = json.dumps(raw, indent=2, sort_keys=True)
    with pytest.raises(DocgenError) as caught:
        parse_manifest(text.encode(), pack / "manifest.json")
    found = {p.message.split(":")[0]: p.location.line for p in caught.value.problems}
    lines = text.splitlines()
    assert set(found) == {"build_date", "outputs[1].sha256", "outputs[2].pages"}
    assert '"build_date"' in lines[found["build_date"] - 1]
    assert '"XYZ"' in lines[found["outputs[1].sha256"] - 1]
    assert '"pages": 0' in lines[found["outputs[2].pages"] - 1]


@pytest.mark.parametrize(
    "path", ["../escape.pdf", "/etc/passwd", "a\\b.pdf", "C:x.pdf", "a//b.pdf", "./a.pdf", ""]
)
def test_unsafe_output_paths_are_refused(pack: Path, path: str) -> None:
    raw = json.loads((pack / "manifest.json").read_bytes())
    raw["outputs"][0]["path"] = path
    with pytest.raises(DocgenError, match=r"outputs\[0\]\.path"):
        parse_manifest(json.dumps(raw).encode(), pack / "manifest.json")
    with pytest.raises(ValueError):
        Manifest("a", (entry(path or "", b""),), (), (), "2025-12-01")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"article": "a", "article": "b"}', "duplicate key 'article'"),
        (b'{"format_version": 2}', "unsupported format_version 2"),
        (b"[]", "must be a JSON object"),
        (b'{"a": "\xff"}', "not UTF-8"),
    ],
)
def test_other_bad_manifests(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(DocgenError, match=message):
        parse_manifest(data, tmp_path / "manifest.json")


def test_engine_versions_come_from_metadata_without_importing_the_engines() -> None:
    script = (
        "import sys; from docgen.pack.manifest import engine_versions;"
        "v = dict(engine_versions());"
        "print(repr(v), 'weasyprint' in sys.modules, 'docx' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    found, weasy_loaded, docx_loaded = done.stdout.rsplit(" ", 2)
    assert (weasy_loaded, docx_loaded.strip()) == ("False", "False")
    versions = eval(found)  # a dict literal we printed ourselves
    assert versions == dict(engine_versions())
    assert versions["weasyprint"] == metadata.version("weasyprint")
    assert versions["python-docx"] == metadata.version("python-docx")
    assert {"docgen", "pydyf", "python", "zlib", "harfbuzz"} <= set(versions)


@pytest.mark.parametrize(
    "options", [{}, {"uncompressed_pdf": True}, {"pdf_variant": "pdf/a-1b"}, {"pdf_tags": True}]
)
@pytest.mark.parametrize("pages", [1, 4])
def test_pdf_page_count_matches_a_pdf_reader(pages: int, options: dict[str, object]) -> None:
    data = pdf_of(pages, **options)
    assert pdf_page_count(data) == len(pypdf.PdfReader(io.BytesIO(data)).pages) == pages


def test_pdf_page_count_of_the_real_brief(tmp_path: Path) -> None:
    subprocess.run(
        [*BUILD_BRIEF, "-o", str(tmp_path)],
        cwd=REPO,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    data = (tmp_path / "maroc-kazakhstan" / "brief.fr.pdf").read_bytes()
    assert pdf_page_count(data) == len(pypdf.PdfReader(io.BytesIO(data)).pages) > 1


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n%%EOF\n", b"GIF89a", docx_bytes("x")])
def test_pdf_page_count_refuses_what_is_not_a_pdf(data: bytes) -> None:
    with pytest.raises(ValueError):
        pdf_page_count(data)


# --- zip --------------------------------------------------------------------------------


def test_zip_is_the_same_whatever_the_order_and_reads_back(outputs: dict[str, bytes]) -> None:
    files = {**outputs, "manifest.json": manifest_for(outputs).to_bytes()}
    first = zip_bytes(files, STAMP)
    second = zip_bytes(dict(reversed(list(files.items()))), STAMP)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["manifest.json", *sorted(outputs)]
        for info in infos:
            assert info.date_time == STAMP
            assert info.external_attr >> 16 == 0o100644
            assert info.create_system == 3
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert archive.read(info) == files[info.filename]
    assert zip_bytes(files, (2025, 12, 1, 0, 0, 2)) != first  # the stamp is really written


def test_write_zip_ignores_mtimes_and_modes_and_skips_itself(pack: Path) -> None:
    one = write_zip(pack, pack.parent / "one.zip", STAMP).read_bytes()
    for path in pack.iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
        path.chmod(0o600)
    inside = write_zip(pack, pack / "pack.zip", STAMP)
    again = write_zip(pack, pack / "pack.zip", STAMP)  # the first one is not zipped into it
    assert inside.read_bytes() == again.read_bytes() == one
    assert (
        hashlib.sha256(one).hexdigest()
        == hashlib.sha256(
            zip_bytes(
                {p.name: p.read_bytes() for p in pack.iterdir() if p.name != "pack.zip"}, STAMP
            )
        ).hexdigest()
    )


def test_write_zip_refuses_a_symlink(pack: Path) -> None:
    (pack / "link.pdf").symlink_to(pack / "summary.pdf")
    with pytest.raises(ValueError, match="not a regular file"):
        write_zip(pack, pack.parent / "x.zip", STAMP)
    assert not (pack.parent / "x.zip").exists()


@pytest.mark.parametrize("name", ["../x", "/x", "a\\x", "a/../x"])
def test_zip_refuses_unsafe_names(name: str) -> None:
    with pytest.raises(ValueError):
        zip_entries([(name, b"x")], STAMP)


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        (None, (2025, 12, 1, 0, 0, 0)),
        (0, (1980, 1, 1, 0, 0, 0)),
        (1_700_000_001, (2023, 11, 14, 22, 13, 20)),
        (10**12, (2107, 12, 31, 23, 59, 58)),
    ],
)
def test_epoch_date_time(epoch: int | None, expected: tuple[int, ...]) -> None:
    assert epoch_date_time(epoch, date(2025, 12, 1)) == expected


def test_epoch_date_time_ignores_the_time_zone() -> None:
    script = (
        "from datetime import date; from docgen.pack.archive import *;"
        "print(epoch_date_time(source_date_epoch(), date(2025, 12, 1)))"
    )
    seen = set()
    for zone in ("UTC", "Asia/Almaty", "America/Los_Angeles"):
        env = {**os.environ, "TZ": zone, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(REPO)}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        seen.add(done.stdout.strip())
    assert seen == {"(2023, 11, 14, 22, 13, 20)"}


def test_source_date_epoch_from_the_environment() -> None:
    assert source_date_epoch({}) is None
    assert source_date_epoch({"SOURCE_DATE_EPOCH": ""}) is None
    assert source_date_epoch({"SOURCE_DATE_EPOCH": "1700000000"}) == 1_700_000_000
    for bad in ("-1", "1.5", "soon", "１２"):
        with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
            source_date_epoch({"SOURCE_DATE_EPOCH": bad})


# --- verify -----------------------------------------------------------------------------


def messages(problems: list[object]) -> list[str]:
    return [str(p) for p in problems]


def test_a_fresh_pack_verifies_as_folder_and_as_zip(pack: Path) -> None:
    (pack / "manifest.json.p7s").write_bytes(b"signature")
    assert verify_pack(pack) == []
    assert verify_pack(write_zip(pack, pack.parent / "pack.zip", STAMP)) == []


def test_each_changed_missing_or_extra_file_is_one_problem(pack: Path) -> None:
    data = bytearray((pack / "brief.fr.pdf").read_bytes())
    data[100] ^= 1
    (pack / "brief.fr.pdf").write_bytes(bytes(data))  # same size, other bytes
    (pack / "summary.pdf").write_bytes(b"short")
    (pack / "report.fr.docx").unlink()
    (pack / "notes.txt").write_text("extra")
    expected = [
        ("brief.fr.pdf", "sha256 differs"),
        ("report.fr.docx", "missing"),
        ("summary.pdf", "changed: 5 bytes"),
        ("notes.txt", "extra file"),
    ]
    for problems in (verify_pack(pack), verify_pack(write_zip(pack, pack.parent / "p.zip", STAMP))):
        assert len(problems) == 4
        for problem, (name, message) in zip(problems, expected, strict=True):
            assert problem.location.path.name == name
            assert message in problem.message


def test_a_missing_or_malformed_manifest_is_a_problem(pack: Path) -> None:
    (pack / "manifest.json").write_text('{"article": ')
    (problem,) = verify_pack(pack)
    assert problem.location.path == pack / "manifest.json"
    assert (problem.location.line, problem.location.column) == (1, 13)
    (pack / "manifest.json").unlink()
    (problem,) = verify_pack(pack)
    assert "no manifest.json" in problem.message
    assert "not a readable zip" in verify_pack(pack / "summary.pdf")[0].message
    assert "no such pack" in verify_pack(pack / "nothing")[0].message


def test_a_linked_output_is_refused(pack: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.pdf"
    (pack / "summary.pdf").rename(outside)
    (pack / "summary.pdf").symlink_to(outside)
    (problem,) = verify_pack(pack)
    assert problem.location.path == pack / "summary.pdf"
    assert "not a regular file" in problem.message


def test_a_hostile_zip_is_refused_entry_by_entry_and_nothing_is_written(tmp_path: Path) -> None:
    evil = b"evil"
    hostile = Manifest("a", (entry("ok.txt", evil),), (), (), "2025-12-01")
    raw = json.loads(hostile.to_bytes())
    raw["outputs"].append({**raw["outputs"][0], "path": "../escape.txt"})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps(raw))
        archive.writestr("ok.txt", evil)
        for name in ("../escape.txt", "/abs.txt", "a\\b.txt", "x/../../up.txt"):
            archive.writestr(name, evil)
    target = tmp_path / "sub" / "hostile.zip"
    target.parent.mkdir()
    target.write_bytes(buffer.getvalue())
    before = sorted(tmp_path.rglob("*"))
    problems = verify_pack(target)
    assert sorted(tmp_path.rglob("*")) == before
    refused = [p for p in problems if "refused" in p.message]
    assert len(refused) == 4
    assert all(p.location.path == target for p in refused)
    # the manifest itself names a path outside the pack: refused as a manifest problem
    assert any("outputs[1].path" in p.message for p in problems)


def test_a_zip_entry_whose_declared_size_differs_is_not_read(tmp_path: Path) -> None:
    manifest = Manifest("a", (entry("big.bin", b"x" * 10),), (), (), "2025-12-01")
    data = bytearray(
        zip_bytes({"manifest.json": manifest.to_bytes(), "big.bin": b"\0" * 5_000_000}, STAMP)
    )
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("big.bin")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF  # reading it would fail (CRC, inflate)
    target = tmp_path / "p.zip"
    target.write_bytes(bytes(data))
    (problem,) = verify_pack(target)
    assert problem.message == "changed: 5000000 bytes, the manifest says 10"
