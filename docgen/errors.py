"""One error family for every bad input, each problem pinned to a place in a file.

The library raises; the CLI prints ``path:line:col: error: message`` and picks the exit
status. Collecting problems (rather than stopping at the first) lets a contributor fix a
source in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file; ``line`` and ``column`` are 1-based, 0 means "unknown"."""

    path: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = display_path(self.path)
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One message about one place; ``severity`` is ``error`` or ``warning``."""

    location: Location
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


class DocgenError(Exception):
    """Bad input: the user can fix it. The CLI exits with status 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[DocgenError], tuple[list[Problem]]]:
        """Pickle by problems, so errors cross process boundaries intact."""
        return (type(self), (self.problems,))

    @classmethod
    def at(cls, path: Path, message: str, line: int = 0, column: int = 0) -> DocgenError:
        """Shortcut for the common one-problem error."""
        return cls(Problem(Location(path, line, column), message))


class SourceError(DocgenError):
    """A source article (front matter or body) is invalid."""


class TemplateError(DocgenError):
    """A template, theme or reference document is invalid."""


class ConfigError(DocgenError):
    """The project configuration is invalid."""


class RenderError(DocgenError):
    """Rendering could not complete for a reason the user can act on (a limit, a resource)."""


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it, as users typed it."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
