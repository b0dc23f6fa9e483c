"""Several files written as one change (``docgen.transaction``): all, or none; one writer
of a folder at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docgen import transaction
from docgen.errors import DocgenError
from docgen.transaction import locked, write_all


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def three(tmp_path: Path) -> Path:
    (tmp_path / "a.md").write_bytes(b"old a\n")
    (tmp_path / "a.en.md").write_bytes(b"old a.en\n")
    os.chmod(tmp_path / "a.en.md", 0o640)
    return tmp_path


def test_writes_every_file_and_keeps_permissions(three: Path) -> None:
    new = {
        three / "a.md": b"new a\n",
        three / "a.en.md": b"new a.en\n",
        three / "a.i18n.yml": b"units: {}\n",
    }
    assert write_all(new) == list(new)
    assert files(three) == {
        "a.en.md": b"new a.en\n",
        "a.i18n.yml": b"units: {}\n",
        "a.md": b"new a\n",
    }
    assert (three / "a.en.md").stat().st_mode & 0o777 == 0o640


def test_a_failed_second_rename_leaves_every_file_as_it_was(
    three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(three)
    modes = {name: (three / name).stat().st_mode for name in before}
    real = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append((os.fspath(src), os.fspath(dst)))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    new = {
        three / "a.en.md": b"new a.en\n",
        three / "a.md": b"new a\n",
        three / "a.i18n.yml": b"units: {}\n",
    }
    with pytest.raises(DocgenError) as caught:
        write_all(new)
    problem = caught.value.problems[0]
    assert problem.location.path == three / "a.md"
    assert "No space left on device" in problem.message
    assert calls[0][1] == str(three / "a.en.md")  # the first was replaced, then restored
    assert files(three) == before  # no temporary, no backup, no new record left behind
    assert {name: (three / name).stat().st_mode for name in before} == modes


def test_a_file_created_by_a_failed_change_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_bytes(b"old\n")
    real = os.replace
    count = [0]

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        count[0] += 1
        if count[0] == 2:
            raise PermissionError(13, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(DocgenError, match="Permission denied"):
        write_all({tmp_path / "a.i18n.yml": b"new\n", tmp_path / "a.md": b"new\n"})
    assert files(tmp_path) == {"a.md": b"old\n"}


def test_a_file_that_cannot_be_prepared_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"old\n")
    with pytest.raises(DocgenError, match="cannot write here") as caught:
        write_all({tmp_path / "a.md": b"new\n", tmp_path / "gone" / "b.md": b"new\n"})
    assert caught.value.problems[0].location.path == tmp_path / "gone"
    assert files(tmp_path) == {"a.md": b"old\n"}  # its temporary file removed too


HOLD = """
import sys, time
from pathlib import Path
from docgen.transaction import locked
folder, flag = Path(sys.argv[1]), Path(sys.argv[2])
with locked(folder):
    flag.write_text("held")
    time.sleep(float(sys.argv[3]))
"""


def hold_lock(folder: Path, seconds: float) -> subprocess.Popen[bytes]:
    """Another process holding ``folder``'s lock for ``seconds``, once it says so."""
    flag = folder.parent / f"{folder.name}.held"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder), str(flag), str(seconds)], env=env
    )
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert holder.poll() is None and time.monotonic() < deadline, "the holder never locked"
        time.sleep(0.02)
    return holder


def test_a_second_writer_fails_clearly_while_another_holds_the_lock(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    holder = hold_lock(folder, 5)
    try:
        with pytest.raises(DocgenError) as caught, locked(folder, timeout=0.3):
            pass
        assert caught.value.problems[0].location.path == folder
        assert "another docgen is writing in" in caught.value.problems[0].message
    finally:
        holder.kill()
        holder.wait()
    with locked(folder, timeout=5):  # the lock died with its holder
        pass


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    holder = hold_lock(folder, 0.8)
    start = time.monotonic()
    try:
        with locked(folder, timeout=20):
            assert holder.poll() is not None or time.monotonic() - start > 0.4
    finally:
        holder.wait()
    assert time.monotonic() - start >= 0.4


def test_the_default_wait_is_the_module_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    monkeypatch.setattr(transaction, "LOCK_TIMEOUT", 0.2)
    holder = hold_lock(folder, 5)
    try:
        with pytest.raises(DocgenError, match=r"waited 0\.2 s"), locked(folder):
            pass
    finally:
        holder.kill()
        holder.wait()
