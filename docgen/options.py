"""What a renderer is told besides the document: where to write, and how."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .project import Project
from .theme import DEFAULT, Theme


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
