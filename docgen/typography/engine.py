"""The rule engine: a stream of text pieces, edits proposed by rules, applied where allowed.

A rule reads the whole stream of one paragraph as a single string and proposes edits
(``Edit``); the engine drops those that would change a protected span (``Protected``) or
a piece that is not text (code, images…), and spreads the others over the pieces.

Cost: everything here is linear (or n log n) in the length of the stream. A rule's regex
runs once per pass; edits are located by binary search over the pieces and applied by
joining slices, never by rebuilding a string per edit; passes stop as soon as every rule
has seen the current text without changing it, and there are at most ``MAX_PASSES``.

The protected spans are found once per state of the text, when a rule first needs them,
and not again until a rule has changed the text. They cannot be found once per stream and
kept: an edit can change what is protected. In "https://x.fr/!..." the "!" ends the URL
(sentence punctuation), but once "..." becomes "…" the URL runs to the "…" and the "!" is
part of it; keeping the first spans would put a space before that "!".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .protected import Protected

__all__ = [
    "ATOM",
    "MAX_PASSES",
    "NBSP",
    "NNBSP",
    "SP",
    "Edit",
    "Piece",
    "Rule",
    "regex_rule",
    "run_rules",
]

NBSP = "\u00a0"
"""No-break space: before a French colon, between a number and its unit."""

NNBSP = "\u202f"
"""Narrow no-break space: before French ; ! ?, inside « », between groups of digits."""

ATOM = "\ufffc"
"""Stands in the text stream for a node the rules must see but never edit (code, image…)."""

SP = r"[ \t\n\u00a0\u202f\u2009]"
"""Characters a spacing rule may replace: space, tab, soft line break, NBSP, NNBSP, thin."""

MAX_PASSES = 5
"""Safety bound on the passes of ``run_rules``; real text settles after the first."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``new``.

    ``right`` says where an insertion (``start == end``) goes when it falls between two
    nodes: into the node that follows (True) or the one before. A space before "?" belongs
    with the "?", a space after "«" with the "«".
    """

    start: int
    end: int
    new: str
    right: bool = True


Rule = Callable[[str, Protected], list[Edit]]
"""A rule: the edits it wants in a text, given the text's protected spans."""


def regex_rule(
    pattern: re.Pattern[str],
    new: str,
    group: int | str = 0,
    *,
    right: bool = True,
    needs: tuple[str, ...] = (),
) -> Rule:
    """A rule replacing ``group`` of every match of ``pattern`` by ``new``.

    ``needs``: strings one of which every match contains; a text holding none of them is
    not scanned (a shortcut, it changes no result).
    """

    def rule(text: str, protected: Protected) -> list[Edit]:
        if needs and not any(needed in text for needed in needs):
            return []
        return [Edit(m.start(group), m.end(group), new, right) for m in pattern.finditer(text)]

    return rule


@dataclass(frozen=True)
class Piece:
    """One run of the stream: a Text node's text (editable) or an opaque stand-in."""

    text: str
    editable: bool


def run_rules(pieces: Sequence[Piece], rules: Sequence[Rule]) -> list[str]:
    """The pieces' texts once every rule holds, each rule seeing the whole stream at once.

    One pass is almost always enough, but rules can wake each other up (a quote turned
    into « changes what its straight neighbour looks like), so passes repeat until nothing
    changes: the result is then a fixed point, which is what makes ``apply`` idempotent.

    The check ends as soon as every rule has run once on the current text without changing
    it, mid-pass if need be: a rule that changed nothing would change nothing again on the
    same text, so the rest of that pass could only confirm it. Each pass is linear in the
    length of the stream and there are at most ``MAX_PASSES``.
    """
    texts = [piece.text for piece in pieces]
    editable = [piece.editable for piece in pieces]
    joined = "".join(texts)
    protected = Protected(joined)
    quiet = 0  # rules run in a row on the current text, each changing nothing
    for _ in range(MAX_PASSES):
        before = texts
        for rule in rules:
            if quiet == len(rules):
                return texts
            edits = rule(joined, protected)
            fixed = _apply_edits(texts, editable, joined, edits, protected) if edits else texts
            if fixed is texts:
                quiet += 1
                continue
            quiet = 0
            texts = fixed
            changed = "".join(texts)
            if changed != joined:  # the spans depend on the text only
                joined, protected = changed, Protected(changed)
        if texts == before:
            break
    return texts


def _apply_edits(
    texts: list[str],
    editable: list[bool],
    joined: str,
    edits: list[Edit],
    protected: Protected,
) -> list[str]:
    """Spread ``edits`` over the pieces; skip no-ops, protected and non-editable spots.

    Returns ``texts`` itself when no edit applies.
    """
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text)
        ends.append(offset)
    changes: dict[int, list[tuple[int, int, str]]] = {}
    last_end = -1
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < last_end or joined[edit.start : edit.end] == edit.new:
            continue
        if protected.blocks(edit.start, edit.end):
            continue
        located = _locate(edit, editable, starts, ends)
        if located is None:
            continue
        for index, start, end, new in located:
            changes.setdefault(index, []).append((start, end, new))
        last_end = edit.end
    if not changes:
        return texts
    out = list(texts)
    for index, local in changes.items():
        out[index] = _splice(texts[index], local)
    return out


def _splice(text: str, changes: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, new)`` change made (sorted, not overlapping)."""
    parts: list[str] = []
    cursor = 0
    for start, end, new in changes:
        parts += (text[cursor:start], new)
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def _locate(
    edit: Edit, editable: list[bool], starts: list[int], ends: list[int]
) -> list[tuple[int, int, int, str]] | None:
    """``edit`` as (piece, local start, local end, new text) changes, or None if impossible.

    ``starts`` and ``ends`` are the pieces' offsets in the stream. A span crossing pieces
    puts the new text in the first one and empties the others; an insertion on a boundary
    goes to the side ``edit.right`` asks for, if that side can be edited, else to the other.
    """
    if edit.start == edit.end:
        return _locate_insertion(edit, editable, starts, ends)
    out: list[tuple[int, int, int, str]] = []
    index = bisect_right(ends, edit.start)  # the first piece ending after the start
    while index < len(starts) and starts[index] < edit.end:
        if not editable[index]:
            return None
        start, end = starts[index], ends[index]
        new = "" if out else edit.new
        out.append((index, max(edit.start, start) - start, min(edit.end, end) - start, new))
        index += 1
    return out or None


def _locate_insertion(
    edit: Edit, editable: list[bool], starts: list[int], ends: list[int]
) -> list[tuple[int, int, int, str]] | None:
    """Where an insertion at ``edit.start`` goes (see ``_locate``); empty pieces never."""
    at = edit.start
    left: int | None = None
    right: int | None = None
    after = bisect_right(ends, at)  # the first piece ending after ``at``: not empty
    if after < len(starts):
        if starts[after] < at:  # inside that piece
            local = at - starts[after]
            return [(after, local, local, edit.new)] if editable[after] else None
        right = after
    before = bisect_left(ends, at)  # pieces ending at ``at``: the non-empty one comes first
    if before < len(ends) and ends[before] == at and starts[before] < at:
        left = before
    for side in (right, left) if edit.right else (left, right):
        if side is not None and editable[side]:
            local = at - starts[side]
            return [(side, local, local, edit.new)]
    return None
