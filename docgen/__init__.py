"""docgen: one Markdown article → PDF brief, Word report and bilingual summary sheet.

Public API: ``load``, ``check``, ``build`` (see ``docgen.api``). They are imported on first
use so that ``import docgen`` (and ``docgen --help``) stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = ["__version__", "build", "check", "load"]

if TYPE_CHECKING:
    from .api import build, check, load


def __getattr__(name: str) -> Any:
    if name in ("build", "check", "load"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")
