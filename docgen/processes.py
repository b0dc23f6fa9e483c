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

WARMING = threading.Lock()
"""Held while a backend warms up (``engine.executors.warm``) and around every fork."""


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies, so that a killed
    build never leaves a render running (and writing) on its own. Elsewhere: nothing."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, sig)


def exit_on_sigterm(_signum: int, _frame: object) -> None:
    """A SIGTERM handler: leave through ``finally`` blocks, as Ctrl-C does."""
    raise SystemExit(143)


@contextlib.contextmanager
def no_warming() -> Iterator[None]:
    """Held around a render's fork: in a process with several threads (a Dask worker),
    no thread forks while another is warming, since the child would inherit the layout
    engine's locks held and wait on them until its time limit."""
    with WARMING:
        yield
