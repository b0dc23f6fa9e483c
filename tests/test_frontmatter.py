"""Front matter: typed fields, and every invalid case reported at its line and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from docgen import yaml_compose
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


@pytest.fixture(params=["libyaml", "ruamel"])
def composer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test twice: with PyYAML's C composer (YAML 1.1) and with ruamel.yaml (1.2)."""
    if request.param == "ruamel":
        monkeypatch.setattr(yaml_compose, "_CLoader", None)
    return str(request.param)


MINIMAL = "author: A\ndate: 2026-01-02\nlang: fr\n"

YAML_11_12 = [
    # YAML 1.1 resolves these to booleans, octal, sexagesimal, dates or merge keys, 1.2 not
    # (or otherwise): docgen reads the text as written either way.
    *("yes", "No", "on", "OFF", "y", "n", "0o17", "017", "0x1F", "1:30", "190:20:30"),
    *("1_000", "+12", ".inf", "-.INF", ".NaN", "2001-12-14t21:59:43.10-05:00", "=", "<<"),
    *("NuLL", "nul", "True"),
]


@pytest.mark.usefixtures("composer")
@pytest.mark.parametrize("value", YAML_11_12)
def test_yaml_1_1_and_1_2_scalars_read_as_typed(
    write_source: Callable[..., Path], value: str
) -> None:
    path = write_source(front=f"---\ntitle: {value}\n{MINIMAL}keywords: [{value}]\n---\n")
    doc, _ = load(path)
    assert doc.meta.title.text("fr") == value
    assert doc.meta.keywords == (value,)


@pytest.mark.usefixtures("composer")
def test_norwegian_stays_a_language(write_source: Callable[..., Path]) -> None:
    """``no`` is a boolean key in YAML 1.1: docgen reads keys as text."""
    path = write_source(
        front="---\ntitle: {fr: Maroc, no: Marokko}\nauthor: A\ndate: 2026-01-02\nlang: no\n"
        "timeline:\n  - {date: 2025, text: x}\n---\n"
    )
    doc, _ = load(path)
    assert doc.meta.lang == "no"
    assert doc.meta.title.text("no") == "Marokko"
    assert doc.meta.timeline[0].date == PartialDate(2025)


@pytest.mark.usefixtures("composer")
@pytest.mark.parametrize("value", ["~", "null", "Null", "NULL", ""])
def test_nulls_are_empty_in_both(write_source: Callable[..., Path], value: str) -> None:
    found = messages(write_source(front=f"---\ntitle: {value}\n{MINIMAL}---\n"))
    assert found == ["2:1: title must not be empty"]


@pytest.mark.usefixtures("composer")
@pytest.mark.parametrize(
    ("front", "expected"),
    [
        # an empty value is reported where ruamel.yaml marked it, whichever composed it
        ("title:\n  fr:\n  en: x\n" + MINIMAL, "4:3: title.fr must not be empty"),
        ("title:\n  fr: # c\n  en: x\n" + MINIMAL, "3:6: title.fr must not be empty"),
        ("title: {fr: , en: x}\n" + MINIMAL, "2:12: title.fr must not be empty"),
        ("title: T\nauthor:\n  name:\ndate: 2026-01-02\nlang: fr\n", "5:1: author.name must"),
        ("title: T\n" + MINIMAL + "timeline:\n  - date:\n    text: x\n", "8:5: timeline[0].date"),
    ],
)
def test_empty_values_keep_their_positions(
    write_source: Callable[..., Path], front: str, expected: str
) -> None:
    found = messages(write_source(front="---\n" + front + "---\n"))
    assert any(m.startswith(expected) for m in found), found


@pytest.mark.usefixtures("composer")
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "title: Maroc : un partenaire",
            "2:14: a ': ' inside an unquoted value starts a mapping; put the value in quotes:"
            ' title: "Maroc : un partenaire"',
        ),
        (
            "title: Maroc: un partenaire  # note",
            "2:13: a ': ' inside an unquoted value starts a mapping; put the value in quotes:"
            ' title: "Maroc: un partenaire"',
        ),
        (
            "title: Le Maroc:",
            "2:16: a ':' ending an unquoted value starts a mapping; put the value in quotes:"
            ' title: "Le Maroc:"',
        ),
        (
            'title: Le "Maroc" : un',
            "2:19: a ': ' inside an unquoted value starts a mapping; put the value in quotes:"
            " title: 'Le \"Maroc\" : un'",
        ),
        (
            "title: 'Maroc' : un",
            "2:16: a ': ' after a quoted text starts a mapping; put the whole value in one"
            " pair of quotes",
        ),
        (
            "title: Le Maroc\n  et le Kazakhstan : un",
            "3:20: a ': ' inside an unquoted value starts a mapping; put the whole value in quotes",
        ),
        (
            "key_points:\n  - Le Maroc : un partenaire",
            "3:5: key_points[0]: 'Le Maroc' is not a language code (fr, en, ar…); if ': '"
            ' belongs to the text, put it in quotes: - "Le Maroc : un partenaire"',
        ),
        (
            "keywords: [Maroc : Rabat, Astana]",
            "2:12: keywords[0] must be a text, not a mapping; if ': ' belongs to the text,"
            ' put it in quotes: "Maroc : Rabat"',
        ),
        (
            "keywords: [Rabat, @Astana]",
            "2:19: '@' cannot start an unquoted value; put the value in quotes: \"@Astana\"",
        ),
        (
            "keywords:\n  - @Astana",
            "3:5: '@' cannot start an unquoted value; put the value in quotes: - \"@Astana\"",
        ),
        (
            "title: ? Maroc",
            "2:8: a value starting with '? ' is read as a key; put the value in quotes:"
            ' title: "? Maroc"',
        ),
    ],
)
def test_yaml_pitfalls_say_what_to_quote(
    write_source: Callable[..., Path], line: str, expected: str
) -> None:
    front = line + "\n" + ("" if line.startswith("title") else "title: T\n") + MINIMAL
    found = messages(write_source(front="---\n" + front + "---\n"))
    assert found == [expected]


@pytest.mark.usefixtures("composer")
def test_a_hash_after_a_space_is_a_comment(write_source: Callable[..., Path]) -> None:
    """``# `` (with a space) is an ordinary comment; ``#1`` glued to a word is refused."""
    path = write_source(
        front="---\ntitle: Maroc # the short form\nauthor: A  #  the author\n"
        "date: 2026-01-02 #\nlang: fr\nkeywords: [a#b, c # d\n  ]\n---\n"
    )
    doc, _ = load(path)
    assert doc.meta.title.text("fr") == "Maroc"
    assert doc.meta.keywords == ("a#b", "c")


@pytest.mark.usefixtures("composer")
def test_a_cut_value_is_reported_once(write_source: Callable[..., Path]) -> None:
    found = messages(write_source(front="---\ntitle:\n  fr: #Maroc\n  en: x\n" + MINIMAL + "---\n"))
    assert found == [
        "3:7: a ' #' starts a comment, which cuts the value short here; put the value in"
        ' quotes: fr: "#Maroc"'
    ]


@pytest.mark.usefixtures("composer")
def test_a_refused_character_is_reported_once(write_source: Callable[..., Path]) -> None:
    front = '---\ntitle: "\\v"\n"k\\e": x\nauthor: A\ndate: 2026-01-02\nlang: fr\n---\n'
    found = messages(write_source(front=front))
    assert found == [
        "2:8: control character U+000B not allowed, even written as an escape",
        "3:1: control character U+001B not allowed, even written as an escape",
    ]
