"""Process plumbing shared by the build's executors and the render children: a process
that dies with its parent, SIGTERM as a clean exit, and the lock no fork may cross.

Its own module so that ``worker`` (render children) and ``engine.executors`` (pools) both
use it without importing each other.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
from collections.abc import Iterator
from typing import Any

WARMING = threading.Lock()
"""Held while a backend warms up (``engine.executors.warm``) and around every render
child's setup, its fork included (``no_warming``)."""


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies, so that a killed
    build never leaves a render running (and writing) on its own. Elsewhere: nothing."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, sig)


def exit_on_sigterm(_signum: int, _frame: object) -> None:
    """A SIGTERM handler: leave through ``finally`` blocks, as Ctrl-C does.

    Every SIGTERM raises again: a pool worker sends a job's ``SystemExit`` back as its
    result and lives on (``concurrent.futures``), and may then block on a queue lock held
    by a worker that died; only the pool's next SIGTERM gets it out. (Ignoring the
    signals after the first hung the crash test that way.)"""
    raise SystemExit(143)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def stop_signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back for the block and acted on at its end, with the
    handlers that were in place: a step that must be whole or undone whole (a render
    child's scratch folder, pipes and fork) is never cut in two by a stopped build.

    Python runs signal handlers in the main thread only, and only it may set them: in any
    other thread (a Dask worker's) the block is not protected."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        pending.append(signum)

    previous: dict[signal.Signals, Any] = {}
    try:
        for stop in STOP_SIGNALS:
            previous[stop] = signal.signal(stop, hold)
        yield
    finally:
        try:
            for stop, handler in previous.items():
                # None: a handler not set from Python; the default stands in for it
                signal.signal(stop, signal.SIG_DFL if handler is None else handler)
        finally:
            for signum in dict.fromkeys(pending):
                signal.raise_signal(signum)


@contextlib.contextmanager
def no_warming() -> Iterator[None]:
    """Held around a render child's setup, its fork included: in a process with several
    threads (a Dask worker), no thread forks while another is warming, since the child
    would inherit the layout engine's locks held and wait on them until its time limit,
    nor while another sets up a child of its own (``worker._Child``)."""
    with WARMING:
        yield
