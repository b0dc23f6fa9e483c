"""What the preview last built, shared by the build threads and the request handlers.

A ``version`` counts every change a reader should see (a new build, an error, its fix);
the event stream of each open page waits on it and asks the page to reload when it moves.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem


@dataclass
class Snapshot:
    """A consistent copy of the state for one response."""

    version: int
    error: str
    warnings: list[str]
    pages: list[Path]
    files: list[Path]
    files_errors: list[str]
    files_building: bool
    rendered: int


@dataclass
class PreviewState:
    """The last results of both builds, under one lock."""

    version: int = 0
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    files_errors: list[str] = field(default_factory=list)
    building_files: bool = False
    rendered: int = 0
    closed: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def built(self, files: Sequence[Path], warnings: Sequence[Problem], rendered: int) -> None:
        """The web editions built: the error, if any, is cleared."""
        pages = [p for p in files if p.suffix == ".html"]
        with self._changed:
            self.error = ""
            self.warnings = [str(w) for w in warnings]
            self.pages = pages
            self.rendered = rendered
            self._bump()

    def failed(self, problems: Sequence[Problem]) -> None:
        """The build refused the input: every page shows the problems until fixed."""
        text = "\n".join(str(p) for p in problems if p.severity == "error") or "\n".join(
            str(p) for p in problems
        )
        with self._changed:
            self.error = text
            self._bump()

    def crashed(self, message: str) -> None:
        with self._changed:
            self.error = f"docgen: internal error: {message}"
            self._bump()

    def files_building(self, building: bool) -> None:
        with self._changed:
            self.building_files = building

    def files_built(self, files: Sequence[Path], errors: list[str]) -> None:
        with self._changed:
            self.building_files = False
            self.files = [p for p in files if p.suffix in (".pdf", ".docx")]
            self.files_errors = errors

    def snapshot(self) -> Snapshot:
        with self._changed:
            return Snapshot(
                self.version,
                self.error,
                list(self.warnings),
                list(self.pages),
                list(self.files),
                list(self.files_errors),
                self.building_files,
                self.rendered,
            )

    def wait_beyond(self, version: int, timeout: float) -> int:
        """The version once it is past ``version`` (or after ``timeout`` seconds, or when
        the preview closes)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version > version or self.closed, timeout)
            return self.version

    def close(self) -> None:
        """Wake every waiting event stream so that the server can stop."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def _bump(self) -> None:
        self.version += 1
        self._changed.notify_all()
