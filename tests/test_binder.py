"""Briefing packs: a pack of three articles built, then read back as a reader would.

The binder's contents page is checked against the pages where each article's title really
stands (pdftotext, page by page), its bookmarks against pypdf's outline, its numbering and
marking on every page; the sheets one page each, in order; mistakes in docgen.toml and in
the articles' markings refused with their lines.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import docx
import pypdf
import pytest
from click.testing import CliRunner

from docgen import api
from docgen.binder.marking import Levels
from docgen.cli import main
from docgen.errors import DocgenError
from docgen.project import load_project

from .conftest import ARTICLE, pdf_pages

TITLES = {
    "programme": "Programme de la visite",
    "profil-pays": "Kazakhstan : profil pays",
    "maroc-kazakhstan": "Maroc–Kazakhstan : un partenariat modèle",
}
ORDER = ["programme", "profil-pays", "maroc-kazakhstan"]

PROFILE = """\
---
title: {fr: "Kazakhstan : profil pays", en: "Kazakhstan: country profile"}
short_title: {fr: "Profil pays", en: "Country profile"}
author: {name: Direction Asie centrale}
date: 2026-03-02
lang: fr
classification: {fr: "DIFFUSION RESTREINTE", en: "RESTRICTED"}
summary: {fr: "Le neuvième pays du monde par sa superficie.", en: "The ninth largest country."}
---
## Géographie

Le Kazakhstan s'étend de la Caspienne à l'Altaï.

## Économie

Les hydrocarbures dominent les exportations.
"""

PROGRAMME = """\
---
title: {fr: "Programme de la visite", en: "Programme of the visit"}
short_title: {fr: "Programme", en: "Programme"}
author: {name: Service du protocole}
date: 2026-03-10
lang: fr
classification: "NON CLASSIFIÉ / UNCLASSIFIED"
---
## Lundi

Arrivée à Astana.

## Mardi

Entretiens.
"""

CONFIG = """\
[docgen]
languages = ["fr", "en"]

[packs.astana]
title = {fr = "Visite du ministre à Astana", en = "The Minister's visit to Astana"}
date = 2026-03-14
articles = [
  "programme",
  "profil-pays",
  "maroc-kazakhstan",
]
languages = ["fr"]
"""


def make_project(root: Path, config: str = CONFIG) -> Path:
    source = root / "source"
    source.mkdir(parents=True)
    for path in ARTICLE.parent.glob("maroc-kazakhstan*"):
        shutil.copy(path, source / path.name)
    (source / "profil-pays.md").write_text(PROFILE, encoding="utf-8")
    (source / "programme.md").write_text(PROGRAMME, encoding="utf-8")
    (root / "docgen.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, api.BuildResult]:
    root = make_project(tmp_path_factory.mktemp("pack"))
    result = api.build(project=load_project(root), packs=["astana"], zip_packs=True)
    return root / "output" / "packs" / "astana", result


def plain(text: str) -> str:
    """Text with French typography's no-break spaces as plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


def contents_entries(page: str) -> list[tuple[str, int]]:
    """(title start, page) of each contents line: ``Title ..... 5``."""
    found = []
    for title in TITLES.values():
        match = re.search(re.escape(title) + r".*?(\d+)\s*$", page, re.MULTILINE | re.DOTALL)
        assert match, f"{title!r} not on the contents page:\n{page}"
        found.append((title, int(match.group(1))))
    return found


def test_contents_page_numbers_are_the_pages_where_titles_stand(built: tuple[Path, object]) -> None:
    folder, _result = built
    pages = [plain(page) for page in pdf_pages(folder / "binder.fr.pdf")]
    assert "Sommaire" in pages[1]
    entries = contents_entries(pages[1])
    numbers = [number for _title, number in entries]
    assert numbers == sorted(numbers) and numbers[0] == 3
    for title, number in entries:
        first = next(i for i, page in enumerate(pages[2:], 3) if title in page)
        assert first == number, f"{title!r}: contents say {number}, title on page {first}"


def test_numbering_runs_through_the_binder_and_marking_on_every_page(
    built: tuple[Path, object],
) -> None:
    folder, _result = built
    pages = pdf_pages(folder / "binder.fr.pdf")
    total = len(pages)
    assert total >= 6
    for number, page in enumerate(pages, 1):
        # The strictest marking of the three (the profile's), not the others'.
        assert page.count("DIFFUSION RESTREINTE") >= 2, f"page {number} lacks the marking"
        if number > 1:
            assert f"Page {number} sur {total}" in page
    assert "Page 1 sur" not in pages[0]
    assert "Visite du ministre à Astana" in pages[0] and "Dossier de visite".upper() in pages[0]
    # Running headers name the pack and the article on the page.
    last = pages[-1]
    assert "Visite du ministre à Astana" in last and "Maroc–Kazakhstan" in last


def test_bookmarks_nest_sections_under_each_article(built: tuple[Path, object]) -> None:
    folder, _result = built
    reader = pypdf.PdfReader(folder / "binder.fr.pdf")
    top: list[str] = []
    children: dict[str, list[str]] = {}
    for item in reader.outline:
        if isinstance(item, list):
            children[top[-1]] = [child.title for child in item if not isinstance(child, list)]
        else:
            top.append(item.title)
    assert top[0] == "Sommaire"
    assert [plain(t)[:20] for t in top[1:]] == [TITLES[name][:20] for name in ORDER]
    assert children[top[1]] == ["1 Lundi", "2 Mardi"]
    assert children[top[2]][:2] == ["1 Géographie", "2 Économie"]
    assert len(children[top[3]]) >= 5


def test_sheets_one_page_each_in_pack_order(built: tuple[Path, object]) -> None:
    folder, _result = built
    pages = [plain(page) for page in pdf_pages(folder / "sheets.pdf")]
    assert len(pages) == 3
    for page, name in zip(pages, ORDER, strict=True):
        assert TITLES[name][:15] in page


def test_word_binder_has_one_contents_and_each_report(built: tuple[Path, object]) -> None:
    folder, _result = built
    word = docx.Document(str(folder / "binder.fr.docx"))
    xml = word.element.xml
    assert xml.count("TOC \\o") == 1
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert [plain(h)[:20] for h in headings] == [TITLES[name][:20] for name in ORDER]
    assert "DIFFUSION RESTREINTE" in word.sections[0].header.paragraphs[0].text


def test_manifest_zip_and_cache(built: tuple[Path, api.BuildResult]) -> None:
    folder, result = built
    names = {path.name for path in result.files}
    assert {"binder.fr.pdf", "binder.fr.docx", "sheets.pdf", "astana.zip"} <= names
    assert result.rendered == 3 and result.cached == 0
    root = folder.parents[2]
    from docgen.verify import verify_paths

    assert [
        p for p in verify_paths([folder, folder.with_suffix(".zip")], []) if p.severity == "error"
    ] == []
    again = api.build(project=load_project(root), packs=["astana"])
    assert (again.rendered, again.cached) == (0, 3)


def test_misspelled_article_refused_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, CONFIG.replace('"profil-pays"', '"profil-pais"'))
    monkeypatch.chdir(root)
    outcome = CliRunner().invoke(main, ["check", "--pack", "astana"])
    assert outcome.exit_code == 2
    line = CONFIG.splitlines().index('  "profil-pays",') + 1
    assert f"docgen.toml:{line}:1: error: packs.astana: no article 'profil-pais'" in outcome.output
    assert "did you mean 'profil-pays'?" in outcome.output
    outcome = CliRunner().invoke(main, ["build", "--pack", "astana"])
    assert outcome.exit_code == 2 and not (root / "output").exists()


def test_missing_key_and_unknown_pack(tmp_path: Path) -> None:
    root = make_project(tmp_path, CONFIG.replace("date = 2026-03-14\n", "dat = 2026-03-14\n"))
    with pytest.raises(DocgenError) as caught:
        api.check(project=load_project(root), packs=["astana"])
    text = str(caught.value)
    assert "docgen.toml:6:1: error: packs.astana: unknown key 'dat'; did you mean 'date'?" in text
    assert "docgen.toml:4:1: error: packs.astana: date is missing" in text
    root2 = make_project(tmp_path / "b")
    with pytest.raises(DocgenError, match="no pack 'astan'; did you mean 'astana'"):
        api.build(project=load_project(root2), packs=["astan"])


def test_article_above_the_pack_refused_at_its_classification_line(tmp_path: Path) -> None:
    config = CONFIG.replace(
        'languages = ["fr"]\n', 'languages = ["fr"]\nclassification = "NON CLASSIFIÉ"\n'
    )
    root = make_project(tmp_path, config)
    with pytest.raises(DocgenError) as caught:
        api.check(project=load_project(root), packs=["astana"])
    (problem,) = caught.value.problems
    assert problem.location.path.name == "profil-pays.md"
    assert (
        problem.location.line
        == PROFILE.splitlines().index(
            next(line for line in PROFILE.splitlines() if line.startswith("classification"))
        )
        + 1
    )
    assert "above pack 'astana''s 'NON CLASSIFIÉ'" in problem.message


def test_a_marking_is_recognised_after_french_typography() -> None:
    """The build ranks an article's marking after typography, which curls the apostrophe
    ("d’administration"); the levels of docgen.toml are typed ("d'administration")."""
    from docgen.binder.marking import Level
    from docgen.typography.document import fix_text

    levels = Levels((Level((("*", "Public"),)), Level((("fr", "Usage d'administration"),))))
    typeset = fix_text("Usage d'administration", "fr")
    assert "\u2019" in typeset
    assert levels.rank_of_text(typeset) == levels.rank_of_text("USAGE D'ADMINISTRATION") == 1


def test_markings_ranked_in_both_languages() -> None:
    levels = Levels()
    assert levels.rank_of_text("Non classifié") == levels.rank_of_text("UNCLASSIFIED") == 0
    assert levels.rank_of_text("DIFFUSION RESTREINTE / RESTRICTED") == 1
    assert levels.rank_of_text("confidentiel") == 2
    assert levels.rank_of_text("SECRET") == 3
    assert levels.rank_of_text("PUBLIC-ISH") is None


def test_a_narrower_rebuild_keeps_the_pack_folder_verifiable(
    built: tuple[Path, api.BuildResult], tmp_path: Path
) -> None:
    """The pack no longer asks for the Word binder: the one an earlier build made stays,
    listed in the manifest while intact, so ``docgen verify`` still passes (it used to name
    the file as not in the manifest); once changed, it is no longer vouched for."""
    from docgen.pack.manifest import parse_manifest
    from docgen.verify import verify_paths

    folder, _result = built
    root = tmp_path / "project"
    shutil.copytree(folder.parents[2], root)
    config = root / "docgen.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            'languages = ["fr"]\n', 'languages = ["fr"]\nproducts = ["brief", "sheet"]\n'
        ),
        "utf-8",
    )
    pack = root / "output" / "packs" / "astana"

    def listed() -> set[str]:
        manifest = parse_manifest((pack / "manifest.json").read_bytes(), pack)
        return {e.path for e in manifest.outputs}

    result = api.build(project=load_project(root), packs=["astana"])
    assert not any(p.name == "binder.fr.docx" for p in result.files)  # not made again
    assert {"binder.fr.pdf", "binder.fr.docx", "sheets.pdf"} <= listed()
    assert [p for p in verify_paths([pack], []) if p.severity == "error"] == []
    (pack / "binder.fr.docx").write_bytes(b"changed")
    api.build(project=load_project(root), packs=["astana"])
    assert "binder.fr.docx" not in listed()
