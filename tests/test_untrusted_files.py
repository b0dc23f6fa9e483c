"""Sources and translations named by an untrusted folder: no symlink out, no FIFO, no device.

The dangerous cases are run in a child process with a time and memory limit, so that a
regression fails the test instead of hanging or exhausting the suite.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import SourceError
from docgen.safeio import FileRefused, read_regular_file
from docgen.source import load, read_text

from .conftest import MINIMAL_FRONT, REPO

SECRET = "root-secret-line: do not print me\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    path.write_text(SECRET, encoding="utf-8")
    return path


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run_child(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Python ``code`` in a child with this worktree's docgen, 60 s and 2 GiB at most."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        check=False,
    )


def test_translation_symlinked_out_of_the_project_is_refused(project: Path, secret: Path) -> None:
    (project / "source" / "a.en.md").symlink_to(secret)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2, result.output
    assert "source/a.en.md: error: is outside the project" in result.output
    assert "do not print me" not in result.output
    with pytest.raises(SourceError, match="outside the project"):
        load(project / "source" / "a.md", "en")


def test_source_symlinked_out_of_the_project_is_refused(project: Path, secret: Path) -> None:
    secret.write_text(MINIMAL_FRONT + SECRET, encoding="utf-8")
    (project / "source" / "b.md").symlink_to(secret)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2, result.output
    assert "source/b.md: error: is outside the project" in result.output


def test_symlink_inside_the_project_still_works(project: Path) -> None:
    common = project / "source" / "common"
    common.mkdir()
    (common / "a.en.md").write_text("English text.\n", encoding="utf-8")
    (project / "source" / "a.en.md").symlink_to(common / "a.en.md")
    doc, _ = load(project / "source" / "a.md", "en")
    assert "English text." in str(doc.body)


def test_fifo_translation_is_refused_without_hanging(project: Path) -> None:
    os.mkfifo(project / "source" / "a.en.md")
    result = run_child("from docgen.cli import main; main(['check'])", project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "source/a.en.md: error: is not a regular file" in result.stdout + result.stderr


def test_fifo_source_given_by_name_is_refused_without_hanging(project: Path) -> None:
    os.mkfifo(project / "source" / "c.md")
    result = run_child("from docgen.cli import main; main(['check', 'source/c.md'])", project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "source/c.md: error: is not a regular file" in result.stdout + result.stderr


def test_device_is_refused_not_read_until_memory_runs_out(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\nfrom docgen.source import read_text\n"
        "try:\n    read_text(Path('/dev/zero'))\nexcept Exception as e:\n    print(e)\n"
    )
    result = run_child(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "/dev/zero: error: is not a regular file" in result.stdout


def test_reading_stops_at_the_limit_whatever_the_size_says(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileRefused, match="the limit is 100"):
        read_regular_file(path, 100)
    assert read_regular_file(path, 101) == b"x" * 101
    with pytest.raises(SourceError, match=r"big\.md: error: file is 101 bytes; the limit is 100"):
        read_text(path, 100)


def test_resolved_path_is_opened_without_following(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_text("x", encoding="utf-8")
    link = tmp_path / "l.md"
    link.symlink_to(target)
    with pytest.raises(FileRefused, match="symbolic link"):
        read_regular_file(link, 10, follow_symlinks=False)
    assert read_regular_file(link, 10) == b"x"


def test_image_problems_carry_their_column(project: Path, secret: Path) -> None:
    body = f"Texte.\n\nVoir ![a](missing.png) et\nla ![b]({secret}) ici.\n"
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + body, encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2, result.output
    assert f"source/a.md:10:9: error: image '{secret}' is outside the project" in result.output
    body = "Texte.\n\nVoir ![a](missing.png) et ![a](missing.png)\n"
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + body, encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2, (
        result.output
    )  # a missing image stops a build (docs/source-format.md)
    assert "source/a.md:9:11: error: image 'missing.png' not found" in result.output
    assert "source/a.md:9:32: error: image 'missing.png' not found" in result.output
