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


STOPPED_DURING_SETUP = """
import os, signal, sys
from docgen import worker
from docgen.processes import exit_on_sigterm

signal.signal(signal.SIGTERM, exit_on_sigterm)  # as in a pool worker; Ctrl-C as Python's
real_pipe = os.pipe
def pipe_then_stopped():
    os.kill(os.getpid(), signal.STOP)  # the build is stopped while the child is set up
    return real_pipe()
os.pipe = pipe_then_stopped
try:
    worker._Child()
except (SystemExit, KeyboardInterrupt) as exc:
    os.pipe = real_pipe
    print("stopped", type(exc).__name__, len(worker._children))
    sys.exit(0)
print("not stopped")
"""


@pytest.mark.parametrize(
    ("stop", "raised"), [("SIGTERM", "SystemExit"), ("SIGINT", "KeyboardInterrupt")]
)
def test_a_stop_during_a_child_setup_leaves_no_folder_and_no_process(
    tmp_path: Path, stop: str, raised: str
) -> None:
    """A SIGTERM (or Ctrl-C) arriving between the child's scratch folder and its fork is
    acted on once the child is whole, and the child is then stopped and its folder removed:
    a stopped build used to leave ``docgen-render-*`` behind now and then."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", STOPPED_DURING_SETUP.replace("signal.STOP", f"signal.{stop}")],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["stopped", raised, "0"]
    assert list(tmp_path.iterdir()) == []


SIBLINGS = """
import os, threading, time
from docgen import worker

real_pipe = os.pipe
made = threading.Event()
pipes_of_a = []

def pipe():
    fds = real_pipe()
    if threading.current_thread().name == "A":
        pipes_of_a.append(fds)
        if len(pipes_of_a) == 2:  # both of A's pipes open, A not yet forked nor registered
            made.set()
            time.sleep(0.5)  # B sets up its own child meanwhile
    return fds

os.pipe = pipe
children = {}

def make(name):
    if name == "B":
        made.wait()
    children[name] = worker._Child()

threads = [threading.Thread(target=make, args=(n,), name=n) for n in ("A", "B")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
os.pipe = real_pipe
closing = threading.Thread(target=children["A"].close)  # end of input: A leaves by itself
closing.start()
closing.join(10)
print("A left" if not closing.is_alive() else "A kept waiting")
children["B"].close(kill=True)
closing.join()
"""


def test_a_sibling_child_never_holds_another_childs_input_open() -> None:
    """Two threads of one process (a Dask worker's) set up render children at once: the
    second child is forked only once the first is registered, so it never inherits the
    first one's input, and the first sees the end of its input when its parent closes it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", SIBLINGS], check=True, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "A left", done.stdout + done.stderr
