"""Shared fixtures: the repository, the real article, and small sources written on the fly."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

# The suite never reads nor fills the user's own cache folder (``docgen.user_cache``), in
# this process or in the processes its tests start: a file kept there by an earlier run
# would decide which path a test takes. Set before docgen is imported.
_USER_CACHE = tempfile.mkdtemp(prefix="docgen-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _USER_CACHE
atexit.register(shutil.rmtree, _USER_CACHE, True)

from docgen.model import Block, Paragraph, Section, plain_text  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "source" / "maroc-kazakhstan.md"
DATA = REPO / "tests" / "data"

MINIMAL_FRONT = """\
---
title: {fr: Titre, en: Title}
author: {name: Jeanne Martin}
date: 2026-03-14
lang: fr
---
"""


def pdf_text(path: Path) -> str:
    """The text of a PDF as poppler's ``pdftotext`` reads it, pages separated by form feeds.

    Tests that check words from a PDF use this, not pypdf: pypdf's extraction varies between
    releases (7.x splits and merges words WeasyPrint wrote whole), so it tested pypdf, not
    docgen. ``pdftotext`` is what readers' tools use; ``make test`` installs poppler-utils.
    """
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        raise RuntimeError("pdftotext not found: install poppler-utils (make test does)")
    return subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF, as ``pdftotext`` reads it."""
    pages = pdf_text(path).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def reading_order(blocks: tuple[Block, ...], headings: bool = True) -> list[str]:
    """The plain text of every section title (unless ``headings`` is false) and paragraph,
    in reading order: what every output must show, in this order."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, Section):
            if headings:
                found.append(plain_text(block.title))
            found.extend(reading_order(block.children, headings))
        elif isinstance(block, Paragraph):
            found.append(plain_text(block.children))
    return found


@pytest.fixture
def write_source(tmp_path: Path) -> Callable[..., Path]:
    """Write a source file; ``front`` is the whole front matter block (with its fences)."""

    def write(body: str = "Texte.\n", front: str = MINIMAL_FRONT, name: str = "a.md") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(front) + textwrap.dedent(body), encoding="utf-8")
        return path

    return write
