"""Reading source files: encodings, front matter fences, translations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from docgen.errors import SourceError
from docgen.source import discover, load, read_text, translation_of, translations

from .conftest import ARTICLE, DATA, MINIMAL_FRONT


def first_problem(path: Path) -> str:
    with pytest.raises(SourceError) as caught:
        load(path)
    return str(caught.value.problems[0])


def test_bad_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(MINIMAL_FRONT.encode() + b"ok\nbad \xe9t\xe9\n")
    assert first_problem(path).endswith(
        "a.md:8:5: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    )


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + (MINIMAL_FRONT + "## S\r\n\r\nTexte.\r\n").encode())
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").replace(b"\r\r", b"\r"))
    doc, _ = load(path)
    assert doc.meta.title.text("fr") == "Titre"
    assert [s.line for s in doc.sections()] == [7]


def test_control_characters_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(MINIMAL_FRONT + "ab\x00c\n", encoding="utf-8")
    assert first_problem(path).endswith("a.md:7:3: error: control character U+0000 not allowed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no front matter\n", "1:1: error: missing front matter"),
        ("---\ntitle: T\n", "1:1: error: the front matter opened here is never closed"),
        ("", "1:1: error: missing front matter"),
    ],
)
def test_front_matter_fences(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    assert expected in first_problem(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in first_problem(tmp_path / "nope.md")
    assert "is a folder" in first_problem(tmp_path)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("x" * 100, encoding="utf-8")
    with pytest.raises(SourceError, match="the limit is 10"):
        read_text(path, limit=10)


def test_body_lines_count_from_the_top_of_the_file(write_source: Callable[..., Path]) -> None:
    doc, _ = load(write_source("\n## Un\n\nTexte.\n"))
    (section,) = doc.sections()
    assert section.line == 8


def test_translations_are_not_articles(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    (tmp_path / "a.en.md").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(MINIMAL_FRONT, encoding="utf-8")
    assert [p.name for p in discover(tmp_path)] == ["a.md", "b.md"]
    assert translation_of(tmp_path / "a.en.md") == (tmp_path / "a.md", "en")
    assert translation_of(tmp_path / "a.md") is None
    assert translation_of(tmp_path / "v1.2.md") is None
    assert translations(tmp_path / "a.md") == {"en": tmp_path / "a.en.md"}
    doc, _ = load(tmp_path / "a.md", "en")
    assert doc.lang == "en" and doc.source_lang == "fr" and doc.translations == ("en",)
    assert "is the 'en' translation of a.md" in first_problem(tmp_path / "a.en.md")


def test_missing_translation_is_an_error(write_source: Callable[..., Path]) -> None:
    with pytest.raises(SourceError, match="no 'de' translation"):
        load(write_source(), "de")


def test_article_body_is_the_seed_verbatim() -> None:
    """Every line of the original article is in the source, word for word, in order."""
    seed = DATA / "seed-article.txt"
    lines = [line for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    doc, _ = load(ARTICLE)
    text = ARTICLE.read_text(encoding="utf-8")
    position = 0
    for line in lines[2:]:  # the first two lines (author, role) are in the front matter
        found = text.find(line, position)
        assert found >= 0, line[:60]
        position = found + len(line)
    assert len(list(doc.sections())) == 9
    assert "Hassan Ammari" in lines[0] and doc.meta.author.name == "Hassan Ammari"


def test_noncharacters_are_refused_with_their_position(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(MINIMAL_FRONT.replace("Titre", "Ti\ufffetre") + "x\n", encoding="utf-8")
    assert first_problem(path).endswith("a.md:2:15: error: noncharacter U+FFFE not allowed")


def test_bad_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(MINIMAL_FRONT.encode() + "ééé".encode() + b"\xff\n")
    assert ":7:4: error: not valid UTF-8" in first_problem(path)


def test_unknown_language_is_refused(write_source: Callable[..., Path]) -> None:
    path = write_source(front=MINIMAL_FRONT.replace("lang: fr", "lang: zz"))
    assert "5:7: error: lang: 'zz' is not a language code" in first_problem(path)
