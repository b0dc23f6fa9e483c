"""The translator's path: approved units, complete PO headers, accepting one unit,
skipped units named, exports in their own folder, "updated" only for changed files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from docgen import transaction
from docgen.cli import main
from docgen.i18n.record import read_record

from .conftest import MINIMAL_FRONT
from .test_transaction import hold_lock

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


# --------------------------------------------------------------------------- previous text

XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_stale_units_carry_their_previous_source_text_in_po(project: Path) -> None:
    assert run("i18n", "accept", "a")[0] == 0
    record = (project / "source" / "a.i18n.yml").read_text(encoding="utf-8")
    assert "body.intro.p1: {en: " in record and ', source: "Un."}' in record
    edit(project / "source" / "a.md", "Un.\n", "Un, revu.\n")
    edit(project / "source" / "a.md", "fr: Résumé.", "fr: Résumé revu.")
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    po = {e.msgctxt: e for e in polib.pofile(str(project / "a.po"))}
    assert po["body.intro.p1"].previous_msgid == "Un."
    assert po["body.intro.p1"].msgid == "Un, revu." and "fuzzy" in po["body.intro.p1"].flags
    assert po["summary"].previous_msgid == "Résumé."
    assert po["body.intro.p2"].previous_msgid is None  # current
    assert po["contact"].previous_msgid is None  # never translated
    assert '#| msgid "Un."\n' in (project / "a.po").read_text(encoding="utf-8")


def test_stale_units_carry_their_previous_source_text_in_xliff(project: Path) -> None:
    assert run("i18n", "accept", "a")[0] == 0
    edit(project / "source" / "a.md", "Deux.\n", "Deux & <trois>.\n")
    assert run("i18n", "export", "a", "-o", "a.xlf")[0] == 0
    root = ET.parse(project / "a.xlf").getroot()
    units = {u.get("id"): u for u in root.iter(f"{XLIFF}trans-unit")}
    alts = [u.findall(f"{XLIFF}alt-trans") for u in units.values()]
    assert sum(map(len, alts)) == 1
    stale = units["body.intro.p2"]
    alt = stale.find(f"{XLIFF}alt-trans")
    assert alt is not None and alt.get("alttranstype") == "previous-version"
    assert alt.findtext(f"{XLIFF}source") == "Deux."
    assert alt.findtext(f"{XLIFF}target") == "Two."
    assert stale.findtext(f"{XLIFF}source") == "Deux & <trois>."
    # the file still imports, the alt-trans's <source> and <target> are not the unit's
    assert run("i18n", "import", "a.xlf", "--force")[0] == 0
    assert (project / "source" / "a.en.md").read_text(encoding="utf-8") == "One.\n\nTwo.\n"


def test_a_record_without_texts_still_reads_and_exports_no_previous_text(
    project: Path,
) -> None:
    assert run("i18n", "accept", "a")[0] == 0
    path = project / "source" / "a.i18n.yml"
    old = re.sub(r', source: "[^"]*"', "", path.read_text(encoding="utf-8"))
    assert 'source: "' not in old
    path.write_text(old, encoding="utf-8")
    edit(project / "source" / "a.md", "Un.\n", "Un, revu.\n")
    code, out = run("check", "source/a.md")
    assert code != 0 and 'body.intro.p1: the "en" translation is stale' in out
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    entry = polib.pofile(str(project / "a.po")).find("body.intro.p1", by="msgctxt")
    assert entry is not None and "fuzzy" in entry.flags and entry.previous_msgid is None


def test_a_recorded_text_edited_by_hand_is_not_shown_as_the_previous_one(
    project: Path,
) -> None:
    assert run("i18n", "accept", "a")[0] == 0
    edit(project / "source" / "a.i18n.yml", 'source: "Un."', 'source: "Autre chose."')
    edit(project / "source" / "a.md", "Un.\n", "Un, revu.\n")
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    entry = polib.pofile(str(project / "a.po")).find("body.intro.p1", by="msgctxt")
    assert entry is not None and "fuzzy" in entry.flags and entry.previous_msgid is None


def test_import_records_the_text_each_language_was_translated_from(project: Path) -> None:
    assert run("i18n", "accept", "a")[0] == 0
    edit(project / "source" / "a.md", "Un.\n", "Un, revu.\n")
    assert run("i18n", "export", "a", "-f", "po", "-l", "de", "-o", "a.de.po")[0] == 0
    po = polib.pofile(str(project / "a.de.po"))
    entry = po.find("body.intro.p1", by="msgctxt")
    assert entry is not None
    entry.msgstr = "Eins, überarbeitet."
    po.save()
    code, out = run("i18n", "import", "a.de.po")
    assert code == 0, out
    line = next(
        line
        for line in (project / "source" / "a.i18n.yml").read_text(encoding="utf-8").splitlines()
        if "body.intro.p1:" in line
    )
    assert line.endswith('source: {de: "Un, revu.", en: "Un."}}')
    # English is still stale against "Un.", German current against "Un, revu."
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    english = polib.pofile(str(project / "a.po")).find("body.intro.p1", by="msgctxt")
    assert english is not None and english.previous_msgid == "Un."
    # accepting English too gives both languages one text again
    assert run("i18n", "accept", "a")[0] == 0
    text = (project / "source" / "a.i18n.yml").read_text(encoding="utf-8")
    assert 'source: "Un, revu."}' in text and "source: {" not in text


def test_a_forced_import_records_the_text_the_file_was_exported_for(project: Path) -> None:
    assert run("i18n", "accept", "a")[0] == 0
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    po = polib.pofile(str(project / "a.po"))
    entry = po.find("body.intro.p1", by="msgctxt")
    assert entry is not None
    entry.msgstr = "One, again."
    po.save()
    edit(project / "source" / "a.md", "Un.\n", "Un, revu.\n")
    assert run("i18n", "import", "a.po")[0] == 2
    code, out = run("i18n", "import", "a.po", "--force")
    assert code == 0, out
    assert run("i18n", "export", "a", "-f", "po", "-o", "b.po")[0] == 0
    again = polib.pofile(str(project / "b.po")).find("body.intro.p1", by="msgctxt")
    assert again is not None and "fuzzy" in again.flags
    assert (again.previous_msgid, again.msgstr) == ("Un.", "One, again.")


# --------------------------------------------------------------------------- all or nothing


def three_file_import(project: Path) -> Path:
    """A PO file whose import changes the front matter, ``a.en.md`` and the record."""
    assert run("i18n", "export", "a", "-f", "po", "-o", "a.po")[0] == 0
    po = polib.pofile(str(project / "a.po"))
    for ident, text in (("contact", "Press"), ("body.intro.p1", "One, changed.")):
        entry = po.find(ident, by="msgctxt")
        assert entry is not None
        entry.msgstr = text
    po.save()
    return project / "a.po"


def sources(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "source").iterdir())}


def test_an_import_that_fails_midway_leaves_every_file_as_it_was(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("i18n", "accept", "a")[0] == 0
    file = three_file_import(project)
    before = sources(project)
    real = os.replace
    calls: list[str] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(os.fspath(dst))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, out = run("i18n", "import", str(file))
    assert code == 2 and "No space left on device" in out
    assert Path(calls[0]).parent == project / "source"  # one file was replaced first
    assert sources(project) == before  # the first file put back, no temporary left
    monkeypatch.setattr(os, "replace", real)
    code, out = run("i18n", "import", str(file))
    assert code == 0, out
    assert out.count("updated") == 3
    assert (project / "source" / "a.en.md").read_text(encoding="utf-8") == (
        "One, changed.\n\nTwo.\n"
    )


def test_an_import_waits_for_another_writer_then_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = three_file_import(project)
    before = sources(project)
    monkeypatch.setattr(transaction, "LOCK_TIMEOUT", 0.3)
    holder = hold_lock(project / "source", 30)
    try:
        code, out = run("i18n", "import", str(file))
        assert code == 2
        assert "source: error: another docgen is writing in source (waited 0.3 s" in out
        code, out = run("i18n", "accept", "a")
        assert code == 2 and "another docgen is writing in source" in out
    finally:
        holder.kill()
        holder.wait()
    assert sources(project) == before
    assert run("i18n", "import", str(file))[0] == 0


def test_two_imports_wait_for_the_writer_before_them_and_both_land(project: Path) -> None:
    """An English and a German import started while another writer holds the folder: they
    wait for it (nothing changes meanwhile), then each sees the other's work."""
    (project / "source" / "a.de.md").write_text("Eins.\n\nZwei.\n", encoding="utf-8")
    files = []
    for lang, contact in (("en", "Press"), ("de", "Presse (de)")):
        name = f"a.{lang}.po"
        assert run("i18n", "export", "a", "-f", "po", "-l", lang, "-o", name)[0] == 0
        po = polib.pofile(str(project / name))
        entry = po.find("contact", by="msgctxt")
        assert entry is not None
        entry.msgstr = contact
        po.save()
        files.append(name)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [sys.executable, "-m", "docgen", "i18n", "import"]
    before = sources(project)
    holder = hold_lock(project / "source", 120)
    try:
        runs = [subprocess.Popen([*command, name], cwd=project, env=env) for name in files]
        time.sleep(3)
        assert [process.poll() for process in runs] == [None, None]  # waiting
        assert sources(project) == before
    finally:
        holder.kill()
        holder.wait()
    assert [process.wait(timeout=120) for process in runs] == [0, 0]
    front = (project / "source" / "a.md").read_text(encoding="utf-8")
    assert "en: Press" in front and "de: Presse (de)" in front
    record = read_record(project / "source" / "a.md") or {}
    assert set(record["contact"]) == {"en", "de"}
