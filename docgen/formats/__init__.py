"""The registry of output formats (pdf, docx, …) and what a format backend returns.

A format is a file type, not a product: the PDF backend renders the brief, the report or
the sheet alike, from their editions (``docgen.editions``). Each backend is one package
under ``docgen/formats/`` with ``render(edition, options) -> RenderResult``. The registry
knows a format's name, extension and module without importing it, so that ``docgen --help``
and ``docgen check`` list the formats while WeasyPrint and python-docx stay unloaded.

Adding a format is one package and one ``register(...)`` line below.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..editions import Edition
    from ..errors import Problem
    from ..options import RenderOptions


@dataclass(frozen=True)
class Output:
    """One rendered file: its name in the article's output folder and its bytes.

    Backends return bytes and never write: the coordinator writes an article's whole set
    at once, so that a failure in one render never leaves a mixed set on disk.
    """

    name: str
    data: bytes
    pages: int | None = None


@dataclass(frozen=True)
class RenderResult:
    """What one render made and what it warned about."""

    outputs: tuple[Output, ...]
    warnings: tuple[Problem, ...] = ()


RenderFunction = Callable[["Edition", "RenderOptions"], RenderResult]


@dataclass(frozen=True)
class FormatInfo:
    """A format's contract: its name, file extension, backend module, and the products
    that offer it (``docgen build --format NAME`` builds those products in it)."""

    name: str
    extension: str
    module: str
    description: str
    products: tuple[str, ...]

    def load(self) -> RenderFunction:
        render: RenderFunction = importlib.import_module(self.module).render
        return render


def render_with(info: FormatInfo, edition: Edition, options: RenderOptions) -> RenderResult:
    """Import ``info``'s backend and render ``edition`` with it.

    What a job hands its render child (``worker.run_limited``): in a build's render
    session the engines (WeasyPrint, python-docx) are imported by the child that renders,
    not by the build's process, which stays small. Right after a backend's first import
    the process's objects are frozen for the cycle collector (``gc.freeze``): what the
    import made lives as long as the process, and the collector would otherwise traverse
    it again at every full collection of every later render."""
    from ..worker import in_render_child

    loaded = info.module in sys.modules
    render = info.load()
    if not loaded and in_render_child():  # a long-lived process (the preview) freezes nothing
        gc.freeze()
    return render(edition, options)


_REGISTRY: dict[str, FormatInfo] = {}


def register(info: FormatInfo) -> None:
    """Add a format; a second format of the same name is a programming error."""
    if info.name in _REGISTRY:
        raise ValueError(f"output format {info.name!r} is already registered")
    _REGISTRY[info.name] = info


def get(name: str) -> FormatInfo:
    return _REGISTRY[name]


def unregister(name: str) -> None:
    """Remove a format (for tests that register one of their own)."""
    del _REGISTRY[name]


def names() -> list[str]:
    """Format names in registration order."""
    return list(_REGISTRY)


register(
    FormatInfo(
        "pdf", "pdf", "docgen.formats.pdf", "PDF, laid out by WeasyPrint", ("brief", "sheet")
    )
)
register(
    FormatInfo(
        "docx",
        "docx",
        "docgen.formats.docx",
        "Word, on the reference document",
        ("report", "sheet"),
    )
)
register(FormatInfo("html", "html", "docgen.formats.html", "web page", ("brief", "sheet")))
