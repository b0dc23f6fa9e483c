"""Check a pack, folder or zip, against its manifest: every changed, missing or extra file.

The pack may come from anyone, so both the manifest and the zip are untrusted: a name that
would climb out of the pack is refused (reported, never opened), nothing is extracted to
disk, a zip entry is read only when its declared size matches the manifest (so a "zip
bomb" costs no more than the files it claims to be), and the manifest's size is capped.
Every finding is one ``Problem`` naming the file, so a reader sees them all at once.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import DocgenError, Location, Problem
from .manifest import MAX_MANIFEST_BYTES, Manifest, OutputEntry, parse_manifest
from .names import MANIFEST_NAME, SIGNATURE_NAME, unsafe_name_reason

CHUNK = 1024 * 1024


def verify_pack(path: Path) -> list[Problem]:
    """The problems of the pack at ``path``: a folder holding ``manifest.json``, or a zip
    written by ``archive.write_zip``. An empty list means every listed file is present
    with its size and sha256, and nothing else is there (besides the manifest's
    signature, ``manifest.json.p7s``)."""
    if path.is_dir():
        return _FolderPack(path).verify()
    if not path.exists():
        return [Problem(Location(path), "no such pack (neither a folder nor a zip)")]
    try:
        with zipfile.ZipFile(path) as archive:
            return _ZipPack(path, archive).verify()
    except (zipfile.BadZipFile, OSError) as error:
        return [Problem(Location(path), f"not a readable zip: {error}")]


def _digest(stream: IO[bytes]) -> tuple[int, str]:
    """Size and sha256 of a stream, read in chunks."""
    hasher = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        hasher.update(chunk)
        size += len(chunk)
    return size, hasher.hexdigest()


def _compare(location: Location, entry: OutputEntry, size: int, sha256: str) -> list[Problem]:
    if size != entry.bytes:
        return [Problem(location, f"changed: {size} bytes, the manifest says {entry.bytes}")]
    if sha256 != entry.sha256:
        return [Problem(location, "changed: its sha256 differs from the manifest's")]
    return []


class _Pack:
    """What a folder and a zip share: read the manifest, then walk the listed files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def location(self, name: str) -> Location:
        """Where a problem about ``name`` points: the file inside the pack, or the pack
        itself when the name is unsafe (joining it would name another file)."""
        return Location(self.root if unsafe_name_reason(name) else self.root / name)

    def verify(self) -> list[Problem]:
        problems: list[Problem] = []
        names = list(self.names(problems))
        manifest_location = self.location(MANIFEST_NAME)
        if MANIFEST_NAME not in names:
            return [*problems, Problem(manifest_location, "no manifest.json in the pack")]
        try:
            data = self.read_manifest()
            manifest = parse_manifest(data, manifest_location.path)
        except DocgenError as error:
            return [*problems, *error.problems]
        except OSError as error:
            return [*problems, Problem(manifest_location, f"cannot read the manifest: {error}")]
        problems.extend(self.check(manifest, set(names)))
        return problems

    def check(self, manifest: Manifest, present: set[str]) -> list[Problem]:
        problems: list[Problem] = []
        listed = {entry.path for entry in manifest.outputs}
        for entry in manifest.outputs:
            location = self.location(entry.path)
            if entry.path not in present:
                problems.append(Problem(location, "missing: listed in the manifest"))
                continue
            problems.extend(self.check_file(location, entry))
        for name in sorted(present - listed - {MANIFEST_NAME, SIGNATURE_NAME}):
            problems.append(Problem(self.location(name), "extra file, not in the manifest"))
        return problems

    def names(self, problems: list[Problem]) -> Iterator[str]:
        raise NotImplementedError

    def read_manifest(self) -> bytes:
        raise NotImplementedError

    def check_file(self, location: Location, entry: OutputEntry) -> list[Problem]:
        raise NotImplementedError


class _FolderPack(_Pack):
    def names(self, problems: list[Problem]) -> Iterator[str]:
        for path in sorted(self.root.rglob("*")):
            if path.is_dir() and not path.is_symlink():
                continue
            yield path.relative_to(self.root).as_posix()

    def read_manifest(self) -> bytes:
        path = self.root / MANIFEST_NAME
        self.regular(path)
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise DocgenError.at(path, f"manifest larger than {MAX_MANIFEST_BYTES} bytes")
        return path.read_bytes()

    def regular(self, path: Path) -> None:
        """Refuse a link or a special file: its content is not the pack's."""
        if not stat.S_ISREG(path.lstat().st_mode):
            raise DocgenError.at(path, "not a regular file (a link or a special file)")

    def check_file(self, location: Location, entry: OutputEntry) -> list[Problem]:
        path = self.root / entry.path
        try:
            self.regular(path)
            with path.open("rb") as stream:
                size, sha256 = _digest(stream)
        except DocgenError as error:
            return error.problems
        except OSError as error:
            return [Problem(location, f"unreadable: {error.strerror or error}")]
        return _compare(location, entry, size, sha256)


class _ZipPack(_Pack):
    def __init__(self, root: Path, archive: zipfile.ZipFile) -> None:
        super().__init__(root)
        self.archive = archive
        self.infos: dict[str, zipfile.ZipInfo] = {}

    def names(self, problems: list[Problem]) -> Iterator[str]:
        for info in self.archive.infolist():
            name = info.filename
            reason = unsafe_name_reason(name.removesuffix("/") if info.is_dir() else name)
            if reason:
                problems.append(Problem(Location(self.root), f"entry {name!r} refused: {reason}"))
                continue
            if info.is_dir():
                continue
            if name in self.infos:
                problems.append(Problem(self.location(name), "stored twice in the zip"))
                continue
            self.infos[name] = info
            yield name

    def read_manifest(self) -> bytes:
        info = self.infos[MANIFEST_NAME]
        where = self.location(MANIFEST_NAME).path
        if info.file_size > MAX_MANIFEST_BYTES:
            raise DocgenError.at(where, f"manifest larger than {MAX_MANIFEST_BYTES} bytes")
        try:
            return self.archive.read(info)
        except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as error:
            raise DocgenError.at(where, f"corrupt zip entry: {error}") from None

    def check_file(self, location: Location, entry: OutputEntry) -> list[Problem]:
        info = self.infos[entry.path]
        if info.file_size != entry.bytes:
            return [
                Problem(
                    location, f"changed: {info.file_size} bytes, the manifest says {entry.bytes}"
                )
            ]
        try:
            with self.archive.open(info) as stream:
                size, sha256 = _digest(stream)
        except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as error:
            return [Problem(location, f"corrupt zip entry: {error}")]
        return _compare(location, entry, size, sha256)
