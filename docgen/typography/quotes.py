"""Straight double quotes paired into typographic ones ("…" → « … » or “ … ”)."""

from __future__ import annotations

from .engine import ATOM, Edit, Rule
from .protected import Protected

__all__ = ["quote_rule"]

# What may stand before an opening quote / after a closing one.
_OPEN_BEFORE = frozenset("([{«“‘'\"—–-/")
_CLOSE_AFTER = frozenset(".,;:!?…)]}»”’'\"—–-/" + ATOM)


def quote_rule(opening: str, closing: str, nested: tuple[str, str] | None = None) -> Rule:
    """A rule pairing straight double quotes into ``opening``/``closing``.

    ``nested`` is used instead for a pair standing inside another pair, straight or
    already typed as « » (French “ ” inside « »).
    """

    def rule(text: str, protected: Protected) -> list[Edit]:
        if '"' not in text:
            return []
        pairs = _pair_quotes(text, protected)
        balance = (
            _guillemet_balance(text, [first for first, _, _ in pairs]) if nested is not None else {}
        )
        edits: list[Edit] = []
        for first, last, depth in pairs:
            pair = (opening, closing)
            if nested is not None and depth + balance[first] > 0:
                pair = nested
            edits += [Edit(first, first + 1, pair[0]), Edit(last, last + 1, pair[1])]
        return edits

    return rule


def _pair_quotes(text: str, protected: Protected) -> list[tuple[int, int, int]]:
    """(opening, closing, depth) of the straight double quotes that pair up.

    Straight quotes look alike, so their role comes from their neighbours: a quote after a
    space or an opening mark may open, one before a space or punctuation may close. They
    pair like brackets (a stack), so that ``"a "b" c"`` reads as an outer and an inner
    quotation. A quote with spaces on both sides (typed as « mot ») closes if a quotation
    is open and opens otherwise. Quotes left on the stack stay straight.
    """
    pairs: list[tuple[int, int, int]] = []
    stack: list[int] = []
    index = text.find('"')
    while index >= 0:
        if not protected.covers(index):
            if stack and _may_close(text, index):
                pairs.append((stack.pop(), index, len(stack)))
            elif _may_open(text, index):
                stack.append(index)
        index = text.find('"', index + 1)
    return pairs


def _guillemet_balance(text: str, positions: list[int]) -> dict[int, int]:
    """For each position, the « opened minus the » closed before it (one sweep)."""
    balance: dict[int, int] = {}
    count = previous = 0
    for position in sorted(positions):
        count += text.count("«", previous, position) - text.count("»", previous, position)
        balance[position] = count
        previous = position
    return balance


def _may_open(text: str, index: int) -> bool:
    """A quote opens after a space, the start or an opening mark, and before something."""
    before = text[index - 1] if index else " "
    return index + 1 < len(text) and (before.isspace() or before in _OPEN_BEFORE)


def _may_close(text: str, index: int) -> bool:
    """A quote closes after something, before a space, the end or punctuation."""
    after = text[index + 1] if index + 1 < len(text) else " "
    return index > 0 and (after.isspace() or after in _CLOSE_AFTER)
