"""Publishing-grade strictness: what stops a build, what --draft and --strict change,
what check finds, and each problem said once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main

from .conftest import MINIMAL_FRONT, pdf_text


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "source").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_a_missing_image_stops_the_build_unless_draft(project: Path) -> None:
    (project / "source" / "a.md").write_text(
        MINIMAL_FRONT + "Texte.\n\n![Carte](carte.png)\n", encoding="utf-8"
    )
    code, out = run("build", "--product", "brief")
    assert code == 2
    assert "source/a.md:9:10: error: image 'carte.png' not found\n" in out
    assert not (project / "output" / "a").exists()
    code, out = run("check")
    assert code == 2 and "error: image 'carte.png' not found" in out
    code, out = run("build", "--product", "brief", "--draft")
    assert code == 0, out
    assert "warning: image 'carte.png' not found" in out
    assert "PROJET" in pdf_text(project / "output" / "a" / "brief.fr.pdf")


def test_an_incomplete_translation_stops_the_build_unless_draft(project: Path) -> None:
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + "Un.\n\nDeux.\n", encoding="utf-8")
    (project / "source" / "a.en.md").write_text("One.\n", encoding="utf-8")
    code, out = run("build", "--product", "brief", "--lang", "all")
    assert code == 2, out
    assert "error:" in out and "a.en.md" in out
    code, out = run("build", "--product", "brief", "--lang", "all", "--draft")
    assert code == 0, out
    assert "warning:" in out


def test_strict_turns_every_warning_into_an_error(project: Path) -> None:
    (project / "source" / "a.md").write_text(
        MINIMAL_FRONT + "Texte.\n\n![](https://example.org/a.png)\n", encoding="utf-8"
    )
    code, out = run("build", "--product", "brief", "--draft")
    assert code == 0 and "warning: remote image" in out
    code, out = run("build", "--product", "brief", "--draft", "--strict")
    assert code == 2
    assert "error: remote image" in out and "warning:" not in out


def test_each_problem_is_reported_once(project: Path) -> None:
    front = MINIMAL_FRONT.replace("lang: fr\n", "lang: fr\nkey_points:\n  - {fr: Seul}\n")
    (project / "source" / "a.md").write_text(front + "Texte.\n", encoding="utf-8")
    code, out = run("check")
    assert code == 2
    lines = [line for line in out.splitlines() if "key_points[0]" in line]
    assert len(lines) == 1, out


def test_check_compiles_every_template_a_build_uses(project: Path) -> None:
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    assert run("check")[0] == 0
    folder = project / "templates" / "common"
    folder.mkdir(parents=True)
    (folder / "meta.html").write_text('<meta name="x">\n{% if %}\n', encoding="utf-8")
    code, out = run("check")
    assert code == 2
    assert "templates/common/meta.html:2: error: template syntax error" in out
