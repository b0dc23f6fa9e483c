"""Loading WeasyPrint's C libraries without a process per guessed name.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying up to six
names per library ("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", then the soname
"libgobject-2.0.so.0", …). cffi hands each name that is not a path to
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and, for a name it does not
find there, ``gcc`` and ``ld``: about twenty ``ldconfig``, sixteen ``gcc`` and sixteen ``ld``
processes per ``import weasyprint``, a tenth of a second of CPU in every build (measured:
``bench/bench_cold.py``; ``import weasyprint`` alone, 0.58 s against 0.47 s).

``linker_cache`` answers those lookups from one reading of ``ldconfig -p``, with the regular
expression ``ctypes.util`` itself applies to it, while WeasyPrint is imported; a name the
linker cache does not list is not found, and WeasyPrint goes on to its next candidate —
the soname, which the dynamic loader opens directly (``LD_LIBRARY_PATH``, then the same
cache). Should WeasyPrint still fail to load, ``import_weasyprint`` imports it again with
``ctypes``' own, thorough lookup, so the shortcut can cost time but never a library.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import os
import re
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from types import ModuleType

_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}
"""``ctypes.util``'s map from machine to the ABI tag ``ldconfig -p`` prints."""


def _abi_type() -> str:
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    return _ABI.get(os.uname().machine + bits, "libc6")


def linker_cache_listing() -> bytes | None:
    """``ldconfig -p``'s listing, as ``ctypes.util`` reads it; ``None`` without ldconfig."""
    try:
        done = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env={"LC_ALL": "C", "LANG": "C"},
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def lookup_in(listing: bytes) -> Callable[[str], str | None]:
    """A ``find_library`` that reads ``listing`` as ``ctypes.util`` reads ``ldconfig -p``."""

    def find_library(name: str) -> str | None:
        pattern = os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({_abi_type()}")
        found = re.search(pattern, listing)
        return os.fsdecode(found.group(1)) if found else None

    return find_library


@contextlib.contextmanager
def linker_cache() -> Iterator[None]:
    """``ctypes.util.find_library`` answered from one ``ldconfig -p`` inside the block
    (Linux with ldconfig; elsewhere, or without it, nothing changes)."""
    listing = linker_cache_listing() if sys.platform.startswith("linux") else None
    if listing is None:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = lookup_in(listing)  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> ModuleType:
    """``import weasyprint``, its libraries looked up in the linker cache and its C
    declarations parsed once per installation (``declarations``); again the usual way if
    either fails."""
    import importlib

    from . import declarations

    with _IMPORTING:  # one thread patches ``find_library`` and ``cffi.FFI`` at a time
        if "weasyprint" in sys.modules:
            return sys.modules["weasyprint"]
        for _attempt in ("kept declarations", "declarations parsed and kept anew"):
            try:
                with linker_cache(), declarations.compiled():
                    return importlib.import_module("weasyprint")
            except declarations.Mismatch:  # stale, and removed: the second attempt parses
                continue
            except OSError:
                break
        return importlib.import_module("weasyprint")


_IMPORTING = threading.RLock()
