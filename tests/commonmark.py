"""The CommonMark specification's examples, read from the copy in tests/data (tests only)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

# CC-BY-SA 4.0, John MacFarlane: see tests/data/LICENSE-commonmark-spec.txt.
SPEC = Path(__file__).resolve().parent / "data" / "commonmark-spec.txt"
_FENCE = "`" * 32


@dataclass(frozen=True)
class Example:
    number: int
    markdown: str
    html: str
    line: int

    def words(self) -> list[str]:
        """The words a reader sees in the reference HTML (tags dropped, entities decoded).

        The tags of a relative link go without a space: docgen removes such links, and the
        text of two adjacent ones (``[foo][bar][baz]``) reads as one word, as it did."""
        text = re.sub(_RELATIVE_LINK, r"\1", self.html)
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
        return re.findall(r"\w+", text)


_RELATIVE_LINK = re.compile(r'<a href="(?!https?:|mailto:|tel:|#)[^"]*"[^>]*>(.*?)</a>', re.DOTALL)


def examples() -> list[Example]:
    found: list[Example] = []
    lines = SPEC.read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines):
        if lines[index].startswith(_FENCE + " example"):
            start = index
            index += 1
            markdown: list[str] = []
            while lines[index] != ".":
                markdown.append(lines[index])
                index += 1
            index += 1
            expected: list[str] = []
            while not lines[index].startswith(_FENCE):
                expected.append(lines[index])
                index += 1
            found.append(
                Example(
                    len(found) + 1,
                    "\n".join(markdown).replace("→", "\t") + "\n",
                    "\n".join(expected).replace("→", "\t"),
                    start + 1,
                )
            )
        index += 1
    return found
