"""Renders in forked children (``docgen.worker``): one warm child per build, replaced after
a time-out or a crash, nothing left behind. The children are real processes."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from docgen.errors import RenderError
from docgen.worker import WorkerCrash, render_session, run_limited

OUTPUT, SOURCE = Path("brief.fr.pdf"), Path("a.md")


def _pid(_tag: int) -> int:
    return os.getpid()


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _boom() -> None:
    raise RuntimeError("boom")


def gone(pid: int) -> bool:
    """Whether ``pid`` has exited and been reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_session_renders_in_one_child_then_stops_it() -> None:
    with render_session():
        pids = {run_limited(_pid, (i,), 30, OUTPUT, SOURCE) for i in range(3)}
    assert len(pids) == 1 and os.getpid() not in pids
    assert gone(pids.pop())


def test_outside_a_session_each_render_has_a_child_of_its_own() -> None:
    pids = [run_limited(_pid, (i,), 30, OUTPUT, SOURCE) for i in range(2)]
    assert len(set(pids)) == 2 and all(gone(pid) for pid in pids)


def test_a_child_past_its_time_limit_is_killed_and_replaced() -> None:
    with render_session():
        first = run_limited(_pid, (0,), 30, OUTPUT, SOURCE)
        with pytest.raises(RenderError, match=r"rendering brief\.fr\.pdf took longer than 0\.2 s"):
            run_limited(_sleep, (30,), 0.2, OUTPUT, SOURCE)
        assert gone(first)
        assert run_limited(_pid, (1,), 30, OUTPUT, SOURCE) != first


def test_a_crash_is_reported_and_the_next_render_gets_a_fresh_child() -> None:
    with render_session():
        first = run_limited(_pid, (0,), 30, OUTPUT, SOURCE)
        with pytest.raises(WorkerCrash, match="RuntimeError: boom"):
            run_limited(_boom, (), 30, OUTPUT, SOURCE)
        assert run_limited(_pid, (1,), 30, OUTPUT, SOURCE) != first


def test_a_render_that_cannot_be_pickled_runs_in_a_child_forked_with_it() -> None:
    offset = 41
    with render_session():
        assert run_limited(lambda n: n + offset, (1,), 30, OUTPUT, SOURCE) == 42


def test_children_leave_no_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with render_session():
        run_limited(_pid, (0,), 30, OUTPUT, SOURCE)
        with pytest.raises(RenderError):
            run_limited(_sleep, (30,), 0.2, OUTPUT, SOURCE)
        run_limited(_pid, (1,), 30, OUTPUT, SOURCE)
    assert list(tmp_path.iterdir()) == []
