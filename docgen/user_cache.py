"""The user's cache folder: what docgen derives from installed files alone, kept between
processes as Python keeps bytecode beside its modules.

Two things live there, each named by a digest of everything it derives from, so that an
upgrade makes new files rather than reading stale ones:

- WeasyPrint's C declarations as cffi parsed them (``formats/pdf/declarations.py``);
- docgen's own Jinja templates, compiled (``templates._CompiledTemplates``).

Nothing from a project or an article is ever kept here (a project's own templates are
compiled again by every process), and nothing here changes an output: it only spares a
cold process work it would otherwise redo. The folder is the user's own (made ``0700``),
trusted as the bytecode is; a folder that cannot be made or written only means that work
is redone.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def folder() -> Path | None:
    """``$XDG_CACHE_HOME/docgen``, else ``~/.cache/docgen``, as the XDG Base Directory
    specification says (a relative ``XDG_CACHE_HOME`` is ignored); ``None`` without a
    home folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "docgen"


def write(path: Path, data: bytes) -> bool:
    """``data`` written to ``path`` atomically (a concurrent reader sees the whole file or
    none), its folder made private if new; ``False`` if that cannot be done."""
    try:
        for made in (path.parent.parent, path.parent):  # the user's folders stay private
            made.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(name, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)
    except OSError:
        return False
    return True
