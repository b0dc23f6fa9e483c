"""Where jobs run: in this process, in a local process pool (``-j N``), or on a Dask
cluster (``--scheduler tcp://HOST:PORT``).

The seam is ``concurrent.futures.Executor``: a process pool locally, and
``distributed.Client.get_executor()`` for a cluster. docgen writes no scheduler of its
own. Jobs carry their inputs as bytes and return bytes, so a remote worker needs docgen
installed and nothing else — no shared folder.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

from ..errors import ConfigError
from ..processes import WARMING, die_with_parent, exit_on_sigterm

_warmed: set[str] = set()


def warm(formats: Iterable[str]) -> None:
    """Import each format's backend and run its ``warm()`` hook if it has one, once per
    process: renders are forked from this process (``worker.py``), so what is warmed here
    — WeasyPrint's C bindings, fonts, dictionaries — every render inherits instead of
    setting it up again and throwing it away when its child exits."""
    from ..formats import get

    with WARMING:
        for name in formats:
            if name in _warmed:
                continue
            _warmed.add(name)
            hook = getattr(importlib.import_module(get(name).module), "warm", None)
            if callable(hook):
                hook()


def _warm_worker(formats: tuple[str, ...] = ()) -> None:
    """A pool worker: ignores Ctrl-C (the coordinator stops it), and on SIGTERM — sent by
    the coordinator, or by Linux when the build dies — exits through its ``finally``
    blocks, so its job's temporary folder is removed. Its backends are warm: inherited
    from the coordinator (a fork), else warmed here; its render child is kept for the rest
    of its life (``worker.open_process_session``) and stopped as it exits."""
    from multiprocessing import util

    from ..worker import close_process_session, open_process_session

    # What the worker inherited is the coordinator's, locks held by its other threads
    # included: frozen, the collector never runs a finalizer of it here (nor copies its
    # memory pages by touching it).
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    die_with_parent(signal.SIGTERM)
    warm(formats)
    open_process_session()
    util.Finalize(None, close_process_session, exitpriority=10)


class InlineExecutor(Executor):
    """Runs each job at once, in this process: ``-j 1``, and the cache-only path."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextlib.contextmanager
def executor_for(
    jobs: int, scheduler: str | None = None, formats: tuple[str, ...] = ()
) -> Iterator[Executor]:
    """The executor for a build; on exit (Ctrl-C included) every worker is stopped.

    ``formats`` are the formats the jobs will render: a local pool's workers are forked
    from this process after it warmed their backends once (``warm``), rather than each
    warming its own, and each keeps its render children warm for the build
    (``worker.render_session``), as the inline executor does. Dask jobs warm in
    ``run_job``, before forking a render."""
    if scheduler:
        yield from _dask(scheduler)
        return
    from ..worker import render_session

    if jobs <= 1:
        with render_session():
            yield InlineExecutor()
        return
    # Imported for a pool only: multiprocessing and the pool's module cost a -j 1 build
    # about 12 ms of CPU it has no use for.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    warm(formats)
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_warm_worker,
        initargs=(formats,),
    )
    try:
        yield pool
    except BaseException:
        processes = list(getattr(pool, "_processes", {}).values())
        for process in processes:
            with contextlib.suppress(OSError):
                process.terminate()
        for process in processes:
            process.join(5)
        for process in processes:
            # Still there after SIGTERM and 5 s: a worker blocked for good, typically on
            # the result queue's lock, which a peer stopped mid-send left taken; the pool's
            # manager (and so ``shutdown``) would wait for it forever. Killed, it is seen
            # as gone, and its render child follows it (parent-death signal).
            if process.is_alive():
                with contextlib.suppress(OSError):
                    process.kill()
                process.join(5)
        # Waited for: the pool's manager thread holds the pool's locks while it cleans up,
        # and a pool forked meanwhile (the next build) would copy them held; its workers
        # would then wait forever on them, in a weakref callback run by the collector.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _dask(address: str) -> Iterator[Executor]:
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError.at(
            _where(), "--scheduler needs Dask: pip install 'docgen-briefing[dask]'"
        ) from None
    try:
        client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise ConfigError.at(
            _where(), f"cannot reach the Dask scheduler {address}: {exc}"
        ) from None
    try:
        yield client.get_executor(pure=False)  # type: ignore[no-untyped-call]
    finally:
        client.close()  # type: ignore[no-untyped-call]


def _where() -> Any:
    from pathlib import Path

    return Path("--scheduler")
