"""Project fields: declared in docgen.toml, given in the front matter, shown and stored."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from docgen.cli import main
from docgen.errors import ConfigError
from docgen.i18n.units import field_units
from docgen.project import load_project
from docgen.source import load

from .conftest import pdf_text

CONFIG = """\
[docgen]
formats = []

[fields.dossier]
type = "text"
required = true
label = { fr = "Dossier", en = "File" }
show = true

[fields.caveat]
type = "localized"
label = { fr = "Mise en garde", en = "Caveat" }

[fields.review]
type = "date"

[fields.distribution]
type = "list"
"""

FRONT = """\
---
title: {fr: Titre, en: Title}
author: {name: Jeanne Martin}
date: 2026-03-14
lang: fr
dossier: DG-2026-117
caveat: {fr: Ne pas diffuser, en: Do not forward}
review: 2026-06-01
distribution: [Cabinet, Archives]
summary: {fr: Résumé., en: Summary.}
---
Texte.
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docgen.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(FRONT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_declared_fields_are_typed_in_the_model(project: Path) -> None:
    doc, _ = load(project / "source" / "a.md")
    fields = doc.meta.fields
    assert fields["dossier"] == "DG-2026-117"
    assert fields["review"].isoformat() == "2026-06-01"  # type: ignore[union-attr]
    assert fields["distribution"] == ("Cabinet", "Archives")
    assert [item.show for item in doc.meta.extra] == [True, False, False, False]
    assert doc.meta.extra[0].pos.line == 6


def test_a_localized_field_is_a_translation_unit(project: Path) -> None:
    doc, _ = load(project / "source" / "a.md")
    units = {unit.id: unit.text for unit, _loc in field_units(doc.meta, "fr")}
    assert units["caveat"] == "Ne pas diffuser"
    assert "dossier" not in units  # a text field is the same in every language


def test_field_errors_are_located(project: Path) -> None:
    source = project / "source" / "a.md"
    source.write_text(
        FRONT.replace("review: 2026-06-01", "review: juin")
        .replace("dossier: DG-2026-117\n", "")
        .replace("distribution:", "distrbution:"),
        encoding="utf-8",
    )
    code, out = run("check")
    assert code == 2
    assert "source/a.md:1:1: error: missing required field 'dossier': a text" in out
    assert "source/a.md:7:9: error: review: 'juin' is not a date in the form YYYY-MM-DD" in out
    assert "source/a.md:8:1: error: unknown field 'distrbution' in the front matter;" in out
    assert "did you mean 'distribution'?" in out


def test_an_undeclared_field_says_how_to_declare_it(project: Path) -> None:
    (project / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    code, out = run("check")
    assert code == 2
    assert "unknown field 'dossier' in the front matter" in out
    assert "[fields.dossier]" in out


def test_bad_declarations_are_located_in_docgen_toml(project: Path) -> None:
    (project / "docgen.toml").write_text(
        '[fields.dossier]\ntype = "txt"\nshwo = true\n\n[fields.title]\ntype = "text"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_project(project)
    messages = {(p.location.line, p.message) for p in caught.value.problems}
    assert (
        2,
        "fields.dossier.type must be one of text, localized, date, list; did you mean 'text'?",
    ) in messages
    assert (3, "fields.dossier: unknown key 'shwo'; did you mean 'show'?") in messages
    assert (5, "fields.title: 'title' is a built-in field; choose another name") in messages


def _custom_properties(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("docProps/custom.xml"))
        rels = package.read("_rels/.rels").decode()
        types = package.read("[Content_Types].xml").decode()
    assert "docProps/custom.xml" in rels and "custom-properties" in rels
    assert "custom-properties+xml" in types
    return {prop.get("name"): "".join(prop.itertext()) for prop in root}


def test_shown_field_on_every_cover_and_stored_in_properties(project: Path) -> None:
    code, out = run("build")
    assert code == 0, out
    folder = project / "output" / "a"
    brief = pdf_text(folder / "brief.fr.pdf")
    cover = brief.split("Texte")[0]
    assert "Dossier" in cover and "DG-2026-117" in cover
    assert "Ne pas diffuser" not in brief  # declared without show: stored, not printed
    sheet = pdf_text(folder / "summary.pdf")
    assert "Dossier" in sheet and "File" in sheet and "DG-2026-117" in sheet
    for name in ("report.fr.docx", "summary.docx"):
        props = _custom_properties(folder / name)
        assert props["dossier"] == "DG-2026-117"
        assert props["distribution"] == "Cabinet, Archives"
        assert props["review"] == "2026-06-01"
    report = zipfile.ZipFile(folder / "report.fr.docx").read("word/document.xml").decode()
    assert "Dossier " in report and "DG-2026-117" in report
    sheet_docx = zipfile.ZipFile(folder / "summary.docx").read("word/document.xml").decode()
    assert "File" in sheet_docx and "DG-2026-117" in sheet_docx


def test_fields_in_the_pdf_metadata(project: Path) -> None:
    from pypdf import PdfReader

    assert run("build", "--product", "brief")[0] == 0
    info = PdfReader(project / "output" / "a" / "brief.fr.pdf").metadata
    assert info is not None
    assert info["/dossier"] == "DG-2026-117"
    assert info["/caveat"] == "Ne pas diffuser"
