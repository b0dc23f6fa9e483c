"""Projects: init, docgen.toml, _brand.yml themes and template overrides."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen import api
from docgen.cli import main
from docgen.errors import ConfigError, TemplateError
from docgen.options import RenderOptions
from docgen.project import load_project
from docgen.scaffold import eject, init, list_templates
from docgen.theme import DEFAULT, load_theme
from tests.rendering import brief_html

# A 1×1 PNG, as a logo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    init(tmp_path / "pack")
    monkeypatch.chdir(tmp_path / "pack")
    return tmp_path / "pack"


def test_init_then_build_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run("init", "pack")
    assert code == 0 and "created pack/docgen.toml" in out
    monkeypatch.chdir(tmp_path / "pack")
    code, out = run("build", "--lang", "all", "-q")
    assert code == 0, out
    built = sorted(p.name for p in (tmp_path / "pack" / "output" / "example").iterdir())
    assert built == [
        "brief.en.pdf",
        "brief.fr.pdf",
        "manifest.json",
        "report.en.docx",
        "report.fr.docx",
        "summary.docx",
        "summary.pdf",
    ]
    assert (tmp_path / "pack" / ".gitignore").read_text() == "/output/\n/.docgen/\n/translations/\n"
    assert (tmp_path / "pack" / "source" / "example.i18n.yml").is_file()
    example = tmp_path / "pack" / "source" / "example.md"
    example.write_text(
        example.read_text(encoding="utf-8").replace("Première partie", "Partie un"),
        encoding="utf-8",
    )
    code, out = run("check")
    assert code == 2 and "stale" in out
    assert run("i18n", "accept", "example")[0] == 0
    code, out = run("init", ".")
    assert code == 2 and "already a docgen project" in out


def test_config_errors_are_located(project_dir: Path) -> None:
    config = project_dir / "docgen.toml"
    config.write_text('[docgen]\npaper = "A3"\nformats = ["pdf", "odt"]\ncolour = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_project(project_dir)
    found = [str(p) for p in caught.value.problems]
    assert any(":2:1: error: paper must be one of A4, Letter, not 'A3'" in m for m in found)
    assert any(":3:1: error: formats: unknown format 'odt'" in m for m in found)
    assert any(":4:1: error: unknown setting 'colour'" in m for m in found)
    config.write_text("[docgen]\npaper = \n")
    code, out = run("check")
    assert code == 2 and "docgen.toml:2:9: error: invalid TOML" in out


def test_unknown_tables_and_keys_after_blank_lines_are_located(project_dir: Path) -> None:
    """An unknown table names the line of its header; a key after blank lines its own line
    (not the blank line before it)."""
    config = project_dir / "docgen.toml"
    config.write_text('paper = "A4"\n\n\n"colour" = 1\n\n[build]\ntime_limit = 0\n')
    with pytest.raises(ConfigError) as caught:
        load_project(project_dir)
    found = sorted(str(p).split("docgen.toml", 1)[1] for p in caught.value.problems)
    assert [m.split(";")[0] for m in found] == [
        ":4:1: error: unknown setting 'colour'",
        ":6:1: error: unknown table 'build'",
    ]


def test_letter_paper(project_dir: Path) -> None:
    (project_dir / "docgen.toml").write_text('[docgen]\npaper = "Letter"\n')
    project = load_project(project_dir)
    html = brief_html(api.load(project_dir / "source" / "example.md"), RenderOptions(project))
    assert "size: Letter;" in html


BRAND = """\
meta:
  name: Ministère des Exemples
color:
  palette:
    crimson: "#9b1c31"
  primary: crimson
  secondary: "#336699"
typography:
  base:
    family: Noto Serif
  headings:
    family: Noto Sans
logo:
  medium: logo.png
"""


def test_brand_yml_drives_the_css(project_dir: Path) -> None:
    (project_dir / "_brand.yml").write_text(BRAND, encoding="utf-8")
    (project_dir / "logo.png").write_bytes(PNG)
    project = load_project(project_dir)
    theme = load_theme(project)
    assert theme.primary == "#9b1c31" and theme.accent == "#336699"
    assert theme.logo == project_dir / "logo.png"
    assert theme.organization == "Ministère des Exemples"
    doc = api.load(project_dir / "source" / "example.md")
    html = brief_html(doc, RenderOptions(project, theme=theme))
    assert "--primary: #9b1c31;" in html and "--accent: #336699;" in html
    assert '"Noto Sans", "Docgen Sans"' in html
    assert 'class="logo" src="file://' in html


def test_no_brand_file_means_builtin_look(project_dir: Path) -> None:
    project = load_project(project_dir)
    assert load_theme(project) == DEFAULT
    html = brief_html(api.load(project_dir / "source" / "example.md"), RenderOptions(project))
    assert f"--primary: {DEFAULT.primary};" in html and 'class="logo"' not in html


def test_bad_brand_values_are_located(project_dir: Path) -> None:
    (project_dir / "_brand.yml").write_text(
        "color:\n  primary: 'red; } body { display: none'\nlogo:\n  medium: missing.png\n",
        encoding="utf-8",
    )
    with pytest.raises(TemplateError) as caught:
        load_theme(load_project(project_dir))
    found = [str(p) for p in caught.value.problems]
    assert any("_brand.yml:2:3: error: color 'red; }" in m for m in found), found
    assert any("_brand.yml:3:1: error: logo file not found" in m for m in found), found


@pytest.mark.parametrize(
    "family",
    ["A\\\\", "}html{color:red !important}@font-face{font-family:x", "Noto Sans\n"],
)
def test_font_families_cannot_inject_css(project_dir: Path, family: str) -> None:
    (project_dir / "f.ttf").write_bytes(b"\0")
    brand = (
        "typography:\n  fonts:\n    - family: " + json.dumps(family) + "\n      source: file\n"
        "      files:\n        - path: f.ttf\n"
    )
    (project_dir / "_brand.yml").write_text(brand, encoding="utf-8")
    with pytest.raises(TemplateError, match="is not a plain name"):
        load_theme(load_project(project_dir))


def test_unknown_colour_names_are_refused(project_dir: Path) -> None:
    (project_dir / "_brand.yml").write_text("color:\n  primary: '#12345g'\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="is not #rgb, #rrggbb or one of"):
        load_theme(load_project(project_dir))


def test_eject_then_edit_is_used(project_dir: Path) -> None:
    project = load_project(project_dir)
    (copied,) = eject(project, "brief/brief.html")
    assert copied == project_dir / "templates" / "brief" / "brief.html"
    copied.write_text(
        copied.read_text().replace("<main", "<p>Édition locale</p>\n<main"), encoding="utf-8"
    )
    listing = {t.name: t for t in list_templates(project)}
    assert listing["brief/brief.html"].overridden
    assert not listing["brief/brief.css"].overridden
    html = brief_html(api.load(project_dir / "source" / "example.md"), RenderOptions(project))
    assert "<p>Édition locale</p>" in html
    with pytest.raises(TemplateError, match="use --force"):
        eject(project, "brief/brief.html")
    code, out = run("templates", "eject", "nope")
    assert code == 2 and "no built-in template of that name" in out


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("{% if %}", "brief.html:3: error: template syntax error"),
        ("{{ meta.nonexistent }}", "brief.html:3: error: template error:"),
        ("{{ ''.__class__.__mro__ }}", "brief.html:3: error: template error:"),
        ("{{ doc.path.read_text() }}", "brief.html:3: error: template error:"),
        ("{{ doc.path.parent.joinpath('x').write_text('owned') }}", "brief.html:3: error:"),
        ("{{ theme.fonts }}{{ 1/0 }}", "brief.html:3: error: template error: division by zero"),
        ("{% include 'nope.html' %}", "brief.html:3: error: template not found: nope.html"),
    ],
)
def test_broken_template_names_file_and_line(project_dir: Path, edit: str, expected: str) -> None:
    target = project_dir / "templates" / "brief" / "brief.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"<!DOCTYPE html>\n<html>\n{edit}\n</html>\n", encoding="utf-8")
    code, out = run("build", "-f", "pdf")
    assert code == 2, out
    assert f"templates/brief/{expected}" in out, out
    assert "Traceback" not in out
    assert not (project_dir / "source" / "x").exists()


def test_brand_yml_recolours_the_word_outputs(project_dir: Path) -> None:
    """One theme for every output: the report's and the sheet's styles follow _brand.yml."""
    import zipfile

    (project_dir / "_brand.yml").write_text(BRAND, encoding="utf-8")
    (project_dir / "logo.png").write_bytes(PNG)
    code, out = run("build", "-f", "docx", "-f", "summary", "-q")
    assert code == 0, out
    folder = project_dir / "output" / "example"
    styles = zipfile.ZipFile(folder / "report.fr.docx").read("word/styles.xml").decode()
    assert 'w:val="9B1C31"' in styles and 'w:val="14284B"' not in styles
    assert 'w:val="336699"' in styles and 'w:val="A07C2C"' not in styles
    sheet = zipfile.ZipFile(folder / "summary.docx").read("word/styles.xml").decode()
    assert 'w:val="9B1C31"' in sheet and "14284B" not in sheet
    report = zipfile.ZipFile(folder / "report.fr.docx")
    assert any(name.startswith("word/media/") for name in report.namelist())  # the logo
    assert 'descr="Ministère des Exemples"' in report.read("word/document.xml").decode()
    (project_dir / "_brand.yml").unlink()
    assert run("build", "-f", "docx", "-q")[0] == 0
    styles = zipfile.ZipFile(folder / "report.fr.docx").read("word/styles.xml").decode()
    assert 'w:val="14284B"' in styles and "9B1C31" not in styles


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("docgen = 1\n", ":1:1: error: docgen must be a table"),
        ("[docgen]\ntime_limit = true\n", ":2:1: error: time_limit must be a number of seconds"),
        ("[docgen]\ntime_limit = -5\n", ":2:1: error: time_limit must be a number of seconds"),
        ("[docgen]\nlanguages = [1]\n", ":2:1: error: languages must be a list of language codes"),
        ("[docgen]\nlanguages = ['x y']\n", ":2:1: error: languages: 'x y' is not a language"),
        ("paper = 'A4'\n[docgen]\n", ":1:1: error: 'paper' outside the [docgen] table"),
        ("[docgen]\nallow_raw_html = 'yes'\n", ":2:1: error: allow_raw_html must be true or"),
    ],
)
def test_config_values_are_checked(project_dir: Path, config: str, expected: str) -> None:
    (project_dir / "docgen.toml").write_text(config, encoding="utf-8")
    code, out = run("check")
    assert code == 2 and f"docgen.toml{expected}" in out, out
    assert "internal error" not in out
