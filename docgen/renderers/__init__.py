"""The registry of output formats.

Each format is one module with ``render(doc, options) -> list[Path]``. The registry knows a
format's name, module and description without importing it, so that ``docgen --help``
lists the formats while WeasyPrint and python-docx stay unloaded until a build needs them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..errors import Problem
    from ..model import Document
    from ..options import RenderOptions
    from ..project import Project

RenderFunction = Callable[["Document", "RenderOptions"], list[Path]]


@dataclass(frozen=True)
class RendererInfo:
    """A format's contract: its name, where it lives, and whether it renders per language.

    ``per_language`` formats (the brief, the report) render once per requested language;
    the others (the bilingual sheet) render once per article.
    """

    name: str
    module: str
    description: str
    per_language: bool = True
    check: str = ""
    """``module:function`` run on every article before anything is written, so that a
    format's own requirements fail the build early; kept out of the renderer module so
    that ``docgen check`` can run it without loading WeasyPrint or python-docx."""

    def load(self) -> RenderFunction:
        render: RenderFunction = importlib.import_module(self.module).render
        return render

    def checks(self, doc: Document, project: Project, draft: bool) -> list[Problem]:
        """The format's problems with ``doc`` (errors, or warnings under ``draft``)."""
        if not self.check:
            return []
        module, function = self.check.split(":")
        found: list[Problem] = getattr(importlib.import_module(module), function)(
            doc, project, draft
        )
        return found


_REGISTRY: dict[str, RendererInfo] = {}


def register(info: RendererInfo) -> None:
    """Add a format; a second format of the same name is a programming error."""
    if info.name in _REGISTRY:
        raise ValueError(f"output format {info.name!r} is already registered")
    _REGISTRY[info.name] = info


def get(name: str) -> RendererInfo:
    return _REGISTRY[name]


def names() -> list[str]:
    """Format names in registration order (the order builds run in)."""
    return list(_REGISTRY)


register(RendererInfo("pdf", "docgen.renderers.pdf", "PDF brief (brief.LANG.pdf)"))
register(RendererInfo("docx", "docgen.renderers.docx", "Word report (report.LANG.docx)"))
register(
    RendererInfo(
        "summary",
        "docgen.renderers.summary",
        "bilingual summary sheet (summary.pdf, summary.docx)",
        per_language=False,
        check="docgen.bilingual:check_sheet",
    )
)
