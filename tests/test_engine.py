"""The build engine's promises, checked on real builds: the cache answers exactly when no
input changed, the bytes do not depend on the machine's folder or time zone, each pack's
manifest and ``verify`` agree, and -j N, a Dask cluster, a failed job and a killed build
leave the outputs as they should."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import docx
import psutil
import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

import docgen
import docgen.engine.job
from docgen import api
from docgen.cli import main
from docgen.engine.job import Job

from .conftest import REPO, pdf_text

FRONT = """\
---
title: {{fr: Titre {name}, en: Title {name}}}
author: {{name: Jeanne Martin}}
date: 2026-03-14
lang: fr
summary: {{fr: {summary}, en: Short summary.}}
---

"""
BODY = "Texte original de {name}.\n\n![Une image](img.png)\n"
TRANSLATION = "Original text of {name}.\n\n![An image](img.png)\n"
OUTPUTS = {
    "brief.fr.pdf",
    "brief.en.pdf",
    "report.fr.docx",
    "report.en.docx",
    "summary.pdf",
    "summary.docx",
}
RED = (200, 30, 30)
BLUE = (30, 30, 200)
FONTS = REPO / "templates" / "fonts"


def run(*args: str) -> tuple[int, str]:
    """``docgen ARGS`` in this process: exit status and everything printed."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def write_article(
    project: Path, name: str = "a", summary: str = "Résumé court.", body: str = BODY
) -> Path:
    path = project / "source" / f"{name}.md"
    path.write_text(
        FRONT.format(name=name, summary=summary) + body.format(name=name), encoding="utf-8"
    )
    (project / "source" / f"{name}.en.md").write_text(
        TRANSLATION.format(name=name), encoding="utf-8"
    )
    return path


def make_project(root: Path, articles: tuple[str, ...] = ("a",)) -> Path:
    """A project by hand: docgen.toml, articles with a translation and an image."""
    (root / "source").mkdir(parents=True)
    (root / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    (root / "source" / "img.png").write_bytes(png(RED))
    for name in articles:
        write_article(root, name)
    return root


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative name."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Tracker:
    """Which outputs a build rendered, and which it took from the cache."""

    def __init__(self) -> None:
        self.rendered: set[str] = set()
        self.cached: set[str] = set()

    def __call__(self, done: int, total: int, job: Job, cached: bool) -> None:
        (self.cached if cached else self.rendered).add(f"{job.article}/{job.output}")


def build(**kwargs: object) -> tuple[api.BuildResult, Tracker]:
    tracker = Tracker()
    result = api.build(languages=["all"], on_progress=tracker, **kwargs)  # type: ignore[arg-type]
    assert result.rendered == len(tracker.rendered)
    assert result.cached == len(tracker.cached)
    return result, tracker


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return root


@pytest.fixture
def built(project: Path) -> Path:
    """The project, built once in every language (the cache filled)."""
    result, tracker = build()
    assert tracker.rendered == {f"a/{name}" for name in OUTPUTS}
    assert result.cached == 0
    return project


def all_outputs(article: str = "a") -> set[str]:
    return {f"{article}/{name}" for name in OUTPUTS}


# --------------------------------------------------------------------------- the cache


@pytest.mark.slow
def test_an_unchanged_build_renders_nothing_and_writes_the_same_bytes(built: Path) -> None:
    before = files_of(built / "output")
    result, tracker = build()
    assert result.rendered == 0
    assert tracker.cached == all_outputs()
    assert files_of(built / "output") == before
    code, out = run("build", "--lang", "all", "-j", "1")
    assert code == 0, out
    assert "(0 rendered, 6 from the cache)" in out
    assert files_of(built / "output") == before


@pytest.mark.slow
def test_an_edited_source_renders_every_output_again(built: Path) -> None:
    source = built / "source" / "a.md"
    source.write_text(source.read_text(encoding="utf-8").replace("original", "modifié"), "utf-8")
    _result, tracker = build()
    assert tracker.rendered == all_outputs()
    output = built / "output" / "a"
    assert "Texte modifié de a." in pdf_text(output / "brief.fr.pdf")
    paragraphs = [p.text for p in docx.Document(str(output / "report.fr.docx")).paragraphs]
    assert "Texte modifié de a." in paragraphs


@pytest.mark.slow
def test_an_edited_translation_renders_only_that_language_again(built: Path) -> None:
    output = built / "output" / "a"
    french = (output / "brief.fr.pdf").read_bytes()
    (built / "source" / "a.en.md").write_text("Changed text.\n\n![An image](img.png)\n", "utf-8")
    _result, tracker = build()
    assert tracker.rendered == {"a/brief.en.pdf", "a/report.en.docx"}
    assert "Changed text." in pdf_text(output / "brief.en.pdf")
    assert "Original text" not in pdf_text(output / "brief.en.pdf")
    assert (output / "brief.fr.pdf").read_bytes() == french


def first_image_colour(pdf: Path) -> tuple[int, ...]:
    image = PdfReader(pdf).pages[0].images[0].image
    assert image is not None
    pixel = image.convert("RGB").getpixel((0, 0))
    assert isinstance(pixel, tuple)
    return pixel


@pytest.mark.slow
def test_a_replaced_image_renders_the_outputs_that_show_it_again(built: Path) -> None:
    output = built / "output" / "a"
    before = files_of(output)
    assert first_image_colour(output / "brief.fr.pdf") == RED
    (built / "source" / "img.png").write_bytes(png(BLUE))
    _result, tracker = build()
    shown = {"a/brief.fr.pdf", "a/brief.en.pdf", "a/report.fr.docx", "a/report.en.docx"}
    assert shown <= tracker.rendered
    for name in ("brief.fr.pdf", "brief.en.pdf"):
        assert (output / name).read_bytes() != before[name]
        assert first_image_colour(output / name) == BLUE
    with zipfile.ZipFile(output / "report.fr.docx") as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert [archive.read(n) for n in media] == [png(BLUE)]


@pytest.mark.slow
def test_a_template_override_renders_again_and_shows(built: Path) -> None:
    code, out = run("templates", "eject", "brief/brief.css")
    assert code == 0, out
    css = built / "templates" / "brief" / "brief.css"
    assert css.is_file()
    build()
    assert "OVERRIDE-MARK" not in pdf_text(built / "output" / "a" / "brief.fr.pdf")
    with css.open("a", encoding="utf-8") as stream:
        stream.write('\nh1::after { content: " OVERRIDE-MARK"; }\n')
    _result, tracker = build()
    assert {"a/brief.fr.pdf", "a/brief.en.pdf"} <= tracker.rendered
    assert "OVERRIDE-MARK" in pdf_text(built / "output" / "a" / "brief.fr.pdf")


def docx_styles(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/styles.xml").decode("utf-8").upper()


@pytest.mark.slow
def test_a_changed_theme_colour_renders_again_and_shows(built: Path) -> None:
    theme = built / "_brand.yml"
    theme.write_text('color:\n  primary: "#9b1c31"\n', encoding="utf-8")
    build()
    output = built / "output" / "a"
    brief = (output / "brief.fr.pdf").read_bytes()
    assert "9B1C31" in docx_styles(output / "report.fr.docx")
    theme.write_text('color:\n  primary: "#336699"\n', encoding="utf-8")
    _result, tracker = build()
    assert tracker.rendered == all_outputs()
    assert "336699" in docx_styles(output / "report.fr.docx")
    assert "9B1C31" not in docx_styles(output / "report.fr.docx")
    assert (output / "brief.fr.pdf").read_bytes() != brief


def brand_widths(path: Path) -> set[int]:
    """The distinct glyph widths of the PDF's font named ``Brand`` (the theme's): one width
    for a monospaced font file, many for a proportional one."""
    widths: set[int] = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object()["/Font"].get_object()
        for reference in fonts.values():
            font = reference.get_object()
            if str(font["/BaseFont"]).split("+")[-1] != "Brand":
                continue
            if "/DescendantFonts" in font:
                cid_font = font["/DescendantFonts"][0].get_object()
                widths.update(int(w) for w in _flatten_w(cid_font.get("/W", [])))
            else:
                widths.update(int(w) for w in font["/Widths"] if int(w))
    assert widths, "the theme's font is not used"
    return widths


def _flatten_w(array: object) -> list[float]:
    """The widths of a CID font's /W array (``c [w1 w2 …]`` and ``c1 c2 w`` runs)."""
    items = list(array)  # type: ignore[call-overload]
    found: list[float] = []
    index = 0
    while index < len(items):
        second = items[index + 1].get_object()
        if isinstance(second, list):
            found += [float(w) for w in second]
            index += 2
        else:
            found.append(float(items[index + 2]))
            index += 3
    return [w for w in found if w]


@pytest.mark.slow
def test_a_replaced_theme_font_file_renders_again_and_shows(built: Path) -> None:
    (built / "fonts").mkdir()
    font = built / "fonts" / "brand.ttf"
    shutil.copyfile(FONTS / "NotoSans-Regular.ttf", font)
    (built / "_brand.yml").write_text(
        "typography:\n"
        "  fonts:\n"
        "    - family: Brand\n"
        "      source: file\n"
        "      files:\n"
        "        - path: fonts/brand.ttf\n"
        "  base:\n"
        "    family: Brand\n",
        encoding="utf-8",
    )
    build()
    brief = built / "output" / "a" / "brief.fr.pdf"
    assert len(brand_widths(brief)) > 1  # Noto Sans: proportional
    shutil.copyfile(FONTS / "DejaVuSansMono.ttf", font)
    _result, tracker = build()
    assert {"a/brief.fr.pdf", "a/brief.en.pdf"} <= tracker.rendered
    assert len(brand_widths(brief)) == 1  # DejaVu Sans Mono: every glyph as wide


@pytest.mark.slow
def test_draft_is_a_cache_input(built: Path) -> None:
    sheet = built / "output" / "a" / "summary.pdf"
    assert "PROJET" not in pdf_text(sheet)
    _result, tracker = build(draft=True)
    assert tracker.rendered == all_outputs()
    assert "PROJET" in pdf_text(sheet)  # the sheet's draft stamp
    _result, tracker = build(draft=True)
    assert tracker.rendered == set()


@pytest.mark.slow
def test_the_pdf_variant_is_a_cache_input(built: Path) -> None:
    brief = built / "output" / "a" / "brief.fr.pdf"
    assert "/OutputIntents" not in PdfReader(brief).trailer["/Root"]
    _result, tracker = build(products=["brief"], pdf_variant="pdf/a-3b")
    assert tracker.rendered == {"a/brief.fr.pdf", "a/brief.en.pdf"}
    reader = PdfReader(brief)
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert reader.xmp_metadata is not None
    assert b'pdfaid:part="3"' in reader.xmp_metadata.stream.get_data()


@pytest.mark.slow
def test_another_docgen_version_misses_every_key(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = Job("a", "brief", "pdf", "fr", "brief.fr.pdf", "project/source/a.md", ())
    key = job.key()
    monkeypatch.setattr(docgen.engine.job, "__version__", "999.0.0")
    assert job.key() != key
    result, tracker = build()
    assert tracker.rendered == all_outputs()
    assert result.cached == 0


@pytest.mark.slow
def test_editing_one_of_two_articles_renders_only_its_outputs(built: Path) -> None:
    write_article(built, "b")
    _result, tracker = build()
    assert tracker.rendered == all_outputs("b")
    assert tracker.cached == all_outputs("a")
    before_a = files_of(built / "output" / "a")
    source = built / "source" / "b.md"
    source.write_text(source.read_text(encoding="utf-8").replace("original", "neuf"), "utf-8")
    _result, tracker = build()
    assert tracker.rendered == all_outputs("b")
    assert tracker.cached == all_outputs("a")
    assert files_of(built / "output" / "a") == before_a
    assert "Texte neuf de b." in pdf_text(built / "output" / "b" / "brief.fr.pdf")


@pytest.mark.slow
def test_force_renders_everything_again_to_the_same_bytes(built: Path) -> None:
    before = files_of(built / "output")
    code, out = run("build", "--lang", "all", "--force", "-j", "1")
    assert code == 0, out
    assert "(6 rendered, 0 from the cache)" in out
    assert files_of(built / "output") == before
    code, out = run("build", "--lang", "all", "-j", "1")  # the forced results were kept
    assert code == 0 and "(0 rendered, 6 from the cache)" in out, out


@pytest.mark.slow
def test_clean_empties_the_cache(built: Path) -> None:
    cache = built / ".docgen" / "cache"
    entries = [p for p in cache.glob("*/*") if p.is_dir()]
    assert len(entries) == len(OUTPUTS)
    code, out = run("clean")
    assert code == 0, out
    assert "removed 6 cached result(s)" in out
    assert not cache.exists() or not any(cache.iterdir())
    result, _tracker = build()
    assert result.rendered == len(OUTPUTS)


ENGINES_AFTER_BUILD = """
import sys
{prelude}
from docgen.cli import main
try:
    main({args!r})
except SystemExit as exc:
    assert not exc.code, exc.code
print({report}, sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'docx')))
"""


def engines_after_build(
    folder: Path, args: list[str], prelude: str = "", report: str = "''"
) -> str:
    """``docgen ARGS`` in a fresh process in ``folder``: what ``report`` evaluates to after
    the build, then the engine modules (WeasyPrint, python-docx) the build's process
    imported."""
    script = ENGINES_AFTER_BUILD.format(prelude=prelude, args=args, report=report)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.slow
def test_an_unchanged_build_does_not_import_weasyprint(built: Path) -> None:
    assert engines_after_build(built, ["build", "-q", "--lang", "all"]) == "[]"


# --------------------------------------------------------------------------- reproducible


def cli_build(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m docgen build ARGS`` in a new process."""
    environ = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environ.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "docgen", "build", "-q", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def sha256s(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files_of(folder).items()}


@pytest.mark.slow
def test_a_one_job_build_renders_in_one_child_and_never_imports_the_engines(
    project: Path,
) -> None:
    """``-j 1``: every render runs in the build's one render child, which imports
    WeasyPrint and python-docx itself; the build's own process imports neither."""
    counting = (
        "from docgen import worker\n"
        "forks = []\n"
        "real = worker._Child.__init__\n"
        "def counted(self, *args, **kwargs):\n"
        "    forks.append(1)\n"
        "    real(self, *args, **kwargs)\n"
        "worker._Child.__init__ = counted\n"
    )
    args = ["build", "-q", "--lang", "all", "-j", "1", "--force"]
    assert engines_after_build(project, args, counting, "len(forks)").split() == ["1", "[]"]
    assert {p.name for p in (project / "output" / "a").iterdir()} >= OUTPUTS


@pytest.mark.slow
def test_two_folders_and_two_time_zones_give_the_same_bytes(tmp_path: Path) -> None:
    one = make_project(tmp_path / "one")
    two = tmp_path / "somewhere" / "else" / "deeper"
    shutil.copytree(one, two)
    cli_build(one, "--lang", "all", "--force", "-j", "1", env={"TZ": "UTC"})
    cli_build(two / "source", "--lang", "all", "--force", "-j", "1", env={"TZ": "Asia/Almaty"})
    first, second = sha256s(one / "output"), sha256s(two / "output")
    assert {f"a/{name}" for name in OUTPUTS} | {"a/manifest.json"} == set(first)
    assert first == second
    # the project folder's path appears nowhere in the bytes, the image's included
    for name, data in files_of(two / "output").items():
        assert str(two).encode() not in data, name
        assert b"file://" not in data or name.endswith(".docx"), name


def docx_stamps(path: Path) -> set[tuple[int, ...]]:
    with zipfile.ZipFile(path) as archive:
        return {info.date_time for info in archive.infolist()}


@pytest.mark.slow
def test_source_date_epoch_sets_the_docx_stamps_and_is_reproducible(tmp_path: Path) -> None:
    one = make_project(tmp_path / "one")
    two = tmp_path / "two"
    shutil.copytree(one, two)
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14 22:13:20 UTC
    cli_build(one, "-p", "report", "-j", "1", env={**epoch, "TZ": "UTC"})
    cli_build(two, "-p", "report", "-j", "1", env={**epoch, "TZ": "Asia/Almaty"})
    assert sha256s(one / "output") == sha256s(two / "output")
    report = one / "output" / "a" / "report.fr.docx"
    assert docx_stamps(report) == {(2023, 11, 14, 22, 13, 20)}
    manifest = json.loads((one / "output" / "a" / "manifest.json").read_bytes())
    assert manifest["build_date"] == "2023-11-14"
    stamped = report.read_bytes()
    cli_build(one, "-p", "report", "-j", "1")
    assert report.read_bytes() != stamped
    assert docx_stamps(report) == {(2026, 3, 14, 0, 0, 0)}  # the article's date


# --------------------------------------------------------------------------- manifest


@pytest.mark.slow
def test_the_manifest_lists_every_output_with_its_bytes(built: Path) -> None:
    pack = built / "output" / "a"
    manifest = json.loads((pack / "manifest.json").read_bytes())
    assert manifest["article"] == "a"
    entries = {entry["path"]: entry for entry in manifest["outputs"]}
    assert set(entries) == OUTPUTS == {p.name for p in pack.iterdir()} - {"manifest.json"}
    expected = {
        "brief.fr.pdf": ("brief", "pdf", "fr"),
        "brief.en.pdf": ("brief", "pdf", "en"),
        "report.fr.docx": ("report", "docx", "fr"),
        "report.en.docx": ("report", "docx", "en"),
        "summary.pdf": ("sheet", "pdf", "fr+en"),
        "summary.docx": ("sheet", "docx", "fr+en"),
    }
    for name, entry in entries.items():
        data = (pack / name).read_bytes()
        assert (entry["product"], entry["format"], entry["language"]) == expected[name]
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        if name.endswith(".pdf"):
            assert entry["pages"] == len(PdfReader(pack / name).pages)
        else:
            assert entry["pages"] is None
    assert entries["summary.pdf"]["pages"] == 1
    inputs = manifest["inputs"]
    for name in ("a.md", "a.en.md", "img.png"):
        data = (built / "source" / name).read_bytes()
        assert inputs[f"project/source/{name}"] == hashlib.sha256(data).hexdigest()
    versions = manifest["versions"]
    assert versions["docgen"] == docgen.__version__
    assert versions["weasyprint"] == metadata.version("weasyprint")


# --------------------------------------------------------------------------- verify


@pytest.mark.slow
def test_verify_accepts_a_fresh_pack_and_names_each_damage(built: Path) -> None:
    pack = built / "output" / "a"
    code, out = run("verify", "output/a")
    assert (code, out.strip()) == (0, "output/a: intact")
    for name in ("brief.fr.pdf", "report.fr.docx"):
        path = pack / name
        original = path.read_bytes()
        damaged = bytearray(original)
        damaged[len(damaged) // 2] ^= 0x01
        path.write_bytes(bytes(damaged))
        code, out = run("verify", "output/a")
        assert code == 2
        assert f"{name}: error: changed: its sha256 differs" in out
        path.write_bytes(original)
    assert run("verify", "output/a")[0] == 0
    (pack / "summary.pdf").unlink()
    code, out = run("verify", "output/a")
    assert code == 2
    assert "summary.pdf: error: missing" in out
    build()
    (pack / "notes.txt").write_text("ajouté\n", encoding="utf-8")
    code, out = run("verify", "output/a")
    assert code == 2
    assert "notes.txt: error: extra file" in out


@pytest.mark.slow
def test_zip_packs_verify_and_are_the_same_from_two_builds(project: Path) -> None:
    code, out = run("build", "--lang", "all", "--zip", "-j", "1", "-q")
    assert code == 0, out
    archive = project / "output" / "a.zip"
    first = archive.read_bytes()
    code, out = run("verify", "output/a.zip")
    assert (code, out.strip()) == (0, "output/a.zip: intact")
    with zipfile.ZipFile(archive) as opened:
        assert opened.namelist()[0] == "manifest.json"
        assert set(opened.namelist()) == OUTPUTS | {"manifest.json"}
    code, out = run("build", "--lang", "all", "--zip", "--force", "-j", "1", "-q")
    assert code == 0, out
    assert archive.read_bytes() == first


# --------------------------------------------------------------------------- executors


@pytest.mark.slow
def test_two_workers_give_the_same_bytes_as_one(project: Path) -> None:
    for name in ("b", "c"):
        write_article(project, name)
    code, out = run("build", "-j", "1", "-q", "--lang", "all")
    assert code == 0, out
    serial = files_of(project / "output")
    assert len(serial) == 3 * (len(OUTPUTS) + 1)
    shutil.rmtree(project / "output")
    code, out = run("build", "-j", "2", "--force", "--lang", "all")
    assert code == 0, out
    assert "(18 rendered, 0 from the cache)" in out
    assert files_of(project / "output") == serial


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_bytes_as_a_local_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster

    code, out = run("build", "-j", "1", "-q", "--lang", "all")
    assert code == 0, out
    local = files_of(project / "output")
    shutil.rmtree(project / "output")
    elsewhere = tmp_path / "workers"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        monkeypatch.chdir(project)
        address = cluster.scheduler_address
        code, out = run("build", "--scheduler", address, "--force", "--lang", "all")
        assert code == 0, out
        assert "(6 rendered, 0 from the cache)" in out
        remote = files_of(project / "output")
        worker_dirs = {
            info["local_directory"]
            for info in cluster.scheduler_info["workers"].values()
            if "local_directory" in info
        }
    assert remote == local
    assert not any(Path(d).is_relative_to(project) for d in worker_dirs)
    assert not list(elsewhere.rglob("*.pdf"))


def test_an_unreachable_scheduler_is_a_located_error(project: Path) -> None:
    code, out = run("build", "--scheduler", "tcp://127.0.0.1:9", "--force", "-q")
    assert code == 2
    assert "--scheduler: error: cannot reach the Dask scheduler tcp://127.0.0.1:9" in out
    assert not (project / "output").exists()


# --------------------------------------------------------------------------- failures


@pytest.mark.slow
def test_a_failed_job_writes_nothing_for_its_article(project: Path) -> None:
    write_article(project, "b")
    code, out = run("build", "-p", "sheet", "-j", "1", "-q")
    assert code == 0, out
    before_b = files_of(project / "output" / "b")
    assert set(before_b) == {"summary.pdf", "summary.docx", "manifest.json"}
    long = " ".join(["Une phrase bien trop longue pour tenir sur la fiche."] * 120)
    write_article(project, "b", summary=long)
    source = project / "source" / "a.md"
    source.write_text(source.read_text(encoding="utf-8").replace("court", "bref"), "utf-8")
    code, out = run("build", "-p", "sheet", "-j", "1")
    assert code == 2
    assert "b.md:6:" in out
    assert "the summary sheet does not fit on one page" in out
    assert files_of(project / "output" / "b") == before_b
    assert "Résumé bref." in pdf_text(project / "output" / "a" / "summary.pdf")
    assert run("verify", "output/a", "output/b")[0] == 0
    assert not list((project / "output").rglob(".docgen-*"))


def descendants(pid: int) -> list[psutil.Process]:
    with contextlib.suppress(psutil.NoSuchProcess):
        return psutil.Process(pid).children(recursive=True)
    return []


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    found = []
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
    return found


def in_folder(folder: Path) -> list[psutil.Process]:
    """Every process (but this one) working in ``folder``."""
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if (
                process.pid != os.getpid()
                and Path(process.cwd()) == folder
                and process.status() != psutil.STATUS_ZOMBIE
            ):
                found.append(process)
    return found


@contextlib.contextmanager
def reaped(processes: list[psutil.Process]) -> Iterator[None]:
    """Kill what a failed test left running (only processes this test started)."""
    try:
        yield
    finally:
        for process in alive(processes):
            with contextlib.suppress(psutil.Error):
                process.kill()


def renders_started(build: int, jobs: str) -> list[psutil.Process]:
    """The build's processes, once a render has been running for half a second (a forked
    child of the build under -j 1, of one of its pool workers under -j N; short helpers
    such as ``ldconfig``, which run at start-up, do not count); else []. One snapshot, so
    the render counted is in the list returned."""
    snapshot = alive(descendants(build))
    for process in snapshot:
        with contextlib.suppress(psutil.Error):
            if jobs != "1" and process.ppid() == build:
                continue  # a pool worker
            if "docgen" in process.cmdline() and time.time() - process.create_time() > 0.5:
                return snapshot
    return []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "jobs"),
    [(signal.SIGINT, "2"), (signal.SIGTERM, "2"), (signal.SIGINT, "1"), (signal.SIGTERM, "1")],
    ids=["int-j2", "term-j2", "int-j1", "term-j1"],
)
def test_a_stopped_build_leaves_no_temporary_file_and_no_process(
    tmp_path: Path, sig: signal.Signals, jobs: str
) -> None:
    paragraph = "Paragraphe {} : " + "du texte à composer. " * 40 + "\n\n"
    body = BODY + "".join(paragraph.format(i) for i in range(150))
    project = make_project(tmp_path / "project", ())
    for name in ("a", "b", "c", "d"):
        write_article(project, name, body=body)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["TMPDIR"] = str(temp)
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "build", "--force", "-q", "-j", jobs, "-p", "brief"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen = [psutil.Process(process.pid)]
    with reaped(seen):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            with contextlib.suppress(psutil.Error):
                if started := renders_started(process.pid, jobs):
                    seen += started
                    break
            time.sleep(0.05)
        seen += [p for p in descendants(process.pid) if p not in seen]
        assert process.poll() is None, "the build ended before it could be stopped"
        assert len(seen) >= (4 if jobs == "2" else 2), "no render was under way"
        process.send_signal(sig)
        try:
            _stdout, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail("the stopped build did not exit within 60 s")
        assert process.returncode in ((130,) if sig == signal.SIGINT else (130, 143)), stderr
        assert b"interrupted; previous outputs are intact" in stderr
        # Stopped processes clean up as they exit: wait for that (a loaded machine is slow),
        # but not forever.
        settle = time.monotonic() + 20
        while True:
            survivors = alive(seen) + [p for p in in_folder(project) if p not in seen]
            if (not survivors and not any(temp.iterdir())) or time.monotonic() > settle:
                break
            time.sleep(0.2)
        seen += survivors
        assert survivors == [], [p.cmdline() for p in survivors]
        assert not list((project / "output").rglob(".docgen-*"))
        assert not list((project / ".docgen").rglob(".tmp-*"))
        # docgen's job folders, and the render's scratch folder holding WeasyPrint's fonts
        assert sorted(p.name for p in temp.iterdir()) == [], "temporary folders left behind"


@pytest.mark.slow
def test_a_build_leaves_no_temporary_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    temp = tmp_path / "tmp"
    temp.mkdir()
    cli_build(project, "--force", "-j", "1", "-p", "brief", env={"TMPDIR": str(temp)})
    assert (project / "output" / "a" / "brief.fr.pdf").is_file()
    assert sorted(p.name for p in temp.iterdir()) == []


def test_docgen_code_is_part_of_every_cache_key(tmp_path: Path) -> None:
    """An edited docgen (a working copy, no version change) renders again instead of
    serving outputs cached by the old code: its Python files are in the key's digest."""
    from docgen.engine.job import builtin_digest, tree_digest
    from docgen.project import builtin_templates_dir

    package = Path(docgen.__file__).resolve().parent
    copy = tmp_path / "docgen"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = tree_digest(copy, "*.py")
    assert before == tree_digest(package, "*.py")
    (copy / "worker.py").write_text((copy / "worker.py").read_text() + "# edited\n")
    assert tree_digest(copy, "*.py") != before
    expected = hashlib.sha256(
        (before + tree_digest(builtin_templates_dir(), "*")).encode()
    ).hexdigest()
    assert builtin_digest() == expected


def test_a_document_loaded_by_an_earlier_job_is_the_one_this_job_would_load(
    tmp_path: Path,
) -> None:
    """Jobs of one process reuse a document loaded from the same bytes in the same
    language (``job._loaded``), moved to their own folder: it equals the document loaded
    there, language images and translation included; the folder shows only in its paths."""
    from docgen import loading
    from docgen.engine import job as job_module
    from docgen.engine.inputs import InputReader
    from docgen.engine.job import ARTICLE, PROJECT, job_folder
    from docgen.model import Document, iter_images
    from docgen.project import load_project
    from docgen.theme import load_theme

    (tmp_path / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    source = tmp_path / "source"
    source.mkdir()
    article = source / "note.md"
    article.write_text(
        "---\ntitle: {fr: Note, en: Note}\nauthor: {name: Jeanne Martin}\n"
        "date: 2026-03-14\nlang: fr\n---\n\n# Partie\n\nTexte ![Carte](carte.png) fin.\n",
        encoding="utf-8",
    )
    (source / "note.en.md").write_text("# Part\n\nText ![Map](carte.png) end.\n", "utf-8")
    for name in ("carte.png", "carte.en.png"):
        Image.new("RGB", (40, 20), "navy").save(source / name)
    project = load_project(tmp_path)
    reader = InputReader(project, load_theme(project))

    def load(root: Path, job: Job) -> Document:
        there = load_project(root / PROJECT)
        return loading.load_with_warnings(root / job.source, job.lang, there)[0]

    def never() -> Document:
        raise AssertionError("loaded again")

    for lang, shown in (("fr", "carte.png"), ("en", "carte.en.png")):
        job = Job(
            article="note",
            product="brief",
            fmt="pdf",
            lang=lang,
            output=f"brief.{lang}.pdf",
            source=reader.name(article, source),
            files=reader.files(api.load(article, lang)),
        )
        with job_folder(job, (PROJECT, ARTICLE), "docgen-test-") as first:
            kept = job_module._loaded(first, job, functools.partial(load, first, job))
        with job_folder(job, (PROJECT, ARTICLE), "docgen-test-") as second:
            moved = job_module._loaded(second, job, never)
            assert moved == load(second, job)
            assert moved.path.is_relative_to(second) and moved != kept
        assert [image.src for image, _line in iter_images(moved)] == [shown]
