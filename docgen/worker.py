"""Running one render in a child process that can be stopped.

A hostile or unlucky article can make a layout engine run for minutes (pathological tables,
huge images). Each render runs in a forked child with a time limit: past it the child is
killed, its temporary files are removed, and the build fails with a clear error instead of
hanging. Forking keeps the parent's already-imported libraries, so the cost is a few
milliseconds, not a new interpreter.
"""

from __future__ import annotations

import os
import pickle
import select
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import DocgenError, Location, Problem, RenderError


class WorkerCrash(RuntimeError):
    """The render failed for an unexpected reason. ``details`` holds the child's traceback,
    shown only under ``--debug``."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def _child(write_fd: int, fn: Callable[..., Any], args: tuple[Any, ...], scratch: str) -> None:
    """The forked child: run, send the pickled outcome down the pipe, exit at once.

    Its temporary files go to ``scratch``, a folder the parent removes whatever happens:
    the child ends with ``os._exit`` (or is killed), so the layout engine's own cleanup
    (WeasyPrint copies fonts to a temporary folder) never runs."""
    from .engine.executors import die_with_parent, exit_on_sigterm

    tempfile.tempdir = scratch
    os.environ["TMPDIR"] = scratch
    # SIGTERM (from a dying parent, or a stopped build) exits through finally blocks, so
    # the layout engine's own temporary files are removed.
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    die_with_parent(signal.SIGTERM)
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except DocgenError as exc:
        result = ("bad-input", (type(exc).__name__, exc.problems))
    except BaseException as exc:  # noqa: BLE001 - everything must reach the parent
        result = ("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    try:
        data = pickle.dumps(result)
    except Exception as exc:  # noqa: BLE001 - an unpicklable result is a crash too
        data = pickle.dumps(("crash", (f"{type(exc).__name__}: {exc}", "")))
    with os.fdopen(write_fd, "wb") as pipe:
        pipe.write(data)


def run_limited(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    time_limit: float,
    output: Path,
    what: Path,
) -> Any:
    """``fn(*args)`` in a forked child; a time-out error names the source (``what``) and
    the ``output`` being made. Renders write nothing, so a stopped one leaves nothing.

    A plain ``os.fork`` rather than ``multiprocessing``: it works inside daemonic
    processes too (Dask's workers), where ``multiprocessing`` may not start children.
    """
    if not forks(time_limit):
        return fn(*args)
    scratch = tempfile.mkdtemp(prefix="docgen-render-")
    try:
        return _run_forked(fn, args, time_limit, output=output, what=what, scratch=scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def forks(time_limit: float) -> bool:
    """Whether ``run_limited`` runs a render in a forked child: under a time limit, where
    ``os.fork`` exists. The parent then warms the engine first (``engine.executors.warm``)."""
    return time_limit > 0 and hasattr(os, "fork")


def _run_forked(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    time_limit: float,
    *,
    output: Path,
    what: Path,
    scratch: str,
) -> Any:
    """The fork, the wait under the time limit, and the outcome."""
    from .engine.executors import no_warming

    read_fd, write_fd = os.pipe()
    with no_warming():
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is its result
        os.close(read_fd)
        try:
            _child(write_fd, fn, args, scratch)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + time_limit
    try:
        while True:
            remaining = deadline - time.monotonic()
            ready = select.select([read_fd], [], [], max(remaining, 0))[0] if remaining > 0 else []
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise RenderError(
                    Problem(
                        Location(what),
                        f"rendering {output.name} took longer than {time_limit:g} s and was"
                        " stopped; previous outputs are intact",
                    )
                )
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
    _pid, status = os.waitpid(pid, 0)
    if not chunks:
        code = os.waitstatus_to_exitcode(status)
        raise WorkerCrash(f"the render process died (exit code {code})")
    outcome, payload = pickle.loads(b"".join(chunks))
    if outcome == "ok":
        return payload
    if outcome == "bad-input":
        name, problems = payload
        error_type = next((cls for cls in _error_types() if cls.__name__ == name), DocgenError)
        raise error_type(problems)
    message, details = payload
    raise WorkerCrash(message, details)


def _error_types() -> list[type[DocgenError]]:
    found: list[type[DocgenError]] = []
    pending: list[type[DocgenError]] = [DocgenError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found
