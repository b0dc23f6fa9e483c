"""The translation workflow: units, fingerprints, stale translations, XLIFF/PO round trips."""

from __future__ import annotations

import difflib
import io
import re
import shutil
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from docgen.errors import DocgenError
from docgen.i18n import (
    accept,
    export,
    import_file,
    read_article,
    record_path,
    stale_units,
)
from docgen.i18n.record import read_record
from docgen.i18n.units import fingerprint
from docgen.source import load, read_text, split

from .conftest import ARTICLE, MINIMAL_FRONT

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
FIELDS = [
    "title",
    "subtitle",
    "short_title",
    "author.role",
    "author.organization",
    "classification",
    "summary",
    *(f"key_points[{i}]" for i in range(6)),
    *(f"timeline[{i}].text" for i in range(4)),
    "contact",
]
PARAGRAPHS = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 1, 8: 1, 9: 1}
"""Section number → paragraphs in it, in the real article."""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A copy of the real article and its English translation, safe to edit."""
    for name in ("maroc-kazakhstan.md", "maroc-kazakhstan.en.md"):
        shutil.copy(ARTICLE.parent / name, tmp_path / name)
    return tmp_path / "maroc-kazakhstan.md"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    """The lines removed and added between two texts, without the diff's headers."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def set_targets(xliff: str, targets: dict[str, str], state: str = "translated") -> bytes:
    """An exported XLIFF with some targets rewritten, as a CAT tool would save it."""
    root = ET.fromstring(xliff.encode("utf-8"))
    for unit in root.iterfind(".//x:trans-unit", NS):
        if unit.get("id") in targets:
            target = unit.find("x:target", NS)
            assert target is not None
            target.text = targets[unit.get("id", "")]
            target.set("state", state)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --------------------------------------------------------------------------- units


def test_units_of_the_real_article() -> None:
    units = read_article(ARTICLE).units
    body = [
        "body.intro.p1",
        "body.intro.p2",
        *(
            ident
            for number, count in PARAGRAPHS.items()
            for ident in (
                f"body.s{number}.h",
                *(f"body.s{number}.p{p}" for p in range(1, count + 1)),
            )
        ),
    ]
    assert len(units) == 18 + 2 + 9 + 12 == 41
    assert [u.id for u in units] == FIELDS + body
    by_id = {u.id: u for u in units}
    assert by_id["body.s4.p2"].text.startswith("Les deux parties ont souligné")
    assert (by_id["body.s4.p2"].line, by_id["body.s4.p2"].column) == (97, 1)
    assert by_id["body.s1.h"].text == "Une vision partagée pour la paix et la sécurité"
    assert (by_id["body.s1.h"].line, by_id["body.s1.h"].column) == (81, 4)
    assert (by_id["summary"].line, by_id["summary"].column) == (29, 7)
    assert by_id["summary"].text.startswith("Les relations entre le Maroc et le Kazakhstan")


def test_the_english_body_pairs_unit_by_unit() -> None:
    article = read_article(ARTICLE)
    translation = article.translations["en"]
    assert translation.problems == ()
    assert [u.id for u in translation.body.units] == [u.id for u in article.body.units]
    by_id = {u.id: u for u in article.units}
    assert article.target(by_id["body.s4.p2"], "en") == (
        "Both sides stressed the importance of strengthening parliamentary and diplomatic"
        " cooperation, notably the follow-up of major reforms and support for joint projects"
        " in the economic, cultural and social fields, as well as digital transformation and"
        " innovation."
    )
    assert article.target(by_id["author.role"], "en") == "Founding President"


def test_plain_strings_are_not_units(write_source: Callable[..., Path]) -> None:
    front = """\
        ---
        title: {fr: Titre, en: Title}
        author: {name: Jeanne Martin, organization: AMCAP, role: {fr: Directrice}}
        date: 2026-03-14
        lang: fr
        contact: AMCAP
        ---
        """
    path = write_source("Texte.\n", front=front)
    assert [u.id for u in read_article(path).units] == ["title", "author.role", "body.intro.p1"]


def test_body_units_of_every_block_kind(write_source: Callable[..., Path]) -> None:
    body = """\

        Intro *emphase* et [lien](https://example.org)
        sur deux lignes.

        ## Section

        - premier
        - second[^1]

        > citation

        | Pays  | Capitale |
        |-------|---------:|
        | Maroc |    Rabat |

        ```
        du code, jamais traduit
        ```

        ### Sous-section

        Fin.

        [^1]: La note.
        """
    units = read_article(write_source(body)).units
    found = [(u.id, u.kind, u.text) for u in units if u.id.startswith("body.")]
    assert found == [
        (
            "body.intro.p1",
            "paragraph",
            "Intro *emphase* et [lien](https://example.org) sur deux lignes.",
        ),
        ("body.s1.h", "heading", "Section"),
        ("body.s1.p1", "list item", "premier"),
        ("body.s1.p2", "list item", "second[^1]"),
        ("body.s1.p3", "quote", "citation"),
        ("body.s1.p4", "table cell", "Pays"),
        ("body.s1.p5", "table cell", "Capitale"),
        ("body.s1.p6", "table cell", "Maroc"),
        ("body.s1.p7", "table cell", "Rabat"),
        ("body.s1.1.h", "heading", "Sous-section"),
        ("body.s1.1.p1", "paragraph", "Fin."),
        ("body.fn1.p1", "footnote", "La note."),
    ]


# --------------------------------------------------------------------------- fingerprints


def test_fingerprint_is_a_short_sha256_prefix() -> None:
    value = fingerprint("Les deux parties")
    assert len(value) == 12
    assert set(value) <= set("0123456789abcdef")


@given(
    words=st.lists(st.text("abcdéœ’,.", min_size=1, max_size=8), min_size=1, max_size=20),
    gaps=st.lists(st.sampled_from([" ", "  ", "\n", " \n  ", "\t"]), min_size=20, max_size=20),
)
def test_fingerprint_ignores_reflow(words: list[str], gaps: list[str]) -> None:
    reflowed = "".join(word + gap for word, gap in zip(words, gaps, strict=False))
    assert fingerprint(reflowed) == fingerprint(" ".join(words))


def test_fingerprint_changes_with_a_word() -> None:
    text = "Les deux parties ont souligné l’importance de la coopération."
    assert fingerprint(text.replace("souligné", "rappelé")) != fingerprint(text)
    assert fingerprint(text.replace("l’", "l'")) != fingerprint(text)


def test_reflowing_a_french_paragraph_is_not_a_change(article: Path) -> None:
    accept(article)
    edit(
        article,
        "Les deux parties ont souligné l’importance",
        "Les deux parties\nont  souligné l’importance",
    )
    assert stale_units(article) == []


# --------------------------------------------------------------------------- stale and accept


def test_without_a_record_nothing_is_stale(article: Path) -> None:
    edit(article, "Les deux parties ont souligné", "Les deux parties ont rappelé")
    assert not record_path(article).exists()
    assert stale_units(article) == []


def test_editing_a_french_paragraph_makes_its_translation_stale(article: Path) -> None:
    accept(article)
    assert stale_units(article) == []
    edit(article, "Les deux parties ont souligné", "Les deux parties ont rappelé")
    edit(article, 'fr: "NON CLASSIFIÉ"', 'fr: "DIFFUSION RESTREINTE"')
    problems = stale_units(article)
    assert [(p.location.line, p.location.column) for p in problems] == [(25, 7), (97, 1)]
    assert problems[1].location.path == article
    assert problems[1].message == (
        'body.s4.p2: the "en" translation is stale (the "fr" text changed since it was'
        " accepted; review it, then run docgen i18n accept maroc-kazakhstan)"
    )
    assert problems[0].message.startswith('classification: the "en" translation is stale')
    assert accept(article) == record_path(article)
    assert stale_units(article) == []


def test_the_record_file_is_one_line_per_unit(article: Path) -> None:
    path = accept(article)
    assert path == article.with_name("maroc-kazakhstan.i18n.yml")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    units = read_article(article).units
    by_id = {u.id: u for u in units}
    s4p2, point = by_id["body.s4.p2"], by_id["key_points[3]"]
    assert f'  body.s4.p2: {{en: {s4p2.fingerprint}, source: "{s4p2.text}"}}' in lines
    assert f'  key_points[3]: {{en: {point.fingerprint}, source: "{point.text}"}}' in lines
    assert sum(line.startswith("  ") for line in lines) == 41
    assert read_record(article) == {u.id: {"en": u.fingerprint} for u in units}


def test_a_broken_record_file_is_reported_with_its_line(article: Path) -> None:
    accept(article)
    path = record_path(article)
    text = path.read_text(encoding="utf-8").replace("title: {en: ", "title: {en: zz", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocgenError) as caught:
        stale_units(article)
    problem = caught.value.problems[0]
    assert problem.location.path == path
    assert (
        problem.location.line
        == text.splitlines().index(
            next(line for line in text.splitlines() if "title: {en: zz" in line)
        )
        + 1
    )
    assert "not a fingerprint" in problem.message


def test_a_translation_that_does_not_pair_is_reported(article: Path) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    edit(translation, "\nBoth sides stressed", "\nAn extra paragraph.\n\nBoth sides stressed")
    problems = stale_units(article)
    assert len(problems) == 1
    assert problems[0].location.path == translation
    assert problems[0].location.line == 17  # "## Official visits…"
    assert problems[0].message.startswith(
        "section 4 has 4 units here, 3 in maroc-kazakhstan.md (line 93); a translation keeps"
    )
    with pytest.raises(DocgenError, match="section 4 has 4 units"):
        accept(article)


# --------------------------------------------------------------------------- export


def test_export_xliff_has_one_trans_unit_per_unit(article: Path) -> None:
    accept(article)
    edit(article, "Les deux parties ont souligné", "Les deux parties ont rappelé")
    text = export(article, "xliff")
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<xliff version=\"1.2\"")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "{urn:oasis:names:tc:xliff:document:1.2}xliff"
    file = root.find("x:file", NS)
    assert file is not None
    assert file.get("source-language") == "fr"
    assert file.get("target-language") == "en"
    assert file.get("datatype") == "plaintext"
    assert file.get("original") == article.name
    units = root.findall(".//x:trans-unit", NS)
    article_units = read_article(article).units
    assert [u.get("id") for u in units] == [u.id for u in article_units]
    assert [u.get("resname") for u in units] == [u.id for u in article_units]
    by_id = {u.get("id"): u for u in units}
    role = by_id["author.role"]
    assert role.findtext("x:source", namespaces=NS) == "Président-fondateur"
    assert role.findtext("x:target", namespaces=NS) == "Founding President"
    notes = [n.text for n in role.findall("x:note", NS)]
    assert f"fingerprint {fingerprint('Président-fondateur')}" in notes
    states = {u.get("id"): u.find("x:target", NS).get("state") for u in units}  # type: ignore[union-attr]
    assert states["body.s4.p2"] == "needs-review-translation"
    assert states["body.s4.p1"] == "translated"
    body = by_id["body.s1.p1"].findtext("x:target", namespaces=NS) or ""
    assert body.startswith("Cooperation between Morocco and Kazakhstan rests on")


def test_export_escapes_markup(write_source: Callable[..., Path]) -> None:
    path = write_source('Un <b>test</b> & *vrai* "cité".\n')
    text = export(path, "xliff", "en")
    root = ET.fromstring(text.encode("utf-8"))
    unit = root.find(".//x:trans-unit[@id='body.intro.p1']", NS)
    assert unit is not None
    assert unit.findtext("x:source", namespaces=NS) == 'Un <b>test</b> & *vrai* "cité".'
    target = unit.find("x:target", NS)
    assert target is not None and target.get("state") == "needs-translation"
    assert "&lt;b&gt;" in text and "&amp;" in text


def test_export_po_parses_with_polib(article: Path) -> None:
    accept(article)
    edit(article, 'fr: "NON CLASSIFIÉ"', 'fr: "DIFFUSION RESTREINTE"')
    po = polib.pofile(export(article, "po"))
    assert po.metadata["Language"] == "en"
    assert po.metadata["X-Source-Language"] == "fr"
    entries = list(po)
    assert len(entries) == 41
    assert [e.msgctxt for e in entries] == [u.id for u in read_article(article).units]
    title = entries[0]
    assert title.msgid.startswith("Maroc–Kazakhstan : un partenariat modèle")
    assert title.msgstr.startswith("Morocco–Kazakhstan: a model partnership")
    assert f"fingerprint: {fingerprint(title.msgid)}" in title.comment
    assert [e.msgctxt for e in entries if "fuzzy" in e.flags] == ["classification"]


def test_export_needs_a_language_when_there_is_no_translation(
    write_source: Callable[..., Path],
) -> None:
    path = write_source(front="---\ntitle: Titre\nauthor: X\ndate: 2026-01-01\nlang: fr\n---\n")
    with pytest.raises(DocgenError, match="name the language"):
        export(path, "po")
    with pytest.raises(DocgenError, match="unknown exchange format"):
        export(path, "tmx", "en")


# --------------------------------------------------------------------------- import


def test_round_trip_of_the_real_front_matter_is_byte_identical() -> None:
    front = split(ARTICLE, read_text(ARTICLE)).front_matter
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(yaml.load(front), out)
    assert out.getvalue() == front


@pytest.mark.parametrize("fmt", ["xliff", "po"])
def test_a_no_op_import_changes_nothing(article: Path, fmt: str) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    before = article.read_bytes(), translation.read_bytes()
    exchange = article.with_name(f"x.{'xlf' if fmt == 'xliff' else 'po'}")
    exchange.write_text(export(article, fmt), encoding="utf-8")
    report = import_file(exchange, source_dir=exchange.parent)
    assert (article.read_bytes(), translation.read_bytes()) == before
    assert report.written == ()
    assert len(report.accepted) == 41
    assert report.files == (record_path(article),)
    assert stale_units(article) == []


def test_import_changes_only_the_edited_translations(article: Path) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    source_before, translation_before = article.read_text(), translation.read_text()
    xliff = export(article, "xliff")
    edited = set_targets(
        xliff,
        {
            "author.role": 'Founder & "first" President',
            "body.s4.p2": "Both parties underlined the need for parliamentary cooperation.",
        },
    )
    exchange = article.with_name("maroc-kazakhstan.en.xlf")
    exchange.write_bytes(edited)
    report = import_file(exchange, source_dir=exchange.parent)
    assert report.written == ("author.role", "body.s4.p2")
    assert changed_lines(source_before, article.read_text()) == [
        '-    en: "Founding President"',
        '+    en: "Founder & \\"first\\" President"',
    ]
    assert changed_lines(translation_before, translation.read_text()) == [
        "-" + translation_before.splitlines()[20],
        "+Both parties underlined the need for parliamentary cooperation.",
    ]
    doc, _ = load(article)
    assert doc.meta.author.role is not None
    assert doc.meta.author.role.get("en") == 'Founder & "first" President'
    assert stale_units(article) == []


def test_import_refolds_a_folded_scalar_and_keeps_comments(article: Path) -> None:
    before = article.read_text()
    summary = "Relations between Morocco and Kazakhstan, " * 6 + "in short."
    exchange = article.with_name("x.xlf")
    exchange.write_bytes(set_targets(export(article, "xliff"), {"summary": summary}))
    import_file(exchange, source_dir=exchange.parent)
    after = article.read_text()
    assert [line for line in after.splitlines() if line.startswith("#")] == [
        line for line in before.splitlines() if line.startswith("#")
    ]
    changed = changed_lines(before, after)
    assert all(line[1:].startswith("    ") for line in changed)
    assert max(len(line) - 1 for line in changed) <= 92
    doc, _ = load(article)
    assert doc.meta.summary is not None and doc.meta.summary.get("en") == summary.strip()
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]


def test_import_turns_a_plain_or_one_language_field_into_a_mapping(article: Path) -> None:
    xliff = export(article, "xliff")
    edit(article, '    en: "Founding President"\n', "")
    edit(
        article,
        'contact:\n  fr: "AMCAP — Bureau du président-fondateur"\n'
        '  en: "AMCAP — Office of the Founding President"\n',
        "contact: AMCAP — Bureau du président-fondateur\n",
    )
    exchange = article.with_name("x.xlf")
    exchange.write_text(xliff, encoding="utf-8")
    report = import_file(exchange, source_dir=exchange.parent)
    assert set(report.written) == {"author.role", "contact"}
    text = article.read_text()
    assert '    fr: "Président-fondateur"\n    en: "Founding President"\n  organization:' in text
    assert (
        "contact:\n  fr: AMCAP — Bureau du président-fondateur\n"
        "  en: AMCAP — Office of the Founding President\n---\n"
    ) in text


def test_import_refuses_an_export_of_an_older_source(article: Path) -> None:
    exchange = article.with_name("x.xlf")
    xliff = export(article, "xliff")
    exchange.write_bytes(set_targets(xliff, {"body.s6.p1": "On the economic front, things."}))
    edit(article, "Sur le plan économique", "Sur le plan strictement économique")
    before = article.read_bytes(), article.with_name("maroc-kazakhstan.en.md").read_bytes()
    with pytest.raises(DocgenError) as caught:
        import_file(exchange, source_dir=exchange.parent)
    [problem] = caught.value.problems
    assert problem.location.path == exchange
    line = xliff.splitlines().index(
        '      <trans-unit id="body.s6.p1" resname="body.s6.p1" xml:space="preserve">'
    )
    assert problem.location.line == line + 1
    assert problem.message.startswith(
        'body.s6.p1: the "fr" text changed since this file was exported'
    )
    assert (
        article.read_bytes(),
        article.with_name("maroc-kazakhstan.en.md").read_bytes(),
    ) == before
    assert not record_path(article).exists()
    report = import_file(exchange, force=True, source_dir=exchange.parent)
    assert report.written == ("body.s6.p1",)
    assert [p.severity for p in report.warnings] == ["warning"]
    assert [p.message.split(":")[0] for p in stale_units(article)] == ["body.s6.p1"]


def test_units_still_to_review_are_not_imported(article: Path) -> None:
    exchange = article.with_name("x.xlf")
    targets = {"body.s6.p1": "Not reviewed yet."}
    exchange.write_bytes(set_targets(export(article, "xliff"), targets, "needs-review-translation"))
    report = import_file(exchange, source_dir=exchange.parent)
    assert report.skipped == ("body.s6.p1",)
    assert "Not reviewed yet." not in article.with_name("maroc-kazakhstan.en.md").read_text()


def test_import_refuses_unknown_units(article: Path) -> None:
    exchange = article.with_name("x.xlf")
    exchange.write_text(export(article, "xliff").replace('id="body.s9.p1"', 'id="body.s10.p1"'))
    with pytest.raises(DocgenError, match=r"body.s10.p1 is not a unit of maroc-kazakhstan.md"):
        import_file(exchange, source_dir=exchange.parent)


def test_a_malformed_xliff_is_reported_with_its_line(article: Path) -> None:
    exchange = article.with_name("x.xlf")
    text = export(article, "xliff").replace("</source>", "</sourc>", 3)
    exchange.write_text(text, encoding="utf-8")
    with pytest.raises(DocgenError) as caught:
        import_file(exchange, source_dir=exchange.parent)
    [problem] = caught.value.problems
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "</sourc>" in row)
    assert (problem.location.path, problem.location.line) == (exchange, line)
    assert problem.location.column > 1
    assert "invalid XML: mismatched tag" in problem.message


def test_a_doctype_is_refused(article: Path) -> None:
    exchange = article.with_name("x.xlf")
    exchange.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<xliff/>\n')
    with pytest.raises(DocgenError, match="DOCTYPE is not allowed") as caught:
        import_file(exchange, article)
    assert caught.value.problems[0].location.line == 2


def test_a_malformed_po_is_reported_with_its_line(article: Path) -> None:
    exchange = article.with_name("x.po")
    exchange.write_text('msgid "a"\nmsgstr "b"\nnot po at all\n', encoding="utf-8")
    with pytest.raises(DocgenError) as caught:
        import_file(exchange, article)
    assert caught.value.problems[0].location.line == 3


def test_import_po_edits_a_translation(article: Path) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    before = translation.read_text()
    po = polib.pofile(export(article, "po"))
    for entry in po:
        if entry.msgctxt == "body.s1.h":
            entry.msgstr = "A shared vision of peace"
    exchange = article.with_name("x.po")
    exchange.write_text(str(po), encoding="utf-8")
    assert import_file(exchange, source_dir=exchange.parent).written == ("body.s1.h",)
    assert changed_lines(before, translation.read_text()) == [
        "-## A shared vision for peace and security",
        "+## A shared vision of peace",
    ]


def test_import_creates_the_translation_following_the_source(
    write_source: Callable[..., Path],
) -> None:
    body = """\

        Intro
        sur deux lignes.

        ## Section

        - premier
        - second[^1]

        > citation

        | Pays  | Capitale |
        |-------|---------:|
        | Maroc |    Rabat |

        ```
        code
        ```

        [^1]: La note.
        """
    path = write_source(body)
    xliff = export(path, "xliff", "en")
    root = ET.fromstring(xliff.encode("utf-8"))
    targets = {
        unit.get("id", ""): f"EN {unit.findtext('x:source', namespaces=NS)}"
        for unit in root.iterfind(".//x:trans-unit", NS)
        if unit.get("id") != "body.s1.p6"
    }
    targets["body.intro.p1"] = "2025. A year"
    exchange = path.with_name("a.xlf")
    exchange.write_bytes(set_targets(xliff, targets))
    report = import_file(exchange, source_dir=exchange.parent)
    assert report.placeholders == ("body.s1.p6",)
    created = path.with_name("a.en.md")
    assert created.read_text() == textwrap.dedent(
        """\
        2025\\. A year

        ## EN Section

        - EN premier
        - EN second[^1]

        > EN citation

        | EN Pays  | EN Capitale |
        |-------|---------:|
        | Maroc |    EN Rabat |

        ```
        code
        ```

        [^1]: EN La note.
        """
    )
    assert stale_units(path) == []
    doc, _ = load(path, "en")
    assert doc.body_path == created


def test_import_rebuilds_a_section_that_no_longer_pairs(article: Path) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    before = translation.read_text()
    edit(
        article,
        "\nLes deux parties ont souligné",
        "\nUn paragraphe ajouté.\n\nLes deux parties ont souligné",
    )
    assert [p.location.line for p in stale_units(article)] == [17]
    xliff = export(article, "xliff")
    root = ET.fromstring(xliff.encode("utf-8"))
    pending = [
        unit.get("id", "")
        for unit in root.iterfind(".//x:trans-unit", NS)
        if unit.find("x:target", NS).get("state") == "needs-translation"  # type: ignore[union-attr]
    ]
    assert pending == ["body.s4.h", "body.s4.p1", "body.s4.p2", "body.s4.p3"]
    old = before.split("\n\n")
    targets = {
        "body.s4.h": old[8].removeprefix("## "),
        "body.s4.p1": old[9],
        "body.s4.p2": "An added paragraph.",
        "body.s4.p3": old[10],
    }
    exchange = article.with_name("x.xlf")
    exchange.write_bytes(set_targets(xliff, targets))
    report = import_file(exchange, source_dir=exchange.parent)
    assert report.placeholders == ()
    added = "\nAn added paragraph.\n\nBoth sides stressed"
    assert translation.read_text() == before.replace("\nBoth sides stressed", added)
    assert stale_units(article) == []


def test_import_keeps_crlf_and_bom(article: Path) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    raw = b"\xef\xbb\xbf" + translation.read_bytes().replace(b"\n", b"\r\n")
    translation.write_bytes(raw)
    exchange = article.with_name("x.xlf")
    exchange.write_bytes(set_targets(export(article, "xliff"), {"body.s1.h": "Peace"}))
    import_file(exchange, source_dir=exchange.parent)
    after = translation.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert after == raw.replace(b"## A shared vision for peace and security", b"## Peace")


# --------------------------------------------------------------------------- hardening


def po_with(article: Path, targets: dict[str, str]) -> str:
    """An exported PO file with some translations rewritten, as Poedit would save it."""
    po = polib.pofile(export(article, "po"))
    for entry in po:
        if entry.msgctxt in targets:
            entry.msgstr = targets[entry.msgctxt]
            entry.flags = []
    return str(po)


def name_article(exported: str, name: str) -> str:
    """An exported XLIFF or PO file that names another article, as a translator could."""
    exported = re.sub(r'original="[^"]*"', lambda _: f'original="{name}"', exported)
    return re.sub(r'"X-Docgen-Article: [^"\\]*', lambda _: f'"X-Docgen-Article: {name}', exported)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """An article outside the source folder, which no translator's file may reach."""
    folder = tmp_path / "victim"
    folder.mkdir()
    target = folder / "v.md"
    shutil.copy(ARTICLE, target)
    return target


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    """A source folder holding the real article and its English translation."""
    folder = tmp_path / "source"
    folder.mkdir()
    for name in ("maroc-kazakhstan.md", "maroc-kazakhstan.en.md"):
        shutil.copy(ARTICLE.parent / name, folder / name)
    return folder


def snapshot(*folders: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for folder in folders for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize(
    "name",
    [
        "../victim/v.md",
        "ABSOLUTE",
        "..\\victim\\v.md",
        "source/maroc-kazakhstan.md",
        "maroc-kazakhstan.en.md",
        "maroc-kazakhstan.txt",
        "missing.md",
    ],
)
def test_import_takes_the_article_name_from_the_file_as_a_plain_name_in_the_source_folder(
    source_dir: Path, victim: Path, name: str
) -> None:
    name = str(victim) if name == "ABSOLUTE" else name
    article = source_dir / "maroc-kazakhstan.md"
    xliff = name_article(export(article, "xliff"), name)
    exchange = source_dir / "x.xlf"  # "../victim/v.md" leads there from the file
    exchange.write_bytes(set_targets(xliff, {"body.s1.h": "Pwned"}))
    before = snapshot(source_dir, victim.parent)
    with pytest.raises(DocgenError) as caught:
        import_file(exchange, source_dir=source_dir)
    [problem] = caught.value.problems
    line = next(i for i, row in enumerate(xliff.splitlines(), 1) if "<file " in row)
    assert (problem.location.path, problem.location.line) == (exchange, line)
    assert repr(name) in problem.message and "--article" in problem.message
    assert snapshot(source_dir, victim.parent) == before


def test_import_refuses_an_article_that_a_link_takes_outside_the_source_folder(
    source_dir: Path, victim: Path
) -> None:
    (source_dir / "link.md").symlink_to(victim)
    xliff = export(source_dir / "maroc-kazakhstan.md", "xliff")
    exchange = source_dir / "x.xlf"
    exchange.write_text(name_article(xliff, "link.md"))
    before = snapshot(victim.parent)
    with pytest.raises(DocgenError, match=r"'link.md' named in this file leads outside"):
        import_file(exchange, source_dir=source_dir)
    assert snapshot(victim.parent) == before


def test_import_names_the_po_header_line_of_a_bad_article_name(
    source_dir: Path, victim: Path
) -> None:
    text = export(source_dir / "maroc-kazakhstan.md", "po")
    text = name_article(text, "../victim/v.md")
    exchange = source_dir / "x.po"
    exchange.write_text(text, encoding="utf-8")
    with pytest.raises(DocgenError, match="not a plain file name") as caught:
        import_file(exchange, source_dir=source_dir)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "X-Docgen-Article" in row)
    assert caught.value.problems[0].location.line == line


def test_import_without_a_source_folder_asks_for_the_article(article: Path) -> None:
    exchange = article.with_name("x.xlf")
    exchange.write_text(export(article, "xliff"), encoding="utf-8")
    with pytest.raises(DocgenError, match="pass the article with --article"):
        import_file(exchange)
    assert not record_path(article).exists()


def test_an_explicit_article_wins_over_the_name_in_the_file(source_dir: Path, victim: Path) -> None:
    article = source_dir / "maroc-kazakhstan.md"
    xliff = name_article(export(article, "xliff"), "../victim/v.md")
    exchange = source_dir / "x.xlf"
    exchange.write_bytes(set_targets(xliff, {"body.s1.h": "Peace"}))
    before = snapshot(victim.parent)
    report = import_file(exchange, article, source_dir=source_dir)
    assert report.article == article and report.written == ("body.s1.h",)
    assert "## Peace\n" in (source_dir / "maroc-kazakhstan.en.md").read_text()
    assert snapshot(victim.parent) == before


def test_import_escapes_markdown_that_would_open_a_block(article: Path) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    targets = {
        "body.intro.p1": "Intro line\\\n```",
        "body.intro.p2": "***",
        "body.s1.h": "Peace #",
        "body.s1.p1": "Line one\\\n# not a heading\\\n> not a quote\\\n1. not a list",
        "body.s2.p1": "Line\\\n---",
        "body.s3.p1": "___\\\n~~~ not a fence\\\n+ no item\\\n[^9]: no new footnote",
        "body.s4.p1": "___",
    }
    exchange = article.with_name("x.po")
    exchange.write_text(po_with(article, targets), encoding="utf-8")
    report = import_file(exchange, source_dir=exchange.parent)
    assert set(report.written) == set(targets)
    assert stale_units(article) == []  # `docgen check`: the translation still pairs
    text = translation.read_text()
    assert text.startswith("Intro line\\\n\\```\n\n\\***\n\n## Peace \\#\n\n")
    assert "Line one\\\n\\# not a heading\\\n\\> not a quote\\\n1\\. not a list\n" in text
    assert "Line\\\n\\---\n" in text and "\n\\___\n" in text
    assert "___\\\n\\~~~ not a fence\\\n\\+ no item\\\n\\[^9]: no new footnote\n" in text
    again = import_file(exchange, source_dir=exchange.parent)  # what it wrote reads back
    assert again.written == ()


def test_import_refuses_a_translation_that_changes_the_structure(article: Path) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    xliff = export(article, "xliff")
    targets = {
        "body.s1.h": "Peace",  # innocent: not named
        "body.s4.p2": "<div>\nA raw HTML block.</div>",
        "body.s6.p1": "[x]: https://example.org",
        "body.s7.p1": "Text\\\n<!-- an HTML comment, to the end of the file",
    }
    exchange = article.with_name("x.xlf")
    exchange.write_bytes(set_targets(xliff, targets))
    before = snapshot(article.parent)
    with pytest.raises(DocgenError) as caught:
        import_file(exchange, source_dir=exchange.parent)
    problems = caught.value.problems
    assert [p.message.split(" changes ")[0] for p in problems] == [
        "the translation of body.s4.p2",
        "the translation of body.s6.p1",
        "the translation of body.s7.p1",
    ]
    lines = exchange.read_text(encoding="utf-8").splitlines()
    for problem, ident in zip(problems, ("body.s4.p2", "body.s6.p1", "body.s7.p1"), strict=True):
        assert problem.location.path == exchange
        assert f'trans-unit id="{ident}"' in lines[problem.location.line - 1]
        assert "changes the document's structure (a code fence, a list" in problem.message
    assert problems[0].message.endswith("section 4 would have 2 unit(s), 3 in maroc-kazakhstan.md")
    assert snapshot(article.parent) == before
    assert "Peace" not in translation.read_text()


def test_import_refuses_to_create_a_translation_that_would_not_pair(
    write_source: Callable[..., Path],
) -> None:
    path = write_source("Intro.\n\n## Section\n\nTexte.\n")
    exchange = path.with_name("a.xlf")
    targets = {"body.intro.p1": "Intro.", "body.s1.p1": "<table><tr><td>x</td></tr></table>"}
    exchange.write_bytes(set_targets(export(path, "xliff", "en"), targets))
    with pytest.raises(DocgenError, match=r"the translation of body\.s1\.p1 changes") as caught:
        import_file(exchange, source_dir=path.parent)
    assert len(caught.value.problems) == 1
    assert not path.with_name("a.en.md").exists()
    assert not record_path(path).exists()


def test_a_po_file_holding_a_path_is_not_read_from_that_path(article: Path, tmp_path: Path) -> None:
    translation = article.with_name("maroc-kazakhstan.en.md")
    before = translation.read_bytes()
    other = tmp_path / "elsewhere" / "real.po"
    other.parent.mkdir()
    other.write_text(po_with(article, {"body.s1.h": "Imported from elsewhere"}), encoding="utf-8")
    evil = article.with_name("evil.po")
    evil.write_text(str(other), encoding="utf-8")
    with pytest.raises(DocgenError, match="invalid PO file") as caught:
        import_file(evil, article)
    assert caught.value.problems[0].location.path == evil
    assert translation.read_bytes() == before
    assert not record_path(article).exists()


def test_both_formats_read_fingerprints_with_one_pattern() -> None:
    from docgen.i18n import po, units, xliff

    assert po.FINGERPRINT_NOTE is xliff.FINGERPRINT_NOTE is units.FINGERPRINT_NOTE
    assert not hasattr(po, "_FINGERPRINT") and not hasattr(xliff, "_FINGERPRINT")
    assert units.FINGERPRINT_NOTE.search("fingerprint: 0123456789ab")
    assert units.FINGERPRINT_NOTE.search("fingerprint 0123456789ab")


@pytest.mark.parametrize("lang", ["../x", "en\n", "en/../../x", "EN", "e"])
def test_an_export_language_must_be_a_language_code(article: Path, lang: str) -> None:
    with pytest.raises(DocgenError, match="not a language to translate"):
        export(article, "xliff", lang)


def test_an_import_language_must_be_a_language_code(article: Path) -> None:
    xliff = export(article, "xliff").replace('target-language="en"', 'target-language="de&#10;"')
    exchange = article.with_name("x.xlf")
    exchange.write_text(xliff, encoding="utf-8")
    before = snapshot(article.parent)
    with pytest.raises(DocgenError, match="is not a target language"):
        import_file(exchange, source_dir=exchange.parent)
    assert snapshot(article.parent) == before


KITCHEN_SINK = """\

Intro
sur deux lignes.

## Section

- premier
- second[^1]

> citation

| Pays  | Capitale |
|-------|---------:|
| Maroc |    Rabat |

### Sous-section

Fin.

[^1]: La note.
"""
KITCHEN_SINK_UNITS = ["body.intro.p1", "body.s1.h", "body.s1.p1", "body.s1.p3", "body.s1.p4"]
KITCHEN_SINK_UNITS += ["body.s1.1.h", "body.s1.1.p1", "body.fn1.p1"]
"""A paragraph, headings, a list item, a quote, a table cell and a footnote."""
MARKDOWN_BITS = ["#", "##", ">", "-", "+", "*", "1.", "1)", "```", "~~~", "***", "___", "---"]
MARKDOWN_BITS += ["===", "<div>", "</div>", "<!--", "-->", "<pre>", "[x]: /u", "[^9]:", "[^1]"]
MARKDOWN_BITS += ["|", "    ", "\t", "\\", "\n", "\\\n", "  \n", " ", "word", "**b**", "`c`"]


@settings(max_examples=30, deadline=None)
@given(
    texts=st.dictionaries(
        st.sampled_from(KITCHEN_SINK_UNITS),
        st.lists(st.sampled_from(MARKDOWN_BITS), min_size=1, max_size=8).map("".join),
        min_size=1,
        max_size=3,
    ),
    existing=st.booleans(),
)
def test_an_import_never_leaves_a_translation_that_does_not_pair(
    tmp_path_factory: pytest.TempPathFactory, texts: dict[str, str], existing: bool
) -> None:
    """Whatever Markdown a translator types: written and still pairing, or refused."""
    path = tmp_path_factory.mktemp("fuzz") / "a.md"
    path.write_text(MINIMAL_FRONT + KITCHEN_SINK, encoding="utf-8")
    if existing:
        english = KITCHEN_SINK.replace("citation", "quote").lstrip("\n")
        path.with_name("a.en.md").write_text(english, encoding="utf-8")
    exchange = path.with_name("a.po")
    po = polib.pofile(export(path, "po", "en"))
    for entry in po:
        if entry.msgctxt in texts:
            entry.msgstr = texts[entry.msgctxt]
    exchange.write_text(str(po), encoding="utf-8")
    before = snapshot(path.parent)
    try:
        import_file(exchange, source_dir=path.parent)
    except DocgenError as refused:
        assert all("changes the document's structure" in p.message for p in refused.problems)
        assert snapshot(path.parent) == before
        return
    assert stale_units(path) == []
