"""``docgen verify``: a pack checked against its manifest, and its signatures when signed.

The manifest check (``docgen.pack.verify``) finds any changed, missing or extra file;
when the pack is signed, every PDF's signature and the manifest's detached signature are
validated against the trust roots given (``docgen.signing.verify``). A signed pack with
no trust root given is reported, not silently accepted.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import Location, Problem
from .pack.names import MANIFEST_NAME, SIGNATURE_NAME
from .pack.verify import verify_pack


def verify_paths(paths: list[Path], trust: list[Path]) -> list[Problem]:
    """Every problem of every pack."""
    problems: list[Problem] = []
    for path in paths:
        found = verify_pack(path)
        problems += found
        if not found:
            problems += _signatures(path, trust)
    return problems


def _files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {
            p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*"))
            if p.is_file() and (p.suffix == ".pdf" or p.name in (MANIFEST_NAME, SIGNATURE_NAME))
        }
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.endswith(".pdf") or name in (MANIFEST_NAME, SIGNATURE_NAME)
        }


def _signatures(path: Path, trust: list[Path]) -> list[Problem]:
    """The signatures of a pack whose files match its manifest."""
    files = _files(path)
    signature = files.get(SIGNATURE_NAME)
    if signature is None:
        return []
    from .signing.verify import verify_detached, verify_pdf

    problems = verify_detached(files[MANIFEST_NAME], signature, f"{path}/{MANIFEST_NAME}", trust)
    for name, data in files.items():
        if name.endswith(".pdf"):
            problems += verify_pdf(data, f"{path}/{name}", trust)
    return [
        p if p.location.path != Path("") else Problem(Location(path), p.message, p.severity)
        for p in problems
    ]
