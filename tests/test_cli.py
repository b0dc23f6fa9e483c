"""The command line: argument mapping, messages and exit statuses."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen import __version__
from docgen.cli import main

from .conftest import MINIMAL_FRONT


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder as the working directory."""
    (tmp_path / "source").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_version_and_help() -> None:
    assert run("--version") == (0, f"docgen, version {__version__}\n")
    code, out = run("--help")
    assert code == 0 and "build" in out and "check" in out
    code, out = run("build", "--help")
    assert code == 0 and "--format" in out and "pdf" in out


def test_check_ok_and_errors(project: Path) -> None:
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    assert run("check") == (0, "1 article(s) OK\n")
    (project / "source" / "b.md").write_text(
        "---\ntitle: T\nauthor: A\ndate: 2026-02-30\nlang: fr\nsumary: x\n---\n", encoding="utf-8"
    )
    code, out = run("check")
    assert code == 2
    assert "source/b.md:4:7: error: date: invalid date '2026-02-30'" in out
    assert "source/b.md:6:1: error: unknown field 'sumary' in the front matter; did you mean" in out
    assert out.rstrip().endswith("2 errors")
    assert "Traceback" not in out


def test_build_writes_and_reports(project: Path) -> None:
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + "## Un\n\nTexte.\n", encoding="utf-8")
    code, out = run("build", "--format", "pdf")
    assert code == 0, out
    assert "wrote output/a/brief.fr.pdf (" in out and "wrote output/a/summary.pdf (" in out
    assert "built 2 file(s) in" in out
    assert (project / "output" / "a" / "brief.fr.pdf").read_bytes().startswith(b"%PDF-")
    code, out = run("build", "-f", "pdf", "--quiet", "-o", "elsewhere")
    assert (code, out) == (0, "")
    assert (project / "elsewhere" / "a" / "brief.fr.pdf").is_file()


def test_failed_build_keeps_previous_output(project: Path) -> None:
    source = project / "source" / "a.md"
    source.write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    assert run("build", "-f", "pdf", "-q")[0] == 0
    output = project / "output" / "a" / "brief.fr.pdf"
    before = output.read_bytes()
    source.write_text(MINIMAL_FRONT.replace("lang: fr", "lang: 12") + "x\n", encoding="utf-8")
    code, out = run("build", "-f", "pdf")
    assert code == 2 and "source/a.md:5:7: error: lang" in out
    assert output.read_bytes() == before
    names = sorted(p.name for p in output.parent.iterdir())
    assert names == ["brief.fr.pdf", "manifest.json", "summary.pdf"]


def test_bad_command_lines_exit_2(project: Path) -> None:
    assert run("build", "--format", "odt")[0] == 2
    assert run("frobnicate")[0] == 2
    code, out = run("build", "missing.md")
    assert code == 2 and "missing.md: error: no such file" in out


def test_no_sources(project: Path) -> None:
    code, out = run("check")
    assert code == 2 and "source: error: no article (*.md) in this folder" in out


def test_internal_error_exits_1_without_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "source" / "a.md").write_text(MINIMAL_FRONT, encoding="utf-8")

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr("docgen.api.check", boom)
    code, out = run("check")
    assert code == 1
    assert "internal error: RuntimeError: kaput" in out and "--debug" in out
    assert "Traceback" not in out
    result = CliRunner().invoke(main, ["--debug", "check"])
    assert result.exit_code == 1 and "Traceback" in result.output


def test_help_does_not_import_renderers(write_source: Callable[..., Path]) -> None:
    """`docgen --help` and `docgen check` stay instant: no WeasyPrint, no python-docx."""
    path = write_source()
    code = (
        "import sys\nfrom docgen.cli import main\n"
        "try:\n    main(['check', '-q', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('weasyprint', 'docx') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_translation_workflow_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """export → edit → import, then a source change makes the translation stale."""
    import shutil

    from .conftest import ARTICLE

    (tmp_path / "source").mkdir()
    for suffix in (".md", ".en.md"):
        shutil.copy(ARTICLE.with_suffix("").with_suffix(suffix), tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    assert run("i18n", "accept", "maroc-kazakhstan")[0] == 0
    assert run("check")[0] == 0
    code, out = run("i18n", "export", "maroc-kazakhstan", "--format", "po")
    assert code == 0 and "wrote translations/maroc-kazakhstan.en.po" in out
    po_file = tmp_path / "translations" / "maroc-kazakhstan.en.po"
    text = po_file.read_text(encoding="utf-8")
    assert 'msgctxt "contact"' in text
    po_file.write_text(
        text.replace("AMCAP — Office of the Founding President", "AMCAP — President's Office"),
        encoding="utf-8",
    )
    code, out = run("i18n", "import", str(po_file))
    assert code == 0, out
    assert "AMCAP — President's Office" in (tmp_path / "source" / "maroc-kazakhstan.md").read_text()

    source = tmp_path / "source" / "maroc-kazakhstan.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Culture et dialogue", "Culture et échanges"),
        encoding="utf-8",
    )
    code, out = run("check")
    assert code == 2
    assert "source/maroc-kazakhstan.md:115:" in out and "stale" in out
    code, out = run("build", "-f", "pdf", "-q")
    assert code == 0 and "warning" in out and "stale" in out
    code, out = run("build", "-f", "pdf", "-q", "--strict")
    assert code == 2 and "stale" in out
    assert run("i18n", "accept", "maroc-kazakhstan")[0] == 0
    assert run("check")[0] == 0


def test_a_crash_in_the_render_process_is_short_without_debug(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")

    def broken(*_args: object) -> list[Path]:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr("docgen.formats.pdf.render", broken)
    code, out = run("build", "-f", "pdf")
    assert code == 1
    assert "internal error: WorkerCrash: RuntimeError: layout exploded" in out
    assert "Traceback" not in out and "--debug" in out
    result = CliRunner().invoke(main, ["--debug", "build", "-f", "pdf"])
    assert result.exit_code == 1 and "Traceback" in result.output


def test_check_finds_what_build_would_refuse(project: Path) -> None:
    """check and build agree, and a build that fails writes nothing for any article."""
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    (project / "source" / "b.md").write_text(
        MINIMAL_FRONT.replace("title: {fr: Titre, en: Title}", "title: {fr: Titre}") + "x\n",
        encoding="utf-8",
    )
    (project / "source" / "a.en.md").write_text("![x](/etc/hostname)\n", encoding="utf-8")
    code, out = run("check")
    assert code == 2
    assert "source/b.md:2:8: error: the summary sheet needs a second language" in out
    assert "source/a.en.md:1:6: error: image '/etc/hostname' is outside the project" in out
    code, out = run("build", "-f", "pdf", "-f", "summary", "--lang", "all")
    assert code == 2 and "source/b.md:2:8: error: the summary sheet needs" in out
    assert not (project / "output").exists()


def test_translated_documents_need_translated_fields(project: Path) -> None:
    (project / "source" / "a.md").write_text(
        MINIMAL_FRONT.replace(
            "author: {name: Jeanne Martin}", "author: {name: J, role: {fr: Directrice}}"
        )
        + "Texte.\n",
        encoding="utf-8",
    )
    (project / "source" / "a.en.md").write_text("Text.\n", encoding="utf-8")
    code, out = run("build", "-f", "pdf", "--lang", "en")
    assert code == 2 and 'source/a.md:3:25: error: author.role has no "en" text' in out
    code, out = run("build", "-f", "pdf", "--lang", "en", "--draft")
    assert code == 0 and 'warning: author.role has no "en" text' in out
