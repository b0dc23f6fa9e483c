"""Composing: libyaml where it agrees with ruamel.yaml, ruamel.yaml's answers everywhere.

The fast path is trusted only because these tests compare it with ruamel.yaml on generated
documents: same kinds, null tags, values, marks; and never a text libyaml accepts that
ruamel.yaml refuses.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen import yaml_compose
from docgen.errors import SourceError
from docgen.source import load, read_text, split
from docgen.yaml_compose import MAX_DEPTH, compose, has_fast_composer
from docgen.yaml_nodes import Node

from .conftest import ARTICLE

TOKENS = [
    *("a", "fr", "title", "é", "😀", "x y", "1", "2025-12-01", "yes", "~", "null", "R&D"),
    *(":", ": ", " : ", "- ", "-", "? ", "?", "[", "]", "{", "}", ", ", ","),
    *("\n", "\n  ", "\n    ", "\n- ", "\n  - ", " ", "  ", "#", " #", " # c", " #x"),
    *('"', "'", '"a\\e"', "'b''c'", "|", "|-", ">", ">-", "!!str ", "!x ", "&a ", "*a"),
    *("...", "---", "%", "@", "`", "\\", "\\n", "\u00a0", "\ufeff", "\u200b", "\t", "\u2028"),
    *("key: ", "\nkey: ", "\n  k: ", "&b [", "Attention !", " !", " ? ", "Maroc : un"),
]
SEED_FRONT = split(ARTICLE, read_text(ARTICLE)).front_matter


def signature(node: Node | None) -> Any:
    """What docgen reads of a graph: kinds, null tags, values, start marks, plain ends."""
    if node is None:
        return None
    head = (node.id, yaml_compose.is_null(node), node.start_mark.line, node.start_mark.column)
    if node.id == "scalar":
        plain = not node.style
        end = (node.end_mark.line, node.end_mark.column) if plain else None
        return (*head, str(node.value).replace("\a", ""), plain, node.style == ">", end)
    if node.id == "sequence":
        return (*head, tuple(signature(item) for item in node.value))
    return (*head, tuple((signature(k), signature(v)) for k, v in node.value))


def assert_agrees(text: str) -> None:
    agreed, fast = yaml_compose._fast(text)
    if not agreed:
        return  # ruamel.yaml answers this one
    slow, problems = yaml_compose._slow(text, Path("x.yml"), 0)
    assert not problems, f"libyaml accepted what ruamel.yaml refuses: {text!r}"
    assert signature(fast) == signature(slow), text


@pytest.fixture
def ruamel_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if PyYAML's C extension were missing."""
    monkeypatch.setattr(yaml_compose, "_CLoader", None)


def test_the_fast_composer_is_there_and_takes_the_seed() -> None:
    assert has_fast_composer(), "PyYAML's C extension with libyaml 0.2.6+ is missing"
    agreed, root = yaml_compose._fast(SEED_FRONT)
    assert agreed and root is not None


def test_seed_composes_alike_both_ways() -> None:
    assert_agrees(SEED_FRONT)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map("".join))
def test_generated_documents_compose_alike(text: str) -> None:
    assert_agrees(text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(SEED_FRONT)), st.sampled_from(TOKENS), st.integers(0, 4)),
        min_size=1,
        max_size=4,
    )
)
def test_edited_seed_composes_alike(edits: list[tuple[int, str, int]]) -> None:
    text = SEED_FRONT
    for at, token, cut in edits:
        text = text[:at] + token + text[at + cut :]
    assert_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "t:\nu: x\n",  # empty value: ruamel marks the next token, libyaml the ':'
        "t: # c\nu: x\n",  # ... but a comment before another key keeps libyaml's mark
        "a:\n  k: # c\nb: x\n",  # ... unless the value is its mapping's last
        "t: {a: , b: c}\n",  # in flow: ruamel after the ':', libyaml the next token
        "t: {a:x ,b}\n",  # a flow key without ':'
        "t: [a: ]\n",
        "t: 'a\u2028b'\nu: c\n",  # libyaml counts U+2028 as a line break: ruamel answers
        "t: a\tb\n",  # ruamel refuses this tab, libyaml accepts it: ruamel answers
        "t: !x &a fr\n",  # marks of tagged nodes differ: ruamel answers
        "t:  !\n",  # a lone "!" is a tag: libyaml's node is not null, ruamel's is
    ],
)
def test_known_differences_are_bridged(text: str) -> None:
    assert_agrees(text)
    fast, fast_problems = compose(text, Path("x.yml"), 0)
    slow, slow_problems = yaml_compose._slow(text, Path("x.yml"), 0)
    assert [str(p) for p in fast_problems] == [str(p) for p in slow_problems]
    assert signature(fast) == signature(slow)


def test_an_alias_is_refused_at_the_alias() -> None:
    _, problems = compose("a: &x [1]\nb: *x\n", Path("x.yml"), 10)
    assert [str(p) for p in problems] == [
        "x.yml:12:4: error: YAML aliases (*name) are not allowed in front matter"
    ]


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("x: " + "[" * 500, 35),
        ("x: " + "{" * 500, 35),
        ("x: " + "[" * 500 + "]" * 500, 35),  # valid YAML, and libyaml composes it
        ("x: " + "{a: " * 500 + "}" * 500, 128),
        ("- " * 500 + "a", 65),
        ("x: " + "[" * 2_000_000, 35),  # past libyaml's own limit (1000)
    ],
    ids=["[", "{", "[]", "{a:", "- ", "[ x 2M"],
)
def test_deep_nesting_is_refused_without_recursion(text: str, column: int) -> None:
    start = time.perf_counter()
    root, problems = compose(text + "\n", Path("x.yml"), 1)
    assert root is None
    message = f"lists and mappings nested deeper than {MAX_DEPTH} levels are not allowed"
    assert [str(p) for p in problems] == [f"x.yml:2:{column}: error: {message}"]
    assert time.perf_counter() - start < 10


def test_thirty_two_levels_are_fine() -> None:
    root, problems = compose("x: " + "[" * 31 + "]" * 31 + "\n", Path("x.yml"), 0)
    assert root is not None and not problems


def test_deep_front_matter_exits_cleanly(write_source: Any) -> None:
    path = write_source(front="---\ntitle: " + "[" * 500 + "\n---\n")
    with pytest.raises(SourceError) as caught:
        load(path)
    assert [f"{p.location.line}:{p.location.column}" for p in caught.value.problems] == ["2:39"]


@pytest.mark.parametrize(
    ("escape", "message"),
    [
        ("\\e", "control character U+001B"),
        ("\\v", "control character U+000B"),
        ("\\x07", "control character U+0007"),
        ("\\a", "control character U+0007"),
        ("\\0", "control character U+0000"),
        ("\\N", "control character U+0085"),
        ("\\x9b", "control character U+009B"),
        ("\\uFFFE", "noncharacter U+FFFE"),
        ("\\uFDD0", "noncharacter U+FDD0"),
        ("\\U0010FFFF", "noncharacter U+10FFFF"),
        ("\\ud800", "lone surrogate U+D800"),
    ],
)
@pytest.mark.parametrize("composer", ["libyaml", "ruamel"])
def test_escapes_cannot_write_forbidden_characters(
    escape: str, message: str, composer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if composer == "ruamel":
        monkeypatch.setattr(yaml_compose, "_CLoader", None)
    text = f'a: ok\nb: [x, "y{escape}z"]\n'
    root, problems = compose(text, Path("x.yml"), 1)
    assert root is not None
    assert [str(p) for p in problems] == [
        f"x.yml:3:8: error: {message} not allowed, even written as an escape"
    ]


@pytest.mark.parametrize("composer", ["libyaml", "ruamel"])
def test_allowed_escapes_and_folds_pass(composer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if composer == "ruamel":
        monkeypatch.setattr(yaml_compose, "_CLoader", None)
    text = 'a: "tab\\tline\\nnbsp\\_ é\\u00e9 \\U0001F600 \\u2028"\nb: >\n  un\n  deux\n'
    root, problems = compose(text, Path("x.yml"), 0)
    assert root is not None and not problems


@pytest.mark.usefixtures("ruamel_only")
def test_without_the_c_extension_ruamel_answers() -> None:
    agreed, _ = yaml_compose._fast(SEED_FRONT)
    assert not agreed
    root, problems = compose(SEED_FRONT, ARTICLE, 1)
    assert not problems
    assert type(root).__module__.startswith("ruamel.")
