"""Results stored by the hash of every input: a build with nothing changed renders nothing.

Each entry is a folder ``.docgen/cache/ab/abcdef…/`` holding the output files and a
``result.json`` (names, pages, warnings). Plain files and JSON, never pickles: a cache
folder that someone else filled can at worst hold wrong bytes for its key, never code.
Entries are written to a temporary folder and renamed into place, so a killed build
leaves no half entry; a damaged entry reads as a miss.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import Location, Problem
from ..formats import Output
from .job import JobResult

CACHE_DIR = Path(".docgen") / "cache"


class Cache:
    """The results of earlier jobs, under ``folder`` (``<project>/.docgen/cache``)."""

    def __init__(self, folder: Path, *, read: bool = True) -> None:
        """``read=False`` (``--force``): every job renders, and its result still replaces
        the cached one, so the next build finds it."""
        self.folder = folder
        self.read = read

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> JobResult | None:
        if not self.read:
            return None
        entry = self._entry(key)
        try:
            meta = json.loads((entry / "result.json").read_text(encoding="utf-8"))
            outputs = tuple(
                Output(item["name"], (entry / item["file"]).read_bytes(), item["pages"])
                for item in meta["outputs"]
            )
            warnings = tuple(
                Problem(
                    Location(Path(w["path"]), w["line"], w["column"]), w["message"], w["severity"]
                )
                for w in meta["warnings"]
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return JobResult(outputs, warnings)

    def put(self, key: str, result: JobResult) -> None:
        """Store ``result``; a cache that cannot be written only costs a later render."""
        entry = self._entry(key)
        with contextlib.suppress(OSError):
            if entry.exists():
                shutil.rmtree(entry)  # a forced render replaces what was there
            entry.parent.mkdir(parents=True, exist_ok=True)
            temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
            try:
                outputs = []
                for index, output in enumerate(result.outputs):
                    name = f"{index}.out"
                    (temp / name).write_bytes(output.data)
                    outputs.append({"name": output.name, "file": name, "pages": output.pages})
                warnings = [
                    {
                        "path": str(w.location.path),
                        "line": w.location.line,
                        "column": w.location.column,
                        "message": w.message,
                        "severity": w.severity,
                    }
                    for w in result.warnings
                ]
                meta = {"outputs": outputs, "warnings": warnings}
                (temp / "result.json").write_text(json.dumps(meta), encoding="utf-8")
                os.replace(temp, entry)
            finally:
                shutil.rmtree(temp, ignore_errors=True)

    def clear(self) -> int:
        """Empty the cache; the number of entries removed."""
        count = sum(1 for _ in self.folder.glob("*/*")) if self.folder.is_dir() else 0
        shutil.rmtree(self.folder, ignore_errors=True)
        return count
