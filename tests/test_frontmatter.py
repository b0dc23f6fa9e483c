"""Front matter: typed fields, and every invalid case reported at its line and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from docgen.errors import SourceError
from docgen.model import PartialDate
from docgen.source import load, load_metadata

from .conftest import ARTICLE


def messages(path: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load(path)
    return [f"{p.location.line}:{p.location.column}: {p.message}" for p in caught.value.problems]


def test_article_front_matter_is_typed() -> None:
    _source, meta = load_metadata(ARTICLE)
    assert meta.lang == "fr"
    assert meta.date == dt.date(2025, 12, 1)
    assert meta.title.text("fr").startswith("Maroc–Kazakhstan")
    assert meta.title.text("en").startswith("Morocco–Kazakhstan")
    assert meta.author.name == "Hassan Ammari"
    assert meta.author.organization is not None
    assert "AMCAP" in meta.author.organization.text("fr")
    assert 5 <= len(meta.key_points) <= 7
    assert all(p.has("fr") and p.has("en") for p in meta.key_points)
    assert [e.date for e in meta.timeline][:2] == [PartialDate(2020), PartialDate(2025, 2)]
    assert meta.classification is not None and meta.classification.text("en") == "UNCLASSIFIED"


def test_plain_string_is_universal(write_source: Callable[..., Path]) -> None:
    path = write_source(front="---\ntitle: AMCAP\nauthor: X\ndate: 2026-01-02\nlang: fr\n---\n")
    doc, _ = load(path)
    assert doc.meta.title.is_universal
    assert doc.meta.title.text("en") == "AMCAP"
    assert doc.meta.author.name == "X"


def test_yaml_scalars_keep_their_text(write_source: Callable[..., Path]) -> None:
    """``no``, numbers and dates are texts where the schema says text (no Norway problem)."""
    path = write_source(
        front="---\ntitle: no\nauthor: {name: 2025}\ndate: 2026-01-02\nlang: fr\n"
        "keywords: [yes, 1.0, null-ish]\n---\n"
    )
    doc, _ = load(path)
    assert doc.meta.title.text("fr") == "no"
    assert doc.meta.author.name == "2025"
    assert doc.meta.keywords == ("yes", "1.0", "null-ish")


def test_folded_scalars_have_no_fold_marks(write_source: Callable[..., Path]) -> None:
    path = write_source(
        front="---\ntitle: T\nauthor: A\ndate: 2026-01-02\nlang: fr\n"
        "summary: >-\n  un\n  deux\n---\n"
    )
    doc, _ = load(path)
    assert doc.meta.summary is not None
    assert doc.meta.summary.text("fr") == "un deux"


BAD_CASES = [
    # (front matter lines after the opening ---, expected "line:col: message" fragments)
    (
        "title: T\nauthor: A\ndate: 2026-01-02\nlang: fr\ntitel: x\n",
        ["6:1: unknown field 'titel' in the front matter; did you mean 'title'?"],
    ),
    ("author: A\ndate: 2026-01-02\nlang: fr\n", ["1:1: missing required field 'title'"]),
    (
        "title: T\nauthor: A\ndate: 2026-13-02\nlang: fr\n",
        ["4:7: date: invalid date '2026-13-02': month must be in 1..12"],
    ),
    (
        "title: T\nauthor: A\ndate: 14/03/2026\nlang: fr\n",
        ["4:7: date: '14/03/2026' is not a date in the form YYYY-MM-DD"],
    ),
    ("title: T\nauthor: A\ndate: 2026-01-02\nlang: French\n", ["5:7: lang: 'French' is not"]),
    ("title: [a, b]\nauthor: A\ndate: 2026-01-02\nlang: fr\n", ["2:8: title must be a text"]),
    (
        "title: {fr: T, english: U}\nauthor: A\ndate: 2026-01-02\nlang: fr\n",
        ["2:16: title: 'english' is not a language code"],
    ),
    (
        "title: T\ntitle: U\nauthor: A\ndate: 2026-01-02\nlang: fr\n",
        ["3:1: duplicate field 'title' (first given at line 2)"],
    ),
    ("title: T\nauthor: {role: x}\ndate: 2026-01-02\nlang: fr\n", ["3:9: author: missing"]),
    ("title: T\nauthor: A\ndate: 2026-01-02\nlang: fr\nkey_points: x\n", ["6:13: key_points"]),
    (
        "title: T\nauthor: A\ndate: 2026-01-02\nlang: fr\ntimeline:\n  - date: 2025-02-30\n"
        "    text: x\n",
        ["7:11: timeline[0].date: invalid date '2025-02-30'"],
    ),
    (
        "title: T\nauthor: A\ndate: 2026-01-02\nlang: fr\ntimeline:\n  - text: x\n",
        ["7:5: timeline[0]: missing required field 'date'"],
    ),
    ("title: 'T\nauthor: A\n", ["invalid YAML"]),
    ("title: &a T\nsubtitle: *a\nauthor: A\ndate: 2026-01-02\nlang: fr\n", ["3:11: YAML aliases"]),
    ("title:\nauthor: A\ndate: 2026-01-02\nlang: fr\n", ["2:1: title must not be empty"]),
    ("- a\n- b\n", ["the front matter must be a mapping"]),
]


@pytest.mark.parametrize(("front", "expected"), BAD_CASES)
def test_bad_front_matter_is_located(
    write_source: Callable[..., Path], front: str, expected: list[str]
) -> None:
    found = messages(write_source(front="---\n" + front + "---\n"))
    for fragment in expected:
        assert any(fragment in m for m in found), (fragment, found)


def test_every_problem_is_reported(write_source: Callable[..., Path]) -> None:
    path = write_source(
        front="---\ntitle: T\nauthr: A\ndate: 2026-99-01\nlang: fr\ncontakt: x\n---\n"
    )
    found = messages(path)
    assert len(found) == 4, found  # unknown 'authr', unknown 'contakt', missing author, bad date
    assert any("did you mean 'author'" in m for m in found)
    assert any("did you mean 'contact'" in m for m in found)
