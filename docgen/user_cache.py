"""The user's cache folder: what docgen derives from installed files alone, kept between
processes as Python keeps bytecode beside its modules.

Two things live there, each named by a digest of everything it derives from, so that an
upgrade makes new files rather than reading stale ones:

- WeasyPrint's C declarations as cffi parsed them (``formats/pdf/declarations.py``);
- docgen's own Jinja templates, compiled (``templates._CompiledTemplates``).

Nothing from a project or an article is ever kept here (a project's own templates are
compiled again by every process), and nothing here changes an output: it only spares a
cold process work it would otherwise redo.

Entries age out: each read touches the file it read, and a process that writes a new entry
removes those of the same kind (``prune``) that nothing read for ``UNUSED_DAYS`` days (older
WeasyPrints, docgens, Pythons), and temporary files a killed writer left.

Compiled templates are code that runs, so the folder is trusted only as far as it is the
user's own, as Jinja's ``FileSystemBytecodeCache`` does for its default folder: ``docgen/``
and each folder below it must be real folders (not links) owned by the user, with no access
for others (made ``0700``; one the user owns with wider rights is narrowed first). A folder
that fails this, or cannot be made or written, is neither read nor written: the work is
redone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

UNUSED_DAYS = 30
"""An entry nothing read for this long is removed when a new one of its kind is written."""

STRAY_HOURS = 1
"""A temporary file older than this was left by a writer that was killed."""


def folder() -> Path | None:
    """``$XDG_CACHE_HOME/docgen``, else ``~/.cache/docgen``, as the XDG Base Directory
    specification says (a relative ``XDG_CACHE_HOME`` is ignored); ``None`` without an
    absolute home folder. Not checked nor made here (``private``)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            home = Path.home()
        except RuntimeError:
            return None
        if not home.is_absolute():
            return None
        base = str(home / ".cache")
    return Path(base) / "docgen"


def private(path: Path, make: bool = False) -> bool:
    """Whether ``path`` and every folder between it and ``folder()`` are real folders of
    this user's, closed to others (narrowed to ``0700`` when wider); with ``make``, missing
    ones are made ``0700`` first."""
    root = folder()
    if root is None or not (path == root or path.is_relative_to(root)):
        return False
    chain = [step for step in reversed((path, *path.parents)) if step.is_relative_to(root)]
    try:
        if make:
            root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for step in chain:
            if make:
                with contextlib.suppress(FileExistsError):
                    step.mkdir(mode=0o700)
            found = os.lstat(step)
            if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.geteuid():
                return False
            if stat.S_IMODE(found.st_mode) & 0o077:
                os.chmod(step, 0o700)
    except OSError:
        return False
    return True


def read(path: Path) -> bytes | None:
    """The bytes of the kept file ``path``, or ``None``: missing, not a regular file of this
    user's, or in a folder that is not private."""
    if not private(path.parent):
        return None
    try:
        with open(path, "rb", opener=_no_links) as kept:
            found = os.fstat(kept.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_uid != os.geteuid():
                return None
            data = kept.read()
            with contextlib.suppress(OSError):
                os.utime(kept.fileno())  # in use: ``prune`` leaves it
            return data
    except OSError:
        return None


def _no_links(name: str, flags: int) -> int:
    return os.open(name, flags | getattr(os, "O_NOFOLLOW", 0))


def write(path: Path, data: bytes) -> bool:
    """``data`` written to ``path`` atomically (a concurrent reader sees the whole file or
    none), in private folders (``private``, made if missing); ``False`` if that cannot be
    done."""
    if not private(path.parent, make=True):
        return False
    try:
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


def prune(prefix: str, current: Path, now: float | None = None) -> list[Path]:
    """Remove the entries of ``folder()`` named ``prefix…`` other than ``current`` that
    nothing read or wrote for ``UNUSED_DAYS`` (a folder's age is its newest file's), and the
    temporary files older than ``STRAY_HOURS`` in ``folder()`` and in ``current``. Returns
    what was removed. Only in a private folder; anything that cannot be removed stays."""
    root = folder()
    if root is None or not private(root):
        return []
    now = time.time() if now is None else now
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            mine = entry.name.startswith(prefix) and entry != current
            if mine and now - _newest(entry) > UNUSED_DAYS * 86400:
                _remove(entry)
                removed.append(entry)
        for place in (root, current if current.is_dir() else root):
            for entry in place.glob(".*"):
                if now - entry.lstat().st_mtime > STRAY_HOURS * 3600:
                    _remove(entry)
                    removed.append(entry)
    return removed


def _newest(entry: Path) -> float:
    found = entry.lstat()
    if not stat.S_ISDIR(found.st_mode):
        return found.st_mtime
    return max([found.st_mtime, *(child.lstat().st_mtime for child in entry.iterdir())])


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            entry.unlink()
