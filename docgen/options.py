"""What a renderer is told besides the document: where to write, and how."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .project import Project
from .theme import DEFAULT, Theme

PDF_VARIANTS = (
    "pdf/a-1b",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
    "pdf/a-4u",
    "pdf/a-1a",
    "pdf/a-2a",
    "pdf/a-3a",
    "pdf/ua-1",
    "pdf/ua-2",
)
"""WeasyPrint's archival (PDF/A) and accessibility (PDF/UA) variants offered by --pdf-variant.
Kept here, not read from WeasyPrint, so that ``docgen --help`` does not import it."""


@dataclass(frozen=True)
class RenderOptions:
    """Options shared by every renderer.

    ``target_dir`` is the article's own output folder (``output/<stem>/``). Renderers append
    non-fatal problems (a refused image, a missing alt text) to ``warnings``; the build
    reports them after writing.
    """

    project: Project
    target_dir: Path
    draft: bool = False
    pdf_variant: str | None = None
    theme: Theme = DEFAULT
    warnings: list[Problem] = field(default_factory=list)
