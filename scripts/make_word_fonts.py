"""Make templates/fonts/word/: each bundled font cut down to the safe set for Word.

The Word files embed their fonts (docs/report.md, "Fonts"). Subsetting a face at build time
costs about 0.2 s of CPU, so the subsets most documents need — every French and English
document whose characters lie in ``docgen.formats.docx.fonts.SAFE`` — are made once, here,
and shipped. Run ``.venv/bin/python scripts/make_word_fonts.py`` after changing a bundled
font, ``SAFE`` or the subsetting options; ``tests/test_docx_fonts.py`` checks that the
shipped files are what this script makes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.formats.docx.fonts import (  # noqa: E402
    SAFE,
    builtin_faces,
    prepared_path,
    subset_truetype,
)


def prepared() -> dict[Path, bytes]:
    """Each prepared file and the bytes it should hold."""
    return {
        prepared_path(face): subset_truetype(face.path.read_bytes(), SAFE)
        for face in builtin_faces()
    }


def main() -> None:
    for path, data in prepared().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
