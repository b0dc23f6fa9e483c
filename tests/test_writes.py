"""Writing outputs: refusals from the file system are located errors (exit 2), names too
long for it are refused up front, and what a killed build left behind is cleaned up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.output import TEMP_PREFIX

from .conftest import MINIMAL_FRONT


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    (tmp_path / "source").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_article_name_too_long_for_its_files_is_refused(project: Path) -> None:
    name = "a" * 250
    (project / "source" / f"{name}.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    code, out = run("build", "-p", "brief")
    assert code == 2, out
    assert "the article's name is 250 bytes long; at most 200" in out
    assert "internal error" not in out


def test_a_target_the_file_system_refuses_is_a_located_error(project: Path) -> None:
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    (project / "output" / "a" / "brief.fr.pdf").mkdir(parents=True)  # cannot be replaced
    code, out = run("build", "-p", "brief")
    assert code == 2, out
    assert "output/a/brief.fr.pdf: error: cannot write" in out
    assert not list((project / "output" / "a").glob(TEMP_PREFIX + "*"))


def test_temporary_files_of_a_killed_build_are_removed(project: Path) -> None:
    (project / "source" / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    folder = project / "output" / "a"
    folder.mkdir(parents=True)
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    left = folder / f"{TEMP_PREFIX}{dead}-abc.pdf"
    left.write_bytes(b"half")
    ours = folder / f"{TEMP_PREFIX}{os.getpid()}-def.pdf"  # a live writer's: kept
    ours.write_bytes(b"writing")
    assert run("build", "-p", "brief")[0] == 0
    assert not left.exists()
    assert ours.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_article_is_stopped_once_not_once_per_output(project: Path, jobs: str) -> None:
    """The time limit covers the article: after its first time-out, its other outputs
    are not started (and a second article's are still made)."""
    (project / "docgen.toml").write_text("[docgen]\ntime_limit = 0.05\n", encoding="utf-8")
    front = MINIMAL_FRONT.replace(
        "date: 2026-03-14\n", "date: 2026-03-14\nsummary: {fr: R, en: S}\n"
    )
    (project / "source" / "a.md").write_text(front + "Texte.\n" * 200, encoding="utf-8")
    code, out = run("build", "-j", jobs, "--lang", "fr")
    assert code == 2, out
    assert out.count("took longer than 0.05 s") <= int(jobs), out
