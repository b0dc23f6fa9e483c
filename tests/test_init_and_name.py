"""A new user's first steps: init's next steps run as printed, the hint outside a project,
and the distribution's name on PyPI."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.scaffold import GITIGNORE, docgen_command

REPO = Path(__file__).resolve().parent.parent


def test_next_steps_name_the_running_program_when_docgen_is_not_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "venv" / "bin" / "docgen"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(program), "init"])
    monkeypatch.setenv("PATH", str(tmp_path / "elsewhere"))
    assert docgen_command() == str(program)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "pack"])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith(f"&& {program} build")
    monkeypatch.setenv("PATH", str(program.parent))
    assert docgen_command() == "docgen"
    monkeypatch.setattr(sys, "argv", [str(REPO / "docgen" / "__main__.py")])
    assert docgen_command().endswith(" -m docgen")


def test_outside_a_project_the_hint_names_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "no source folder" in result.output and "docgen init" in result.output
    assert "docgen.toml" in result.output


def test_exports_folder_is_ignored_by_git_in_a_new_project() -> None:
    assert "/translations/" in GITIGNORE.splitlines()


def test_the_distribution_has_a_name_of_its_own() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "docgen-briefing"  # `docgen` on PyPI is another package
    assert project["scripts"]["docgen"].startswith("docgen.")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install 'docgen-briefing[dask]'" in readme
