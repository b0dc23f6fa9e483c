"""The one rule for file names inside a pack, shared by the manifest, the zip and the check.

A pack travels: it is mailed, unzipped by other tools, checked on other machines. A name
that climbs out of the pack (``..``), starts at the root, carries a drive or a backslash
(a separator on Windows, a plain character elsewhere) would mean different files on
different machines, or a file written outside the folder. Such names are refused
everywhere, and the same function says why.
"""

from __future__ import annotations

import re

MANIFEST_NAME = "manifest.json"
"""The manifest's name inside a pack; it comes first in the zip."""

SIGNATURE_NAME = "manifest.json.p7s"
"""A detached signature of the manifest, added after the pack is written: not an output."""

RESERVED_NAMES = frozenset({MANIFEST_NAME, SIGNATURE_NAME})

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_LENGTH = 255


def unsafe_name_reason(name: str) -> str | None:
    """Why ``name`` cannot be a file name inside a pack, or None when it can.

    A safe name is relative, written with ``/``, and made of plain segments: no empty
    segment, no ``.`` or ``..``, no backslash, no drive letter, no control character.
    """
    checks = (
        (not name, "empty name"),
        (len(name) > MAX_NAME_LENGTH, f"name longer than {MAX_NAME_LENGTH} characters"),
        ("\\" in name, "backslash in name"),
        (_CONTROL.search(name) is not None, "control character in name"),
        (name.startswith("/") or _DRIVE.match(name) is not None, "absolute name"),
        (
            any(segment in ("", ".", "..") for segment in name.split("/")),
            "name with an empty, '.' or '..' segment",
        ),
    )
    return next((reason for failed, reason in checks if failed), None)
