"""Running one render in a child process that can be stopped.

A hostile or unlucky article can make a layout engine run for minutes (pathological tables,
huge images). Each render runs in a forked child with a time limit: past it the child is
killed, its temporary files are removed, and the build fails with a clear error instead of
hanging. Forking keeps the parent's already-imported libraries, so the cost is a few
milliseconds, not a new interpreter.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .errors import DocgenError, Location, Problem, RenderError


class WorkerCrash(RuntimeError):
    """The render failed for an unexpected reason. ``details`` holds the child's traceback,
    shown only under ``--debug``."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def _child(connection: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except DocgenError as exc:
        result = ("bad-input", (type(exc).__name__, exc.problems))
    except BaseException as exc:  # noqa: BLE001 - everything must reach the parent
        result = ("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    try:
        connection.send(result)
    finally:
        connection.close()


def run_limited(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    time_limit: float,
    output: Path,
    what: Path,
) -> Any:
    """``fn(*args)`` in a child process; a time-out error names the source (``what``) and
    the ``output`` being made. Renders write nothing, so a stopped one leaves nothing."""
    if time_limit <= 0 or "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(time_limit):
            process.kill()
            process.join()
            raise RenderError(
                Problem(
                    Location(what),
                    f"rendering {output.name} took longer than {time_limit:g} s and was"
                    " stopped; previous outputs are intact",
                )
            )
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join()
            raise WorkerCrash(f"the render process died (exit code {process.exitcode})") from None
    finally:
        receiver.close()
    process.join()
    if status == "ok":
        return payload
    if status == "bad-input":
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
