"""Writing several files as one change: all of them, or none.

``docgen i18n import`` changes up to three files of an article at once (the translation
``NAME.LANG.md``, the source's front matter, the record ``NAME.i18n.yml``). Written one by
one, a failure in the middle (a full disk, a read-only file, a killed process) would leave
a translation with no record of it, or a record accepting a text that was never written.

``write_all`` first writes every new text to a temporary file beside its target (flushed to
disk), so that whatever can fail for lack of space or permission fails before any target is
touched; keeps each old file under a backup name (a hard link: no copy, same permissions);
then renames the temporaries into place in turn. If a rename fails, the files already
replaced get their backups back, and the ones that did not exist are removed: the folder
is as it was. (A power cut between two renames can still leave some files new and some
old; their backups are then gone with the process, as with any single atomic write.)

``locked`` serializes the writers of one folder: two imports into the same article
would otherwise each read the record, and the later write would drop the earlier's units.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DocgenError, display_path
from .output import TEMP_PREFIX, fsync_path, mode_for

LOCK_TIMEOUT = 30.0
"""Seconds a writer waits for another to finish with a folder before giving up."""
_POLL = 0.05


@dataclass
class _Planned:
    """One file a transaction will write: its target and new bytes."""

    target: Path
    temp: Path
    backup: Path | None = None
    existed: bool = False
    replaced: bool = False


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every ``path: bytes`` of ``files``, all or nothing; the paths written.

    A failure at any step raises ``DocgenError`` naming the file, after putting back every
    file already replaced and removing every temporary and backup file."""
    planned: list[_Planned] = []
    try:
        for target, data in files.items():
            planned.append(_Planned(target, _temporary(target, data)))
        for item in planned:
            item.existed = item.target.exists()
            if item.existed:
                item.backup = _backup(item.target)
        for item in planned:
            try:
                os.replace(item.temp, item.target)
            except OSError as exc:
                raise DocgenError.at(item.target, f"cannot write: {exc.strerror or exc}") from None
            item.replaced = True
        for folder in dict.fromkeys(item.target.parent for item in planned):
            fsync_path(folder)
    except BaseException:
        _roll_back(planned)
        raise
    finally:
        for item in planned:
            for leftover in (item.temp, item.backup):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        leftover.unlink()
    return [item.target for item in planned]


def _temporary(target: Path, data: bytes) -> Path:
    """``data`` in a new file beside ``target``, with ``target``'s permissions, on disk."""
    try:
        fd, name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:
        raise DocgenError.at(target.parent, f"cannot write here: {exc.strerror or exc}") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode_for(target))
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise DocgenError.at(target, f"cannot write: {exc.strerror or exc}") from None
    return temp


def _backup(target: Path) -> Path:
    """Another name for ``target``'s current file (a hard link; a copy where links are
    refused), so that it can be put back by a rename."""
    name = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}{target.suffix}")
    try:
        os.link(target, name)
    except OSError:
        try:
            name = _temporary(target, target.read_bytes())
        except OSError as exc:
            raise DocgenError.at(target, f"cannot keep a copy: {exc.strerror or exc}") from None
    return name


def _roll_back(planned: list[_Planned]) -> None:
    """Put back the old file of every target already replaced (best effort: the first
    error is what the caller reports)."""
    for item in reversed(planned):
        if not item.replaced:
            continue
        with contextlib.suppress(OSError):
            if item.backup is not None:
                os.replace(item.backup, item.target)
                item.backup = None
            elif not item.existed:
                item.target.unlink()
    for folder in dict.fromkeys(item.target.parent for item in planned if item.replaced):
        fsync_path(folder)


@contextlib.contextmanager
def locked(folder: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive write lock of ``folder`` (an advisory ``flock`` on the folder
    itself: the files in it are replaced by renames, so a lock on one of them would stay
    on its old copy). Waits up to ``timeout`` seconds (``LOCK_TIMEOUT``) for another
    writer, then fails with a message saying so. Where ``fcntl`` is missing (Windows),
    writers are not serialized."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    limit = LOCK_TIMEOUT if timeout is None else timeout
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise DocgenError.at(folder, f"cannot lock this folder: {exc.strerror or exc}") from None
    try:
        deadline = time.monotonic() + limit
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    message = (
                        f"another docgen is writing in {display_path(folder)} (waited"
                        f" {limit:g} s for it to finish); try again when it is done"
                    )
                    raise DocgenError.at(folder, message) from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
