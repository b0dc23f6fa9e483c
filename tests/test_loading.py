"""Load once: a check or a build reads each source file once and parses each language
once, however many checks (image policy, stale translations, products) look at it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from docgen import api, markdown, source

from .conftest import ARTICLE, REPO


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts of file reads (by name) and body parses (``parse:name``)."""
    counts: Counter[str] = Counter()
    read, parse = source.read_regular_file, markdown.parse_body

    def counting_read(path: Path, *args: object, **kwargs: object) -> bytes:
        counts[Path(path).name] += 1
        return read(path, *args, **kwargs)  # type: ignore[arg-type]

    def counting_parse(text: str, path: Path, *args: object) -> markdown.ParsedBody:
        counts["parse:" + path.name] += 1
        return parse(text, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(source, "read_regular_file", counting_read)
    monkeypatch.setattr(source, "parse_body", counting_parse)
    monkeypatch.chdir(REPO)
    return counts


def test_check_reads_and_parses_each_source_once(counted: Counter[str]) -> None:
    api.check([ARTICLE])
    for name in ("maroc-kazakhstan.md", "maroc-kazakhstan.en.md"):
        assert counted[name] == 1, counted
        assert counted["parse:" + name] == 1, counted


def test_without_a_session_every_call_reads_again(counted: Counter[str]) -> None:
    """Outside a check or a build nothing is remembered (a preview sees every edit)."""
    source.load(ARTICLE)
    source.load(ARTICLE)
    assert counted["maroc-kazakhstan.md"] == 2
