"""The translator's path: approved units, complete PO headers, accepting one unit,
skipped units named, exports in their own folder, "updated" only for changed files."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.i18n.record import read_record

from .conftest import MINIMAL_FRONT

FRONT = MINIMAL_FRONT.replace(
    "lang: fr\n", "lang: fr\nsummary: {fr: Résumé., en: Summary.}\ncontact: {fr: Presse}\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(FRONT + "Un.\n\nDeux.\n", encoding="utf-8")
    (tmp_path / "source" / "a.en.md").write_text("One.\n\nTwo.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_accepted_units_are_approved_in_xliff(project: Path) -> None:
    assert run("i18n", "accept", "a")[0] == 0
    code, out = run("i18n", "export", "a")
    assert code == 0 and "wrote translations/a.en.xlf" in out
    text = (project / "translations" / "a.en.xlf").read_text(encoding="utf-8")
    assert text.count('approved="yes"') == 4  # title, summary, two paragraphs
    assert '<trans-unit id="contact"' in text and 'id="contact" approved' not in text


def test_po_headers_are_complete_and_dated_by_the_article(project: Path) -> None:
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    meta = polib.pofile(str(project / "a.po")).metadata
    assert meta["PO-Revision-Date"] == meta["POT-Creation-Date"] == "2026-03-14 00:00+0000"
    assert meta["Language-Team"].startswith("English")
    assert meta["Last-Translator"]
    first = (project / "a.po").read_bytes()
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    assert (project / "a.po").read_bytes() == first  # reproducible


def test_accept_one_unit_by_id_or_line(project: Path) -> None:
    assert run("i18n", "accept", "a", "--unit", "summary")[0] == 0
    assert set(read_record(project / "source" / "a.md") or {}) == {"summary"}
    assert run("i18n", "accept", "a", "--line", "11")[0] == 0  # "Deux."
    record = read_record(project / "source" / "a.md") or {}
    assert len(record) == 2 and "summary" in record
    code, out = run("i18n", "accept", "a", "--unit", "sumary")
    assert code == 2 and "no unit 'sumary'; did you mean 'summary'?" in out


def test_import_names_skipped_units_and_updates_only_changed_files(project: Path) -> None:
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    po = polib.pofile(str(project / "a.po"))
    po.find("contact", by="msgctxt").msgstr = ""  # type: ignore[union-attr]
    summary = po.find("summary", by="msgctxt")
    assert summary is not None
    summary.flags.append("fuzzy")
    po.save()
    code, out = run("i18n", "import", "a.po")
    assert code == 0, out
    assert "skipped contact: not translated" in out
    assert "skipped summary: still marked for review" in out
    assert "updated" in out and "a.i18n.yml" in out
    code, out = run("i18n", "import", "a.po")
    assert code == 0 and "updated" not in out
