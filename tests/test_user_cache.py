"""The user's cache folder (``docgen.user_cache``): only the user's own, private folders are
read or written, since what is kept there (compiled templates) runs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docgen import user_cache

from .conftest import REPO

NOBODY = 65534


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ``XDG_CACHE_HOME``; returns the ``docgen`` folder inside it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = user_cache.folder()
    assert root == tmp_path / "xdg" / "docgen"
    return root


def test_kept_files_are_written_in_private_folders_and_read_back(cache: Path) -> None:
    kept = cache / "templates-x" / "a.jinja"
    assert user_cache.write(kept, b"code")
    assert user_cache.read(kept) == b"code"
    for folder in (cache, kept.parent):
        assert stat.S_IMODE(os.lstat(folder).st_mode) == 0o700
    assert not [p for p in kept.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_a_folder_open_to_others_is_narrowed_before_use(cache: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    assert user_cache.write(cache / "f", b"x")
    assert stat.S_IMODE(os.lstat(cache).st_mode) == 0o700


def test_a_linked_folder_is_neither_read_nor_written(cache: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (elsewhere / "f").write_bytes(b"planted")
    cache.parent.mkdir(parents=True)
    cache.symlink_to(elsewhere)
    assert user_cache.read(cache / "f") is None
    assert not user_cache.write(cache / "g", b"x")
    assert not (elsewhere / "g").exists()


def test_a_linked_file_is_not_read(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "target").write_bytes(b"planted")
    assert user_cache.write(cache / "f", b"x")
    (cache / "f").unlink()
    (cache / "f").symlink_to(tmp_path / "target")
    assert user_cache.read(cache / "f") is None


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file of another user needs root")
def test_what_another_user_owns_is_not_trusted(cache: Path) -> None:
    assert user_cache.write(cache / "mine", b"x")
    planted = cache / "planted"
    planted.write_bytes(b"code")
    os.chown(planted, NOBODY, NOBODY)
    assert user_cache.read(planted) is None  # a file of another user's
    assert user_cache.read(cache / "mine") == b"x"
    os.chown(cache, NOBODY, NOBODY)  # the folder itself
    assert user_cache.read(cache / "mine") is None
    assert not user_cache.write(cache / "more", b"x")


def test_no_absolute_home_means_no_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as XDG says
    monkeypatch.setenv("HOME", "relative-home")
    assert user_cache.folder() is None
    assert not user_cache.write(Path("relative-home/.cache/docgen/f"), b"x")
    monkeypatch.setenv("HOME", "/home/someone")
    assert user_cache.folder() == Path("/home/someone/.cache/docgen")


def test_declarations_cffi_cannot_write_out_only_mean_no_file(tmp_path: Path) -> None:
    """A WeasyPrint whose declarations cffi parses but cannot write out (``#define X ...``)
    still imports: there is just no kept file."""
    probe = (
        "import cffi, cffi.recompiler\n"
        "def refuse(*args, **kwargs):\n"
        "    raise cffi.VerificationError('cannot be written out')\n"
        "cffi.recompiler.make_py_source = refuse\n"
        "from docgen.formats.pdf.libraries import import_weasyprint\n"
        "weasyprint = import_weasyprint()\n"
        "assert weasyprint.HTML(string='<p>x</p>').write_pdf().startswith(b'%PDF')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", probe], check=True, env=env, capture_output=True)
    assert not list((tmp_path / "docgen").glob("weasyprint-ffi-*"))


def test_entries_nothing_read_for_a_month_are_pruned(cache: Path) -> None:
    """Writing a new entry removes the entries of its kind nothing used for
    ``UNUSED_DAYS`` and temporary files a killed writer left; a read keeps an entry."""
    day = 86400.0
    old_folder, used_folder = cache / "templates-old", cache / "templates-used"
    for made in (old_folder / "a.jinja", used_folder / "a.jinja", cache / "weasyprint-ffi-old"):
        assert user_cache.write(made, b"x")
    stray = cache / ".weasyprint-ffi-new.tmp1"
    stray.write_bytes(b"half")
    now = time.time() + 40 * day
    for path in (old_folder / "a.jinja", old_folder, used_folder / "a.jinja", used_folder):
        os.utime(path, (now - 40 * day, now - 40 * day))
    os.utime(stray, (now - 2 * 3600, now - 2 * 3600))
    os.utime(used_folder / "a.jinja", (now - day, now - day))  # as a read does
    current = cache / "templates-new"
    assert user_cache.write(current / "a.jinja", b"x")
    removed = user_cache.prune("templates-", current, now=now)
    assert sorted(removed) == sorted([old_folder, stray])
    assert used_folder.exists() and (cache / "weasyprint-ffi-old").exists() and current.exists()


def test_a_read_marks_an_entry_used(cache: Path) -> None:
    kept = cache / "templates-x" / "a.jinja"
    assert user_cache.write(kept, b"x")
    os.utime(kept, (1.0, 1.0))
    assert user_cache.read(kept) == b"x"
    assert time.time() - kept.stat().st_mtime < 60
