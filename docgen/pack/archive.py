"""The pack as one deterministic zip: the same files give the same bytes everywhere.

A zip records more than its files: an order, a timestamp per entry (in local time, with a
two-second resolution, nothing before 1980), permissions, the system that wrote it, the
compression level. Each of these is fixed here, following reproducible-builds.org: entries
sorted with ``manifest.json`` first (a reader sees the record before the files), every
timestamp ``SOURCE_DATE_EPOCH`` or the article's date, mode 0644 on a Unix "creator",
deflate at level 9, no directory entries, no comment. What remains free is zlib's own
output for a given level, which is stable for a zlib version (recorded in the manifest).
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path

from ..errors import ConfigError
from .names import MANIFEST_NAME, unsafe_name_reason

DateTime = tuple[int, int, int, int, int, int]
"""A zip timestamp: year, month, day, hour, minute, second."""

ZIP_EARLIEST: DateTime = (1980, 1, 1, 0, 0, 0)
ZIP_LATEST: DateTime = (2107, 12, 31, 23, 59, 58)
COMPRESS_LEVEL = 9
FILE_MODE = 0o644
UNIX_CREATOR = 3
"""``create_system`` of a Unix writer: the only one for which readers honour the mode."""


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int | None:
    """``SOURCE_DATE_EPOCH`` as an integer, None when unset or empty; a malformed value is
    an error (the specification asks builds to fail rather than guess)."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "")
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise ConfigError.at(
            Path("SOURCE_DATE_EPOCH"),
            f"SOURCE_DATE_EPOCH must be a non-negative integer of seconds, not {value!r}",
        )
    return int(value)


def epoch_date_time(source_date_epoch: int | None, fallback: date) -> DateTime:
    """The timestamp of every zip entry: ``source_date_epoch`` in UTC when given, else
    ``fallback`` (the article's date) at 00:00 UTC. Clamped to what a zip can hold (1980
    to 2107) and rounded down to an even second (its resolution), so the value written
    is the value returned. Never the local time zone: a build in Almaty and one in Paris
    write the same bytes."""
    if source_date_epoch is None:
        moment = datetime(fallback.year, fallback.month, fallback.day, tzinfo=UTC)
    else:
        seconds = max(0, min(source_date_epoch, 4_354_819_198))  # 2107-12-31T23:59:58Z
        moment = datetime.fromtimestamp(seconds, UTC)
    stamp: DateTime = (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second - moment.second % 2,
    )
    return max(ZIP_EARLIEST, min(stamp, ZIP_LATEST))


def zip_entries(entries: Iterable[tuple[str, bytes]], date_time: DateTime) -> bytes:
    """A zip of ``entries`` in the order given, every entry with the same fixed attributes.
    Names must be safe pack names and unique."""
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            reason = unsafe_name_reason(name)
            if reason:
                raise ValueError(f"cannot store {name!r} in a zip: {reason}")
            if name in seen:
                raise ValueError(f"{name!r} stored twice")
            seen.add(name)
            archive.writestr(fixed_info(name, date_time), data, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def fixed_info(name: str, date_time: DateTime) -> zipfile.ZipInfo:
    """A ``ZipInfo`` with nothing taken from the machine, the clock or the file system."""
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = UNIX_CREATOR
    info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
    return info


def pack_order(names: Iterable[str]) -> list[str]:
    """``manifest.json`` first, then every other name sorted (by code point, which is
    UTF-8 byte order, so the same on every machine and locale)."""
    ordered = sorted(names)
    if MANIFEST_NAME in ordered:
        ordered.remove(MANIFEST_NAME)
        ordered.insert(0, MANIFEST_NAME)
    return ordered


def zip_bytes(files: Mapping[str, bytes], date_time: DateTime) -> bytes:
    """The deterministic zip of ``files`` (pack name → content)."""
    return zip_entries(((name, files[name]) for name in pack_order(files)), date_time)


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every regular file below ``folder`` by its pack name. A symbolic link or any other
    non-regular file is refused: what a link points to differs from machine to machine."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISDIR(mode):
            continue
        name = path.relative_to(folder).as_posix()
        if not stat.S_ISREG(mode):
            raise ValueError(f"{name!r} is not a regular file; a pack holds only files")
        files[name] = path.read_bytes()
    return files


def write_zip(folder: Path, target: Path, date_time: DateTime) -> Path:
    """Zip every file of the pack ``folder`` into ``target``, atomically (a temporary file
    beside it, then renamed), so a failed write never leaves half a zip. ``target`` itself
    is left out when it lies inside ``folder``."""
    files = folder_files(folder)
    if target.resolve().is_relative_to(folder.resolve()):
        files.pop(target.resolve().relative_to(folder.resolve()).as_posix(), None)
    data = zip_bytes(files, date_time)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        temp.chmod(FILE_MODE)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target
