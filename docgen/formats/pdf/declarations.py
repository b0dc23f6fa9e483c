"""WeasyPrint's C declarations, parsed once per installation instead of at every import.

``import weasyprint`` hands cffi about 16 kB of C declarations for Pango, HarfBuzz,
fontconfig and GObject (``weasyprint/text/ffi.py``), and cffi parses them with pycparser, a
C parser written in Python: importing pycparser, parsing, then building each function's
type on its first call cost about 0.1 s of CPU in every process that renders a PDF, a
tenth of a cold ``docgen build`` (measured: ``bench/bench_cold.py``).

cffi has a documented way out, its "out-of-line ABI mode": ``emit_python_code`` writes the
parsed declarations as one constructor call of ``_cffi_backend.FFI`` whose arguments are
byte strings and tuples, which loads with no parsing at all. This module makes that file
the first time WeasyPrint is imported, from the very declarations WeasyPrint passed, and
hands the result to WeasyPrint's ``cffi.FFI()`` at every later import:

- the file lives in the user's cache folder (``user_cache``), named by a digest of
  WeasyPrint's declarations module, of cffi's version and of Python's: a new WeasyPrint,
  cffi or Python makes a new file, as a new Python makes new bytecode. It derives from
  installed code only, never from a project or an article, and changes no output (a test
  compares the PDFs made with and without it);
- it is read, not run: its one call is checked for shape and its arguments are read with
  ``ast.literal_eval``. Its content is trusted as Python trusts the bytecode beside its
  modules: the folder is the user's own;
- the loaded object's name carries a digest of the declarations it holds, and its ``cdef``
  refuses any other text (``Mismatch``): the file is removed and WeasyPrint imported
  again, its declarations parsed and kept anew (``libraries.import_weasyprint``);
- only ``weasyprint.text.ffi``'s own ``cffi.FFI()`` is answered, only while WeasyPrint is
  imported (``compiled``); a folder that cannot be written only means no file.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import importlib.util
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ... import user_cache

MODULE = "weasyprint.text.ffi"
"""The module whose ``cffi.FFI()`` is answered."""

_PREFIX = "_docgen_weasyprint_"


class Mismatch(ImportError):
    """WeasyPrint declared something other than what the file holds."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def entry_path() -> Path | None:
    """The file for the installed WeasyPrint, cffi and Python (``None`` if WeasyPrint's
    declarations module or a cache folder cannot be found)."""
    import cffi

    folder = user_cache.folder()
    if folder is None:
        return None

    spec = importlib.util.find_spec("weasyprint")  # finds, does not import, the package
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        return None
    try:
        code = (Path(folders[0]) / "text" / "ffi.py").read_bytes()
    except OSError:
        return None
    key = hashlib.sha256(code)
    key.update(f"\0cffi {cffi.__version__}\0{sys.implementation.cache_tag}".encode())
    return folder / f"weasyprint-ffi-{key.hexdigest()[:32]}.py"


def read_entry(path: Path) -> Any | None:
    """The ``_cffi_backend.FFI`` the file at ``path`` describes, or ``None`` when it is
    missing or not exactly the one call ``emit_python_code`` writes."""
    data = user_cache.read(path)
    if data is None:
        return None
    try:
        tree = ast.parse(data.decode("utf-8"))
    except (ValueError, SyntaxError):
        return None
    match tree.body:
        case [
            ast.Import(names=[ast.alias(name="_cffi_backend", asname=None)]),
            ast.Assign(
                targets=[ast.Name(id="ffi")],
                value=ast.Call(
                    func=ast.Attribute(value=ast.Name(id="_cffi_backend"), attr="FFI"),
                    args=[ast.Constant(value=str(name))],
                    keywords=keywords,
                ),
            ),
        ] if name.startswith(_PREFIX) and all(k.arg for k in keywords):
            try:
                arguments = {str(k.arg): ast.literal_eval(k.value) for k in keywords}
                ffi = _compiled_class()(name, **arguments)
            except Exception:  # noqa: BLE001 - a damaged file only means parsing again
                return None
            ffi.declared = name
            return ffi
    return None


@functools.cache
def _compiled_class() -> type:
    """A ``_cffi_backend.FFI`` whose ``cdef`` accepts only the declarations it holds (the
    digest in its name): WeasyPrint calls ``cdef`` on what ``cffi.FFI()`` returned."""
    import _cffi_backend  # cffi's own C module

    class CompiledFFI(_cffi_backend.FFI):  # type: ignore[misc]
        declared = ""
        """The module name the file gave: the prefix and the declarations' digest."""

        def cdef(self, csource: str, override: bool = False, **options: object) -> None:
            if override or options or _PREFIX + _digest(csource) != self.declared:
                raise Mismatch("WeasyPrint's C declarations differ from the parsed ones")

        def dlopen(self, name: Any, flags: int = 0) -> Any:
            """A library as ``cffi.FFI.dlopen`` finds it (``cffi.api._load_backend_lib``):
            a name holding a dot or a slash is tried as given first, then every name is
            looked up with ``ctypes.util.find_library`` (Homebrew's folders, for one, are
            known to it and not to the dynamic loader)."""
            first: OSError | None = None
            if not isinstance(name, str) or "." in name or "/" in name or os.sep in name:
                try:
                    return super().dlopen(name, flags)
                except OSError as exc:
                    if not isinstance(name, str):
                        raise
                    first = exc
            import ctypes.util

            path = ctypes.util.find_library(name)
            if path is None:
                found = f"ctypes.util.find_library() did not manage to locate {name!r}"
                raise OSError(f"{first}.  Additionally, {found}" if first else found)
            return super().dlopen(path, flags)

    return CompiledFFI


@contextlib.contextmanager
def compiled() -> Iterator[None]:
    """Within the block, ``weasyprint.text.ffi``'s ``cffi.FFI()`` returns the parsed
    declarations if the file exists, else a recording ``cffi.FFI`` whose declarations are
    written to the file once the block ends without error."""
    import cffi

    path = entry_path()
    if path is None:
        yield
        return
    loaded = read_entry(path)
    recorded: list[str | None] = []
    real = cffi.FFI

    class Recording(real):  # type: ignore[misc, valid-type]
        def cdef(self, csource: str, *args: Any, **kwargs: Any) -> None:
            recorded.append(None if args or kwargs else csource)
            super().cdef(csource, *args, **kwargs)

    class Answering(real):  # type: ignore[misc, valid-type]
        """``cffi.FFI`` while WeasyPrint imports: a class still, so that another thread's
        subclass or ``isinstance`` meanwhile raises no error (though ``isinstance`` of a
        plain FFI then answers no); only ``weasyprint.text.ffi``'s own call gets the
        kept declarations, or the recording FFI."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if cls is not Answering:
                return super().__new__(cls)
            if args or kwargs or sys._getframe(1).f_globals.get("__name__") != MODULE:
                return real(*args, **kwargs)
            return loaded if loaded is not None else Recording()

    cffi.FFI = Answering
    try:
        yield
    except Mismatch:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    finally:
        cffi.FFI = real
    if loaded is None and len(recorded) == 1 and recorded[0] is not None:
        # Declarations cffi accepts but cannot write out (``#define X ...``): no file.
        with contextlib.suppress(Exception):
            _write(path, recorded[0])


def _write(path: Path, csource: str) -> None:
    """``csource`` parsed by cffi and written as cffi's out-of-line ABI module (what
    ``emit_python_code`` writes, without its console message) into ``path``. A second
    parse, once per installation: WeasyPrint's own FFI object stays untouched."""
    import cffi
    from cffi import recompiler

    builder = cffi.FFI()
    builder.cdef(csource)
    text = io.StringIO()
    recompiler.make_py_source(builder, _PREFIX + _digest(csource), text, verbose=False)
    if user_cache.write(path, text.getvalue().encode("utf-8")):
        user_cache.prune("weasyprint-ffi-", path)  # an older WeasyPrint's, cffi's, Python's
