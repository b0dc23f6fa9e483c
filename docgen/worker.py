"""Running renders in a child process that can be stopped.

A hostile or unlucky article can make a layout engine run for minutes (pathological tables,
huge images). Each render runs in a forked child under a time limit: past it the child is
killed, its temporary files are removed, and the build fails with a clear error instead of
hanging. Forking keeps the parent's already-imported libraries: no new interpreter.

Within a build, the child is kept and reused (``render_session``): the layout engine sets up
fonts, hyphenation dictionaries and the font subsetter on its first render, and a child
thrown away after each render paid for that, plus copying its parent's memory page by page,
every time — about 0.12 s of CPU per render on the seed, half a pack's overhead over
WeasyPrint alone. A child that overruns its time limit or crashes is killed and replaced; a
child serves at most ``MAX_RENDERS`` renders, so its memory stays bounded. Outside a
session (a Dask job, a direct ``api.render``), a child serves one render and exits.

A ``-j 1`` build runs every job in one session: its process never imports the engines
(jobs hand the child ``formats.render_with``), the child imports them on its first render
and freezes them for the cycle collector. A pool's workers, forked from a coordinator that
warmed the engines, each keep a session of their own.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import shutil
import signal
import struct
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import DocgenError, Location, Problem, RenderError
from .processes import die_with_parent, exit_on_sigterm, no_warming, stop_signals_deferred

MAX_RENDERS = 64
"""Renders one child serves before it is replaced: caches warm, memory bounded."""

_HEADER = struct.Struct(">Q")
"""Each message, either way, is its length then its pickled bytes."""


class WorkerCrash(RuntimeError):
    """The render failed for an unexpected reason. ``details`` holds the child's traceback,
    shown only under ``--debug``."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class _TimedOut(Exception):
    pass


class _Died(Exception):
    pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    """``size`` bytes from ``fd``; ``_TimedOut`` past ``deadline``, ``_Died`` at EOF."""
    chunks: list[bytes] = []
    while size:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise _TimedOut
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise _Died
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_message(fd: int, deadline: float | None = None) -> bytes:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    return _read_exactly(fd, size, deadline)


_in_render_child = False


def in_render_child() -> bool:
    """Whether this process is a render child (``_serve``), which lives only to render."""
    return _in_render_child


def _serve(
    requests: int,
    replies: int,
    scratch: str,
    first: tuple[Callable[..., Any], tuple[Any, ...]] | None,
) -> None:
    """The child: run each render sent down ``requests``, send back its pickled outcome,
    until the parent closes the pipe (or a signal ends the child). With ``first`` (a render
    that cannot be pickled, inherited through the fork instead), run that one and leave.

    Its temporary files go to ``scratch``: the layout engine's own cleanup (WeasyPrint
    copies fonts to a temporary folder) does not run when a child is killed, so the folder
    is removed as a whole, by the child as it leaves or by the parent after a kill."""
    global _in_render_child  # noqa: PLW0603 - this process is a render child from now on
    _in_render_child = True
    tempfile.tempdir = scratch
    os.environ["TMPDIR"] = scratch
    # Ctrl-C reaches the whole process group: the parent decides, and stops this child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SIGTERM (from a dying parent, or a stopped build) exits through finally blocks.
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    die_with_parent(signal.SIGTERM)
    try:
        while True:
            if first is not None:
                fn, args = first
            else:
                try:
                    fn, args = pickle.loads(_read_message(requests))
                except _Died:
                    return
            _write_all(replies, _outcome(fn, args))
            if first is not None:
                return
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> bytes:
    """``fn(*args)``'s outcome, pickled: ``("ok", result)``, ``("bad-input", (error type,
    problems))`` or ``("crash", (message, traceback))``."""
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except DocgenError as exc:
        result = ("bad-input", (type(exc).__name__, exc.problems))
    except Exception as exc:  # noqa: BLE001 - everything must reach the parent
        result = ("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    try:
        return pickle.dumps(result)
    except Exception as exc:  # noqa: BLE001 - an unpicklable result is a crash too
        return pickle.dumps(("crash", (f"{type(exc).__name__}: {exc}", "")))


class _Child:
    """One forked render process and its two pipes, owned by the process that forked it."""

    def __init__(self, first: tuple[Callable[..., Any], tuple[Any, ...]] | None = None) -> None:
        self.renders = 0
        self.owner = os.getpid()
        self.closed = False
        self.scratch = ""
        self.pid = -1
        fds: list[int] = []
        try:
            # A stop signal during the setup is acted on once the child is whole (then it is
            # closed below, as a registered child), never between a scratch folder made and
            # a child forked to own it.
            # And the whole setup holds the fork lock (``no_warming``), not the fork alone:
            # no other thread forks while this child's pipes are open but not yet
            # registered, or its child would keep this one's input open, and this one would
            # never see the end of it (``_after_fork`` closes the registered children's).
            with stop_signals_deferred(), no_warming():
                self.scratch = tempfile.mkdtemp(prefix="docgen-render-")
                requests_r, requests_w = os.pipe()
                fds += (requests_r, requests_w)
                replies_r, replies_w = os.pipe()
                fds += (replies_r, replies_w)
                self.pid = self._fork()
                if self.pid == 0:  # pragma: no cover - the child's coverage is its results
                    try:
                        os.close(requests_w)
                        os.close(replies_r)
                        _serve(requests_r, replies_w, self.scratch, first)
                    finally:
                        os._exit(0)
                os.close(requests_r)
                os.close(replies_w)
                self.requests, self.replies = requests_w, replies_r
                _children.add(self)
        except BaseException:  # no process to be had, or stopped: nothing may stay behind
            if self.pid == 0:  # pragma: no cover - the child never runs its parent's code
                os._exit(1)
            if self in _children:
                self.close(kill=True)
            else:
                for fd in fds:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                if self.scratch:
                    shutil.rmtree(self.scratch, ignore_errors=True)
            raise

    @staticmethod
    def _fork() -> int:
        """``os.fork``, with the parent's objects moved out of the collector's reach for
        the fork: the child's collections then never write to the parent's objects, which
        would copy their memory pages. A process that froze what it inherited (a pool
        worker) keeps it frozen."""
        thaw = gc.get_freeze_count() == 0
        gc.freeze()
        pid = -1
        try:
            pid = os.fork()
        finally:
            if pid != 0 and thaw:
                gc.unfreeze()
        return pid

    def call(self, request: bytes | None, time_limit: float) -> Any:
        """The child's outcome for the pickled ``(fn, args)`` of ``request`` (``None``: the
        render it was forked with): ``(kind, payload)``."""
        self.renders += 1
        if request is not None:
            try:
                _write_all(self.requests, request)
            except BrokenPipeError:
                raise _Died from None
        return pickle.loads(_read_message(self.replies, time.monotonic() + time_limit))

    def close(self, kill: bool = False) -> None:
        """Stop the child: end of input (it leaves by itself), or SIGKILL; then reap it and
        remove its scratch folder."""
        if self.closed:  # once only: its pid and fd numbers may belong to others by now
            return
        self.closed = True
        _children.discard(self)
        if self.owner != os.getpid():  # inherited through a fork: the parent's to close
            _forget(self)
            return
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        _forget(self)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        shutil.rmtree(self.scratch, ignore_errors=True)


_children: set[_Child] = set()
"""Every live child this process forked, for ``_after_fork``."""


def _forget(child: _Child) -> None:
    for fd in (child.requests, child.replies):
        with contextlib.suppress(OSError):
            os.close(fd)


class _Session:
    """Idle children ready for the next render; one per caller thread at a time."""

    def __init__(self) -> None:
        self.idle: list[_Child] = []
        self.lock = threading.Lock()

    def take(self) -> _Child:
        with self.lock:
            while self.idle:
                child = self.idle.pop()
                if child.owner == os.getpid():
                    return child
        return _Child()

    def give_back(self, child: _Child) -> None:
        if child.renders >= MAX_RENDERS:
            child.close()
            return
        with self.lock:
            self.idle.append(child)

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for child in idle:
            child.close()


_session: _Session | None = None


@contextlib.contextmanager
def render_session() -> Iterator[None]:
    """Renders inside share warm children (see the module's docstring); on exit, every
    idle child is stopped and its scratch folder removed."""
    global _session  # noqa: PLW0603 - one session per process, by design
    if _session is not None:  # nested: the outer session keeps its children
        yield
        return
    _session = _Session()
    try:
        yield
    finally:
        session, _session = _session, None
        session.close()


def in_session() -> bool:
    """Whether renders here reuse warm children (inside ``render_session``)."""
    return _session is not None


def open_process_session() -> None:
    """A session for the rest of this process's life (a pool worker's): its children are
    stopped when it exits, or, if it is killed, by their parent-death signal."""
    global _session  # noqa: PLW0603 - one session per process, by design
    if _session is None:
        _session = _Session()


def close_process_session() -> None:
    """Stop the children of ``open_process_session`` (a pool worker's exit)."""
    global _session
    session, _session = _session, None
    if session is not None:
        session.close()


def _after_fork() -> None:
    """In a forked child (a pool worker, a render child): the parent's children and session
    are the parent's. Their pipes are closed here, so that a child sees the end of its
    input when its own parent closes it, not when every inheritor has."""
    global _session  # noqa: PLW0603
    _session = None
    for child in list(_children):
        _forget(child)
    _children.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


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
    ``fn`` and ``args`` are pickled to a session's child; what cannot be pickled (a local
    function) gets a child of its own, forked with it.
    """
    if not forks(time_limit):
        return fn(*args)
    try:
        request: bytes | None = pickle.dumps((fn, args))
    except Exception:  # noqa: BLE001 - a local function (a test's stand-in): inherited instead
        request = None
    session = _session if request is not None else None
    child = session.take() if session is not None else _Child(None if request else (fn, args))
    try:
        try:
            outcome, payload = child.call(request, time_limit)
        except _Died:
            if child.renders > 1:  # an idle child that died (its thread's end): once more
                child.close(kill=True)
                child = _Child()
                outcome, payload = child.call(request, time_limit)
            else:
                raise
    except _TimedOut:
        child.close(kill=True)
        raise RenderError(
            Problem(
                Location(what),
                f"rendering {output.name} took longer than {time_limit:g} s and was"
                " stopped; previous outputs are intact",
            )
        ) from None
    except _Died:
        child.close(kill=True)
        raise WorkerCrash("the render process died") from None
    except BaseException:  # Ctrl-C, SIGTERM: the render is abandoned with the build
        child.close(kill=True)
        raise
    if outcome == "crash" or session is None:
        child.close(kill=outcome == "crash")
    else:
        session.give_back(child)
    if outcome == "ok":
        return payload
    if outcome == "bad-input":
        name, problems = payload
        error_type = next((cls for cls in _error_types() if cls.__name__ == name), DocgenError)
        raise error_type(problems)
    message, details = payload
    raise WorkerCrash(message, details)


def forks(time_limit: float) -> bool:
    """Whether ``run_limited`` runs a render in a forked child: under a time limit, where
    ``os.fork`` exists."""
    return time_limit > 0 and hasattr(os, "fork")


def _error_types() -> list[type[DocgenError]]:
    found: list[type[DocgenError]] = []
    pending: list[type[DocgenError]] = [DocgenError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found
