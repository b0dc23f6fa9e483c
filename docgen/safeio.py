"""Reading a file named by untrusted input without hanging, following or swallowing.

``Path.read_bytes`` trusts the name: a FIFO blocks it forever, ``/dev/zero`` fills memory,
and a symlink leads anywhere. Here the file is opened without blocking (and, when asked,
without following a final symlink), checked on the opened descriptor — so it cannot be
swapped between the check and the read — and read up to the limit plus one byte, whatever
its size claims.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class FileRefused(Exception):
    """The file cannot be read; the message says why in words a user can act on.

    Callers turn it into their own located error (source, template, configuration)."""


def read_regular_file(path: Path, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    ``follow_symlinks=False`` refuses a final symlink (``O_NOFOLLOW``); pass it with a path
    already resolved by the resource policy, so that a link swapped in afterwards is refused
    rather than followed.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    if not follow_symlinks:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefused("no such file") from None
    except IsADirectoryError:
        raise FileRefused("is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileRefused("is a symbolic link; it cannot be used here") from None
        raise FileRefused(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefused("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("is not a regular file (a FIFO, device or socket)")
        if info.st_size > limit:
            raise FileRefused(f"file is {info.st_size:,} bytes; the limit is {limit:,}")
        os.set_blocking(fd, True)
        data = _read_at_most(fd, limit + 1)
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileRefused(f"file is more than {limit:,} bytes; the limit is {limit:,}")
    return data


def _read_at_most(fd: int, count: int) -> bytes:
    """Up to ``count`` bytes: a file that grows while being read stops at the limit."""
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
