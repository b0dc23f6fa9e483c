"""What the rules never edit: URLs, e-mail addresses, paths, times, identifiers, phones.

These patterns run over untrusted text, several times per paragraph, so each one is linear
in the length of the text it scans, whatever the text is:

* a match can only start where a token starts (a lookbehind rejects every position inside
  a run that an earlier attempt already read), or at a literal (``+``, ``#``, ``www.``);
* repetitions are unambiguous (the pieces they repeat are separated by characters the
  pieces cannot contain) or possessive, so a failed attempt gives characters back at most
  once;
* e-mail addresses are found from their ``@`` (see ``email_spans``), not by trying every
  start of every word.

The spans of one text are found once, on first use, and merged for binary search
(``Protected``); the engine asks again only when the text has changed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

__all__ = ["Protected", "email_spans", "protected_spans"]

# URL tokens.
_URL = re.compile(r"(?:https?://|ftp://|mailto:|www\.)[^\s<>\"«»“”\ufffc]*", re.IGNORECASE)

# Windows paths ("C:\Temp") and Unix-like paths with at least two parts or a relative start
# ("/usr/bin", "./a", "../a", "~/a"); "et/ou" and "24 h/24" are not paths.
_WIN_PATH = re.compile(r"(?<![\w])[A-Za-z]:\\[^\s\ufffc]*")
_UNIX_PATH = re.compile(r"(?<![\w/.~])(?:(?:~|\.{1,2})/[\w.-]+(?:/[\w.-]*)*|/[\w.-]+(?:/[\w.-]*)+)")

# Times and ratios "10:55", "10:55:02", "3:2", and French times "10h30".
_TIME = re.compile(r"(?<![\w:])\d{1,2}:\d{2}(?::\d{2})?(?!\w)|(?<!\w)\d{1,2}h\d{2}(?!\w)")

# Identifiers, a number after an acronym ("ISO 14001", "CVE-2024-12345", "BP 12345") or
# after "n°" / "n°s" / "#". After "n°" only the number is protected, not the space before
# it: that space is the French rule's to make no-break ("n° 12" → "n°\u00a012"). The
# number may start only right after "n°" and one space, so each is read once.
_IDENTIFIER = re.compile(
    r"\b[A-Z]{2,}[ \u00a0-]?\d[\w./:-]*"
    r"|(?:(?<=(?<!\w)[nN][°ºᵒ])|(?<=(?<!\w)[nN][°ºᵒ][ \t\n\u00a0\u202f\u2009])"
    r"|(?<=(?<!\w)[nN][°º]s[ \t\n\u00a0\u202f\u2009])|(?<=(?<!\w)[nN]ᵒˢ[ \t\n\u00a0\u202f\u2009]))"
    r"\d[\w./-]*"
    r"|#\d[\w-]*"
)

# Phone numbers, international ("+212 5 37 12 34 56") or French ("06 12 34 56 78").
_PHONE = re.compile(
    r"\+\d{1,3}(?:[ \u00a0.()-]*\d){6,}|(?<![\w.,])0\d(?:[ .\u00a0-]?\d\d){4}(?!\d)"
)

# Each pattern with strings one of which every match contains: a text holding none of them
# is not scanned (a shortcut that changes no result; ":" and "." are not cased).
_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (_URL, (":", ".")),
    (_WIN_PATH, ("\\",)),
    (_UNIX_PATH, ("/",)),
    (_TIME, (":", "h")),
    (_IDENTIFIER, ()),
    (_PHONE, ("+", "0")),
)

# E-mail addresses are the matches of ``[\w.+-]+@[\w-]+(?:\.[\w-]+)+``, found in two steps
# (see ``email_spans``): the "@" and the domain after it, then the local part before it.
_EMAIL_AT_DOMAIN = re.compile(r"@[\w-]++(?:\.[\w-]++)++")
_EMAIL_LOCAL = re.compile(r"[\w.+-]+")
"""The local part, matched on the reversed text from the "@" leftwards."""

# Sentence punctuation ending a protected token is not part of it, so that in
# "voir https://x.fr/a?" or "(C:\Temp)" the "?" still gets its space and ")" is free.
_TAIL = ".,;:!?)]}'’\""


def email_spans(text: str) -> Iterator[tuple[int, int]]:
    r"""The spans ``re.finditer(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)`` would give.

    That regex, searched directly, tries every start of every word and reads the whole
    word from each one before failing at its end: quadratic in the length of a word. The
    same matches come from the "@" instead. A local part is a run of ``[\w.+-]`` and
    cannot contain "@", so it is the run ending right before an "@" (cut where the
    previous match ended, as a search resuming there would cut it); the domain is fixed
    by the "@" alone. Each character is read a bounded number of times.
    """
    if "@" not in text:
        return
    reversed_text = text[::-1]
    size = len(text)
    resume = 0  # where the previous match ended: the next one cannot start before it
    for match in _EMAIL_AT_DOMAIN.finditer(text):
        at = match.start()
        local = _EMAIL_LOCAL.match(reversed_text, size - at, size - resume)
        if local is not None:
            yield at - (local.end() - local.start()), match.end()
            resume = match.end()


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where nothing may change, as (start, end) spans, in no particular order."""
    spans: list[tuple[int, int]] = []
    for pattern, needs in _PATTERNS:
        if not needs or any(needed in text for needed in needs):
            spans += (match.span() for match in pattern.finditer(text))
    spans += email_spans(text)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        kept = len(text[start:end].rstrip(_TAIL))
        if kept:
            out.append((start, start + kept))
    return out


class Protected:
    """The protected spans of one text, found on first use, answering in O(log n).

    Overlapping spans are merged (spans that only touch are not: an insertion between
    them is allowed), so the spans are disjoint and sorted and only the last span starting
    before a position can contain it.
    """

    __slots__ = ("_ends", "_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def _spans(self) -> tuple[list[int], list[int]]:
        if self._starts is None:
            starts: list[int] = []
            ends: list[int] = []
            for start, end in sorted(protected_spans(self._text)):
                if ends and start < ends[-1]:
                    ends[-1] = max(ends[-1], end)
                else:
                    starts.append(start)
                    ends.append(end)
            self._starts, self._ends = starts, ends
        return self._starts, self._ends

    def covers(self, index: int) -> bool:
        """True when the character at ``index`` lies in a protected span."""
        starts, ends = self._spans()
        last = bisect_right(starts, index) - 1
        return last >= 0 and index < ends[last]

    def blocks(self, start: int, end: int) -> bool:
        """True when replacing ``text[start:end]`` would change a protected span.

        An insertion (``start == end``) is blocked strictly inside a span only: inserting
        at its edges is fine.
        """
        starts, ends = self._spans()
        if start == end:
            last = bisect_left(starts, start) - 1
            return last >= 0 and start < ends[last]
        last = bisect_left(starts, end) - 1
        return last >= 0 and start < ends[last]
