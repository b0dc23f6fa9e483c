"""Writing outputs so that a failed build never damages a previous good file.

Every output is written to a temporary file in its final folder and moved into place with
``os.replace``, which is atomic on POSIX and Windows: readers see the old file or the new
one, never half of one, and an interrupted build leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import DocgenError

TEMP_PREFIX = ".docgen-"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    The temporary file is flushed to disk before the rename, and the folder after it, so
    that a power cut leaves the old file or the new one, never an empty one. Its name holds
    the writing process's id, so a later build can remove what a killed one left
    (``remove_stale_temporaries``). A file system that refuses (read-only, immutable, full,
    name too long) is an error naming the target, not a crash."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:
        raise DocgenError.at(target.parent, f"cannot write here: {exc.strerror or exc}") from None
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, mode_for(target))
        fsync_path(temp)
        os.replace(temp, target)
        fsync_path(target.parent)
    except OSError as exc:
        raise DocgenError.at(target, f"cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's) data to disk; where folders cannot be opened, skip."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files of writers that are gone (a build killed with SIGKILL
    cannot clean up after itself): ``.docgen-PID-…`` whose process no longer runs."""
    if not folder.is_dir():
        return
    for leftover in folder.glob(TEMP_PREFIX + "*"):
        pid = leftover.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mode_for(target: Path) -> int:
    """The replaced file's permissions, or what a plain ``open()`` would give (``mkstemp``
    creates files readable by their owner only)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temp_path)`` and move the result into place."""
    with atomic_path(target) as temp:
        write(temp)
        if temp.stat().st_size == 0:
            raise DocgenError.at(
                target, "the renderer produced an empty file; output kept as it was"
            )
    return target


def safe_output_dir(output_root: Path, name: str) -> Path:
    """``output_root/name``, refusing names that would land outside ``output_root``."""
    root = output_root.resolve()
    candidate = (root / name).resolve()
    if name in ("", ".", "..") or not candidate.is_relative_to(root) or candidate == root:
        raise DocgenError.at(Path(name), "article name cannot be used as an output folder name")
    return candidate
