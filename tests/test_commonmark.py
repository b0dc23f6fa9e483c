"""Every CommonMark spec example renders to the brief without an error or lost text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.formats.html.writer import HtmlWriter
from docgen.markdown import parse_body
from docgen.model import Document, Section, Text
from docgen.options import RenderOptions
from docgen.project import load_project
from docgen.source import load
from docgen.typography import apply
from tests.rendering import render_pdf

from .commonmark import examples
from .conftest import ARTICLE, REPO, pdf_text


def visible_words(markup: str) -> str:
    from html import unescape

    return unescape(re.sub(r"<[^>]*>", " ", markup))


def test_every_example_renders_to_html_without_losing_text() -> None:
    writer = HtmlWriter()
    lost = []
    cases = examples()
    assert len(cases) > 600
    for example in cases:
        parsed = parse_body(example.markdown, Path("spec.md"))
        assert not [p for p in parsed.problems if p.severity == "error"], example.number
        out = writer.blocks(parsed.blocks) + writer.footnotes(parsed.footnotes)
        seen = set(re.findall(r"\w+", visible_words(str(out))))
        missing = [w for w in example.words() if w not in seen]
        if missing:
            lost.append((example.number, missing))
    assert lost == []


@pytest.mark.slow
def test_all_examples_in_one_pdf(tmp_path: Path) -> None:
    """One PDF with every example as a section: WeasyPrint lays out each construct."""
    base, _ = load(ARTICLE)
    sections = []
    for example in examples():
        parsed = parse_body(example.markdown, Path("spec.md"))
        sections.append(
            Section(1, (Text(f"Example {example.number}"),), parsed.blocks, f"ex-{example.number}")
        )
    doc = apply(Document(base.path, base.meta, tuple(sections), lang="en"))
    options = RenderOptions(load_project(REPO))
    (out,) = render_pdf(doc, options, tmp_path)
    text = pdf_text(out)
    # Words are looked up in the text with all spacing removed: adjacent spans such as
    # `hi`lo come out of the PDF as one word "hilo", which is not a loss.
    flat = re.sub(r"\s+", "", text)
    missing = {
        example.number: [w for w in example.words() if w not in flat] for example in examples()
    }
    assert {n: m for n, m in missing.items() if m} == {}
