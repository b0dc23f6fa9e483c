"""Markdown body → model: structure, positions, and what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.markdown import MAX_DEPTH, is_safe_href, parse_body
from docgen.model import (
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Figure,
    FootnoteRef,
    Link,
    OrderedList,
    Paragraph,
    RawBlock,
    RawInline,
    Section,
    Table,
    Text,
    plain_text,
)

PATH = Path("x.md")


def test_headings_nest_into_numbered_sections() -> None:
    body = "Intro.\n\n## One\n\nA.\n\n### One.one\n\nB.\n\n## Two\n\nC.\n"
    parsed = parse_body(body, PATH, line_offset=10)
    intro, one, two = parsed.blocks
    assert isinstance(intro, Paragraph) and intro.line == 11
    assert isinstance(one, Section) and isinstance(two, Section)
    assert (one.level, one.number, one.ident, one.line) == (1, "1", "sec-1", 13)
    sub = one.children[1]
    assert isinstance(sub, Section)
    assert (sub.level, sub.number, sub.ident) == (2, "1.1", "sec-1-1")
    assert plain_text(two.title) == "Two"


def test_inlines_and_soft_breaks() -> None:
    parsed = parse_body('Un *deux* `trois` [quatre](https://example.org "t")\ncinq\n', PATH)
    (para,) = parsed.blocks
    assert isinstance(para, Paragraph)
    kinds = [type(n) for n in para.children]
    assert kinds == [Text, Emphasis, Text, Code, Text, Link, Text]
    link = para.children[5]
    assert isinstance(link, Link) and link.href == "https://example.org" and link.title == "t"
    assert plain_text(para.children) == "Un deux trois quatre\ncinq"


def test_lists_tables_quotes_code() -> None:
    body = (
        "- a\n  1. b\n  2. c\n\n"
        "3. x\n\n   y\n\n"
        "> q\n\n"
        "```py\nprint(1)\n```\n\n"
        "| h | i |\n|:-:|--:|\n| 1 | 2 |\n"
    )
    blocks = parse_body(body, PATH).blocks
    bullet, ordered, quote, code, table = blocks
    assert isinstance(bullet, BulletList) and bullet.tight
    nested = bullet.items[0].children[1]
    assert isinstance(nested, OrderedList) and len(nested.items) == 2
    assert isinstance(ordered, OrderedList) and ordered.start == 3 and not ordered.tight
    assert isinstance(quote, BlockQuote)
    assert isinstance(code, CodeBlock) and code.info == "py" and code.text == "print(1)\n"
    assert isinstance(table, Table) and table.aligns == ("center", "right")
    assert plain_text(table.rows[0][1].children) == "2"


def test_footnotes_are_numbered_by_first_call() -> None:
    body = "A[^b] and B[^a].\n\n[^a]: First defined.\n[^b]: Second defined.\n"
    parsed = parse_body(body, PATH)
    (para,) = parsed.blocks
    assert isinstance(para, Paragraph)
    refs = [n for n in para.children if isinstance(n, FootnoteRef)]
    assert [(r.label, r.number) for r in refs] == [("b", 1), ("a", 2)]
    assert [(f.label, f.number) for f in parsed.footnotes] == [("b", 1), ("a", 2)]
    first = parsed.footnotes[0].children[0]
    assert isinstance(first, Paragraph) and plain_text(first.children) == "Second defined."


def test_raw_html_is_kept_as_raw_nodes() -> None:
    blocks = parse_body("<div>x</div>\n\nA <b>b</b>\n", PATH).blocks
    assert isinstance(blocks[0], RawBlock)
    para = blocks[1]
    assert isinstance(para, Paragraph)
    assert any(isinstance(n, RawInline) for n in para.children)


def test_unsafe_links_are_neutralized() -> None:
    assert not is_safe_href("javascript:alert(1)")
    assert not is_safe_href("JAVASCRIPT:alert(1)")
    assert not is_safe_href("file:///etc/passwd")
    assert is_safe_href("https://example.org") and is_safe_href("#sec-1")
    assert is_safe_href("mailto:a@b.org") and is_safe_href("tel:+33100000000")
    assert not is_safe_href("annexe.pdf") and not is_safe_href("//host/share")
    parsed = parse_body("[x](javascript:alert(1)) [y](<file:///etc/passwd>)\n", PATH)
    (para,) = parsed.blocks
    assert isinstance(para, Paragraph)
    assert not any(isinstance(n, Link) for n in para.children)
    assert "x" in plain_text(para.children) and "y" in plain_text(para.children)


def test_lone_image_is_a_figure() -> None:
    (figure,) = parse_body('![Carte](carte.png "Légende")\n', PATH).blocks
    assert isinstance(figure, Figure)
    assert figure.image.alt == "Carte" and plain_text(figure.caption) == "Légende"


def test_deep_nesting_is_an_error_not_a_truncation() -> None:
    parsed = parse_body(">" * (MAX_DEPTH + 20) + " deep\n", PATH)
    errors = [p for p in parsed.problems if p.severity == "error"]
    assert errors and "nested more than" in errors[0].message


def test_ten_thousand_items() -> None:
    parsed = parse_body("".join(f"- item {i}\n" for i in range(10_000)), PATH)
    (lst,) = parsed.blocks
    assert isinstance(lst, BulletList) and len(lst.items) == 10_000


def test_nested_lists_keep_every_item_or_fail() -> None:
    """markdown-it counts two levels per list: the limit must trip before it drops text."""
    for depth in (20, 30, MAX_DEPTH - 2):
        body = "".join("  " * i + f"- item{i}\n" for i in range(depth))
        parsed = parse_body(body, PATH)
        assert not [p for p in parsed.problems if p.severity == "error"], depth
        text = str(parsed.blocks)
        assert all(f"item{i}'" in text for i in range(depth)), depth
    deep = "".join("  " * i + f"- item{i}\n" for i in range(MAX_DEPTH + 5))
    errors = [p for p in parse_body(deep, PATH).problems if p.severity == "error"]
    assert errors and "nested more than" in errors[0].message


def test_links_to_another_machine_or_the_build_machine_are_removed() -> None:
    body = "Voir\n[x](//host/share) et [annexe](annexe.pdf), [ici](#sec-1), [vide]()\n"
    parsed = parse_body(body, PATH, line_offset=6)
    (para,) = parsed.blocks
    assert isinstance(para, Paragraph)
    assert [n.href for n in para.children if isinstance(n, Link)] == ["#sec-1"]
    assert plain_text(para.children) == "Voir\nx et annexe, ici, vide"
    assert [str(p) for p in parsed.problems] == [
        "x.md:8:5: warning: link to '//host/share' removed: a link starting with '//' points"
        " to another machine (file://… in a PDF)",
        "x.md:8:31: warning: relative link 'annexe.pdf' would point into the build machine;"
        " the link is removed, its text kept (write the full https:// address)",
        "x.md:8:64: warning: empty link removed, its text kept: it would point at the build"
        " machine",
    ]


def test_backslashed_share_links_are_removed() -> None:
    parsed = parse_body("[x](\\\\\\\\host\\share) [y](/\\\\host)\n", PATH)
    (para,) = parsed.blocks
    assert isinstance(para, Paragraph)
    assert not any(isinstance(n, Link) for n in para.children)
    assert len(parsed.problems) == 2


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1])
def test_nesting_limit_counts_what_the_writer_sees(depth: int) -> None:
    """Forty quotes are forty levels; the forty-first is refused at its own ``>``."""
    parsed = parse_body(">" * depth + " deep\n", PATH, line_offset=6)
    errors = [str(p) for p in parsed.problems if p.severity == "error"]
    if depth == MAX_DEPTH:
        assert not errors and "deep" in str(parsed.blocks)
    else:
        assert errors == [
            f"x.md:7:{MAX_DEPTH + 1}: error: content is nested more than {MAX_DEPTH} levels deep"
        ]


def test_deep_list_error_points_at_the_item() -> None:
    body = "".join("  " * i + f"- item{i}\n" for i in range(MAX_DEPTH + 1))
    errors = [str(p) for p in parse_body(body, PATH).problems]
    assert errors == [
        f"x.md:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: error: content is nested more than"
        f" {MAX_DEPTH} levels deep"
    ]
